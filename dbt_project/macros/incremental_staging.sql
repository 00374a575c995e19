{#- Incremental staging (stg_<key>__records and stg_<key>__status_events of every channel).

    A build re-stages only the records that have a raw row from a load the model has not seen yet
    (and, for opinion, every repost below them, whose chain's root may have moved), from all of
    their landed versions, and replaces their rows (delete+insert on record_key), so a
    record's rows are always computed from every version it has, as in a full build. After each
    build a post-hook writes the load ids then in raw.<key> to `<model>__built_loads` beside the
    model, with a fingerprint of the model's code, of every project macro it calls (directly or
    through other macros: masking, match_text, places...) and of its seeds (category maps, keywords,
    regions): when any of them changes, every record is re-staged. The warehouse has
    one writer at a time (landing and dbt hold the writer lock), so no load lands between a
    model's select and its post-hook. -#}

{#- The landed rows of the records to (re)build: every landed row when the model is built whole;
    else every version of each record with a row from a load the model has not built, or, given
    `records_to_build` (a relation with source_record_id: those records and the records that
    depend on them, opinion's reposts), every version of those. -#}
{% macro landed_to_build(channel, records_to_build=none) -%}
    {%- set new_records = records_with_new_loads(channel) -%}
    {%- if new_records is none -%}
        {{ source(channel, channel) }}
    {%- else -%}
        (
            select *
            from {{ source(channel, channel) }}
            where source_record_id in (
                {%- if records_to_build is none %}
                {{ new_records }}
                {%- else %}
                select source_record_id
                from {{ records_to_build }}
                {%- endif %}
            )
        ) as landed_to_build
    {%- endif -%}
{%- endmacro %}

{#- A select of the source_record_ids with a landed row from a load the model has not built (with
    its current fingerprint); none when the model is built whole (a first or full-refresh build,
    no built loads remembered, or a unit test, which renders without `this`). -#}
{% macro records_with_new_loads(channel) -%}
    {%- set built = built_loads_relation() if this is not none and is_incremental() else none -%}
    {%- if built is none -%}{{ return(none) }}{%- endif -%}
    {%- set new_records -%}
        select source_record_id
        from {{ source(channel, channel) }}
        where load_id not in (
            select load_id
            from {{ built }}
            where fingerprint = '{{ staging_fingerprint() }}'
        )
    {%- endset -%}
    {{ return(new_records) }}
{%- endmacro %}

{% macro built_loads_relation() -%}
    {%- if not execute or this is none -%}{{ return(none) }}{%- endif -%}
    {%- set identifier = this.identifier ~ '__built_loads' -%}
    {{ return(adapter.get_relation(database=this.database, schema=this.schema, identifier=identifier)) }}
{%- endmacro %}

{#- the model's own code, the code of every project macro it calls (transitively) and the contents
    of the seeds it refs -#}
{% macro staging_fingerprint() -%}
    {%- set checksums = [model.checksum.checksum if model.checksum is defined else model.unique_id] -%}
    {%- set macro_ids = model.depends_on.macros | list -%}
    {%- set seen = [] -%}
    {#- a breadth-first walk: the loop also visits the ids appended while it runs -#}
    {%- for macro_id in macro_ids if macro_id.startswith('macro.' ~ project_name ~ '.') -%}
        {%- if macro_id not in seen -%}
            {%- do seen.append(macro_id) -%}
            {%- set called = context.get(macro_id.split('.')[-1]) -%}
            {%- if called is not none and called.macro is defined -%}
                {%- do checksums.append(local_md5(called.macro.macro_sql)) -%}
                {%- do macro_ids.extend(called.macro.depends_on.macros) -%}
            {%- endif -%}
        {%- endif -%}
    {%- endfor -%}
    {%- for node_id in model.depends_on.nodes if node_id.startswith('seed.') -%}
        {%- set seed = graph.nodes.get(node_id) -%}
        {%- do checksums.append(seed.checksum.checksum if seed is not none else node_id) -%}
    {%- endfor -%}
    {{ return(local_md5(checksums | join(','))) }}
{%- endmacro %}

{% macro remember_built_loads(channel) -%}
    create or replace table {{ this.database }}.{{ this.schema }}.{{ this.identifier ~ '__built_loads' }} as
    select distinct
        load_id,
        '{{ staging_fingerprint() }}' as fingerprint,
    from {{ source(channel, channel) }}
{%- endmacro %}

{#- the configuration every incrementally staged model shares, in one place -#}
{% macro incremental_staging_config(channel) -%}
    {%- do config(
        materialized='incremental',
        unique_key='record_key',
        incremental_strategy='delete+insert',
        on_schema_change='fail',
        post_hook="{{ remember_built_loads('" ~ channel ~ "') }}",
    ) -%}
{%- endmacro %}
