-- fct_incidents in ACLED's column names and conventions, so queries and dashboards written for
-- ACLED's export run on this warehouse unchanged (one row per incident).
with

incidents as (
    select * from {{ ref('fct_incidents') }}
),

incident_actors as (
    select * from {{ ref('bridge_incident_actors') }}
),

actors as (
    select * from {{ ref('dim_actors') }}
),

reports as (
    select * from {{ ref('fct_incident_reports') }}
),

sources as (
    select * from {{ ref('dim_sources') }}
),

taxonomy as (
    select * from {{ ref('stg_taxonomy') }}
),

countries as (
    select * from {{ ref('stg_countries') }}
),

-- Actors beside the main one of each side: other perpetrators (and associated actors) on side 1,
-- other targets on side 2, most reported first.
associated_actors as (
    select
        incident_actors.incident_id,
        string_agg(actors.actor_name, '; ' order by incident_actors.n_reports desc, actors.actor_name)
            filter (where incident_actors.role in ('perpetrator', 'associated')
                and actors.actor_name is distinct from incidents.perpetrator) as assoc_actor_1,
        string_agg(actors.actor_name, '; ' order by incident_actors.n_reports desc, actors.actor_name)
            filter (where incident_actors.role = 'target'
                and actors.actor_name is distinct from incidents.target) as assoc_actor_2
    from incident_actors
    inner join actors
        on incident_actors.actor_id = actors.actor_id
    inner join incidents
        on incident_actors.incident_id = incidents.incident_id
    group by incident_actors.incident_id
),

-- ACLED's `source`: the outlets that reported the event, '; '-separated.
incident_sources as (
    select
        reports.incident_id,
        string_agg(distinct coalesce(sources.source_name, reports.source_id), '; ') as source
    from reports
    left join sources
        on reports.source_id = sources.source_id
    group by reports.incident_id
),

joined as (
    select
        incidents.*,
        taxonomy.disorder_type,
        countries.iso_numeric,
        associated_actors.assoc_actor_1,
        associated_actors.assoc_actor_2,
        -- A state's forces acting outside their own country are external forces (ACLED's 8), as
        -- the extractor codes them (transforms/extract/actors.py coded_type).
        case
            when actor_1.actor_type = 'State forces' and actor_1.country_iso2 <> incidents.country_iso2 then 8
            else actor_1.inter_code
        end as inter1,
        case
            when actor_2.actor_type = 'State forces' and actor_2.country_iso2 <> incidents.country_iso2 then 8
            else actor_2.inter_code
        end as inter2,
        incident_sources.source
    from incidents
    left join taxonomy
        on incidents.sub_event_type = taxonomy.sub_event_type
    left join countries
        on incidents.country_iso2 = countries.country_iso2
    left join associated_actors
        on incidents.incident_id = associated_actors.incident_id
    left join actors as actor_1
        on incidents.perpetrator = actor_1.actor_name
    left join actors as actor_2
        on incidents.target = actor_2.actor_name
    left join incident_sources
        on incidents.incident_id = incident_sources.incident_id
)

select
    cast(incident_id as varchar) as event_id,
    cast(event_date as date) as event_date,
    cast(year(event_date) as integer) as year,
    -- ACLED: 1 the day is known, 2 the week, 3 only the month or less
    cast(case date_precision when 'day' then 1 when 'week' then 2 else 3 end as integer) as time_precision,
    cast(disorder_type as varchar) as disorder_type,
    cast(event_type as varchar) as event_type,
    cast(sub_event_type as varchar) as sub_event_type,
    cast(perpetrator as varchar) as actor1,
    cast(assoc_actor_1 as varchar) as assoc_actor_1,
    cast(inter1 as integer) as inter1,
    cast(target as varchar) as actor2,
    cast(assoc_actor_2 as varchar) as assoc_actor_2,
    cast(inter2 as integer) as inter2,
    -- ACLED: the two inter codes, lower first (17 = state forces vs civilians); 10 x inter1 alone
    cast(
        case
            when inter1 is not null and inter2 is not null then 10 * least(inter1, inter2) + greatest(inter1, inter2)
            else 10 * coalesce(inter1, inter2)
        end as integer
    ) as interaction,
    cast(iso_numeric as integer) as iso,
    cast(country as varchar) as country,
    cast(admin1 as varchar) as admin1,
    cast(null as varchar) as admin2,
    cast(location as varchar) as location,
    cast(latitude as double) as latitude,
    cast(longitude as double) as longitude,
    cast(geo_precision as integer) as geo_precision,
    cast(source as varchar) as source,
    cast(summary as varchar) as notes,
    -- ACLED codes "no figure reported" as 0; fct_incidents keeps it null
    cast(coalesce(fatalities_best, 0) as integer) as fatalities
from joined
