-- Actor mentions resolved to one canonical actor each:
--   1. a dictionary alias (case-insensitive, on the normalised name, then on the surface text)
--      gives the canonical name, type and country ("IS", "ISIS" -> "Islamic State");
--   2. a generic label is kept apart per country ("Unidentified armed group (Iraq)");
--   3. anything else keeps the extractor's normalised name.
with

actor_mentions as (
    select * from {{ ref('stg_actor_mentions') }}
),

event_mentions as (
    select
        event_mention_id,
        country_iso2 as event_country_iso2
    from {{ ref('stg_event_mentions') }}
),

actor_dictionary as (
    select * from {{ ref('stg_actor_dictionary') }}
),

generic_actors as (
    select
        actor_label,
        lower(actor_label) as label_key,
        actor_type
    from {{ ref('stg_generic_actors') }}
),

countries as (
    select * from {{ ref('stg_countries') }}
),

dictionary_candidates as (
    select
        actor_mentions.actor_mention_id,
        actor_dictionary.canonical_name,
        actor_dictionary.actor_type,
        actor_dictionary.country_iso2,
        row_number() over (
            partition by actor_mentions.actor_mention_id
            order by
                -- the extractor's normalised name beats the raw surface text
                (actor_dictionary.alias_key = lower(actor_mentions.actor_name)) desc,
                -- an alias shared by two entries goes to the one of the mention's country
                (actor_dictionary.country_iso2 is not distinct from actor_mentions.country_iso2) desc,
                actor_dictionary.canonical_name
        ) as match_rank
    from actor_mentions
    inner join actor_dictionary
        on actor_dictionary.alias_key in (lower(actor_mentions.actor_name), lower(actor_mentions.surface_text))
),

dictionary_matches as (
    select * from dictionary_candidates where match_rank = 1
),

resolved as (
    select
        actor_mentions.actor_mention_id,
        actor_mentions.event_mention_id,
        actor_mentions.article_id,
        actor_mentions.extractor_version,
        actor_mentions.role,
        actor_mentions.surface_text,
        actor_mentions.actor_name as extracted_name,
        dictionary_matches.canonical_name is not null as is_in_dictionary,
        dictionary_matches.canonical_name is null and generic_actors.actor_label is not null as is_generic,
        case
            when dictionary_matches.canonical_name is not null
                then dictionary_matches.canonical_name
            when generic_actors.actor_label is not null
                then generic_actors.actor_label || coalesce(
                    ' (' || coalesce(
                        countries.country_name,
                        coalesce(actor_mentions.country_iso2, event_mentions.event_country_iso2)
                    ) || ')',
                    ''
                )
            else actor_mentions.actor_name
        end as actor_name,
        coalesce(dictionary_matches.actor_type, generic_actors.actor_type, actor_mentions.actor_type) as actor_type,
        case
            when dictionary_matches.canonical_name is not null
                then coalesce(dictionary_matches.country_iso2, actor_mentions.country_iso2)
            when generic_actors.actor_label is not null
                then coalesce(actor_mentions.country_iso2, event_mentions.event_country_iso2)
            else actor_mentions.country_iso2
        end as country_iso2
    from actor_mentions
    left join event_mentions
        on actor_mentions.event_mention_id = event_mentions.event_mention_id
    left join dictionary_matches
        on actor_mentions.actor_mention_id = dictionary_matches.actor_mention_id
    left join generic_actors
        on lower(actor_mentions.actor_name) = generic_actors.label_key
    left join countries
        on countries.country_iso2 = coalesce(actor_mentions.country_iso2, event_mentions.event_country_iso2)
)

select
    {{ surrogate_key(['actor_name']) }} as actor_id,
    *
from resolved
