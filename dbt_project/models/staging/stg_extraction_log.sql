with

source as (
    select * from {{ source('newsevents', 'extraction_log') }}
),

renamed as (
    select
        article_id,
        extractor_version,
        partition_date,
        n_events,
        extracted_at
    from source
)

select * from renamed
