-- The raw HTML (html_gz) stays in the source table: nothing downstream needs it.
with

source as (
    select * from {{ source('newsevents', 'pages') }}
),

renamed as (
    select
        page_id,
        source_id,
        page_kind,
        url,
        final_url,
        canonical_url,
        content_hash,
        http_status,
        fetched_at,
        partition_date,
        run_id,
        bytes
    from source
)

select * from renamed
