-- Real-world incidents by PLOVER type and country: one attack reported by three
-- outlets counts once. Fatalities are each incident's best estimate (the most
-- conservative of the latest reports, see docs/incidents.md), summed.
with final as (
    select
        event_type,
        coalesce(country_iso3, '(unknown)') as country_iso3,
        count(*) as incidents,
        sum(num_mentions) as mentions,
        sum(num_articles) as articles,
        sum(fatalities) as fatalities
    from incidents
    group by all
    order by incidents desc, event_type, country_iso3
)

select * from final
