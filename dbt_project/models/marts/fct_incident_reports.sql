-- Provenance: one row per report (event mention) of an incident, with its article and evidence.
with

clustered as (
    select * from {{ ref('int_event_mentions_clustered') }}
)

select
    cast(incident_id as varchar) as incident_id,
    cast(event_mention_id as varchar) as event_mention_id,
    cast(article_id as varchar) as article_id,
    cast(source_id as varchar) as source_id,
    cast(url as varchar) as url,
    cast(title as varchar) as title,
    cast(published_at as timestamp) as published_at,
    cast(reported_at as timestamp) as reported_at,
    cast(row_number() over (partition by incident_id order by arrival_key) as integer) as report_rank,
    cast(is_first_report as boolean) as is_first_report,
    cast(parent_mention_id as varchar) as joined_report_id,
    cast(link_score as double) as link_score,
    cast(event_type as varchar) as event_type,
    cast(sub_event_type as varchar) as sub_event_type,
    cast(event_date as date) as event_date,
    cast(date_precision as varchar) as date_precision,
    cast(location as varchar) as location,
    cast(country_iso2 as varchar) as country_iso2,
    cast(fatalities as integer) as fatalities,
    cast(injured as integer) as injured,
    cast(confidence as double) as confidence,
    cast(evidence_text as varchar) as evidence_text,
    cast(evidence_offsets as varchar) as evidence_offsets,
    cast(extractor_version as varchar) as extractor_version
from clustered
