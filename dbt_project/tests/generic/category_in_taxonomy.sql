{#- Every (category_l1, category_l2, category_l3) a model holds is a path of the unified taxonomy
    (a null level only below a known level): fails on each unknown path. -#}
{% test category_in_taxonomy(model) %}

with

model_paths as (

    select distinct
        category_l1,
        category_l2,
        category_l3,
    from {{ model }}
    where category_l1 is not null

),

taxonomy_paths as (

    select
        category_l1,
        category_l2,
        category_l3,
    from {{ ref('taxonomy_categories') }}

),

unknown_paths as (

    select model_paths.*
    from model_paths
    where
        (model_paths.category_l2 is null and model_paths.category_l3 is not null)
        or not exists (
            select 1
            from taxonomy_paths
            where
                taxonomy_paths.category_l1 = model_paths.category_l1
                and (model_paths.category_l2 is null or taxonomy_paths.category_l2 = model_paths.category_l2)
                and (model_paths.category_l3 is null or taxonomy_paths.category_l3 = model_paths.category_l3)
        )

)

select * from unknown_paths

{% endtest %}
