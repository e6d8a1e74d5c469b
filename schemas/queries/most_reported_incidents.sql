-- The incidents most outlets reported, with the range of tolls they gave.
with final as (
    select
        incident_id, event_date, event_type, acled_sub_event_type, location_name,
        country_iso3, actor1_name, fatalities, fatalities_min, fatalities_max,
        num_sources, num_articles, num_mentions, first_seen, last_seen
    from incidents
    order by num_sources desc, num_articles desc, event_date desc
    limit 20
)

select * from final
