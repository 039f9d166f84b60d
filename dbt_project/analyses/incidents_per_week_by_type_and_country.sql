-- Incidents and fatalities per ISO week, by event type and country.
select
    dates.week_start,
    incidents.country,
    incidents.event_type,
    count(*) as incidents,
    sum(incidents.fatalities_best) as fatalities
from fct_incidents as incidents
inner join dim_dates as dates
    on incidents.event_date = dates.date_day
group by all
order by dates.week_start, incidents.country, incidents.event_type
