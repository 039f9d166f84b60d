-- Incidents and fatalities by the type of actor named as perpetrator.
select
    actors.actor_type,
    count(distinct incidents.incident_id) as incidents,
    sum(incidents.fatalities_best) as fatalities
from bridge_incident_actors as bridge
inner join dim_actors as actors
    on bridge.actor_id = actors.actor_id
inner join fct_incidents as incidents
    on bridge.incident_id = incidents.incident_id
where bridge.role = 'perpetrator'
group by actors.actor_type
order by fatalities desc nulls last
