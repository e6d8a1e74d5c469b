-- Every run with its record accounting (read = stored + duplicates + rejected), oldest first.
with final as (
    select
        run_id, kind, status, started_at,
        round(epoch(finished_at) - epoch(started_at), 1) as seconds,
        counts.read as read, counts.stored as stored, counts.duplicates as duplicates,
        counts.rejected as rejected, counts.events as events,
        counts.near_duplicates as near_duplicates, counts.incidents_new as incidents_new,
        counts.incidents_updated as incidents_updated,
        counts.skipped_files as skipped_files, accounting_ok,
        code_version, extractor_version
    from runs
    order by started_at
)

select * from final
