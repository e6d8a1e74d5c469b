-- The rejected records of the runs in the report's time window.
with final as (
    select r.input, r.position, r.reason
    from rejects r
    join runs_in_scope using (run_id)
)

select * from final
