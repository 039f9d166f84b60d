with

source as (
    select * from {{ source('newsevents', 'articles') }}
),

renamed as (
    select
        article_id,
        page_id,
        source_id,
        url,
        canonical_url,
        title,
        authors,
        published_at,
        published_at_source,
        language,
        text,
        n_chars,
        fetched_at,
        partition_date,
        parser_version,
        parsed_at
    from source
)

select * from renamed
