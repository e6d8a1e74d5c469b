-- Every run with its record accounting: read = stored + duplicates + rejected.
with final as (
    select
        run_id, started_at, finished_at, status,
        counts.read as read, counts.stored as stored, counts.duplicates as duplicates,
        counts.rejected as rejected, counts.events as events, accounting_ok
    from runs
    order by started_at
)

select * from final
