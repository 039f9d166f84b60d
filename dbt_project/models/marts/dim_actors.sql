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

actor_dictionary as (
    select * from {{ ref('stg_actor_dictionary') }}
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

-- Aliases are names as written: a spelling the dictionary lists for the actor, or a surface text in
-- the form of a proper name (every word capitalised but connectors; one word only as an acronym or
-- for a dictionary actor). Bare nouns ("soldiers", "army", "Gunmen") and generic actors' words are
-- not names; neither are empty surface texts.
alias_candidates as (
    select distinct
        actor_reports.actor_id,
        actor_reports.actor_name,
        actor_reports.is_in_dictionary,
        -- "Islamic State's" is written "Islamic State"
        regexp_replace(trim(actor_reports.surface_text), '[''’]s$', '') as alias
    from actor_reports
    where not actor_reports.is_generic
        and nullif(trim(actor_reports.surface_text), '') is not null
),

aliases as (
    select
        alias_candidates.actor_id,
        string_agg(distinct alias_candidates.alias, '; ' order by alias_candidates.alias) as aliases
    from alias_candidates
    left join actor_dictionary
        on lower(alias_candidates.alias) = actor_dictionary.alias_key
        and alias_candidates.actor_name = actor_dictionary.canonical_name
    where actor_dictionary.alias_key is not null
        or (
            regexp_full_match(
                alias_candidates.alias,
                '((al|el|ad|an|as|ash|wal)-)?[A-Z0-9][^ ]*( (of|the|and|for|de|du|des|la|le|al|wa|bin|ibn|((al|el|ad|an|as|ash|wal)-)?[A-Z0-9][^ ]*))*'
            )
            and not regexp_matches(alias_candidates.alias, '-(linked|backed|led|allied|affiliated|aligned)$')
            and (
                alias_candidates.is_in_dictionary
                or alias_candidates.alias like '% %'
                or regexp_full_match(alias_candidates.alias, '[A-Z0-9]{2,}')
            )
        )
    group by alias_candidates.actor_id
),

aggregated as (
    select
        actor_id,
        any_value(actor_name) as actor_name,
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
    cast(aliases.aliases as varchar) as aliases,
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
left join aliases
    on aggregated.actor_id = aliases.actor_id
