-- Regional affiliates of a parent group (transforms/data/actor_affiliates.csv: parent, affiliate,
-- countries '|'-separated, note), both named as in the actor dictionary. The countries say where
-- the extractor reads the bare parent name as that affiliate.
{{ config(materialized='table') }}

with

source as (
    select * from read_csv('{{ data_file("actor_affiliates.csv") }}', header = true, all_varchar = true)
),

renamed as (
    select distinct
        trim(parent) as parent_name,
        trim(affiliate) as affiliate_name,
        list_filter(
            list_transform(string_split_regex(coalesce(countries, ''), '[|;]'), country -> upper(trim(country))),
            country -> country <> ''
        ) as country_iso2s
    from source
    where nullif(trim(parent), '') is not null
        and nullif(trim(affiliate), '') is not null
)

select * from renamed
