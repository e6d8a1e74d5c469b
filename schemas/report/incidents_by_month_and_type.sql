-- Incidents per month and type, in the report's scope; only dates known to the month.
with dated as (
    select strftime(event_date, '%Y-%m') as month, event_type
    from scope
    where event_date is not null and date_precision in ('day', 'week', 'month')
),

final as (
    select month, event_type, count(*) as incidents
    from dated
    group by all
    order by month, event_type
)

select * from final
