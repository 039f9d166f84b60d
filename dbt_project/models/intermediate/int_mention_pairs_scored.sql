-- Candidate pairs (later report, earlier report) that may describe the same incident, scored.
-- Blocking keeps this about linear in the number of mentions: a pair is only considered when both
-- reports are in the same country, their date windows overlap (each mention is expanded to the
-- days of its window), their event types are compatible, and - when both are located to a town -
-- they lie in the same or a neighbouring grid cell (merge_block_cell_degrees). Reports located only
-- to a region or country are compared with the whole country-day block.
-- Score = type x date x place, minus a penalty when both blame different named non-state groups
-- (unless one's perpetrator appears in the other report, or they are parent and branch). Fatality
-- figures do not score (tolls evolve); their gap only breaks ties between equal candidates.
with

mentions as (
    select * from {{ ref('int_event_mentions_current') }}
    where country_iso2 is not null
),

compatibility as (
    select * from {{ ref('event_type_compatibility') }}
),

mention_days as (
    select
        event_mention_id,
        country_iso2,
        event_type,
        event_date + cast(day_offset as integer) as block_date,
        latitude is not null and longitude is not null and coalesce(geo_precision, 3) <= 2 as is_located,
        cast(floor(latitude / {{ var('merge_block_cell_degrees') }}) as integer) as cell_lat,
        cast(floor(longitude / {{ var('merge_block_cell_degrees') }}) as integer) as cell_lon
    from mentions,
        unnest(range(-date_tolerance_days, date_tolerance_days + 1)) as offsets(day_offset)
),

-- each located report's cell and its eight neighbours, materialised as plain columns so the
-- join below hashes on (country, day, cell) instead of filtering a country-day cross product
neighbour_cells as (
    select
        mention_days.event_mention_id,
        mention_days.country_iso2,
        mention_days.event_type,
        mention_days.block_date,
        mention_days.cell_lat + lat_offset as cell_lat,
        mention_days.cell_lon + lon_offset as cell_lon
    from mention_days,
        range(-1, 2) as lat_offsets(lat_offset),
        range(-1, 2) as lon_offsets(lon_offset)
    where mention_days.is_located
),

located_pairs as (
    select
        neighbour_cells.event_mention_id,
        neighbour_cells.event_type,
        earlier_days.event_mention_id as candidate_mention_id,
        earlier_days.event_type as candidate_event_type
    from neighbour_cells
    inner join mention_days as earlier_days
        on neighbour_cells.country_iso2 = earlier_days.country_iso2
        and neighbour_cells.block_date = earlier_days.block_date
        and neighbour_cells.cell_lat = earlier_days.cell_lat
        and neighbour_cells.cell_lon = earlier_days.cell_lon
    where earlier_days.is_located
),

-- a region- or country-level report (or one without coordinates) on either side: the
-- country-day block is the only blocking key left
coarse_pairs as (
    select
        later_days.event_mention_id,
        later_days.event_type,
        earlier_days.event_mention_id as candidate_mention_id,
        earlier_days.event_type as candidate_event_type
    from mention_days as later_days
    inner join mention_days as earlier_days
        on later_days.country_iso2 = earlier_days.country_iso2
        and later_days.block_date = earlier_days.block_date
    where not (later_days.is_located and earlier_days.is_located)
),

candidate_pairs as (
    select distinct
        blocked.event_mention_id,
        blocked.candidate_mention_id
    from (
        select * from located_pairs
        union all
        select * from coarse_pairs
    ) as blocked
    inner join compatibility
        on blocked.event_type = compatibility.event_type
        and blocked.candidate_event_type = compatibility.compatible_event_type
),

compared as (
    select
        later.event_mention_id,
        earlier.event_mention_id as candidate_mention_id,
        earlier.arrival_key as candidate_arrival_key,
        abs(date_diff('day', earlier.event_date, later.event_date)) as days_apart,
        case
            when later.latitude is not null and earlier.latitude is not null
                then {{ haversine_km('later.latitude', 'later.longitude', 'earlier.latitude', 'earlier.longitude') }}
        end as distance_km,
        case
            when later.sub_event_type = earlier.sub_event_type then 1.0
            else compatibility.type_score
        end as type_score,
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
        later.location_key = earlier.location_key as same_place,
        greatest(coalesce(later.geo_precision, 3), coalesce(earlier.geo_precision, 3)) as coarsest_geo_precision,
        later.admin1 is null or earlier.admin1 is null or lower(later.admin1) = lower(earlier.admin1) as same_admin1,
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
        end as fatalities_gap
    from candidate_pairs
    inner join mentions as later
        on candidate_pairs.event_mention_id = later.event_mention_id
    inner join mentions as earlier
        on candidate_pairs.candidate_mention_id = earlier.event_mention_id
    inner join compatibility
        on later.event_type = compatibility.event_type
        and earlier.event_type = compatibility.compatible_event_type
    -- only earlier arrivals can be joined, and an article's own incidents are distinct by definition
    where earlier.arrival_key < later.arrival_key
        and earlier.article_id <> later.article_id
),

scored as (
    select
        *,
        case
            when same_place then 1.0
            when distance_km <= 10 then 0.9
            -- a region- or country-level report may be the same incident as a town-level one
            when coarsest_geo_precision >= 3 and same_admin1 then 0.5
            when coarsest_geo_precision = 2 and distance_km <= {{ var('merge_max_distance_km') }} then 0.6
            else 0.0
        end as place_score
    from compared
)

select
    event_mention_id,
    candidate_mention_id,
    candidate_arrival_key,
    days_apart,
    distance_km,
    type_score,
    date_score,
    place_score,
    perpetrators_conflict,
    fatalities_gap,
    type_score * date_score * place_score
        - case when perpetrators_conflict then 0.3 else 0.0 end as match_score
from scored
where type_score * date_score * place_score > 0
