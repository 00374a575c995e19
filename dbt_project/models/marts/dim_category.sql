{#- The unified three-level taxonomy (seed taxonomy_categories, taxonomy/categories.csv): one row per
    third-level class, keyed by its path. -#}

select
    md5(concat_ws('/', category_l1, category_l2, category_l3)) as category_id,
    category_l1,
    category_l2,
    category_l3,
    concat_ws('/', category_l1, category_l2, category_l3) as category_path,
from {{ ref('taxonomy_categories') }}
