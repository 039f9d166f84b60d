-- Which canonical actors took part in each incident, in which role, merged over its reports.
with

reports as (
    select * from {{ ref('int_event_mentions_clustered') }}
),

actors as (
    select * from {{ ref('int_actor_mentions_resolved') }}
)

select
    cast(reports.incident_id as varchar) as incident_id,
    cast(actors.actor_id as varchar) as actor_id,
    cast(actors.role as varchar) as role,
    cast(count(distinct reports.event_mention_id) as integer) as n_reports,
    cast(count(distinct reports.source_id) as integer) as n_sources
from reports
inner join actors
    on reports.event_mention_id = actors.event_mention_id
group by
    reports.incident_id,
    actors.actor_id,
    actors.role
