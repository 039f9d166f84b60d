-- Candidate pairs (later report, earlier report) that may describe the same incident, scored.
--
-- Blocking is a sorted neighbourhood over several passes, so the work stays linear in the number
-- of reports however busy a day or a country is: in each pass a report is put in one block and
-- compared with the next merge_block_window reports of that block in the pass's sort order.
--   near (4 shifted grids of merge_block_cell_degrees): reports naming a town, by date, latitude
--        band, family and sub-type, latitude - close points meet whatever country each report
--        was put in;
--   area (4 shifted grids of merge_area_cell_degrees): every located report, by date then
--        sub-event type - a region-level report meets the towns around it, across borders too;
--   country: every report of a country, by date then sub-event type - reports with only the
--        country (or no coordinates) meet that country's reports.
-- The area and country passes keep only pairs with a region- or country-level side.
-- Blocks never mix type groups (seeds/sub_event_type_families.csv): violence, demonstrations
-- and strategic developments.
--
-- Score = type x date x place, minus a penalty when both blame different named non-state groups
-- (unless one's perpetrator appears in the other report, or they are parent and branch). Fatality
-- figures do not score (tolls evolve) except to tell apart reports naming different nearby towns;
-- their gap also breaks ties between equal candidates. dbt_project/README.md states the rules.
--
-- Incremental: a daily build recomputes only the pairs that a changed report's date lies between,
-- from the reports dated within merge_max_date_tolerance_days of a changed date (the pre-hook drops
-- the stored ones first; the post-hook remembers which reports the pairs were built from, in
-- int_mention_pairs_scored_reports); macros/incremental_merge.sql says why that is exact.
{{ config(
    materialized='incremental',
    incremental_strategy='append',
    on_schema_change='fail',
    pre_hook="{{ delete_pairs_near_changes() }}",
    post_hook="{{ remember_pairs_reports() }}",
) }}
{#- only the columns pairing reads: the CTE is read several times, and DuckDB may hold it whole -#}
{%- set pairing_columns = [
    'event_mention_id', 'article_id', 'arrival_key', 'event_type', 'sub_event_type', 'sub_event_family',
    'type_group', 'event_date', 'date_precision', 'event_date_is_fallback', 'date_tolerance_days',
    'place_precision', 'location_key', 'evidence_key', 'admin1', 'country_iso2', 'latitude', 'longitude',
    'fatalities', 'non_state_perpetrator_ids', 'related_actor_ids',
] -%}
with

{% if is_incremental() %}
changed_dates as (
    {{ merge_changed_dates(merge_previous_pairs_reports()) }}
),

dates_in_reach as (
    {{ merge_dates_near('select event_date from changed_dates', merge_max_date_days()) }}
),

mentions as (
    select {{ pairing_columns | join(', ') }}
    from {{ ref('int_event_mentions_current') }}
    semi join dates_in_reach using (event_date)
),
{% else %}
mentions as (
    select {{ pairing_columns | join(', ') }}
    from {{ ref('int_event_mentions_current') }}
),
{% endif %}

-- keyed on both types at once, so the planner can only join it once a pair's two reports are
-- known (joined on each type separately it may pair every report with every compatible one first)
compatibility as (
    select
        event_type || '|' || compatible_event_type as type_pair,
        type_score
    from {{ ref('event_type_compatibility') }}
),

grid_shifts as (
    select * from (values (0, 0, 0), (1, 1, 0), (2, 0, 1), (3, 1, 1)) as shifts(grid, lat_half_cells, lon_half_cells)
),

-- Blocking works on numbers (a report's rank in arrival order, hashed block keys) rather than long
-- text keys, which keeps the millions of rows per pass small; the mention ids come back once the
-- pairs are known.
ranked as (
    select
        event_mention_id,
        row_number() over (order by arrival_key) as arrival_rank,
        hash(article_id) as article_hash,
        type_group,
        place_precision,
        place_precision in ('region', 'country') as is_vague,
        latitude,
        longitude,
        country_iso2,
        event_date,
        sub_event_family,
        sub_event_type
    from mentions
),

-- One row per report and blocking pass (0 near, 1 area, 2 country): the block it falls in and the
-- order within the block. Within a near block, a band of latitude (~11 km), then the family, then
-- the sub-type sort together: many reports at one city's point would otherwise keep two reports of
-- its bombing more than a window apart behind the day's clashes there. The area and country
-- passes sort by date then sub-event type.
blocking_keys as (
    select
        ranked.arrival_rank,
        ranked.article_hash,
        0 as pass,
        false as is_vague,
        hash('near', grid_shifts.grid, ranked.type_group,
            cast(floor(ranked.latitude / {{ var('merge_block_cell_degrees') }} + grid_shifts.lat_half_cells / 2) as bigint),
            cast(floor(ranked.longitude / {{ var('merge_block_cell_degrees') }} + grid_shifts.lon_half_cells / 2) as bigint)
        ) as block_key,
        ranked.event_date,
        cast(floor((ranked.latitude + 90) * 10) as integer) as latitude_band,
        ranked.sub_event_family,
        ranked.sub_event_type,
        ranked.latitude as sort_latitude
    from ranked
    cross join grid_shifts
    where ranked.place_precision in ('town', 'near town')
    union all
    select
        ranked.arrival_rank,
        ranked.article_hash,
        1 as pass,
        ranked.is_vague,
        hash('area', grid_shifts.grid, ranked.type_group,
            cast(floor(ranked.latitude / {{ var('merge_area_cell_degrees') }} + grid_shifts.lat_half_cells / 2) as bigint),
            cast(floor(ranked.longitude / {{ var('merge_area_cell_degrees') }} + grid_shifts.lon_half_cells / 2) as bigint)
        ) as block_key,
        ranked.event_date,
        0 as latitude_band,
        '' as sub_event_family,
        ranked.sub_event_type,
        0 as sort_latitude
    from ranked
    cross join grid_shifts
    where ranked.latitude is not null and ranked.longitude is not null
    union all
    select
        arrival_rank,
        article_hash,
        2 as pass,
        is_vague,
        hash('country', type_group, country_iso2) as block_key,
        event_date,
        0 as latitude_band,
        '' as sub_event_family,
        sub_event_type,
        0 as sort_latitude
    from ranked
    where country_iso2 is not null
),

positioned as (
    select
        arrival_rank,
        article_hash,
        pass,
        is_vague,
        block_key,
        row_number() over (
            partition by block_key
            order by event_date, latitude_band, sub_event_family, sub_event_type, sort_latitude, arrival_rank
        ) as block_position
    from blocking_keys
),

-- each report meets the next merge_block_window reports of each of its blocks: the position it
-- looks for is a column, so the join hashes on (block, position) and emits at most passes x window
-- rows per report (a condition on "position + step" would be applied after a block-wide join)
probes as (
    select
        positioned.arrival_rank,
        positioned.article_hash,
        positioned.pass,
        positioned.is_vague,
        positioned.block_key,
        positioned.block_position + steps.step as following_position
    from positioned
    cross join range(1, {{ var('merge_block_window') }} + 1) as steps(step)
),

neighbours as (
    select
        greatest(probes.arrival_rank, following.arrival_rank) as later_rank,
        least(probes.arrival_rank, following.arrival_rank) as earlier_rank
    from probes
    inner join positioned as following
        on probes.block_key = following.block_key
        and probes.following_position = following.block_position
    -- an article's own incidents are distinct by definition (filtered here, on the few neighbour
    -- rows: as a condition between the two reports below, the planner may join all reports first);
    -- the area and country passes are for region- and country-level reports: two town reports
    -- close enough to match already met in a near pass
    where probes.article_hash <> following.article_hash
        and (probes.pass = 0 or probes.is_vague or following.is_vague)
),

candidate_pairs as (
    select
        later.event_mention_id,
        earlier.event_mention_id as candidate_mention_id
    from (select distinct later_rank, earlier_rank from neighbours) as pairs
    inner join ranked as later
        on pairs.later_rank = later.arrival_rank
    inner join ranked as earlier
        on pairs.earlier_rank = earlier.arrival_rank
),

compared as (
    select
        later.event_mention_id,
        earlier.event_mention_id as candidate_mention_id,
        earlier.arrival_key as candidate_arrival_key,
        later.event_date as later_event_date,
        earlier.event_date as candidate_event_date,
        abs(date_diff('day', earlier.event_date, later.event_date)) as days_apart,
        case
            when later.latitude is not null and earlier.latitude is not null
                then {{ haversine_km('later.latitude', 'later.longitude', 'earlier.latitude', 'earlier.longitude') }}
        end as distance_km,
        -- graded by family: the same sub-event type 1, the same family of sub-types (armed
        -- assault, remote strike, explosive device, demonstration ...) 0.8, then the seed's score
        -- for the two event types (same type 0.6, compatible types 0.3-0.5); two reports blaming
        -- the same named armed group add 0.1 (outlets coding one attack as a clash and as a
        -- bombing can then meet, when place and day agree)
        least(1.0,
            case
                when later.sub_event_type = earlier.sub_event_type then 1.0
                when later.sub_event_family = earlier.sub_event_family then 0.8
                else compatibility.type_score
            end
            + case
                when len(list_intersect(later.non_state_perpetrator_ids, earlier.non_state_perpetrator_ids)) > 0
                    then 0.1
                else 0.0
            end
        ) as type_score,
        case
            when later.event_date = earlier.event_date then 1.0
            -- one day apart: often the same incident with a date resolved a day off (late night,
            -- "yesterday" in a next-day story); with two precise dates only a perfect type and
            -- place match clears the threshold
            when abs(date_diff('day', earlier.event_date, later.event_date)) = 1
                then case
                    when later.date_precision = 'day' and earlier.date_precision = 'day'
                        and not later.event_date_is_fallback and not earlier.event_date_is_fallback
                        then 0.55
                    else 0.6
                end
            when abs(date_diff('day', earlier.event_date, later.event_date))
                <= greatest(later.date_tolerance_days, earlier.date_tolerance_days)
                then 0.4
            else 0.0
        end as date_score,
        later.location_key = earlier.location_key as same_place_name,
        -- the coarser of the two placements decides how the places can be compared
        case
            when 'country' in (later.place_precision, earlier.place_precision) then 'country'
            when 'region' in (later.place_precision, earlier.place_precision) then 'region'
            else 'town'
        end as coarsest_place,
        -- how far each located report may be from the event: the town itself, or near it
        (case when later.place_precision = 'near town' then {{ var('merge_near_town_km') }} else 0 end)
            + (case when earlier.place_precision = 'near town' then {{ var('merge_near_town_km') }} else 0 end)
            as place_slack_km,
        coalesce(later.country_iso2 = earlier.country_iso2, false) as same_country,
        -- one report's own text names the town the other is placed at: the extractor picked
        -- another town of the same story (a reference town, "45 km south of the capital")
        coalesce(
            contains(' ' || later.evidence_key || ' ', ' ' || earlier.location_key || ' ')
                or contains(' ' || earlier.evidence_key || ' ', ' ' || later.location_key || ' '),
            false
        ) as names_other_town,
        lower(later.admin1) = lower(earlier.admin1) as same_admin1,
        -- Different named non-state groups blamed: likely two incidents. Extracted roles are often
        -- swapped, so a perpetrator that the other report names in any role, or that is a parent or
        -- branch of an actor there, is no conflict (int_event_mentions_current builds the lists).
        len(later.non_state_perpetrator_ids) > 0
            and len(earlier.non_state_perpetrator_ids) > 0
            and len(list_intersect(later.non_state_perpetrator_ids, earlier.related_actor_ids)) = 0
            and len(list_intersect(earlier.non_state_perpetrator_ids, later.related_actor_ids)) = 0
            as perpetrators_conflict,
        case
            when later.fatalities is not null and earlier.fatalities is not null
                then abs(later.fatalities - earlier.fatalities) / greatest(later.fatalities, earlier.fatalities, 1)
        end as fatalities_gap,
        coalesce(later.fatalities > 0 and earlier.fatalities > 0, false) as both_report_deaths
    from candidate_pairs
    inner join mentions as later
        on candidate_pairs.event_mention_id = later.event_mention_id
    inner join mentions as earlier
        on candidate_pairs.candidate_mention_id = earlier.event_mention_id
    inner join compatibility
        on later.event_type || '|' || earlier.event_type = compatibility.type_pair
),

scored as (
    select
        *,
        case
            -- two reports placed only in a country (or a region) by the same name say little
            when same_place_name and coarsest_place = 'town' then 1.0
            when same_place_name and coarsest_place = 'region' then 0.7
            when coarsest_place = 'town' and distance_km <= 10 then 0.9
            -- "near <town>": as far from the named town as both reports' slack allows
            when coarsest_place = 'town' and distance_km <= 10 + place_slack_km then 0.6
            -- two different towns close together: one incident only when the tolls agree
            when coarsest_place = 'town' and distance_km <= {{ var('merge_max_distance_km') }}
                and both_report_deaths and fatalities_gap <= 0.2 then 0.6
            -- ... or when one report's text names the other's town
            when coarsest_place = 'town' and names_other_town
                and distance_km <= {{ var('merge_region_km') }} then 0.6
            when coarsest_place = 'town' then 0.0
            -- a region-level report: its own region, or a point near it across a region border
            when coarsest_place = 'region' and same_admin1 then 0.6
            when coarsest_place = 'region' and distance_km <= {{ var('merge_region_km') }} then 0.5
            when coarsest_place = 'region' then 0.0
            -- a country-level report: anywhere in its country
            when same_country then 0.5
            else 0.0
        end as place_score
    from compared
)

select
    event_mention_id,
    candidate_mention_id,
    candidate_arrival_key,
    later_event_date,
    candidate_event_date,
    days_apart,
    distance_km,
    type_score,
    date_score,
    place_score,
    perpetrators_conflict,
    names_other_town,
    fatalities_gap,
    type_score * date_score * place_score
        - case when perpetrators_conflict then 0.4 else 0.0 end as match_score
from scored
where type_score * date_score * place_score > 0
{% if is_incremental() %}
    -- the pairs the pre-hook dropped: a changed date lies between the two reports' dates
    and exists (
        select 1
        from changed_dates
        where changed_dates.event_date between least(later_event_date, candidate_event_date)
            and greatest(later_event_date, candidate_event_date)
    )
{% endif %}
