with

source as (
    select * from {{ source('newsevents', 'actor_mentions') }}
),

renamed as (
    select
        actor_mention_id,
        event_mention_id,
        article_id,
        extractor_version,
        role,
        trim(surface_text) as surface_text,
        trim(actor_name) as actor_name,
        actor_type,
        upper(nullif(trim(country_iso2), '')) as country_iso2
    from source
)

select * from renamed
