-- Real-world incidents per month of their best-estimate date, by type and country,
-- with best-estimate fatalities (incidents, not mentions). Only incidents whose date
-- is known to the month (date_precision day, week or month): a date known only to the
-- year is January 1 and would swell January; incidents_not_dated_to_month lists those.
with dated as (
    select date_trunc('month', event_date)::date as month, event_type, country_iso3, fatalities
    from incidents
    where event_date is not null and date_precision in ('day', 'week', 'month')
),

final as (
    select month, event_type, country_iso3, count(*) as incidents, sum(fatalities) as fatalities
    from dated
    group by all
    order by month, event_type, country_iso3
)

select * from final
