with

source as (
    select * from {{ source('newsevents', 'crawl_log') }}
),

renamed as (
    select
        run_id,
        partition_date,
        source_id,
        url,
        final_url,
        canonical_url,
        page_kind,
        attempted_at,
        attempt,
        http_status,
        bytes,
        elapsed_ms,
        outcome,
        error,
        content_hash
    from source
)

select * from renamed
