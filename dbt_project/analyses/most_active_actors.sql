-- Most active named actors (generic ones, e.g. "Unidentified armed group (Iraq)", left out).
select
    actor_name,
    actor_type,
    country_iso2,
    n_incidents,
    first_seen,
    last_seen,
    aliases
from dim_actors
where not is_generic
order by n_incidents desc, actor_name
limit 20
