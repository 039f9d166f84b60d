-- Which sources report incidents first, and how far behind the first report they are otherwise.
select
    reports.source_id,
    count(distinct reports.incident_id) as incidents_covered,
    count(*) filter (where reports.is_first_report) as first_reports,
    round(avg(epoch(reports.reported_at - incidents.first_reported_at)) / 3600, 1) as avg_hours_after_first
from fct_incident_reports as reports
inner join fct_incidents as incidents
    on reports.incident_id = incidents.incident_id
group by reports.source_id
order by first_reports desc
