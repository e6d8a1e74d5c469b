-- Real-world incidents per month of their best-estimate date, by type and country,
-- with best-estimate fatalities (incidents, not mentions).
with dated as (
    select date_trunc('month', event_date) as month, event_type, country_iso3, fatalities
    from incidents
    where event_date is not null
),

final as (
    select month, event_type, country_iso3, count(*) as incidents, sum(fatalities) as fatalities
    from dated
    group by all
    order by month, event_type, country_iso3
)

select * from final
