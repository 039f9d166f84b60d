with

source as (
    select * from {{ source('newsevents', 'sources') }}
),

renamed as (
    select
        source_id,
        name as source_name,
        homepage,
        country_iso2,
        language,
        feeds,
        sitemaps,
        enabled,
        updated_at
    from source
)

select * from renamed
