{# Like `relationships`, on several columns at once: every non-null combination of `columns` in the
   model exists as `to_columns` (same order) in `to`. Used for (event_type, sub_event_type) pairs. #}
{% test relationships_composite(model, columns, to, to_columns) %}
with child as (
    select distinct {{ columns | join(', ') }}
    from {{ model }}
    where {% for column in columns %}{{ column }} is not null{{ " and " if not loop.last }}{% endfor %}
),

parent as (
    select distinct
        {% for column in to_columns -%}
        {{ column }} as {{ columns[loop.index0] }}{{ "," if not loop.last }}
        {% endfor %}
    from {{ to }}
)

select child.*
from child
anti join parent using ({{ columns | join(', ') }})
{% endtest %}
