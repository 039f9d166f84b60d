{# Stable text key from a list of expressions (md5 of the '|'-joined values, nulls as ''). #}
{% macro surrogate_key(expressions, length=16) -%}
    substr(md5(concat_ws('|', {% for expression in expressions -%}
        coalesce(cast({{ expression }} as varchar), ''){{ ", " if not loop.last }}
    {%- endfor %})), 1, {{ length }})
{%- endmacro %}
