"""Scheduled batch runs: growing inputs, crashes at every stage, hostile input, the lock,
compaction, backfills. Each test checks the lake with DuckDB."""
import gzip
import json
import os
import random
import shutil
import subprocess
import sys

import duckdb
import pytest
from click.testing import CliRunner

from newsevents.pipelines.cli import cli
from newsevents.transforms.storage.query import connect_lake
from newsevents.schemas.tables import TABLES
from tests.conftest import ROOT
from newsevents.transforms.storage.lake_files import read_lake_state, visible_files

pytestmark = pytest.mark.slow

SENTENCES = [
    "Gunmen attacked a police post in {town} on Monday, killing {n} officers, officials said.",
    "Police arrested {n} protesters in {town} on Tuesday after a march against fuel prices.",
    "An airstrike hit a market near {town} on Wednesday, killing {n} civilians.",
    "Ministers met in {town} on Thursday to discuss border security and trade.",
]
TOWNS = ["Kano", "Mosul", "Goma", "Gao", "Homs"]


def article(n: int, day: str) -> dict:
    rng = random.Random(n)
    text = " ".join(s.format(town=rng.choice(TOWNS), n=rng.randint(2, 30))
                    for s in rng.sample(SENTENCES, 2)) + f" Report number {n}."
    return {"id": f"a{n}", "published_at": day, "source": "test wire", "text": text}


def write_jsonl(path, records):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("".join(json.dumps(r) + "\n" for r in records))


def invoke(*args):
    return CliRunner().invoke(cli, [str(a) for a in args], catch_exceptions=False)


def run_cli(*args, kill_at=None):
    """The command in its own process (so that it can be SIGKILLed)."""
    env = dict(os.environ)
    env.pop("NEWSEVENTS_KILL_AT", None)
    if kill_at:
        env["NEWSEVENTS_KILL_AT"] = kill_at
    return subprocess.run([sys.executable, "-m", "newsevents.pipelines.cli", *map(str, args)], env=env,
                          cwd=ROOT, capture_output=True, text=True, timeout=600)


def snapshot(lake) -> dict:
    """What queries see, without run ids and timestamps."""
    con = connect_lake(str(lake))
    queries = {
        "articles": "select article_id, duplicate_of, num_events, dt from articles",
        "events": "select event_id, event_type, fatalities, detained, event_date from events",
        "places": "select article_id, start, name from places",
        "rejects": "select regexp_extract(input, '[^/]+$'), position, reason from rejects",
    }
    result = {name: sorted(con.execute(q).fetchall(), key=repr) for name, q in queries.items()}
    for table, key in (("articles", "article_id"), ("events", "event_id")):
        assert con.execute(f"select count(*) = count(distinct {key}) from {table}").fetchone()[0], \
            f"duplicate rows in {table}"
    return result


def accounting(lake):
    return connect_lake(str(lake)).execute(
        "select counts.read, counts.stored, counts.duplicates, counts.rejected, accounting_ok "
        "from runs where kind = 'run' order by started_at desc limit 1").fetchone()


def test_three_runs_as_the_input_grows(tmp_path):
    inbox, lake = tmp_path / "inbox", tmp_path / "lake"
    write_jsonl(inbox / "h1.jsonl", [article(n, "2024-03-04") for n in range(5)])
    assert invoke("run", "-i", inbox, "-o", lake).exit_code == 0
    assert accounting(lake) == (5, 5, 0, 0, True)
    # the crawler drops a new file and appends to the old one (two new, one repeated record)
    write_jsonl(inbox / "h2.jsonl", [article(n, "2024-03-05") for n in range(5, 8)] + [{"id": "bad"}])
    with open(inbox / "h1.jsonl", "a") as handle:
        for record in (article(8, "2024-03-04"), article(9, "2024-03-04"), article(0, "2024-03-04")):
            handle.write(json.dumps(record) + "\n")
    assert invoke("run", "-i", inbox, "-o", lake).exit_code == 0
    # h1 read again (it changed): 5 stored before + 2 new + 1 repeat; h2: 3 new + 1 bad
    assert accounting(lake) == (12, 5, 6, 1, True)
    write_jsonl(inbox / "sub" / "h3.jsonl", [article(n, "2024-03-06") for n in range(10, 12)])
    assert invoke("run", "-i", inbox, "-o", lake).exit_code == 0
    assert accounting(lake) == (2, 2, 0, 0, True)
    con = connect_lake(str(lake))
    assert con.execute("select count(*) from articles").fetchone()[0] == 12
    assert con.execute("select count(*) from rejects").fetchone()[0] == 1
    assert con.execute("select count(*) from runs").fetchone()[0] == 3
    assert con.execute("select counts.skipped_files from runs order by started_at").fetchall() == [(0,), (0,), (2,)]
    # a rerun over the same input changes nothing
    before = snapshot(lake)
    assert invoke("run", "-i", inbox, "-o", lake).exit_code == 0
    assert snapshot(lake) == before


RUN_KILL_POINTS = ["after_lock", "during_read", "during_extract", "during_write", "before_commit",
                   "mid_rename", "before_manifest", "after_manifest"]
COMPACT_KILL_POINTS = ["during_compact_write", "mid_rename", "before_manifest", "after_manifest",
                       "mid_cleanup"]


@pytest.fixture(scope="module")
def crash_setup(tmp_path_factory):
    """A lake with one committed run, a second input, and the lake an uninterrupted
    second run produces."""
    root = tmp_path_factory.mktemp("crash")
    first, second = root / "in1", root / "in2"
    write_jsonl(first / "a.jsonl", [article(n, "2024-03-04") for n in range(4)])
    write_jsonl(second / "b.jsonl", [article(n, "2024-03-04") for n in range(4, 8)]
                + [article(1, "2024-03-04"), {"id": "broken"}])
    base = root / "base"
    assert run_cli("run", "-i", first, "-o", base).returncode == 0
    reference = root / "reference"
    shutil.copytree(base, reference)
    done = run_cli("run", "-i", first, "-i", second, "-o", reference)
    assert done.returncode == 0, done.stderr
    return {"first": first, "second": second, "base": base, "reference": reference}


@pytest.mark.parametrize("point", RUN_KILL_POINTS)
def test_a_run_killed_anywhere_leaves_the_lake_whole(crash_setup, tmp_path, point):
    lake = tmp_path / "lake"
    shutil.copytree(crash_setup["base"], lake)
    killed = run_cli("run", "-i", crash_setup["first"], "-i", crash_setup["second"], "-o", lake,
                     kill_at=point)
    assert killed.returncode == -9, (point, killed.stdout, killed.stderr)
    seen = snapshot(lake)
    expected = crash_setup["reference"] if point == "after_manifest" else crash_setup["base"]
    assert seen == snapshot(expected), point
    # the next run (finding the dead run's lock stale) completes the work
    again = run_cli("run", "-i", crash_setup["first"], "-i", crash_setup["second"], "-o", lake)
    assert again.returncode == 0, again.stderr
    assert snapshot(lake) == snapshot(crash_setup["reference"])
    assert not list((lake / "_staging").glob("*/*")) if (lake / "_staging").exists() else True
    assert not (lake / "_lock").exists()
    # no file is left on disk that queries do not see (orphans were cleaned up)
    state = read_lake_state(str(lake))
    on_disk = sum(1 for _ in lake.glob("*/dt=*/*.parquet"))
    assert on_disk == sum(len(visible_files(str(lake), t, state)) for t in TABLES)


@pytest.fixture(scope="module")
def fragmented_lake(tmp_path_factory):
    """A lake whose partitions hold several files (one per run)."""
    root = tmp_path_factory.mktemp("frag")
    lake = root / "lake"
    for batch in range(3):
        write_jsonl(root / f"in{batch}" / "x.jsonl",
                    [article(n, "2024-03-04") for n in range(batch * 3, batch * 3 + 3)] + [{"id": f"bad{batch}"}])
        assert run_cli("run", "-i", root / f"in{batch}", "-o", lake).returncode == 0
    return lake


def test_compaction_merges_files_without_changing_results(fragmented_lake, tmp_path):
    lake = tmp_path / "lake"
    shutil.copytree(fragmented_lake, lake)
    before = snapshot(lake)
    files_before = len(list(lake.glob("events/dt=*/*.parquet")))
    result = invoke("compact", "--lake", lake)
    assert result.exit_code == 0, result.output
    assert snapshot(lake) == before
    assert len(list(lake.glob("events/dt=*/*.parquet"))) < files_before
    for table in ("articles", "rejects"):
        days = {p.parent.name for p in lake.glob(f"{table}/dt=*/*.parquet")}
        assert len(list(lake.glob(f"{table}/dt=*/*.parquet"))) == len(days)
    # the plain-duckdb views agree with the command's views
    con = duckdb.connect()
    con.execute("SET file_search_path = ?", [str(lake)])
    con.execute((ROOT / "schemas" / "views.sql").read_text())
    assert con.execute("select count(*) from events").fetchone()[0] == len(before["events"])


@pytest.mark.parametrize("point", COMPACT_KILL_POINTS)
def test_compaction_killed_anywhere_changes_no_result(fragmented_lake, tmp_path, point):
    lake = tmp_path / "lake"
    shutil.copytree(fragmented_lake, lake)
    before = snapshot(lake)
    killed = run_cli("compact", "--lake", lake, kill_at=point)
    assert killed.returncode == -9, (point, killed.stderr)
    assert snapshot(lake) == before
    # views.sql sees the same while replaced files may still be on disk
    con = duckdb.connect()
    con.execute("SET file_search_path = ?", [str(lake)])
    con.execute((ROOT / "schemas" / "views.sql").read_text())
    assert con.execute("select count(*) from events").fetchone()[0] == len(before["events"])
    assert run_cli("compact", "--lake", lake).returncode == 0
    assert snapshot(lake) == before


def test_the_lock_admits_one_writer(tmp_path):
    """A live holder (a process holding the flock) makes a run exit 75; a lock file
    nobody holds, whatever it says, never does."""
    inbox, lake = tmp_path / "inbox", tmp_path / "lake"
    write_jsonl(inbox / "a.jsonl", [article(0, "2024-03-04")])
    lake.mkdir()
    holder = subprocess.Popen([sys.executable, "-c", HOLD_LOCK, str(lake), "other"],
                              stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "held"
        busy = run_cli("run", "-i", inbox, "-o", lake, "--lock-wait", "1")
        assert busy.returncode == 75 and "locked by run other" in busy.stderr
        assert not list(lake.glob("*/dt=*/*.parquet"))
        refused = invoke("unlock", "--lake", lake)
        assert refused.exit_code == 75 and "is alive" in refused.output
    finally:
        holder.kill()
        holder.wait()
    # the holder is gone: its lock file (still naming a live pid, ours) is taken over
    (lake / "_lock").write_text(json.dumps({"pid": os.getpid(), "host": os.uname().nodename,
                                            "run_id": "gone"}))
    assert invoke("run", "-i", inbox, "-o", lake).exit_code == 0
    assert not (lake / "_lock").exists()


HOLD_LOCK = """
import sys, time
from newsevents.transforms.storage.lock import LakeLock
with LakeLock(sys.argv[1], sys.argv[2]):
    print("held", flush=True)
    time.sleep(600)
"""


def test_since_until_select_by_publication_date(tmp_path):
    inbox, lake = tmp_path / "inbox", tmp_path / "lake"
    write_jsonl(inbox / "a.jsonl", [article(n, f"2024-03-0{n + 1}") for n in range(5)])
    result = invoke("run", "-i", inbox, "-o", lake, "--since", "2024-03-02", "--until", "2024-03-03")
    assert result.exit_code == 0, result.output
    con = connect_lake(str(lake))
    assert con.execute("select min(dt)::varchar, max(dt)::varchar, count(*) from articles").fetchone() == (
        "2024-03-02", "2024-03-03", 2)
    assert con.execute("select counts.out_of_range, counts.read from runs").fetchone() == (3, 2)
    # a backfill of the rest reads the same file again (it was not marked as processed)
    assert invoke("run", "-i", inbox, "-o", lake, "--since", "2024-03-01").exit_code == 0
    assert connect_lake(str(lake)).execute("select count(*) from articles").fetchone()[0] == 5
    bad = invoke("run", "-i", inbox, "-o", lake, "--since", "2024-03-09", "--until", "2024-03-01")
    assert bad.exit_code != 0 and "--since must not be after --until" in bad.output


def hostile_corpus(folder):
    folder.mkdir()
    good = article(1, "2024-03-04")
    lines = "".join(json.dumps(article(n, "2024-03-04")) + "\n" for n in range(100, 400)).encode()
    packed = gzip.compress(lines)
    (folder / "truncated.jsonl.gz").write_bytes(packed[: len(packed) // 2])
    (folder / "invalid_utf8.jsonl").write_bytes(b'{"text": "bad \xff\xfe bytes in an article text"}\n')
    (folder / "latin1.txt").write_bytes("date 2024-03-04\nLe ministre a été reçu à Bamako.".encode("latin-1"))
    (folder / "bom.jsonl").write_bytes(b"\xef\xbb\xbf" + json.dumps(good).encode() + b"\n")
    (folder / "nul.txt").write_bytes(b"date 2024-03-04\nAn article\x00with a NUL byte in the middle of it.")
    (folder / "huge.txt").write_bytes(b"date 2024-03-04\n" + b"word " * (4 * 1024 * 1024))  # 20 MB
    (folder / "huge_line.jsonl").write_text(json.dumps({"published_at": "2024-03-04", "text": "word " * 600_000}) + "\n")
    (folder / "nested.html").write_text("<html><body>" + "<div>" * 50_000 + "text " * 20 + "</div>" * 50_000 + "</body></html>")
    (folder / "types.jsonl").write_text(
        '{"text": ["a list"]}\n{"text": "A fine text long enough to be an article.", "published_at": 20240304}\n'
        '{"text": "A fine text long enough to be an article.", "title": {"a": 1}, "published_at": "2024-03-04"}\n')
    (folder / "missing.jsonl").write_text('{"title": "no text"}\n{"text": ""}\n{"text": "   ", "html": ""}\n')
    (folder / "dates.jsonl").write_text(
        json.dumps(dict(good, id="f", published_at="2999-01-01")) + "\n"
        + json.dumps(dict(good, id="o", published_at="1850-01-01")) + "\n")
    (folder / "dup_ids.jsonl").write_text(
        json.dumps(dict(article(7, "2024-03-04"), id="same")) + "\n"
        + json.dumps(dict(article(8, "2024-03-04"), id="same")) + "\n")
    (folder / "empty.jsonl").write_bytes(b"")
    (folder / "empty.txt").write_bytes(b"")
    noise = random.Random(3)
    (folder / "binary.txt").write_bytes(bytes(noise.randrange(256) for _ in range(5000)))
    (folder / "image.png").write_bytes(b"\x89PNG\r\n\x1a\n" + b"\x00" * 100)
    (folder / "dangling.jsonl").symlink_to(folder / "gone.jsonl")
    with open(folder / "million.jsonl", "w") as handle:
        for n in range(1_000_000):
            handle.write('{"id": %d}\n' % n)


def test_hostile_input_is_accounted_for(tmp_path):
    hostile = tmp_path / "hostile"
    hostile_corpus(hostile)
    lake = tmp_path / "lake"
    result = run_cli("run", "-i", hostile, "-o", lake)
    # committed, but nearly every record was rejected: exit 5, the reasons on stderr
    assert result.returncode == 5, result.stderr[-2000:]
    assert "records rejected (100%), more than --max-reject-rate 0.5" in result.stderr
    assert "rejected records by reason" in result.stderr
    con = connect_lake(str(lake))
    read, stored, duplicates, rejected, ok = accounting(lake)
    assert ok and read == stored + duplicates + rejected
    reasons = dict(con.execute(
        "select regexp_extract(input, '[^/]+$') f, string_agg(distinct split_part(reason, ':', 1), '; ') "
        "from rejects where input not like '%million%' group by f").fetchall())
    assert reasons["truncated.jsonl.gz"].startswith("unreadable input after line")
    assert reasons["invalid_utf8.jsonl"] == "invalid UTF-8 at byte 14"
    assert reasons["latin1.txt"].startswith("invalid UTF-8")
    assert "NUL" in reasons["nul.txt"]
    assert reasons["huge.txt"].startswith("file too large")
    assert reasons["huge_line.jsonl"].startswith("body too large")
    assert reasons["nested.html"] == "HTML page has no extractable article text"
    assert "must be a string" in reasons["types.jsonl"] and "published_at must be" in reasons["types.jsonl"]
    assert reasons["missing.jsonl"] == "missing text"
    assert "in the future" in reasons["dates.jsonl"] and "before 1900" in reasons["dates.jsonl"]
    assert reasons["empty.jsonl"] == "empty file"
    assert reasons["empty.txt"] == "empty body"
    assert reasons["binary.txt"].startswith("invalid UTF-8")
    assert reasons["image.png"] == "unsupported file type (expected .jsonl, .ndjson, .txt, .html or .htm, optionally .gz)"
    assert reasons["dangling.jsonl"] == "unreadable input"
    assert con.execute("select count(*) from rejects where input like '%million.jsonl'").fetchone()[0] == 1_000_000
    # the BOM file, both records of the duplicated id and the readable part of the gzip are stored
    stored_ids = {r[0] for r in con.execute("select external_id from articles").fetchall()}
    assert {"a1", "same"} <= stored_ids
    assert con.execute("select count(*) from articles where external_id = 'same'").fetchone()[0] == 2
    assert con.execute("select count(*) from articles where input like '%truncated%'").fetchone()[0] > 10


def test_a_file_that_cannot_be_opened_is_rejected(tmp_path, monkeypatch):
    """Root reads every file, so an unreadable one is simulated at the open call."""
    import newsevents.transforms.read_articles as read_articles

    def refuse(path):
        raise PermissionError(13, "Permission denied", path)

    inbox = tmp_path / "inbox"
    write_jsonl(inbox / "a.jsonl", [article(0, "2024-03-04")])
    monkeypatch.setattr(read_articles, "open_input", refuse)
    assert invoke("run", "-i", inbox, "-o", tmp_path / "lake").exit_code == 5  # all rejected
    con = connect_lake(str(tmp_path / "lake"))
    assert con.execute("select reason from rejects").fetchone()[0].startswith("unreadable input after line 0")
    # not marked as processed: the next run tries the file again
    assert con.execute("select len(files) from runs").fetchone()[0] == 0


def test_reprocess_replaces_a_date_range_with_the_current_extractor(tmp_path, monkeypatch):
    import newsevents.transforms.extract_events as extract_events

    inbox, lake = tmp_path / "inbox", tmp_path / "lake"
    write_jsonl(inbox / "a.jsonl", [article(n, "2024-03-04") for n in range(3)]
                + [article(n, "2024-03-05") for n in range(3, 6)] + [dict(article(0, "2024-03-06"), id="copy")])
    # an "older extractor" that found nothing
    with monkeypatch.context() as patch:
        patch.setattr(extract_events.LoadedExtraction, "extract", lambda self, doc, row: ([], []))
        assert invoke("run", "-i", inbox, "-o", lake).exit_code == 0
    con = connect_lake(str(lake))
    assert con.execute("select count(*) from events").fetchone()[0] == 0
    before_other_day = con.execute("select article_id, num_events from articles where dt = '2024-03-05' "
                                   "order by 1").fetchall()
    result = invoke("run", "--reprocess", "-o", lake, "--since", "2024-03-04", "--until", "2024-03-04")
    assert result.exit_code == 0, result.output
    con = connect_lake(str(lake))
    by_day = dict(con.execute("select a.dt::varchar, count(e.event_id) from articles a left join events e "
                              "using (article_id) group by 1").fetchall())
    assert by_day["2024-03-04"] > 0 and by_day["2024-03-05"] == 0
    assert con.execute("select article_id, num_events from articles where dt = '2024-03-05' order by 1"
                       ).fetchall() == before_other_day
    assert con.execute("select count(*) = count(distinct article_id) from articles").fetchone()[0]
    assert con.execute("select count(*) from articles").fetchone()[0] == 7
    kinds = con.execute("select kind, counts.read, accounting_ok from runs order by started_at").fetchall()
    assert kinds == [("run", 7, True), ("reprocess", 3, True)]
    # reprocessing again with the same extractor changes nothing
    before = snapshot(lake)
    assert invoke("run", "--reprocess", "-o", lake, "--since", "2024-03-04", "--until", "2024-03-04").exit_code == 0
    assert snapshot(lake) == before
    bad = invoke("run", "--reprocess", "-o", lake)
    assert bad.exit_code == 2 and "--reprocess needs --since" in bad.output


def test_a_run_in_many_chunks_equals_a_run_in_one(tmp_path):
    """The local runner's chunking (here 4 records a chunk) changes nothing in the lake."""
    inbox = tmp_path / "inbox"
    records = [article(n, "2024-03-04") for n in range(9)] + [article(2, "2024-03-04"), {"id": "bad"}]
    write_jsonl(inbox / "a.jsonl", records)
    write_jsonl(inbox / "b.jsonl", [dict(article(3, "2024-03-05"), id="copy-of-3")])
    lines = "".join(json.dumps(article(n, "2024-03-06")) + "\n" for n in range(20, 32)).encode()
    packed = gzip.compress(lines)
    (inbox / "cut.jsonl.gz").write_bytes(packed[: len(packed) * 2 // 3])
    one, many = tmp_path / "one", tmp_path / "many"
    assert invoke("run", "-i", inbox, "-o", one).exit_code == 0
    result = invoke("run", "-i", inbox, "-o", many, "--chunk-records", "4")
    assert result.exit_code == 0, result.output
    assert snapshot(many) == snapshot(one)
    assert accounting(many) == accounting(one)
    con = connect_lake(str(many))
    assert con.execute("select count(*) from rejects where input like '%cut.jsonl.gz' "
                       "and reason like 'unreadable%'").fetchone()[0] == 1
    # the truncated file is marked as read at its size and mtime, like the whole ones:
    # it is read again only once it changes
    assert sorted(p.rsplit("/", 1)[-1] for (p,) in con.execute(
        "select unnest(files).path from runs").fetchall()) == ["a.jsonl", "b.jsonl", "cut.jsonl.gz"]
