{#- One row per handling unit named by any complaint. -#}

with

units as (

    select
        handling_unit,
        count(*) as n_complaints,
        min(received_at) as first_seen_at,
    from {{ ref('fct_complaint') }}
    where handling_unit is not null
    group by handling_unit

)

select
    'U' || left(sha256(handling_unit), 12) as unit_id,
    handling_unit,
    n_complaints,
    cast(first_seen_at as timestamptz) as first_seen_at,
from units
