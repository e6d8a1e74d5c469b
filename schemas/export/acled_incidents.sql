-- Incidents for the ACLED-style export: those with an ACLED type, in the export's
-- scope, with the evidence sentence of their first mention and their sources.
with first_mention as (
    select incident_id, sentence, actor1_text, actor2_text,
           row_number() over (partition by incident_id order by published_at, event_id) as n
    from events
    where incident_id is not null
),

sources as (
    select incident_id, string_agg(distinct source, '; ' order by source) as sources
    from (select incident_id, unnest(reports, recursive := true) from scope)
    where source is not null
    group by incident_id
),

final as (
    select s.*, m.sentence, m.actor1_text, m.actor2_text, src.sources
    from scope s
    left join first_mention m on m.incident_id = s.incident_id and m.n = 1
    left join sources src on src.incident_id = s.incident_id
    where s.acled_event_type is not null
    order by s.event_date, s.incident_id
)

select * from final
