-- The runs in the report's time window (all runs without one), newest first.
with final as (
    select run_id, kind, status, started_at,
           round(epoch(finished_at) - epoch(started_at), 1) as seconds,
           counts.read as read, counts.stored as stored, counts.duplicates as duplicates,
           counts.rejected as rejected, counts.events as events
    from runs_in_scope
    order by started_at desc
)

select * from final
