-- One row per real-world incident, merged from every report of it (int_event_mentions_clustered).
with

reports as (
    select * from {{ ref('int_event_mentions_clustered') }}
),

actors as (
    select * from {{ ref('int_actor_mentions_resolved') }}
),

countries as (
    select * from {{ ref('stg_countries') }}
),

taxonomy as (
    select * from {{ ref('stg_taxonomy') }}
),

sources as (
    select * from {{ ref('stg_sources') }}
),

-- Type (weighted vote, every sub-type reported), date and tolls (int_incident_attributes).
attributes as (
    select * from {{ ref('int_incident_attributes') }}
),

-- The most precise location; among equals the one most reports name, then the most confident.
locations as (
    select
        incident_id,
        location,
        location_key,
        admin1,
        admin2,
        country_iso2,
        latitude,
        longitude,
        geo_precision
    from (
        select
            *,
            count(*) over (partition by incident_id, location_key) as n_same_place
        from reports
    )
    qualify row_number() over (
        partition by incident_id
        order by
            coalesce(geo_precision, 9),
            (latitude is null),
            n_same_place desc,
            confidence desc,
            arrival_key
    ) = 1
),

-- The weapon most reports name (weighted by confidence); the first report breaks ties.
weapons as (
    select
        incident_id,
        weapon
    from (
        select
            incident_id,
            weapon,
            sum(cast(confidence as decimal(18, 6))) as weight,   -- exact: independent of row order
            min(arrival_key) as first_arrival_key
        from reports
        where weapon is not null
        group by all
    )
    qualify row_number() over (
        partition by incident_id order by weight desc, first_arrival_key
    ) = 1
),

-- The most named actor on each side (full lists are in bridge_incident_actors).
main_actors as (
    select
        incident_id,
        max(actor_name) filter (where role = 'perpetrator' and side_rank = 1) as perpetrator,
        max(actor_name) filter (where role = 'target' and side_rank = 1) as target
    from (
        select
            reports.incident_id,
            actors.role,
            actors.actor_name,
            row_number() over (
                partition by reports.incident_id, actors.role
                order by count(*) desc, bool_or(actors.is_generic), actors.actor_name
            ) as side_rank
        from reports
        inner join actors
            on reports.event_mention_id = actors.event_mention_id
        group by reports.incident_id, actors.role, actors.actor_name
    )
    group by incident_id
),

-- Each source counts once towards confidence: its most confident report.
source_confidence as (
    select
        incident_id,
        source_id,
        max(confidence) as confidence
    from reports
    group by all
),

corroboration as (
    select
        incident_id,
        -- 1 - product of (1 - confidence) over sources: independent reports corroborate
        1 - exp(sum(ln(1 - least(greatest(confidence, 0.0), 0.99)))) as confidence
    from source_confidence
    group by incident_id
),

aggregated as (
    select
        incident_id,
        count(distinct article_id) as n_articles,
        count(distinct source_id) as n_sources,
        count(*) as n_reports,
        min(reported_at) as first_reported_at,
        max(reported_at) as last_reported_at,
        arg_min(source_id, arrival_key) as first_source_id,
        arg_min(url, arrival_key) as first_report_url,
        arg_min(title, arrival_key) as headline,
        arg_max(injured, arrival_key) filter (where injured is not null) as injured,
        avg(case when civilian_targeting then 1.0 else 0.0 end) >= 0.5 as civilian_targeting
    from reports
    group by incident_id
),

joined as (
    select
        aggregated.incident_id,
        attributes.event_type,
        attributes.sub_event_type,
        taxonomy.cameo_root,
        taxonomy.plover_root,
        -- the incident cannot have happened after it was first reported
        least(attributes.event_date, cast(aggregated.first_reported_at as date)) as event_date,
        attributes.date_precision,
        locations.location,
        locations.admin1,
        locations.admin2,
        locations.country_iso2,
        countries.country_name as country,
        locations.latitude,
        locations.longitude,
        locations.geo_precision,
        {{ surrogate_key(['locations.country_iso2', 'locations.admin1', 'locations.location_key']) }} as location_id,
        attributes.fatalities_best,
        attributes.fatalities_low,
        attributes.fatalities_high,
        aggregated.injured,
        aggregated.civilian_targeting,
        weapons.weapon,
        main_actors.perpetrator,
        main_actors.target,
        aggregated.n_articles,
        aggregated.n_sources,
        aggregated.n_reports,
        aggregated.first_reported_at,
        aggregated.last_reported_at,
        aggregated.first_source_id,
        sources.source_name as first_source_name,
        aggregated.first_report_url,
        aggregated.headline,
        corroboration.confidence,
        attributes.sub_event_types_reported,
        attributes.fatalities_claimed
    from aggregated
    inner join attributes on aggregated.incident_id = attributes.incident_id
    inner join locations on aggregated.incident_id = locations.incident_id
    inner join corroboration on aggregated.incident_id = corroboration.incident_id
    left join main_actors on aggregated.incident_id = main_actors.incident_id
    left join weapons on aggregated.incident_id = weapons.incident_id
    left join taxonomy on attributes.sub_event_type = taxonomy.sub_event_type
    left join sources on aggregated.first_source_id = sources.source_id
    left join countries on locations.country_iso2 = countries.country_iso2
)

select
    cast(incident_id as varchar) as incident_id,
    cast(event_type as varchar) as event_type,
    cast(sub_event_type as varchar) as sub_event_type,
    cast(cameo_root as varchar) as cameo_root,
    cast(plover_root as varchar) as plover_root,
    cast(event_date as date) as event_date,
    cast(date_precision as varchar) as date_precision,
    cast(location as varchar) as location,
    cast(admin1 as varchar) as admin1,
    cast(admin2 as varchar) as admin2,
    cast(country_iso2 as varchar) as country_iso2,
    cast(country as varchar) as country,
    cast(latitude as double) as latitude,
    cast(longitude as double) as longitude,
    cast(geo_precision as integer) as geo_precision,
    cast(location_id as varchar) as location_id,
    cast(fatalities_best as integer) as fatalities_best,
    cast(fatalities_low as integer) as fatalities_low,
    cast(fatalities_high as integer) as fatalities_high,
    cast(injured as integer) as injured,
    cast(civilian_targeting as boolean) as civilian_targeting,
    cast(weapon as varchar) as weapon,
    cast(perpetrator as varchar) as perpetrator,
    cast(target as varchar) as target,
    cast(n_articles as integer) as n_articles,
    cast(n_sources as integer) as n_sources,
    cast(n_reports as integer) as n_reports,
    cast(first_reported_at as timestamp) as first_reported_at,
    cast(last_reported_at as timestamp) as last_reported_at,
    cast(first_source_id as varchar) as first_source_id,
    cast(first_source_name as varchar) as first_source_name,
    cast(first_report_url as varchar) as first_report_url,
    cast(headline as varchar) as headline,
    cast(
        sub_event_type
        || coalesce(' by ' || perpetrator, '')
        || coalesce(' against ' || target, '')
        || ' in ' || coalesce(location || ', ', '') || coalesce(country, country_iso2, 'an unknown country')
        || ' on ' || strftime(event_date, '%-d %B %Y')
        || case
            when fatalities_best is null then ', no fatality figure reported'
            when fatalities_low = fatalities_high then ', ' || fatalities_best || ' killed'
            else ', ' || fatalities_best || ' killed (reports: ' || fatalities_low || '-' || fatalities_high || ')'
        end
        || ', reported in ' || n_articles || (case when n_articles = 1 then ' article' else ' articles' end)
        || ' from ' || n_sources || (case when n_sources = 1 then ' source.' else ' sources.' end)
        as varchar
    ) as summary,
    cast(round(confidence, 4) as double) as confidence,
    cast(sub_event_types_reported as varchar[]) as sub_event_types_reported,
    cast(fatalities_claimed as integer) as fatalities_claimed
from joined
