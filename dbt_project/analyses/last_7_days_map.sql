-- The last 7 days on a map: one point per located incident (counted back from the latest
-- incident, so it also works on an archive; use current_date for a live dashboard).
select
    incident_id,
    event_date,
    sub_event_type,
    location,
    country,
    latitude,
    longitude,
    fatalities_best,
    n_sources,
    summary
from fct_incidents
where event_date > (select max(event_date) from fct_incidents) - interval 7 day
    and latitude is not null
order by event_date desc
