-- The actors in most incidents, as the one who acted or as the target.
with roles as (
    select incident_id, actor1_name as actor, 'acted' as role, fatalities from scope
    where actor1_name is not null
    union all
    select incident_id, actor2_name, 'target', null from scope
    where actor2_name is not null
),

final as (
    select actor, count(distinct incident_id) as incidents,
           count(distinct incident_id) filter (where role = 'acted') as acted,
           count(distinct incident_id) filter (where role = 'target') as targeted,
           coalesce(sum(fatalities), 0) as fatalities
    from roles
    group by actor
    order by incidents desc, actor
    limit 15
)

select * from final
