-- The ACLED event taxonomy, read from the file the extractor uses (transforms/data/taxonomy.csv).
{{ config(materialized='table') }}

with

source as (
    select * from read_csv('{{ data_file("taxonomy.csv") }}', header = true, all_varchar = true)
),

renamed as (
    select
        trim(event_type) as event_type,
        trim(sub_event_type) as sub_event_type,
        trim(definition) as definition,
        trim(cameo_root) as cameo_root,
        trim(plover_root) as plover_root,
        trim(disorder_type) as disorder_type
    from source
)

select * from renamed
