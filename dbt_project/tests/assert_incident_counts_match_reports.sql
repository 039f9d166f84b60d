-- n_articles, n_sources and n_reports of each incident agree with its provenance rows,
-- and exactly one report is the first.
with

reports as (
    select
        incident_id,
        count(distinct article_id) as n_articles,
        count(distinct source_id) as n_sources,
        count(*) as n_reports,
        count(*) filter (where is_first_report) as n_first_reports
    from {{ ref('fct_incident_reports') }}
    group by incident_id
)

select
    incidents.incident_id
from {{ ref('fct_incidents') }} as incidents
left join reports
    on incidents.incident_id = reports.incident_id
where reports.incident_id is null
    or incidents.n_articles <> reports.n_articles
    or incidents.n_sources <> reports.n_sources
    or incidents.n_reports <> reports.n_reports
    or reports.n_first_reports <> 1
