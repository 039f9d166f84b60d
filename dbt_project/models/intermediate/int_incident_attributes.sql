-- What the merged reports of each incident say about its type, date and toll, one row per incident
-- (fct_incidents takes these; the rules are in dbt_project/README.md).
with

reports as (
    select * from {{ ref('int_event_mentions_clustered') }}
),

-- Type by vote weighted by extractor confidence: first the event type (all its sub-types' votes
-- count: two outlets calling a raid a clash and a takeover outvote one calling it a bombing), then
-- the sub-type within it; the first report breaks ties. Every sub-type reported stays visible,
-- heaviest first.
type_votes as (
    select
        incident_id,
        event_type,
        sub_event_type,
        -- exact sums (decimal): a float sum depends on the order rows arrive in, and a near tie
        -- could then flip between two builds of the same reports
        sum(cast(confidence as decimal(18, 6))) as weight,
        sum(sum(cast(confidence as decimal(18, 6)))) over (partition by incident_id, event_type) as event_type_weight,
        min(arrival_key) as first_arrival_key,
        min(min(arrival_key)) over (partition by incident_id, event_type) as event_type_first_arrival_key
    from reports
    group by incident_id, event_type, sub_event_type
),

event_types as (
    select
        incident_id,
        arg_min(event_type, (-event_type_weight, event_type_first_arrival_key, -weight, first_arrival_key)) as event_type,
        arg_min(sub_event_type, (-event_type_weight, event_type_first_arrival_key, -weight, first_arrival_key)) as sub_event_type,
        list(sub_event_type order by weight desc, first_arrival_key) as sub_event_types_reported
    from type_votes
    group by incident_id
),

-- The earliest date among reports that give a precise day (a later report's "yesterday" can only
-- drift later); without one, the most precise date most reports agree on.
dated_reports as (
    select
        incident_id,
        event_date,
        case when event_date_is_fallback then 'unknown' else date_precision end as date_precision,
        case
            when event_date_is_fallback then 4
            when date_precision = 'day' then 1
            when date_precision = 'week' then 2
            when date_precision = 'month' then 3
            else 4
        end as precision_rank
    from reports
),

event_dates as (
    select
        incident_id,
        event_date,
        date_precision
    from (
        select
            incident_id,
            event_date,
            date_precision,
            precision_rank,
            count(*) as n_reports
        from dated_reports
        group by all
    )
    qualify row_number() over (
        partition by incident_id
        order by
            precision_rank,
            -- day-precise: the earliest; coarser: the one most reports give
            case when precision_rank = 1 then 0 else -n_reports end,
            event_date
    ) = 1
),

-- Tolls: a perpetrator's own claim is never the estimate (kept apart as fatalities_claimed); of the
-- other figures the latest published is the best (tolls firm up), low and high bound them all.
fatalities as (
    select
        incident_id,
        arg_max(fatalities, (reported_at, arrival_key)) filter (
            where fatalities is not null and not fatalities_is_claim
        ) as fatalities_best,
        min(fatalities) filter (where not fatalities_is_claim) as fatalities_low,
        max(fatalities) filter (where not fatalities_is_claim) as fatalities_high,
        max(fatalities) filter (where fatalities_is_claim) as fatalities_claimed
    from reports
    group by incident_id
)

select
    event_types.incident_id,
    event_types.event_type,
    event_types.sub_event_type,
    event_types.sub_event_types_reported,
    event_dates.event_date,
    event_dates.date_precision,
    fatalities.fatalities_best,
    fatalities.fatalities_low,
    fatalities.fatalities_high,
    fatalities.fatalities_claimed
from event_types
inner join event_dates
    on event_types.incident_id = event_dates.incident_id
inner join fatalities
    on event_types.incident_id = fatalities.incident_id
