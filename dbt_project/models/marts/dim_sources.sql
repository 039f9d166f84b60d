-- One row per news source (configured or seen by the crawler): who it is, what was fetched,
-- parsed and reported.
with

configured as (
    select * from {{ ref('stg_sources') }}
),

crawl_log as (
    select * from {{ ref('stg_crawl_log') }}
),

articles as (
    select * from {{ ref('stg_articles') }}
),

reports as (
    select * from {{ ref('fct_incident_reports') }}
),

crawling as (
    select
        source_id,
        count(*) as n_fetch_attempts,
        count(*) filter (where outcome in ('fetched', 'not_modified')) as n_fetched,
        count(*) filter (where outcome in ('http_error', 'timeout', 'network_error')) as n_fetch_errors,
        max(attempted_at) as last_attempted_at
    from crawl_log
    group by source_id
),

publishing as (
    select
        source_id,
        count(*) as n_articles,
        min(published_at) as first_published_at,
        max(published_at) as last_published_at,
        string_agg(distinct language, ', ' order by language) as languages
    from articles
    group by source_id
),

reporting as (
    select
        source_id,
        count(*) as n_reports,
        count(distinct incident_id) as n_incidents,
        count(*) filter (where is_first_report) as n_first_reports
    from reports
    group by source_id
),

all_sources as (
    select source_id from configured
    union
    select source_id from crawling
    union
    select source_id from publishing
    union
    select source_id from reporting
)

select
    cast(all_sources.source_id as varchar) as source_id,
    cast(configured.source_name as varchar) as source_name,
    cast(configured.homepage as varchar) as homepage,
    cast(configured.country_iso2 as varchar) as country_iso2,
    cast(configured.language as varchar) as language,
    cast(coalesce(configured.enabled, false) as boolean) as is_enabled,
    cast(coalesce(crawling.n_fetch_attempts, 0) as integer) as n_fetch_attempts,
    cast(coalesce(crawling.n_fetched, 0) as integer) as n_fetched,
    cast(coalesce(crawling.n_fetch_errors, 0) as integer) as n_fetch_errors,
    cast(crawling.last_attempted_at as timestamp) as last_attempted_at,
    cast(coalesce(publishing.n_articles, 0) as integer) as n_articles,
    cast(publishing.first_published_at as timestamp) as first_published_at,
    cast(publishing.last_published_at as timestamp) as last_published_at,
    cast(publishing.languages as varchar) as languages,
    cast(coalesce(reporting.n_reports, 0) as integer) as n_reports,
    cast(coalesce(reporting.n_incidents, 0) as integer) as n_incidents,
    cast(coalesce(reporting.n_first_reports, 0) as integer) as n_first_reports
from all_sources
left join configured on all_sources.source_id = configured.source_id
left join crawling on all_sources.source_id = crawling.source_id
left join publishing on all_sources.source_id = publishing.source_id
left join reporting on all_sources.source_id = reporting.source_id
