-- Asserted event mentions per month, type and country, with fatalities (mentions,
-- not incidents: incidents_per_month counts each real-world event once). Only mentions
-- whose date is known to the month (date_precision day, week or month).
with asserted as (
    select date_trunc('month', event_date)::date as month, event_type, country_iso3, fatalities
    from events
    where modality = 'asserted' and event_date is not null
      and date_precision in ('day', 'week', 'month')
),

final as (
    select month, event_type, country_iso3, count(*) as mentions, sum(fatalities) as fatalities
    from asserted
    group by all
    order by month, event_type, country_iso3
)

select * from final
