-- Incidents with a place on the map.
with final as (
    select incident_id, event_date, date_precision, event_type, acled_sub_event_type,
           location_name, country_iso3, latitude, longitude, geo_precision,
           coalesce(fatalities, 0) as fatalities, num_articles
    from scope
    where latitude is not null and longitude is not null
    order by fatalities desc, incident_id
)

select * from final
