-- ACLED actor types and their inter codes (transforms/data/actor_types.csv).
{{ config(materialized='table') }}

with

source as (
    select * from read_csv('{{ data_file("actor_types.csv") }}', header = true, all_varchar = true)
),

renamed as (
    select
        trim(actor_type) as actor_type,
        cast(inter_code as integer) as inter_code,
        trim(definition) as definition
    from source
)

select * from renamed
