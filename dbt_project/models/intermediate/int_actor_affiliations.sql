-- Which actors belong to a larger named group, for merging: reports blaming an affiliate and its
-- parent ("Islamic State West Africa Province" / "Islamic State") do not conflict. Two sources:
--   1. transforms/data/actor_affiliates.csv (parent, affiliate). Its countries column tells the
--      extractor where a bare parent name means the affiliate; for merging a parent and its
--      affiliate never conflict, wherever the event is, so it is not used here.
--   2. the dictionary's naming convention: a canonical name that extends another canonical name by
--      whole words names a branch of it ("Al-Qaeda in the Arabian Peninsula" -> "Al-Qaeda").
-- Names in the affiliates file are looked up in the dictionary, so an alias there works too.
with

dictionary as (
    select * from {{ ref('stg_actor_dictionary') }}
),

affiliates_file as (
    select * from {{ ref('stg_actor_affiliates') }}
),

canonical_actors as (
    select distinct canonical_name
    from dictionary
),

listed as (
    select
        coalesce(affiliates.canonical_name, affiliates_file.affiliate_name) as actor_name,
        coalesce(parents.canonical_name, affiliates_file.parent_name) as parent_actor_name
    from affiliates_file
    left join (select distinct canonical_name, alias_key from dictionary) as affiliates
        on lower(affiliates_file.affiliate_name) = affiliates.alias_key
    left join (select distinct canonical_name, alias_key from dictionary) as parents
        on lower(affiliates_file.parent_name) = parents.alias_key
),

named as (
    select
        branches.canonical_name as actor_name,
        parents.canonical_name as parent_actor_name
    from canonical_actors as branches
    inner join canonical_actors as parents
        on starts_with(lower(branches.canonical_name), lower(parents.canonical_name) || ' ')
),

affiliations as (
    select actor_name, parent_actor_name from listed
    union
    select actor_name, parent_actor_name from named
)

select
    {{ surrogate_key(['actor_name']) }} as actor_id,
    actor_name,
    {{ surrogate_key(['parent_actor_name']) }} as parent_actor_id,
    parent_actor_name
from affiliations
where actor_name <> parent_actor_name
