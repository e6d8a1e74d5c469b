-- Asserted event mentions by PLOVER type and country (mentions, not incidents:
-- one attack reported in three articles counts three times).
with asserted as (
    select event_type, coalesce(country_iso3, '(unknown)') as country_iso3, fatalities
    from events
    where modality = 'asserted'
),

final as (
    select
        event_type,
        country_iso3,
        count(*) as mentions,
        sum(fatalities) as fatalities
    from asserted
    group by event_type, country_iso3
    order by mentions desc, event_type, country_iso3
)

select * from final
