-- Generic actor labels (transforms/data/generic_actors.csv: pattern, name, actor_type, note). Labels
-- with a {country} placeholder ("Military forces of {country}") already name their country.
{{ config(materialized='table') }}

with

source as (
    select * from read_csv('{{ data_file("generic_actors.csv") }}', header = true, all_varchar = true)
),

renamed as (
    select distinct
        trim(name) as actor_label,
        trim(actor_type) as actor_type
    from source
    where name not like '%{country}%'
)

select * from renamed
