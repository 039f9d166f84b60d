-- The actor dictionary (transforms/data/actors.csv: name, actor_type, country_iso2, aliases with '|'),
-- one row per alias, the canonical name included,
-- so any spelling the extractor let through can be looked up case-insensitively.
{{ config(materialized='table') }}

with

source as (
    select * from read_csv('{{ data_file("actors.csv") }}', header = true, all_varchar = true)
),

renamed as (
    select
        trim(name) as canonical_name,
        trim(actor_type) as actor_type,
        upper(nullif(trim(country_iso2), '')) as country_iso2,
        -- aliases are '|'-separated (';' accepted too)
        list_filter(
            list_transform(string_split_regex(coalesce(aliases, ''), '[|;]'), alias -> trim(alias)),
            alias -> alias <> ''
        ) as aliases
    from source
    where nullif(trim(name), '') is not null
),

aliases as (
    select
        canonical_name,
        actor_type,
        country_iso2,
        unnest(list_prepend(canonical_name, aliases)) as alias
    from renamed
)

select distinct
    canonical_name,
    actor_type,
    country_iso2,
    alias,
    lower(alias) as alias_key
from aliases
