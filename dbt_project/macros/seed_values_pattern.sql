{#- A regular expression matching any of a seed column's values (longest first, so the longest
    alternative wins at a position), for one vectorised regexp_extract(_all) per row instead of a
    rows x values join. The alternation is a non-capturing group: read the whole match (group 0);
    a capturing group costs RE2 a submatch search at every match (4x slower on the keywords). Read from the built seed table when the model runs (the model must also
    ref() the seed, so the seed is built first). Not executing (parse, lint), or the seed not yet
    built: a pattern that matches nothing. The seed is found through the graph (or, in a dbt
    unit test, which renders without it, in schema `reference`), not through ref(), so a unit
    test, where ref() names a fixture, still reads the reviewed values. -#}
{% macro seed_values_pattern(seed_name, column) -%}
    {%- set never = "'[^\\s\\S]'" -%}
    {%- if not execute -%}{{ return(never) }}{%- endif -%}
    {%- set node = (graph.get('nodes') or {}).get('seed.' ~ project_name ~ '.' ~ seed_name) -%}
    {%- if node is not none -%}
        {%- set relation = adapter.get_relation(database=node.database, schema=node.schema, identifier=node.alias) -%}
    {%- else -%}
        {#- a unit test renders without the graph: the seeds' schema is `reference` (dbt_project.yml) -#}
        {%- set relation = adapter.get_relation(database=target.database, schema='reference', identifier=seed_name) -%}
    {%- endif -%}
    {%- if relation is none -%}
        {{ log('seed_values_pattern: seed ' ~ seed_name ~ ' is not built yet; nothing will match', info=true) }}
        {{ return(never) }}
    {%- endif -%}
    {%- set query -%}
        select string_agg(regexp_replace(value, '([.*+?^${}()|\[\]\\])', '\\\1', 'g'), '|' order by length(value) desc, value)
        from (select distinct trim(value) as value from (select {{ column }} as value from {{ relation }}) as seed_values where nullif(trim(value), '') is not null) as distinct_values
    {%- endset -%}
    {%- set pattern = run_query(query).columns[0].values()[0] -%}
    {%- if pattern is none -%}{{ return(never) }}{%- endif -%}
    {{ return("'(?:" ~ pattern | replace("'", "''") ~ ")'") }}
{%- endmacro %}
