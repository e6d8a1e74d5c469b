-- Incidents whose date is not known to the month, which the monthly queries leave out:
-- known only to the year (event_date is January 1 of it), or undated in the text
-- (date_precision published: the publication date stands in).
with undated as (
    select
        incident_id, year(event_date) as year, date_precision, event_type,
        acled_sub_event_type, location_name, country_iso3, actor1_name, fatalities,
        num_articles, first_seen
    from incidents
    where event_date is null or date_precision is null
       or date_precision not in ('day', 'week', 'month')
),

final as (
    select * from undated
    order by year, date_precision, country_iso3, incident_id
)

select * from final
