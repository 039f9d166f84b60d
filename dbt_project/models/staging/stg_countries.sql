-- Country names and numeric codes by ISO 3166-1 alpha-2 code (transforms/data/countries.csv).
{{ config(materialized='table') }}

with

source as (
    select * from read_csv('{{ data_file("countries.csv") }}', header = true, all_varchar = true)
),

renamed as (
    select
        upper(trim(country_iso2)) as country_iso2,
        trim(name) as country_name,
        cast(nullif(trim(iso_numeric), '') as integer) as iso_numeric
    from source
)

select * from renamed
