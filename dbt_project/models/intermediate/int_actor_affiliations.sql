-- Which dictionary actors belong to a larger named group, for merging: reports blaming an affiliate
-- and its parent ("Islamic State West Africa Province" / "Islamic State") do not conflict.
-- The actor dictionary has no parent column, so affiliation is read from the naming convention it
-- follows: a canonical name that extends another canonical name by whole words names a branch of
-- it ("Al-Qaeda in the Arabian Peninsula" -> "Al-Qaeda"). Nothing is guessed for other names.
with

canonical_actors as (
    select distinct canonical_name
    from {{ ref('stg_actor_dictionary') }}
)

select
    {{ surrogate_key(['branches.canonical_name']) }} as actor_id,
    branches.canonical_name as actor_name,
    {{ surrogate_key(['parents.canonical_name']) }} as parent_actor_id,
    parents.canonical_name as parent_actor_name
from canonical_actors as branches
inner join canonical_actors as parents
    on starts_with(lower(branches.canonical_name), lower(parents.canonical_name) || ' ')
