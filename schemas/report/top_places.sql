-- The places with most incidents.
with final as (
    select location_name as place, country_iso3, count(*) as incidents,
           coalesce(sum(fatalities), 0) as fatalities
    from scope
    where location_name is not null
    group by all
    order by incidents desc, fatalities desc, place
    limit 15
)

select * from final
