-- Each report joins the incident of its best-matching earlier report (score at or above the
-- merge_score_threshold var), or starts a new incident. Following those links back gives the
-- first report of the incident, whose article and event index make the incident id.
-- Because a report can only join earlier arrivals, a new day's articles never change the incident
-- of an existing report: ids are stable and a re-run is a no-op.
--
-- Incremental: a daily build re-links only the reports dated within 3 x merge_max_date_tolerance_days
-- of a changed report (their links read pairs, and the first links of candidates and of reports
-- joining those, each within that many days), and re-roots those and the reports below them (their
-- links kept); every other row stays as stored. dbt_project/README.md ("Incremental builds").
{{ config(
    materialized='incremental',
    incremental_strategy='delete+insert',
    unique_key='event_mention_id',
    on_schema_change='fail',
    post_hook="{{ delete_gone_reports() }}",
) }}
with recursive

-- what linking reads of each report (the CTE is read several times, and DuckDB may hold it
-- whole); the output takes the whole row
mentions as (
    select
        event_mention_id,
        article_id,
        event_index,
        event_date,
        arrival_key,
        place_precision,
        location_key,
        latitude,
        longitude
    from {{ ref('int_event_mentions_current') }}
),

{% if is_incremental() %}
-- the stored links (this build's own previous rows)
stored as (
    select
        event_mention_id,
        parent_mention_id,
        link_score,
        root_mention_id
    from {{ this }}
),

-- changed since this build last ran, or pairs recomputed since (macros/incremental_merge.sql)
changed_dates as (
    {{ merge_changed_dates(this) }}
    {%- if merge_pending_dates() is not none %}
    union
    select event_date from {{ merge_pending_relation() }}
    {%- endif %}
),

-- the reports whose link may change
relinked as (
    select event_mention_id
    from mentions
    semi join ({{ merge_dates_near('select event_date from changed_dates', '3 * ' ~ merge_max_date_days()) }}) as near
        on mentions.event_date = near.event_date
),

-- the reports whose first link a relinked report's link may read (its candidates, and the reports
-- that joined those)
linking_scope as (
    select event_mention_id
    from mentions
    semi join ({{ merge_dates_near('select event_date from changed_dates', '5 * ' ~ merge_max_date_days()) }}) as near
        on mentions.event_date = near.event_date
),
{% endif %}

scored_pairs as (
    select * from {{ ref('int_mention_pairs_scored') }}
    where match_score >= {{ var('merge_score_threshold') }}
    {% if is_incremental() %}
        and event_mention_id in (select event_mention_id from linking_scope)
    {% endif %}
),

-- A report placed only in a region or country whose best-scoring candidates name towns far apart
-- cannot tell which of those incidents it reports (a busy country-day): it joins none of them
-- and stays an incident of its own, rather than a guess that would merge two incidents' reports.
vague_top_candidates as (
    select
        scored_pairs.event_mention_id,
        candidate.latitude,
        candidate.longitude
    from scored_pairs
    inner join mentions as later
        on scored_pairs.event_mention_id = later.event_mention_id
    inner join mentions as candidate
        on scored_pairs.candidate_mention_id = candidate.event_mention_id
    where later.place_precision in ('region', 'country')
        and candidate.place_precision in ('town', 'near town')
    qualify scored_pairs.match_score >= max(scored_pairs.match_score) over (partition by scored_pairs.event_mention_id) - 1e-9
),

ambiguous_reports as (
    select event_mention_id
    from vague_top_candidates
    group by event_mention_id
    -- the span of the candidate towns (a bounding box, in km)
    having greatest(
        max(latitude) - min(latitude),
        (max(longitude) - min(longitude)) * cos(radians(avg(latitude)))
    ) * 111.2 > 10 + {{ var('merge_near_town_km') }}
),

pairs as (
    select scored_pairs.*
    from scored_pairs
    anti join ambiguous_reports
        on scored_pairs.event_mention_id = ambiguous_reports.event_mention_id
),

-- first pass: every report's best earlier report
first_links as (
    select
        event_mention_id,
        candidate_mention_id as parent_mention_id
    from pairs
    qualify row_number() over (
        partition by event_mention_id
        order by match_score desc, coalesce(fatalities_gap, 1.0), candidate_arrival_key, candidate_mention_id
    ) = 1
),

-- A report placed only in a region or country matches every town there, so once it has met a
-- report naming a town (the one it joined, else the first such report that joined it) it stands
-- for that town: a later town report far from it may not join through it. Otherwise on a busy day
-- one vague report would chain the country's incidents together. Only earlier arrivals decide a
-- placement, so ids stay stable.
link_ends as (
    select event_mention_id as mention_id, parent_mention_id as linked_mention_id from first_links
    union all
    select parent_mention_id, event_mention_id from first_links
),

vague_placements as (
    select
        vague.event_mention_id as vague_mention_id,
        arg_min(placed.latitude, placed.arrival_key) as latitude,
        arg_min(placed.longitude, placed.arrival_key) as longitude,
        arg_min(placed.location_key, placed.arrival_key) as location_key,
        min(placed.arrival_key) as placed_arrival_key
    from mentions as vague
    inner join link_ends
        on vague.event_mention_id = link_ends.mention_id
    inner join mentions as placed
        on link_ends.linked_mention_id = placed.event_mention_id
    where vague.place_precision in ('region', 'country')
        and placed.place_precision in ('town', 'near town')
    group by vague.event_mention_id
),

eligible_pairs as (
    select pairs.*
    from pairs
    {% if is_incremental() %}
    semi join relinked
        on pairs.event_mention_id = relinked.event_mention_id
    {% endif %}
    inner join mentions as later
        on pairs.event_mention_id = later.event_mention_id
    left join vague_placements
        on pairs.candidate_mention_id = vague_placements.vague_mention_id
    where vague_placements.vague_mention_id is null
        or later.place_precision not in ('town', 'near town')
        or later.arrival_key <= vague_placements.placed_arrival_key
        or later.location_key = vague_placements.location_key
        or {{ haversine_km('later.latitude', 'later.longitude', 'vague_placements.latitude', 'vague_placements.longitude') }}
            <= 10 + {{ var('merge_near_town_km') }}
),

best_links as (
    select
        event_mention_id,
        candidate_mention_id as parent_mention_id,
        match_score as link_score
    from eligible_pairs
    qualify row_number() over (
        partition by event_mention_id
        -- among equal scores: the closer fatality figure, then the earlier report
        order by match_score desc, coalesce(fatalities_gap, 1.0), candidate_arrival_key, candidate_mention_id
    ) = 1
),

linked as (
    select
        mentions.event_mention_id,
        best_links.parent_mention_id,
        best_links.link_score
    from mentions
    {% if is_incremental() %}
    semi join relinked
        on mentions.event_mention_id = relinked.event_mention_id
    {% endif %}
    left join best_links
        on mentions.event_mention_id = best_links.event_mention_id
),

{% if is_incremental() %}
-- a report below a relinked one keeps its link but may reach another first report: follow the
-- stored links down from the relinked reports
rerooted(event_mention_id) as (
    select event_mention_id from relinked
    union
    select stored.event_mention_id
    from stored
    inner join rerooted
        on stored.parent_mention_id = rerooted.event_mention_id
),

links as (
    select * from linked
    union all
    select
        stored.event_mention_id,
        stored.parent_mention_id,
        stored.link_score
    from stored
    semi join rerooted
        on stored.event_mention_id = rerooted.event_mention_id
    anti join relinked
        on stored.event_mention_id = relinked.event_mention_id
),
{% else %}
links as (
    select * from linked
),
{% endif %}

ancestry(event_mention_id, ancestor_mention_id, depth) as (
    select
        event_mention_id,
        event_mention_id,
        0
    from links
    union all
    select
        ancestry.event_mention_id,
        links.parent_mention_id,
        ancestry.depth + 1
    from ancestry
    inner join links
        on ancestry.ancestor_mention_id = links.event_mention_id
    where links.parent_mention_id is not null
),

tops as (
    select
        event_mention_id,
        arg_max(ancestor_mention_id, depth) as top_mention_id
    from ancestry
    group by event_mention_id
),

roots as (
    {% if is_incremental() %}
    -- a chain that leaves the re-rooted reports ends at a report whose stored root still holds
    select
        tops.event_mention_id,
        case
            when rerooted_top.event_mention_id is null then coalesce(stored.root_mention_id, tops.top_mention_id)
            else tops.top_mention_id
        end as root_mention_id
    from tops
    left join rerooted as rerooted_top
        on tops.top_mention_id = rerooted_top.event_mention_id
    left join stored
        on tops.top_mention_id = stored.event_mention_id
    {% else %}
    select
        event_mention_id,
        top_mention_id as root_mention_id
    from tops
    {% endif %}
)

select
    'inc_' || {{ surrogate_key(['root.article_id', 'root.event_index']) }} as incident_id,
    reports.*,
    links.parent_mention_id,
    links.link_score,
    roots.root_mention_id,
    reports.event_mention_id = roots.root_mention_id as is_first_report
from {{ ref('int_event_mentions_current') }} as reports
inner join links
    on reports.event_mention_id = links.event_mention_id
inner join roots
    on reports.event_mention_id = roots.event_mention_id
inner join mentions as root
    on roots.root_mention_id = root.event_mention_id
