-- The stream's window panes, newest first: what each committed and how long it took,
-- and how many articles arrived too late for their window (routed to _stream/late/).
with stream_runs as (
    select
        run_id, started_at,
        round(epoch(finished_at) - epoch(started_at), 1) as seconds,
        inputs[1] as pane,
        counts.read as read, counts.stored as stored, counts.duplicates as duplicates,
        counts.rejected as rejected, counts.events as events,
        counts.incidents_new as incidents_new, counts.incidents_updated as incidents_updated,
        counts.late_routed as late_routed
    from runs
    where kind = 'stream'
),

final as (
    select
        run_id, started_at, seconds,
        regexp_extract(pane, '[^/]+$') as pane, read, stored, duplicates, rejected, events,
        incidents_new, incidents_updated, late_routed
    from stream_runs
    order by started_at desc
)

select * from final
