-- Every article behind the most widely reported incident, with what each said.
select
    incidents.headline,
    reports.report_rank,
    reports.source_id,
    reports.published_at,
    reports.fatalities,
    reports.url,
    reports.evidence_text
from fct_incidents as incidents
inner join fct_incident_reports as reports
    on incidents.incident_id = reports.incident_id
where incidents.incident_id = (
    select incident_id from fct_incidents order by n_sources desc, n_articles desc, incident_id limit 1
)
order by reports.report_rank
