-- Incidents one article reports separately are distinct by definition: no incident holds two
-- reports from the same article.
{{ config(severity='warn') }}

select
    incident_id,
    article_id,
    count(*) as n_reports
from {{ ref('fct_incident_reports') }}
group by incident_id, article_id
having count(*) > 1
