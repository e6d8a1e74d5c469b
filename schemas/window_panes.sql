-- The rows of the panes the stream fires: for each pane (window, timing), its window's
-- events by type and country, over everything the lake holds when the pane fires
-- (accumulating panes). Bound by transforms/streaming/event_windows.py:
--   panes(window_start, window_end, pane_timing, pane_index, watermark, fired_at)
--     pane_index null: the next index of the window (its panes in the lake + 1)
--   window_events(event_type, country_iso3, article_id, incident_id, modality,
--                 fatalities, published_at)
--   earlier_panes(window_start, pane_index): the event_windows rows already committed
with in_window as (
    select
        p.window_start, e.event_type, e.country_iso3, e.article_id, e.incident_id,
        e.modality, e.fatalities
    from panes as p
    join window_events as e
        on e.published_at >= p.window_start and e.published_at < p.window_end
),

counted as (
    select
        window_start, event_type, country_iso3,
        count(*) as events,
        count(*) filter (where modality = 'asserted') as asserted,
        count(distinct article_id) as articles,
        count(distinct incident_id) as incidents
    from in_window
    group by all
),

incident_tolls as (
    select window_start, event_type, country_iso3, incident_id, max(fatalities) as fatalities
    from in_window
    where incident_id is not null
    group by all
),

tolls as (
    select window_start, event_type, country_iso3, sum(fatalities) as fatalities
    from incident_tolls
    group by all
),

numbered as (
    select
        p.*,
        coalesce(p.pane_index, (select max(q.pane_index) + 1 from earlier_panes as q
                                where q.window_start = p.window_start), 0) as next_index
    from panes as p
),

final as (
    select
        n.window_start, n.window_end, c.event_type, c.country_iso3,
        c.events, c.asserted, c.articles, c.incidents,
        coalesce(t.fatalities, 0) as fatalities,
        n.pane_timing, n.next_index as pane_index, n.watermark, n.fired_at
    from numbered as n
    join counted as c on c.window_start = n.window_start
    left join tolls as t
        on t.window_start = c.window_start
        and t.event_type is not distinct from c.event_type
        and t.country_iso3 is not distinct from c.country_iso3
)

select * from final
order by window_start, event_type, country_iso3
