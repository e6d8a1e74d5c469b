-- The stream's windowed aggregates as they stand: for each publication-time window,
-- event type and country, the latest pane (panes accumulate, so the latest counts
-- everything the lake holds of the window), how it fired and how many panes refined it.
with latest as (
    select
        *,
        count(*) over (partition by window_start, event_type, country_iso3) as panes,
        row_number() over (partition by window_start, event_type, country_iso3
                           order by pane_index desc, fired_at desc) as newest_first
    from event_windows
),

final as (
    select
        window_start, window_end, event_type, country_iso3,
        events, asserted, articles, incidents, fatalities,
        pane_timing as last_pane, pane_index as last_pane_index, panes, watermark, fired_at
    from latest
    where newest_first = 1
    order by window_start desc, events desc, event_type, country_iso3
)

select * from final
