with

source as (
    select * from {{ source('newsevents', 'event_mentions') }}
),

renamed as (
    select
        event_mention_id,
        article_id,
        source_id,
        partition_date,
        extractor_version,
        event_index,
        event_type,
        sub_event_type,
        event_date,
        date_precision,
        date_is_fallback,
        nullif(trim(location), '') as location,
        nullif(trim(admin1), '') as admin1,
        nullif(trim(admin2), '') as admin2,
        nullif(trim(country), '') as country,
        upper(nullif(trim(country_iso2), '')) as country_iso2,
        latitude,
        longitude,
        geo_precision,
        fatalities,
        injured,
        weapon,
        civilian_targeting,
        confidence,
        evidence_text,
        evidence_offsets,
        extracted_at
    from source
)

select * from renamed
