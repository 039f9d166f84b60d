-- The event mentions of each article's current extractor version, with what merging needs:
-- when the article was first seen (arrival order, for stable incident ids), the report time,
-- a comparable place key, a date tolerance, and the named actors on each side.
with

event_mentions as (
    select * from {{ ref('stg_event_mentions') }}
),

extraction_log as (
    select * from {{ ref('stg_extraction_log') }}
),

articles as (
    select * from {{ ref('stg_articles') }}
),

pages as (
    select * from {{ ref('stg_pages') }}
),

actors as (
    select * from {{ ref('int_actor_mentions_resolved') }}
),

actor_affiliations as (
    select * from {{ ref('int_actor_affiliations') }}
),

sub_event_type_families as (
    select * from {{ ref('sub_event_type_families') }}
),

-- The newest extraction of an article wins, including one that found no event (the log says so).
extraction_runs as (
    select article_id, extractor_version, extracted_at from extraction_log
    union all
    select article_id, extractor_version, max(extracted_at) from event_mentions group by all
),

current_versions as (
    select
        article_id,
        arg_max(extractor_version, (extracted_at, extractor_version)) as extractor_version
    from extraction_runs
    group by article_id
),

-- An updated article keeps the day it was first seen, so its place in the arrival order
-- (and the ids of incidents it anchors) does not move when it is re-crawled.
first_seen as (
    select
        canonical_url,
        min(partition_date) as first_seen_date
    from pages
    group by canonical_url
),

-- Merging compares the named groups two reports blame: only named non-state perpetrators
-- (merge_conflict_actor_types) can set two reports apart; state forces and generic labels are too
-- often on the wrong side of an extracted event. Each report also lists every actor it names in
-- any role, with the groups they are branches of, so a perpetrator the other report names as the
-- target, or a parent or branch of its perpetrator, is not a conflict.
mention_actors as (
    select
        actors.event_mention_id,
        list_sort(list(distinct actors.actor_id) filter (where actors.role = 'perpetrator' and not actors.is_generic)) as named_perpetrator_ids,
        list_sort(list(distinct actors.actor_id) filter (where actors.role = 'target' and not actors.is_generic)) as named_target_ids,
        list_sort(list(distinct actors.actor_id) filter (
            where actors.role = 'perpetrator'
                and not actors.is_generic
                and actors.actor_type in (
                    {%- for actor_type in var('merge_conflict_actor_types') %}'{{ actor_type }}'{{ ", " if not loop.last }}{% endfor -%}
                )
        )) as non_state_perpetrator_ids,
        list_sort(list_distinct(list_concat(
            list(actors.actor_id),
            list(actor_affiliations.parent_actor_id) filter (where actor_affiliations.parent_actor_id is not null)
        ))) as related_actor_ids
    from actors
    left join actor_affiliations
        on actors.actor_id = actor_affiliations.actor_id
    group by actors.event_mention_id
),

joined as (
    select
        event_mentions.event_mention_id,
        event_mentions.article_id,
        event_mentions.source_id,
        event_mentions.extractor_version,
        event_mentions.event_index,
        event_mentions.event_type,
        event_mentions.sub_event_type,
        -- merging grades type agreement by these (seeds/sub_event_type_families.csv); a sub-type
        -- the file does not know is a family and group of its own
        coalesce(sub_event_type_families.sub_event_family, event_mentions.sub_event_type) as sub_event_family,
        coalesce(sub_event_type_families.type_group, event_mentions.event_type) as type_group,
        event_mentions.event_date as extracted_event_date,
        event_mentions.date_precision,
        event_mentions.date_is_fallback,
        event_mentions.location,
        event_mentions.admin1,
        event_mentions.admin2,
        event_mentions.country,
        event_mentions.country_iso2,
        event_mentions.latitude,
        event_mentions.longitude,
        event_mentions.geo_precision,
        event_mentions.fatalities,
        event_mentions.injured,
        event_mentions.weapon,
        event_mentions.civilian_targeting,
        event_mentions.confidence,
        event_mentions.evidence_text,
        event_mentions.evidence_offsets,
        articles.url,
        articles.title,
        articles.published_at,
        coalesce(articles.published_at, articles.fetched_at) as reported_at,
        least(
            coalesce(first_seen.first_seen_date, articles.partition_date),
            articles.partition_date
        ) as first_seen_date,
        coalesce(mention_actors.named_perpetrator_ids, []) as named_perpetrator_ids,
        coalesce(mention_actors.named_target_ids, []) as named_target_ids,
        coalesce(mention_actors.non_state_perpetrator_ids, []) as non_state_perpetrator_ids,
        coalesce(mention_actors.related_actor_ids, []) as related_actor_ids
    from event_mentions
    inner join current_versions
        on event_mentions.article_id = current_versions.article_id
        and event_mentions.extractor_version = current_versions.extractor_version
    inner join articles
        on event_mentions.article_id = articles.article_id
    left join first_seen
        on articles.canonical_url = first_seen.canonical_url
    left join mention_actors
        on event_mentions.event_mention_id = mention_actors.event_mention_id
    left join sub_event_type_families
        on event_mentions.event_type = sub_event_type_families.event_type
        and event_mentions.sub_event_type = sub_event_type_families.sub_event_type
),

prepared as (
    select
        *,
        cast(reported_at as date) as reported_date,
        -- An event is not reported before it happens: a later date is a date-resolution error,
        -- and a missing one falls back to the report day, both flagged as fallback.
        case
            when extracted_event_date is null or extracted_event_date > cast(reported_at as date)
                then cast(reported_at as date)
            else extracted_event_date
        end as event_date,
        date_is_fallback
            or extracted_event_date is null
            or extracted_event_date > cast(reported_at as date) as event_date_is_fallback,
        {{ place_key('location') }} as location_key,
        -- the evidence in the same normal form, to find another report's town named in it
        {{ place_key('evidence_text') }} as evidence_key,
        -- How precisely the report is placed: a named town (1), near a town (2), a region (3 with
        -- an admin1) or only the country (3 without, or no coordinates at all).
        case
            when latitude is null or longitude is null or geo_precision is null or geo_precision >= 3
                then case when admin1 is not null and latitude is not null then 'region' else 'country' end
            when geo_precision = 1 then 'town'
            else 'near town'
        end as place_precision,
        -- The extractor does not say whose figure a toll is, so a figure stated in the evidence as
        -- the perpetrator's own claim ("the group said it had killed 57 soldiers") is flagged here:
        -- it never becomes the incident's best estimate. (The claim pattern on the whole evidence
        -- first, in a case so the rest runs only on a match: the same answer, since the pattern never
        -- spans a sentence end, and most reports have no claim, so the per-sentence figure pattern,
        -- compiled per row, is rarely run.)
        case
            when fatalities is null then false
            when not regexp_matches(evidence_text, '{{ var("merge_claimed_toll_pattern") }}', 'i') then false
            else len(list_filter(
                string_split_regex(evidence_text, '[.!?](\s+|$)'),
                sentence -> regexp_matches(sentence, '{{ var("merge_claimed_toll_pattern") }}', 'i')
                    and regexp_matches(sentence, '\b' || cast(fatalities as varchar) || '\b')
            )) > 0
        end as fatalities_is_claim,
        -- Arrival order: first-seen day, report time, then the URL's path (reports published the
        -- same minute keep their order when the pages come from another host or port, which changes
        -- the article ids), article and index. Text sorts like the tuple.
        strftime(first_seen_date, '%Y-%m-%d')
            || ' ' || strftime(reported_at, '%Y-%m-%dT%H:%M:%S')
            || ' ' || coalesce(regexp_replace(url, '^[a-zA-Z][a-zA-Z0-9+.-]*://[^/]*', ''), '')
            || ' ' || article_id
            || ' ' || lpad(cast(event_index as varchar), 4, '0') as arrival_key
    from joined
),

toleranced as (
    select
        *,
        -- How many days either side a report's date may be off and still match another report
        -- (at most the merge_max_date_tolerance_days var: incremental merging relies on it).
        case
            when event_date_is_fallback then 2
            when date_precision = 'day' then 1
            when date_precision = 'week' then 4
            when date_precision = 'month' then 16
            else 3
        end as date_tolerance_days
    from prepared
),

-- the merging settings the rows above do not hold (pairing and linking vars, the type
-- compatibility seed): a change of them changes every report's hash, so it re-merges everything
merge_settings as (
    select
        hash(
            '{{ merge_settings_text() }}',
            list(compatibility order by compatibility.event_type, compatibility.compatible_event_type)
        ) as settings_hash
    from {{ ref('event_type_compatibility') }} as compatibility
)

select
    toleranced.*,
    -- everything merging reads of this report, hashed: incremental builds find the reports that
    -- changed since the last build by it (macros/incremental_merge.sql)
    hash(toleranced, merge_settings.settings_hash) as mention_hash
from toleranced
cross join merge_settings
