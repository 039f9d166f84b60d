{# Great-circle distance in km between two points given in degrees (haversine). #}
{% macro haversine_km(lat1, lon1, lat2, lon2) -%}
    (2 * 6371.0 * asin(sqrt(
        power(sin(radians({{ lat2 }} - {{ lat1 }}) / 2), 2)
        + cos(radians({{ lat1 }})) * cos(radians({{ lat2 }}))
          * power(sin(radians({{ lon2 }} - {{ lon1 }}) / 2), 2)
    )))
{%- endmacro %}

{# A comparable key for a place name: lower case, no accents, no punctuation, "al-" articles kept. #}
{% macro place_key(column) -%}
    nullif(trim(regexp_replace(lower(strip_accents({{ column }})), '[^a-z0-9]+', ' ', 'g')), '')
{%- endmacro %}
