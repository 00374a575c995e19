{#- The log of every complaint_id each record has been given, one row per change: the state that
    lets complaint_id_history redirect ids across runs. Incremental and `full_refresh: false`
    (dbt_project.yml), so `dbt build --full-refresh` of everything else keeps it; the ids themselves
    are recomputed from the clusters, so the log only ever adds what changed. -#}
{{ config(materialized='incremental', on_schema_change='sync_all_columns') }}

with

current_assignments as (

    select
        record_key,
        complaint_id,
    from {{ ref('int_complaints_clustered') }}

),

previous_assignments as (

    -- each record's last logged id (none on the first build)
    select
        record_key,
        complaint_id,
    {% if is_incremental() %}
        from {{ this }}
        qualify row_number() over (partition by record_key order by assigned_at desc, complaint_id asc) = 1
    {% else %}
        from current_assignments
        where false
    {% endif %}

),

changed_assignments as (

    select
        current_assignments.record_key,
        current_assignments.complaint_id,
    from current_assignments
    left join previous_assignments on current_assignments.record_key = previous_assignments.record_key
    where
        previous_assignments.record_key is null
        or previous_assignments.complaint_id != current_assignments.complaint_id

)

select
    record_key,
    complaint_id,
    cast(now() as timestamptz) as assigned_at,
from changed_assignments
