with

source as (
    select * from {{ source('newsevents', 'parse_rejects') }}
),

renamed as (
    select
        page_id,
        source_id,
        url,
        partition_date,
        reason,
        detail,
        parser_version,
        parsed_at
    from source
)

select * from renamed
