{#- GCJ-02 ("Mars coordinates", what city_mgmt sends) to WGS-84: the standard inverse
    approximation wgs = gcj - delta(gcj), where delta is the published WGS-84 -> GCJ-02 offset
    (Krasovsky ellipsoid). Error about 1-2 m, far below what matching needs. `0`/`0` (no fix)
    and points outside China (no offset applied there) are handled: 0/0 gives null. -#}
{% macro gcj02_offset_lat(lng, lat) -%}
    {%- set x -%}({{ lng }} - 105.0){%- endset -%}
    {%- set y -%}({{ lat }} - 35.0){%- endset -%}
    {%- set radlat -%}({{ lat }} / 180.0 * pi()){%- endset -%}
    {%- set magic -%}(1 - 0.00669342162296594323 * sin({{ radlat }}) * sin({{ radlat }})){%- endset -%}
    (
        -100.0 + 2.0 * {{ x }} + 3.0 * {{ y }} + 0.2 * {{ y }} * {{ y }} + 0.1 * {{ x }} * {{ y }}
        + 0.2 * sqrt(abs({{ x }}))
        + (20.0 * sin(6.0 * {{ x }} * pi()) + 20.0 * sin(2.0 * {{ x }} * pi())) * 2.0 / 3.0
        + (20.0 * sin({{ y }} * pi()) + 40.0 * sin({{ y }} / 3.0 * pi())) * 2.0 / 3.0
        + (160.0 * sin({{ y }} / 12.0 * pi()) + 320.0 * sin({{ y }} * pi() / 30.0)) * 2.0 / 3.0
    ) * 180.0 / ((6378245.0 * (1 - 0.00669342162296594323)) / ({{ magic }} * sqrt({{ magic }})) * pi())
{%- endmacro %}

{% macro gcj02_offset_lng(lng, lat) -%}
    {%- set x -%}({{ lng }} - 105.0){%- endset -%}
    {%- set y -%}({{ lat }} - 35.0){%- endset -%}
    {%- set radlat -%}({{ lat }} / 180.0 * pi()){%- endset -%}
    {%- set magic -%}(1 - 0.00669342162296594323 * sin({{ radlat }}) * sin({{ radlat }})){%- endset -%}
    (
        300.0 + {{ x }} + 2.0 * {{ y }} + 0.1 * {{ x }} * {{ x }} + 0.1 * {{ x }} * {{ y }}
        + 0.1 * sqrt(abs({{ x }}))
        + (20.0 * sin(6.0 * {{ x }} * pi()) + 20.0 * sin(2.0 * {{ x }} * pi())) * 2.0 / 3.0
        + (20.0 * sin({{ x }} * pi()) + 40.0 * sin({{ x }} / 3.0 * pi())) * 2.0 / 3.0
        + (150.0 * sin({{ x }} / 12.0 * pi()) + 300.0 * sin({{ x }} / 30.0 * pi())) * 2.0 / 3.0
    ) * 180.0 / (6378245.0 / sqrt({{ magic }}) * cos({{ radlat }}) * pi())
{%- endmacro %}

{% macro is_in_china(lng, lat) -%}
    ({{ lng }} between 72.004 and 137.8347 and {{ lat }} between 0.8293 and 55.8271)
{%- endmacro %}

{% macro gcj02_to_wgs84_lat(lng, lat) -%}
    case
        when {{ lng }} is null or {{ lat }} is null or ({{ lng }} = 0 and {{ lat }} = 0) then null
        when not {{ is_in_china(lng, lat) }} then {{ lat }}
        else {{ lat }} - {{ gcj02_offset_lat(lng, lat) }}
    end
{%- endmacro %}

{% macro gcj02_to_wgs84_lng(lng, lat) -%}
    case
        when {{ lng }} is null or {{ lat }} is null or ({{ lng }} = 0 and {{ lat }} = 0) then null
        when not {{ is_in_china(lng, lat) }} then {{ lng }}
        else {{ lng }} - {{ gcj02_offset_lng(lng, lat) }}
    end
{%- endmacro %}

{#- WGS-84 as sent (minsheng): only 0/0 and missing become null. -#}
{% macro wgs84_or_null(coordinate, lng, lat) -%}
    case when {{ lng }} is null or {{ lat }} is null or ({{ lng }} = 0 and {{ lat }} = 0) then null else {{ coordinate }} end
{%- endmacro %}
