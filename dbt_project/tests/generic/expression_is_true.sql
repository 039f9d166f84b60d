{# Fails on every row where the expression is false (nulls count as passing: use not_null for those). #}
{% test expression_is_true(model, expression, column_name=none) %}
select *
from {{ model }}
where not coalesce(({{ expression }}), true)
{% endtest %}
