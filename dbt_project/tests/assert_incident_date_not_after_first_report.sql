-- An incident cannot have happened after the first article reported it.
select
    incident_id,
    event_date,
    first_reported_at
from {{ ref('fct_incidents') }}
where event_date > cast(first_reported_at as date)
