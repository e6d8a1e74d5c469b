-- The stream's commits, newest first: how long the oldest article waited for its
-- commit, how long the commit took, what it stored, and the window panes it fired.
-- (map_extract(...)[1]: a map's value in every DuckDB version from 1.1 on.)
with stream_runs as (
    select
        run_id, started_at,
        round(epoch(finished_at) - epoch(started_at), 1) as seconds,
        round(coalesce(map_extract(metrics, 'stream:waited_ms')[1], 0) / 1000, 1) as waited_seconds,
        coalesce(map_extract(metrics, 'stream:pane_files')[1], len(inputs)) as pane_files,
        counts.read as read, counts.stored as stored, counts.duplicates as duplicates,
        counts.rejected as rejected, counts.events as events,
        counts.incidents_new as incidents_new, counts.incidents_updated as incidents_updated,
        coalesce(map_extract(metrics, 'stream:window_panes')[1], 0) as window_panes
    from runs
    where kind = 'stream'
),

final as (
    select *
    from stream_runs
    order by started_at desc
)

select * from final
