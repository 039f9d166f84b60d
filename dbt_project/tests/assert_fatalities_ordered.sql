-- Fatality figures: low <= best <= high, never negative, all three given or none.
select
    incident_id,
    fatalities_low,
    fatalities_best,
    fatalities_high
from {{ ref('fct_incidents') }}
where fatalities_low > fatalities_best
    or fatalities_best > fatalities_high
    or fatalities_low < 0
    or (fatalities_best is null) <> (fatalities_low is null)
    or (fatalities_best is null) <> (fatalities_high is null)
