-- How many asserted events the lake holds and how complete they are: per extracted
-- article, and the shares with no country and with no actor 1 (the whole-lake figures
-- of a judging sheet, docs/judging.md). Copies stored as duplicates are not counted.
with extracted_articles as (
    select count(*) as articles
    from articles
    where duplicate_of is null and extracted
),

asserted as (
    select
        count(*) as asserted_events,
        count(distinct article_id) as articles_with_events,
        count(*) filter (where country_iso3 is null) as without_country,
        count(*) filter (where actor1_text is null and actor1_name is null) as without_actor1
    from events
    where modality = 'asserted'
),

final as (
    select
        a.asserted_events,
        x.articles,
        a.articles_with_events,
        round(a.asserted_events / nullif(x.articles, 0), 3) as per_article,
        a.without_country,
        round(a.without_country / nullif(a.asserted_events, 0), 4) as share_without_country,
        a.without_actor1,
        round(a.without_actor1 / nullif(a.asserted_events, 0), 4) as share_without_actor1
    from asserted as a, extracted_articles as x
)

select * from final
