-- Best-estimate fatalities by country and month; only dates known to the month.
with dated as (
    select coalesce(country_iso3, '(unknown)') as country_iso3,
           strftime(event_date, '%Y-%m') as month, fatalities
    from scope
    where event_date is not null and date_precision in ('day', 'week', 'month')
      and fatalities is not null
),

final as (
    select country_iso3, month, sum(fatalities) as fatalities
    from dated
    group by all
    order by country_iso3, month
)

select * from final
