"""End-to-end: the `newsevents` command into a temporary lake, read back with DuckDB."""
import csv
import datetime as dt
import io
import json
import re
import shutil

import duckdb
import pytest
from click.testing import CliRunner

from newsevents.pipelines.cli import cli
from newsevents.transforms.storage.query import connect_lake
from tests.conftest import EXAMPLES, SEEDS

pytestmark = pytest.mark.slow


def invoke(*args):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


@pytest.fixture(scope="module")
def example_lake(tmp_path_factory):
    lake = tmp_path_factory.mktemp("lake") / "lake"
    result = invoke("run", "--input", str(EXAMPLES), "--output", str(lake))
    assert result.exit_code == 0, result.output
    return lake, result.output


def counts(con):
    return dict(zip(["read", "stored", "duplicates", "rejected", "events"], con.execute(
        "select counts.read, counts.stored, counts.duplicates, counts.rejected, counts.events "
        "from runs").fetchone()))


def test_run_prints_and_records_the_accounting(example_lake):
    lake, output = example_lake
    con = connect_lake(str(lake))
    c = counts(con)
    printed = {k: int(v) for k, v in re.findall(r"^\s+(read|stored|duplicates|rejected|events)\s+(\d+)$",
                                               output, re.M)}
    assert printed == c
    assert c["read"] == c["stored"] + c["duplicates"] + c["rejected"]
    assert con.execute("select accounting_ok, status from runs").fetchone() == (True, "committed")
    # 28 articles in the examples, one of them a syndicated copy; 9 broken records + the README
    assert (c["stored"], c["duplicates"], c["rejected"]) == (27, 1, 10)
    assert con.execute("select count(*) from articles where duplicate_of is null").fetchone()[0] == 27
    assert con.execute("select count(*) from rejects where stage in ('read', 'normalize')").fetchone()[0] == 10
    assert con.execute("select count(*) from events").fetchone()[0] == c["events"] > 40


def test_lake_layout_is_hive_partitioned_and_committed(example_lake):
    lake, _ = example_lake
    files = sorted(str(p.relative_to(lake)) for p in lake.rglob("*.parquet"))
    assert files and all(re.match(r"(articles|events|places|rejects|incidents|event_windows|runs)/dt=\d{4}-\d{2}-\d{2}/part-.+\.parquet$", f)
                         for f in files)
    assert not list((lake / "_staging").glob("*")) if (lake / "_staging").exists() else True
    con = connect_lake(str(lake))
    # dt is the published date for articles and the event date (else published) for events
    assert con.execute("select count(*) from articles where dt::date <> published_at::date").fetchone()[0] == 0
    assert con.execute("select count(*) from events where dt::date <> coalesce(event_date, published_at::date)"
                       ).fetchone()[0] == 0
    columns = {r[0] for r in con.execute("describe events").fetchall()}
    for name in ("event_id", "article_id", "sentence_index", "sentence", "trigger_text", "trigger_start",
                 "trigger_end", "event_type", "event_mode", "acled_event_type", "acled_sub_event_type",
                 "cameo_root", "quad_class", "actor1_text", "actor1_name", "actor1_country", "actor1_sector",
                 "actor2_text", "actor2_name", "actor2_country", "actor2_sector", "location_text",
                 "location_name", "geonameid", "country_iso3", "admin1", "latitude", "longitude",
                 "geo_precision", "event_date", "date_precision", "fatalities", "injured", "displaced",
                 "detained", "modality", "attributed_to", "confidence", "extractor_version"):
        assert name in columns, name
    assert con.execute("select count(distinct event_id) = count(*) from events").fetchone()[0]
    assert con.execute("select count(distinct article_id) = count(*) from articles").fetchone()[0]


def test_specific_example_events(example_lake):
    lake, _ = example_lake
    con = connect_lake(str(lake))

    def event(where):
        rows = con.execute(f"select event_type, fatalities, injured, detained, displaced, country_iso3, "
                           f"event_date, modality from events e join articles a using (article_id) "
                           f"where {where}").fetchall()
        assert rows, where
        return rows

    assert ("ASSAULT", 3, 5, None, None, "IRQ", dt.date(2024, 3, 5), "asserted") in event(
        "a.external_id = 'nw-003'")
    assert any(r[0] == "COERCE" and r[3] == 23 for r in event("a.external_id = 'nw-004'"))
    assert any(r[0] == "ASSAULT" and r[7] == "negated" for r in event("a.external_id = 'nw-010'"))
    assert any(r[0] == "SANCTION" for r in event("a.external_id = 'nw-006'"))
    assert any(r[0] == "CONSULT" and r[5] == "JOR" and r[6] == dt.date(2024, 3, 7)
               for r in event("a.external_id = 'nw-005'"))
    # the French article is stored but not extracted; the copy links to the original
    assert con.execute("select language, extracted, num_events from articles where external_id = 'fr-001'"
                       ).fetchone() == ("fr", False, 0)
    original, copy = con.execute(
        "select (select article_id from articles where external_id = 'nw-003'), "
        "(select duplicate_of from articles where external_id = 'ab-903')").fetchone()
    assert original == copy
    reasons = {r[0] for r in con.execute("select reason from rejects").fetchall()}
    assert any(r.startswith("invalid UTF-8") for r in reasons)
    assert any(r.startswith("unparseable published_at") for r in reasons)


def test_rerun_adds_no_rows(example_lake, tmp_path):
    lake, _ = example_lake
    copy = tmp_path / "lake"
    shutil.copytree(lake, copy)
    result = invoke("run", "--input", str(EXAMPLES / "wire.jsonl"), "--output", str(copy))
    assert result.exit_code == 0 and "nothing new: 1 input file(s) unchanged" in result.output
    for mode, expected in (("--full", (9, 0, 9, 0, 0)),):
        result = invoke("run", "--input", str(EXAMPLES / "wire.jsonl"), "--output", str(copy), mode)
        assert result.exit_code == 0, result.output
        con = connect_lake(str(copy))
        assert con.execute("select count(*) from articles where duplicate_of is null").fetchone()[0] == 27
        last = con.execute("select counts.read, counts.stored, counts.duplicates, counts.events, "
                           "counts.skipped_files from runs order by started_at desc limit 1").fetchone()
        assert last == expected, mode


@pytest.mark.parametrize("fmt, check", [
    ("csv", lambda out: out.splitlines()[0] == "event_type,n"),
    ("json", lambda out: all("event_type" in json.loads(line) for line in out.splitlines())),
    ("table", lambda out: "event_type" in out and "rows" in out),
])
def test_sql_formats(example_lake, fmt, check):
    lake, _ = example_lake
    result = invoke("sql", "select event_type, count(*) n from events group by all order by n desc",
                    "--lake", str(lake), "--format", fmt)
    assert result.exit_code == 0 and check(result.output), result.output


def test_canned_query(example_lake):
    lake, _ = example_lake
    result = invoke("sql", "--query", "events_by_type_and_country", "--lake", str(lake), "--format", "csv")
    assert result.exit_code == 0
    header, *rows = result.output.splitlines()
    assert header == "event_type,country_iso3,mentions,fatalities" and len(rows) > 5


def test_incident_queries_count_incidents_not_mentions(example_lake):
    lake, _ = example_lake
    result = invoke("sql", "--query", "incidents_by_type_and_country", "--lake", str(lake),
                    "--format", "csv")
    assert result.exit_code == 0, result.output
    header, *rows = list(csv.reader(io.StringIO(result.output)))
    assert header == ["event_type", "country_iso3", "incidents", "mentions", "articles", "fatalities"]
    con = connect_lake(str(lake))
    incidents, mentions = con.execute(
        "select count(*), sum(num_mentions) from incidents").fetchone()
    assert sum(int(r[2]) for r in rows) == incidents
    assert sum(int(r[3]) for r in rows) == mentions
    # every asserted, typed mention links to exactly one incident; no other mention does
    assert con.execute("select count(*) from events where (incident_id is not null) <> "
                       "(modality = 'asserted' and event_type is not null)").fetchone()[0] == 0
    assert con.execute("select count(distinct incident_id) from events").fetchone()[0] == incidents
    assert mentions == con.execute("select count(incident_id) from events").fetchone()[0]
    assert incidents < mentions  # some incidents are reported more than once


def test_views_sql_works_in_plain_duckdb(example_lake):
    lake, _ = example_lake
    con = duckdb.connect()
    con.execute("SET file_search_path = ?", [str(lake)])
    con.execute((EXAMPLES.parent / "schemas" / "views.sql").read_text())
    assert con.execute("select count(*) from events").fetchone()[0] > 0
    assert con.execute("select count(*) from incidents").fetchone()[0] == \
        connect_lake(str(lake)).execute("select count(*) from incidents").fetchone()[0] > 0


@pytest.mark.parametrize("args, message", [
    (("sql", "select nonsense from events", "--lake", "{lake}"), "SQL error"),
    (("sql", "select 1", "--lake", "/nonexistent/lake"), "no lake at"),
    (("sql", "--query", "nope", "--lake", "{lake}"), "no canned query"),
    (("run", "--input", "x", "--output", "{tmp}", "--default-published-at", "soon"), "--default-published-at"),
    (("run", "--input", "x", "--output", "{tmp}", "--workers", "0"), "--workers must be"),
])
def test_errors_are_messages_not_tracebacks(example_lake, tmp_path, args, message):
    lake, _ = example_lake
    args = [a.format(lake=lake, tmp=tmp_path) for a in args]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code != 0
    assert message in result.output and "Traceback" not in result.output


def test_a_dangling_link_is_a_reject_not_a_crash(tmp_path):
    (tmp_path / "inbox").mkdir()
    (tmp_path / "inbox" / "gone.jsonl").symlink_to(tmp_path / "nowhere.jsonl")
    (tmp_path / "inbox" / "ok.jsonl").write_text(
        '{"text": "Protesters marched in Tunis.", "published_at": "2024-03-01"}\n')
    result = invoke("run", "--input", str(tmp_path / "inbox"), "--output", str(tmp_path / "lake"))
    assert result.exit_code == 0, result.output
    con = connect_lake(str(tmp_path / "lake"))
    assert con.execute("select reason from rejects").fetchall() == [
        ("unreadable input: a link to a file that does not exist",)]
    assert counts(con)["read"] == 2


BRIEF = ("Members of the fishing community{led} held a protest outside the district office in "
         "Kollam over the new harbour fees, and traffic on the coast road stopped for two hours.")


@pytest.mark.parametrize("window, stored, duplicates", [
    (None, 2, 2),  # the default, 36 hours: the brief re-run days later is a report of its own
    ("120", 1, 3),  # b and c, from 96 to 116 hours after a
])
def test_a_near_copy_published_days_later_is_a_new_report(tmp_path, window, stored, duplicates):
    records = [("a", BRIEF.format(led=", led by their union,"), "2024-03-04"),
               ("b", BRIEF.format(led=""), "2024-03-08"),  # four days later, one clause less
               ("c", BRIEF.format(led=""), "2024-03-08T20:00:00Z"),  # b again
               ("d", BRIEF.format(led=", led by their union,"), "2024-03-20")]  # the very same text
    (tmp_path / "in.jsonl").write_text("".join(
        json.dumps({"id": i, "text": t, "published_at": p}) + "\n" for i, t, p in records))
    args = ["run", "--input", str(tmp_path / "in.jsonl"), "--output", str(tmp_path / "lake")]
    result = invoke(*args, *(["--copy-window-hours", window] if window else []))
    assert result.exit_code == 0, result.output
    con = connect_lake(str(tmp_path / "lake"))
    assert (counts(con)["stored"], counts(con)["duplicates"]) == (stored, duplicates)
    copies = dict(con.execute("select c.external_id, o.external_id from articles c join articles o "
                              "on c.duplicate_of = o.article_id").fetchall())
    assert copies == ({"c": "b", "d": "a"} if window is None else {"b": "a", "c": "a", "d": "a"})


@pytest.mark.skipif(not SEEDS.is_dir(), reason="the seed articles live in ../shared/seeds")
def test_seed_articles(tmp_path):
    dates = {"000": None, "001": "2022-05-11", "002": "2022-05-12", "003": "2021-06-28", "004": "2021-03-31"}
    inputs = tmp_path / "seeds"
    inputs.mkdir()
    for path in sorted(SEEDS.glob("0*.txt")):
        day = dates[path.name[:3]]
        (inputs / path.name).write_text((f"date {day}\n" if day else "") + path.read_text())
    result = invoke("run", "--input", str(inputs), "--output", str(tmp_path / "lake"))
    assert result.exit_code == 0, result.output
    con = connect_lake(str(tmp_path / "lake"))
    assert con.execute("select count(*) from articles").fetchone()[0] == 5
    assert con.execute("select min(published_at)::date from articles where input like '%000_%'"
                       ).fetchone()[0] == dt.date(2022, 5, 14)
    # the coalition meeting in Morocco: a consultation in Morocco on Wednesday 2022-05-11
    assert con.execute("select count(*) from events where event_type = 'CONSULT' and country_iso3 = 'MAR' "
                       "and event_date = date '2022-05-11'").fetchone()[0] >= 2
    # the Egyptian attack: an assault killing at least 11 soldiers
    assert con.execute("select event_type, country_iso3, actor1_name from events where fatalities = 11"
                       ).fetchall() == [("ASSAULT", "EGY", "Islamic State")]
    # 5,000 displaced in Palma, Mozambique; "dozens killed" coded as 12
    assert con.execute("select location_name, country_iso3, fatalities from events where displaced = 5000"
                       ).fetchall() == [("Palma", "MOZ", 12)]
    # ISIS, Daesh and IS are one canonical actor
    texts = {r[0] for r in con.execute(
        "select actor1_text from events where actor1_name = 'Islamic State' union "
        "select actor2_text from events where actor2_name = 'Islamic State'").fetchall()}
    assert any("ISIS" in t for t in texts) and any("Daesh" in t for t in texts)
    # historical events keep their own year
    assert con.execute("select event_date from events where fatalities = 17").fetchall() == [(dt.date(2011, 1, 1),)]


def test_dask_runner_writes_the_same_lake(example_lake, tmp_path):
    """The same pipeline on Beam's DaskRunner (a local 2-worker dask.distributed cluster)."""
    lake, _ = example_lake
    result = invoke("run", "--runner", "dask", "--input", str(EXAMPLES), "--output", str(tmp_path / "lake"))
    assert result.exit_code == 0, result.output
    local, dask = connect_lake(str(lake)), connect_lake(str(tmp_path / "lake"))
    for query in ("select event_id, event_type, fatalities, country_iso3, event_date from events order by 1",
                  "select article_id, duplicate_of, language from articles order by 1",
                  "select article_id, start, name from places order by 1, 2",
                  "select input, position, reason from rejects order by 1, 2",
                  "select event_id, incident_id from events order by 1",
                  "select incident_id, num_mentions, num_articles, num_sources, fatalities "
                  "from incidents order by 1"):
        assert local.execute(query).fetchall() == dask.execute(query).fetchall(), query


def test_files_of_an_uncommitted_run_are_invisible(example_lake, tmp_path):
    """A run that died after moving files into place but before its manifest shows nothing."""
    lake, _ = example_lake
    copy = tmp_path / "lake"
    shutil.copytree(lake, copy)
    con = connect_lake(str(copy))
    before = con.execute("select count(*) from events").fetchone()[0]
    source = next((copy / "events").glob("dt=*/*.parquet"))
    orphan = source.parent / "part-CRASHED-0.parquet"
    duckdb.sql(f"copy (select * replace ('CRASHED' as run_id) from read_parquet('{source}')) "
               f"to '{orphan}' (format parquet)")
    assert connect_lake(str(copy)).execute("select count(*) from events").fetchone()[0] == before
