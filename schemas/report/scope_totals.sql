-- Totals of the report's scope.
with final as (
    select count(*) as incidents,
           count(*) filter (where date_precision not in ('day', 'week', 'month')
                            or date_precision is null) as not_dated_to_month,
           coalesce(sum(num_mentions), 0) as mentions,
           coalesce(sum(fatalities), 0) as fatalities,
           count(distinct country_iso3) as countries,
           min(event_date) as first_date, max(event_date) as last_date
    from scope
)

select * from final
