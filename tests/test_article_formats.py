import datetime as dt

import pytest

from newsevents.transforms.core.article_formats import (
    ReadLimits, RecordError, apply_default_published_at, find_dateline, input_format,
    parse_html_file, parse_jsonl_line, parse_published_at, parse_text_file)

UTC = dt.timezone.utc
NOW = dt.datetime(2024, 6, 1, tzinfo=UTC)


@pytest.mark.parametrize("path, expected", [
    ("a.jsonl", "jsonl"), ("a.ndjson.gz", "jsonl"), ("dir/b.TXT", "text"),
    ("c.html", "html"), ("c.htm.gz", "html"), ("d.csv", None), ("e.gz", None),
])
def test_input_format(path, expected):
    assert input_format(path) == expected


@pytest.mark.parametrize("value, expected", [
    ("2022-05-14", dt.datetime(2022, 5, 14, tzinfo=UTC)),
    ("2022-05-14T10:30:00", dt.datetime(2022, 5, 14, 10, 30, tzinfo=UTC)),
    ("2022-05-14T10:30:00Z", dt.datetime(2022, 5, 14, 10, 30, tzinfo=UTC)),
    ("2022-05-14T12:30:00+02:00", dt.datetime(2022, 5, 14, 10, 30, tzinfo=UTC)),
])
def test_parse_published_at(value, expected):
    assert parse_published_at(value, NOW) == expected


@pytest.mark.parametrize("value, reason", [
    ("yesterday", "unparseable published_at"),
    ("1850-01-01", "before 1900"),
    ("2030-01-01", "in the future"),
    (20220514, "must be an ISO 8601 string"),
])
def test_parse_published_at_rejects(value, reason):
    with pytest.raises(RecordError, match=reason):
        parse_published_at(value, NOW)


def test_jsonl_record_fields():
    line = (b'{"id": 17, "url": "https://x.test/a", "source": "Wire", "title": "T", '
            b'"published_at": "2024-03-04", "language": "en", "text": "Police arrested two men on Monday."}')
    record = parse_jsonl_line(line, now=NOW)
    assert record["external_id"] == "17"
    assert record["published_at"] == dt.datetime(2024, 3, 4, tzinfo=UTC)
    assert record["published_at_source"] == "input"
    assert record["text"].startswith("Police arrested")


@pytest.mark.parametrize("line, reason", [
    (b'{"text": "unterminated', "bad JSON"),
    (b'[1, 2]', "must be a JSON object"),
    (b'{"text": 5}', "'text' must be a string"),
    (b'{"title": "only a title"}', "missing text"),
    (b'{"text": "   "}', "missing text"),
    (b'{"text": "long enough text for an article body", "id": [1]}', "'id' must be"),
    (b'{"text": "long enough text for an article body", "source": 3}', "'source' must be"),
    (b'{"text": "short"}', "empty body"),
    (b'{"text": "bad \xff byte in this otherwise fine article"}', "invalid UTF-8"),
    (b'{"text": "a NUL \\u0000 in the middle of an article body"}', "NUL"),
])
def test_jsonl_rejects(line, reason):
    with pytest.raises(RecordError, match=reason):
        parse_jsonl_line(line, now=NOW)


def test_body_over_limit_is_rejected():
    line = b'{"text": "' + b"x" * 2000 + b'"}'
    with pytest.raises(RecordError, match="body too large"):
        parse_jsonl_line(line, ReadLimits(max_chars=1000), NOW)


def test_text_file_date_line_title_and_dateline():
    data = ("date 2022-05-14\nCoalition meets\n\nQAMISHLI, Syria (North Press) – Ministers met on "
            "Wednesday in the city.").encode()
    record = parse_text_file(data, now=NOW)
    assert record["published_at"] == dt.datetime(2022, 5, 14, tzinfo=UTC)
    assert record["published_at_source"] == "date_line"
    assert record["title"] == "Coalition meets"
    assert record["dateline_place"] == "QAMISHLI, Syria"
    assert record["source"] == "North Press"
    assert not record["text"].startswith("date")


def test_text_file_date_prefix_on_the_same_line():
    record = parse_text_file(b" date 2022-05-14 This question resonates with many readers today.", now=NOW)
    assert record["published_at"].date() == dt.date(2022, 5, 14)
    assert record["text"].startswith("This question")


@pytest.mark.parametrize("text, expected", [
    ("BAGHDAD, May 3 (Reuters) - Police said", {"place": "BAGHDAD", "source": "Reuters"}),
    ("WASHINGTON DC (Kurdistan 24) - Ministers met", {"place": "WASHINGTON DC", "source": "Kurdistan 24"}),
    ("Police said on Monday that", None),
])
def test_find_dateline(text, expected):
    assert find_dateline(text) == expected


def test_missing_date_uses_default_or_rejects():
    record = parse_text_file(b"Police arrested two men in Kano on Monday.", now=NOW)
    with pytest.raises(RecordError, match="no publication date"):
        apply_default_published_at(dict(record), None)
    filled = apply_default_published_at(dict(record), dt.datetime(2024, 1, 2, tzinfo=UTC))
    assert filled["published_at_source"] == "default"


def test_html_boilerplate_removed_and_meta_date_read():
    html = b"""<html><head><title>Raid</title>
    <meta property="article:published_time" content="2024-03-27T09:00:00Z"></head>
    <body><nav><a href="/">Home</a> | <a href="/s">Subscribe now</a></nav>
    <article><h1>Raid in Goma</h1><p>Soldiers raided a market near Goma on Tuesday, witnesses said,
    and detained eleven traders who were later released.</p>
    <p>The army said the operation targeted weapons smugglers operating in the area.</p></article>
    <footer>Copyright 2024 Example Wire</footer></body></html>"""
    record = parse_html_file(html, now=NOW)
    assert "Soldiers raided a market" in record["text"]
    assert "Subscribe" not in record["text"] and "Copyright" not in record["text"]
    # trafilatura reads the <meta> date to the day
    assert record["published_at"] == dt.datetime(2024, 3, 27, tzinfo=UTC)


def test_html_without_text_is_rejected():
    with pytest.raises(RecordError):
        parse_html_file(b"<html><body><nav>Home | World</nav></body></html>" + b" " * 30, now=NOW)


@pytest.mark.parametrize("text, stamp", [
    ("Wed 05 Apr 2017 Syria attack symptoms", dt.date(2017, 4, 5)),
    ("Fri 07 Apr 2017 at 0914 Homs governor says", dt.date(2017, 4, 7)),
    ("12 February 2015 Casualties mount", dt.date(2015, 2, 12)),
    ("Published: April 6, 2017 The army said", dt.date(2017, 4, 6)),
    ("On April 6, 2017 the army took the town", None),  # a date in the story, not a stamp
    ("Syria: army kills 5 in Homs", None),
    ("31 February 2015 nothing", None),
    ("Date of publication 7 July 2016 Video More than 33 people", dt.date(2016, 7, 7)),
    ("Last updated at Apr 052017 KHAN SHEIKHUN Syria A suspected", dt.date(2017, 4, 5)),
    ("US strikes kill 50 fighters in Syria Monitor AFP Tuesday 23 Sep 2014 US air strikes", dt.date(2014, 9, 23)),
    ("Syrian army says rebel bombardment of Aleppo killed 84 Reuters Monday 31 Oct 2016 Syrias army",
     dt.date(2016, 10, 31)),
    # In figures at the very start, day first.
    ("13-08-2013 33 Militants Claimed in Syria", dt.date(2013, 8, 13)),
    ("24.09.2014 Airstrikes carried out by the United States", dt.date(2014, 9, 24)),
    ("08.04.2017(updated 1954 08.04.2017) Get short URL", dt.date(2017, 4, 8)),
    ("31-02-2016 nothing", None),
    ("Rebels said 13-08-2013 was the worst day", None),
    # When something happened, not a stamp:
    ("The talks opened on Tuesday 23 Sep 2014 in Geneva", None),
    ("Paris marks two years since the Friday 13 November 2015 attacks", None),
    ("Rebels attacked early Tuesday 23 Sep 2014 near Homs", None),
    ("Talks ran from Monday 3 Oct 2016 to Friday 7 Oct 2016 in Geneva", None),
])
def test_leading_date_stamps(text, stamp):
    from newsevents.transforms.core.article_formats import leading_date_stamp

    assert leading_date_stamp(text) == stamp


@pytest.mark.parametrize("text, published, stamp", [
    # Figures day first, unless the other order agrees with the input's date.
    ("11-06-2016 Rebels shelled", dt.date(2016, 11, 6), dt.date(2016, 11, 6)),
    ("11-06-2016 Rebels shelled", dt.date(2016, 2, 1), dt.date(2016, 6, 11)),
])
def test_leading_date_stamps_in_figures(text, published, stamp):
    from newsevents.transforms.core.article_formats import leading_date_stamp

    assert leading_date_stamp(text, published) == stamp


@pytest.mark.parametrize("text, published, moved", [
    # The page's own date, more than a day from the input's, dates the article.
    ("13-08-2013 33 Militants Claimed in Syria", dt.datetime(2013, 2, 2, tzinfo=dt.timezone.utc),
     dt.datetime(2013, 8, 13, tzinfo=dt.timezone.utc)),
    ("Army says rebels killed 84 Reuters Monday 31 Oct 2016 Syrias army said",
     dt.datetime(2016, 10, 12, tzinfo=dt.timezone.utc), dt.datetime(2016, 10, 31, tzinfo=dt.timezone.utc)),
    # Within a day, or no stamp: the input's date stands.
    ("13-08-2013 33 Militants Claimed in Syria", dt.datetime(2013, 8, 14, tzinfo=dt.timezone.utc), None),
    ("Rebels said on Monday they shelled Homs", dt.datetime(2013, 8, 14, tzinfo=dt.timezone.utc), None),
])
def test_the_page_stamp_dates_the_article(text, published, moved):
    from newsevents.transforms.normalize import with_stamped_date

    record = with_stamped_date({"published_at": published, "published_at_source": "input"}, text)
    assert record["published_at"] == (moved or published)
    assert record["published_at_source"] == ("text_stamp" if moved else "input")
