-- Coordinates are WGS84 degrees, given as a pair or not at all.
select
    incident_id,
    latitude,
    longitude
from {{ ref('fct_incidents') }}
where not (latitude between -90 and 90)
    or not (longitude between -180 and 180)
    or (latitude is null) <> (longitude is null)
