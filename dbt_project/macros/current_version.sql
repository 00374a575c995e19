{#- A landed record's current version (docs/architecture.md): the greatest record_version, then
    the latest fetched_at, then the greatest payload hash (only so that the choice is stable). -#}
{% macro current_version(landed_versions) -%}
    select *
    from {{ landed_versions }}
    qualify row_number() over (
        partition by source_record_id
        order by record_version desc nulls last, fetched_at desc, payload_sha256 desc
    ) = 1
{%- endmacro %}
