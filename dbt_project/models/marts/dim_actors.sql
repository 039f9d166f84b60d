-- One row per canonical actor, from the resolved actor mentions of current reports.
with

actors as (
    select * from {{ ref('int_actor_mentions_resolved') }}
),

reports as (
    select * from {{ ref('int_event_mentions_clustered') }}
),

actor_types as (
    select * from {{ ref('stg_actor_types') }}
),

actor_reports as (
    select
        actors.*,
        reports.incident_id,
        reports.event_date,
        reports.reported_at
    from actors
    inner join reports
        on actors.event_mention_id = reports.event_mention_id
),

-- The type and country most mentions give (the dictionary's when the actor is in it).
actor_attributes as (
    select
        actor_id,
        actor_type,
        country_iso2
    from (
        select
            actor_id,
            actor_type,
            country_iso2,
            count(*) as n_mentions,
            bool_or(is_in_dictionary) as from_dictionary
        from actor_reports
        group by all
    )
    qualify row_number() over (
        partition by actor_id
        order by from_dictionary desc, n_mentions desc, actor_type, country_iso2 nulls last
    ) = 1
),

aggregated as (
    select
        actor_id,
        any_value(actor_name) as actor_name,
        string_agg(distinct surface_text, '; ' order by surface_text) as aliases,
        bool_or(is_generic) as is_generic,
        bool_or(is_in_dictionary) as is_in_dictionary,
        min(event_date) as first_seen,
        max(event_date) as last_seen,
        max(reported_at) as last_reported_at,
        count(distinct incident_id) as n_incidents,
        count(*) as n_mentions
    from actor_reports
    group by actor_id
)

select
    cast(aggregated.actor_id as varchar) as actor_id,
    cast(aggregated.actor_name as varchar) as actor_name,
    cast(aggregated.aliases as varchar) as aliases,
    cast(actor_attributes.actor_type as varchar) as actor_type,
    cast(actor_types.inter_code as integer) as inter_code,
    cast(actor_attributes.country_iso2 as varchar) as country_iso2,
    cast(aggregated.is_generic as boolean) as is_generic,
    cast(aggregated.is_in_dictionary as boolean) as is_in_dictionary,
    cast(aggregated.first_seen as date) as first_seen,
    cast(aggregated.last_seen as date) as last_seen,
    cast(aggregated.last_reported_at as timestamp) as last_reported_at,
    cast(aggregated.n_incidents as integer) as n_incidents,
    cast(aggregated.n_mentions as integer) as n_mentions
from aggregated
inner join actor_attributes
    on aggregated.actor_id = actor_attributes.actor_id
left join actor_types
    on actor_attributes.actor_type = actor_types.actor_type
