-- One row per place incidents are located at (the location chosen for each incident).
with

incidents as (
    select * from {{ ref('fct_incidents') }}
)

select
    cast(location_id as varchar) as location_id,
    cast(any_value(location) as varchar) as location,
    cast(any_value(admin1) as varchar) as admin1,
    cast(any_value(country_iso2) as varchar) as country_iso2,
    cast(any_value(country) as varchar) as country,
    cast(median(latitude) as double) as latitude,
    cast(median(longitude) as double) as longitude,
    cast(min(geo_precision) as integer) as geo_precision,
    cast(count(*) as integer) as n_incidents,
    cast(min(event_date) as date) as first_incident_date,
    cast(max(event_date) as date) as last_incident_date
from incidents
group by location_id
