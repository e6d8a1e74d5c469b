"""The stream's directory-follow source: what it reads, when it commits (processing time,
whatever the publication date), the window panes its commits fire, the migration of a
windowed stream's lake, and that a restart (clean or after a crash) loses and
duplicates nothing."""
import dataclasses
import datetime as dt
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from newsevents.pipelines.options import OptionsError, make_run_options, make_stream_options
from newsevents.pipelines.stream import (
    FireWindows, Segment, StreamPaths, StreamState, drop_committed, load_checkpoint, new_files,
    poll_directory, remove_orphans, save_checkpoint, take_batch, is_ready)
from newsevents.schemas.tables import to_arrow_table
from newsevents.transforms.storage.lake_files import staged_path, write_parquet
from newsevents.transforms.storage.query import connect_lake
from newsevents.transforms.streaming.pane_files import (
    decode_pane_line, encode_article, read_pane_file, write_pane_file)
from newsevents.transforms.streaming.windows import EARLY, LATE, ON_TIME, WindowSpec
from tests.conftest import ROOT
from tests.lakes import commit_small_run

UTC = dt.timezone.utc
TEXT = ("Gunmen attacked a police post in {town} on Monday, killing {n} officers, officials "
        "said. Report number {i}.")
TOWNS = ["Kano", "Mosul", "Goma", "Gao", "Homs"]
OLD = dt.datetime(2013, 5, 14, 8, 30, tzinfo=UTC)  # years before it arrives: a back-fill


def article(i: int, published: dt.datetime) -> dict:
    return {"id": f"s{i}", "source": "test wire", "published_at": published.isoformat(),
            "url": f"https://example.org/stream/{i}",
            "text": TEXT.format(town=TOWNS[i % len(TOWNS)], n=3 + i % 20, i=i)}


def drop(directory: Path, name: str, records: list[dict], mtime: float | None = None):
    """As a crawler should: write under a temporary name, then rename into place."""
    directory.mkdir(parents=True, exist_ok=True)
    partial = directory / f".{name}.part"
    partial.write_text("".join(json.dumps(r) + "\n" for r in records))
    if mtime is not None:
        os.utime(partial, (mtime, mtime))
    partial.rename(directory / name)


def options_for(tmp_path, **settings):
    run = make_run_options([str(tmp_path / "inbox")], str(tmp_path / "lake"))
    (tmp_path / "inbox").mkdir(exist_ok=True)
    defaults = dict(input_dir=str(tmp_path / "inbox"), window="60s", allowed_lateness="30s",
                    max_delay="0s", settle="0s", commit_articles=3)
    defaults.update(settings)
    return make_stream_options(run, **defaults)


@pytest.mark.parametrize("name, age, ready", [
    ("a.jsonl", 10, True),
    ("a.jsonl", 0.5, False),        # still being written
    (".a.jsonl", 10, False),        # hidden: a crawler's temporary file
    ("a.jsonl.part", 10, False),
    ("a.jsonl.tmp", 10, False),
    ("a.html.crdownload", 10, False),
])
def test_is_ready(name, age, ready):
    assert is_ready(f"/in/{name}", mtime=100.0, now=100.0 + age, settle_seconds=2.0) is ready


@pytest.mark.parametrize("settings, message", [
    (dict(input_dir=None), "exactly one source"),
    (dict(window="soon"), "--window"),
    (dict(window="0s"), "--window must be positive"),
    (dict(allowed_lateness="-1m"), "--allowed-lateness"),
    (dict(watermark="wall"), "--watermark"),
    (dict(subscription="topic"), "exactly one source"),
    (dict(commit_every="5"), "give a unit"),
    (dict(commit_articles=0), "--commit-articles"),
    (dict(compact_files=-1), "--compact-files"),
])
def test_stream_option_errors(tmp_path, settings, message):
    with pytest.raises(OptionsError, match=message):
        options_for(tmp_path, **settings)


def test_defaults_commit_within_seconds():
    options = make_stream_options(make_run_options(["in"], "lake"), subscription="projects/p/subscriptions/s")
    assert 0 < options.commit_every <= 30 and options.poll <= 2 and options.settle <= 2


def test_poll_reads_articles_of_any_date_into_pending_pane_files(tmp_path):
    options = options_for(tmp_path)
    paths = StreamPaths.of(options.lake)
    state = StreamState.new(options)
    inbox = tmp_path / "inbox"
    now = time.time()
    # Five articles (one of 2013): two pane files of at most three, as --commit-articles says.
    drop(inbox, "a.jsonl", [article(i, OLD if i == 0 else dt.datetime.now(UTC)) for i in range(5)], now - 30)
    (inbox / "bad.jsonl").write_text("{not json\n")
    os.utime(inbox / "bad.jsonl", (now - 30, now - 30))
    state.last_poll = now - 20
    polled = poll_directory(options, paths, state, now)
    assert (polled.files, polled.articles, polled.rejected) == (2, 5, 1)
    assert sorted((s.articles, s.rejects) for s in state.pending) == [(0, 1), (2, 0), (3, 0)]
    # Files that landed before the previous poll arrived when that poll could have seen them.
    assert {s.arrived for s in state.pending} == {now - 20}
    lines = [decode_pane_line(line) for s in state.pending for line in read_pane_file(s.path)]
    first = [record for tag, record in lines if tag == "articles" and record["external_id"] == "s0"]
    assert first[0]["published_at"] == OLD and first[0]["position"] == 1  # provenance kept
    assert first[0]["input"].endswith("a.jsonl")
    saved = load_checkpoint(paths, options, now)
    assert saved.pending == state.pending and saved.totals.articles == 5


@pytest.mark.parametrize("records, arrived, now, expected", [
    ([2, 1], [100, 101], 104.0, []),               # the oldest waited 4 s of 5
    ([2, 1], [100, 101], 105.0, [0, 1]),           # 5 s: both files
    ([2, 2, 1], [100, 101, 102], 105.0, [0, 1]),   # at most --commit-articles (4) a commit
    ([5, 1], [100, 101], 100.5, [0]),              # a file beyond the cap goes alone
    ([1, 1, 1, 1], [100, 100.1, 100.2, 100.3], 100.5, [0, 1, 2, 3]),  # four wait: due at once
])
def test_commits_are_due_on_processing_time_or_count(records, arrived, now, expected):
    from newsevents.transforms.streaming.windows import commit_due

    pending = [Segment(f"p{i}", n, 0, t) for i, (n, t) in enumerate(zip(records, arrived))]
    due = commit_due(sum(records), min(arrived), now, commit_every=5.0, commit_articles=4)
    batch = take_batch(pending, 4) if due else []
    assert [int(s.path[1:]) for s in batch] == expected


def one_file_read(tmp_path):
    """A stream that has read one file: (options, paths, checkpoint, now)."""
    options = options_for(tmp_path)
    paths = StreamPaths.of(options.lake)
    state = StreamState.new(options)
    now = time.time()
    drop(tmp_path / "inbox", "a.jsonl", [article(1, dt.datetime.now(UTC))], now - 10)
    poll_directory(options, paths, state, now)
    return options, paths, state, now


def test_files_seen_are_not_read_again_and_a_changed_file_is(tmp_path):
    options, paths, state, now = one_file_read(tmp_path)
    assert new_files(options, state, now) == []
    drop(tmp_path / "inbox", "a.jsonl", [article(1, dt.datetime.now(UTC)),
                                         article(2, dt.datetime.now(UTC))], now - 5)
    assert [Path(p).name for p, _, _ in new_files(options, state, now)] == ["a.jsonl"]
    os.remove(tmp_path / "inbox" / "a.jsonl")
    new_files(options, state, now)
    assert state.files == {}  # a removed file is forgotten


def test_checkpoint_survives_a_restart_and_orphans_are_removed(tmp_path):
    options, paths, state, now = one_file_read(tmp_path)
    # A crash after writing a pane file but before the checkpoint named it:
    orphan = Path(paths.pending) / "seg-0000000009-deadbeef.pane.jsonl"
    orphan.write_text("{}\n")
    (Path(paths.pending) / ".seg-1.pane.jsonl.tmp-1234abcd").write_text("")
    again = load_checkpoint(paths, options, now)
    assert again == state
    assert remove_orphans(paths, again) == 2 and not orphan.exists()
    assert [p.name for p in Path(paths.pending).iterdir()] == [Path(state.pending[0].path).name]


def test_checkpoint_of_another_directory_is_refused(tmp_path):
    options = options_for(tmp_path)
    paths = StreamPaths.of(options.lake)
    save_checkpoint(paths, dataclasses.replace(StreamState.new(options), input="/elsewhere"))
    with pytest.raises(OptionsError, match="follows '/elsewhere'"):
        load_checkpoint(paths, options, 0.0)
    Path(paths.checkpoint).write_text("{oops")
    with pytest.raises(OptionsError, match="unreadable"):
        load_checkpoint(paths, options, 0.0)


def test_a_pane_file_committed_before_a_crash_is_not_committed_again(tmp_path):
    options, paths, state, now = one_file_read(tmp_path)
    [segment] = state.pending
    info = os.stat(segment.path)
    # A run read it completely and committed, and the stream died before forgetting it.
    commit_small_run(Path(options.lake), 1, inputs=((segment.path, info.st_size, info.st_mtime),))
    other = Path(paths.pending) / "seg-0000000001-feed.pane.jsonl"
    write_pane_file(str(other), [encode_article(dict(
        external_id="s2", published_at=OLD, text="Text.", input="x", position=1))])
    state.pending.append(Segment(str(other), 1, 0, now))
    assert drop_committed(options.lake, state) == 1
    assert [s.path for s in state.pending] == [str(other)] and not Path(segment.path).exists()


def test_the_windowed_streams_lake_is_migrated_and_loses_nothing(tmp_path):
    """A lake of the stream before schema 1.6: a version-2 checkpoint naming an open
    window's segment, a half-written segment it does not name, a pane not committed,
    and a too-late article in late/."""
    options = options_for(tmp_path)
    paths = StreamPaths.of(options.lake)
    root = Path(paths.root)
    for folder in ("open", "panes", "late"):
        (root / folder).mkdir(parents=True)
    line = lambda i: encode_article(dict(external_id=f"s{i}", published_at=OLD, text="Text.",  # noqa: E731
                                         input="crawl/a.jsonl", position=i))
    (root / "open" / "20130514T083000Z-aaaa.jsonl").write_bytes(line(1) + line(2))
    (root / "open" / "20130514T083000Z-bbbb.jsonl").write_bytes(line(3))  # not named: an orphan
    (root / "panes" / "20130514T081500Z-000.pane.jsonl").write_bytes(line(4))
    (root / "late" / "late-0123456789abcdef.pane.jsonl").write_bytes(line(5))
    legacy = {"version": 2, "input": options.input_dir, "window_seconds": 60.0,
              "allowed_lateness_seconds": 30.0, "watermark": 1.0e9, "newest_published": 1.0e9,
              "files": {"crawl/a.jsonl": [10, 1.0]},
              "open": [[1368520200.0, [str(root / "open" / "20130514T083000Z-aaaa.jsonl")]]],
              "fired": [], "late_uncommitted": 1, "late_files": [],
              "totals": {"files": 1, "articles": 5, "rejected": 0, "too_late": 1, "panes": 1, "runs": 0}}
    Path(paths.checkpoint).write_text(json.dumps(legacy))
    state = load_checkpoint(paths, options, 5.0)
    save_checkpoint(paths, state)
    # The open window's segment was copied to a pane file; it and the unnamed one go.
    assert remove_orphans(paths, state) == 2 and not list((root / "open").iterdir())
    assert sorted((Path(s.path).parent.name, s.articles) for s in state.pending) == [
        ("late", 1), ("panes", 1), ("pending", 2)]
    assert state.totals.adopted == 4 and state.files == {"crawl/a.jsonl": (10, 1.0)}
    assert load_checkpoint(paths, options, 6.0) == state  # a restart now adopts nothing twice


def events_file(tmp_path: Path, run_id: str, published: list[float]) -> str:
    rows = [{"event_id": f"e{i}", "article_id": f"a{i}", "event_type": "ASSAULT",
             "country_iso3": "NGA", "modality": "asserted", "incident_id": f"inc-{i % 2}",
             "fatalities": 2 + i, "run_id": run_id,
             "published_at": dt.datetime.fromtimestamp(t, UTC)} for i, t in enumerate(published)]
    path = staged_path(str(tmp_path), run_id, "events", "2024-03-01", 0)
    write_parquet(path, to_arrow_table("events", rows))
    return path


SPEC = WindowSpec(size=60, allowed_lateness=120)


@pytest.mark.parametrize("published, watermark, awaiting, expected", [
    ([10, 70], 50.0, set(), [(0.0, EARLY), (60.0, EARLY)]),       # both windows still open
    ([10], 65.0, set(), [(0.0, LATE)]),                           # past its end: late
    ([70], 65.0, {0.0}, [(0.0, ON_TIME), (60.0, EARLY)]),         # [0, 60) fired early: now on time
    ([10], 181.0, set(), []),                                     # closed (60 + 120 <= 181): no pane
    ([10, 11], None, set(), [(0.0, EARLY)]),                      # no watermark yet
])
def test_a_commit_fires_the_panes_of_its_windows(tmp_path, published, watermark, awaiting, expected):
    own = events_file(tmp_path, "R1", published)
    windows = FireWindows(SPEC, watermark, awaiting, dt.datetime(2024, 3, 1, tzinfo=UTC))
    staged, metrics = windows(str(tmp_path), "R1", {"events": [own], "event_windows": []})
    assert [(p.window_start, p.timing) for p in windows.fired] == expected
    assert metrics["stream:window_panes"] == len(expected)
    rows = [row for path in staged for row in pq.read_table(path).to_pylist()]
    # A row for each fired window that holds events (one type and country here).
    holding = {SPEC.start(t) for t in published} & {s for s, _ in expected}
    assert sorted(r["window_start"].timestamp() for r in rows) == sorted(holding)
    state = StreamState(input=None, awaiting_on_time=set(awaiting))
    windows.settle(state)
    assert state.awaiting_on_time == {s for s, t in expected if t == EARLY} | (
        set(awaiting) - {s for s, t in expected if t == ON_TIME})


def test_window_panes_accumulate_and_count_in_order(tmp_path):
    first = events_file(tmp_path, "R1", [5, 6, 70])
    windows = FireWindows(SPEC, 30.0, set(), dt.datetime(2024, 3, 1, tzinfo=UTC))
    staged, _ = windows(str(tmp_path), "R1", {"events": [first], "event_windows": []})
    rows = {r["window_start"].timestamp(): r for p in staged for r in pq.read_table(p).to_pylist()}
    assert (rows[0.0]["events"], rows[0.0]["incidents"], rows[0.0]["fatalities"]) == (2, 2, 2 + 3)
    assert rows[0.0]["pane_index"] == 0 and rows[0.0]["pane_timing"] == EARLY
    # A late report of window [0, 60): the next pane counts all three of its events.
    second = staged_path(str(tmp_path), "R2", "events", "2024-03-01", 0)
    write_parquet(second, to_arrow_table("events", [{
        "event_id": "late", "article_id": "a9", "event_type": "ASSAULT", "country_iso3": "NGA",
        "modality": "asserted", "incident_id": "inc-0", "fatalities": 9, "run_id": "R2",
        "published_at": dt.datetime.fromtimestamp(40, UTC)}]))
    windows = FireWindows(SPEC, 100.0, {0.0}, dt.datetime(2024, 3, 1, tzinfo=UTC))
    staged2, _ = windows(str(tmp_path), "R2", {"events": [first, second], "event_windows": staged})
    [row] = [r for p in staged2 for r in pq.read_table(p).to_pylist() if r["window_start"].timestamp() == 0]
    assert (row["pane_timing"], row["pane_index"], row["events"], row["articles"]) == (ON_TIME, 1, 3, 3)
    assert row["fatalities"] == 9 + 3  # inc-0's largest toll (9) and inc-1's (3)
    assert row["watermark"].timestamp() == 100.0


# --- end to end: the command in its own process ------------------------------------

def start_stream(tmp_path, *extra, kill_at=None):
    env = dict(os.environ)
    env.pop("NEWSEVENTS_KILL_AT", None)
    if kill_at:
        env["NEWSEVENTS_KILL_AT"] = kill_at
    args = [sys.executable, "-m", "newsevents.pipelines.cli", "stream", "-i", str(tmp_path / "inbox"),
            "-o", str(tmp_path / "lake"), "--commit-every", "2s", "--window", "20s",
            "--max-delay", "1s", "--poll", "0.5s", "--settle", "0s", *extra]
    return subprocess.Popen(args, cwd=ROOT, env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)


def stored_ids(lake: Path) -> list[str]:
    if not (lake / "runs").exists():
        return []
    con = connect_lake(str(lake))
    return [r[0] for r in con.execute(
        "SELECT external_id FROM articles WHERE duplicate_of IS NULL ORDER BY 1").fetchall()]


def wait_for(predicate, seconds: float):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.5)
    return False


@pytest.mark.model
@pytest.mark.slow
def test_stream_commits_articles_of_any_date_across_a_stop_and_a_crash(tmp_path):
    inbox, lake = tmp_path / "inbox", tmp_path / "lake"
    inbox.mkdir()
    now = dt.datetime.now(UTC)
    # Two of today and two of 2013: all queryable within seconds, none too late.
    first = [article(0, now), article(1, OLD), article(2, now), article(3, OLD + dt.timedelta(days=400))]
    stream = start_stream(tmp_path)
    try:
        drop(inbox, "batch-1.jsonl", first[:2])
        landed = time.monotonic()
        drop(inbox, "batch-2.jsonl", first[2:])
        assert wait_for(lambda: len(stored_ids(lake)) == 4, 60), stream.stderr.read() if (
            stream.poll() is not None) else "not queryable within 60 s"
        assert time.monotonic() - landed < 60
    finally:
        stream.send_signal(signal.SIGTERM)
        out, err = stream.communicate(timeout=120)
    assert stream.returncode == 0, err
    assert "stopped: 2 files, 4 articles read" in err

    # Dropped while the stream is down, including a bad line and an article of 2013.
    later = dt.datetime.now(UTC)
    # A syndicated copy of s0 (another outlet, another URL) arrives in a later commit.
    copy = dict(article(0, later), id="copy0", source="other wire",
                url="https://example.net/copy-of-0")
    drop(inbox, "batch-3.jsonl", [article(i, later) for i in range(4, 7)] + [copy])
    (inbox / "batch-4.jsonl").write_text(
        json.dumps(article(7, later)) + "\n{broken\n" + json.dumps(article(8, OLD)) + "\n")
    # A crash in the middle of the commit's run (after the pipeline, before the commit):
    crashed = start_stream(tmp_path, kill_at="before_commit")
    out, err = crashed.communicate(timeout=300)
    assert crashed.returncode != 0
    assert stored_ids(lake) == sorted(f"s{i}" for i in range(4))

    resumed = start_stream(tmp_path, "--exit-when-idle", "8s")
    out, err = resumed.communicate(timeout=300)
    assert resumed.returncode == 0, err
    assert stored_ids(lake) == sorted(f"s{i}" for i in range(9))  # each once, s8 of 2013 too

    con = connect_lake(str(lake))
    (reads, stored, duplicates, rejected, late) = con.execute(
        "SELECT sum(counts.read), sum(counts.stored), sum(counts.duplicates), "
        "sum(counts.rejected), sum(counts.late_routed) FROM runs WHERE kind = 'stream'").fetchone()
    assert (reads, stored, duplicates, rejected, late) == (11, 9, 1, 1, 0)
    assert con.execute("SELECT bool_and(accounting_ok) FROM runs").fetchone()[0]
    # The copy is recognized across commits, and s0's incident counts its outlet.
    original, copy_of = con.execute(
        "SELECT (SELECT article_id FROM articles WHERE external_id = 's0'), "
        "(SELECT duplicate_of FROM articles WHERE external_id = 'copy0')").fetchone()
    assert copy_of == original
    sources = con.execute(
        "SELECT num_sources FROM (SELECT num_sources, unnest(reports) AS report FROM incidents) "
        "WHERE report.article_id = ?", [original]).fetchall()
    assert sources and all(n >= 2 for (n,) in sources)
    # Old articles keep their publication date as partition.
    assert str(con.execute("SELECT dt FROM articles WHERE external_id = 's8'").fetchone()[0]) == "2013-05-14"
    row = con.execute("SELECT input, position FROM articles WHERE external_id = 's8'").fetchone()
    assert row == (str(inbox / "batch-4.jsonl"), 3)  # provenance of the crawler file
    assert not list(Path(lake, "_stream", "pending").glob("*.pane.jsonl"))
    assert not Path(lake, "_stream", "late").exists()
    # Today's windows fired panes; each window's latest pane counts what events hold.
    latest = con.execute(open(ROOT / "schemas" / "queries" / "events_by_window.sql").read()).fetchall()
    columns = [c[0] for c in con.description]
    panes = [dict(zip(columns, row)) for row in latest]
    assert panes and {p["last_pane"] for p in panes} <= {EARLY, ON_TIME, LATE}
    for pane in panes:
        live = con.execute(
            "SELECT count(*), count(DISTINCT article_id) FROM events WHERE published_at >= ? "
            "AND published_at < ? AND event_type = ? AND country_iso3 IS NOT DISTINCT FROM ?",
            [pane["window_start"], pane["window_end"], pane["event_type"], pane["country_iso3"]]).fetchone()
        assert (pane["events"], pane["articles"]) == live, pane
    # The 2013 windows are closed (a day of allowed lateness): stored, but no pane.
    assert con.execute("SELECT count(*) FROM event_windows WHERE window_start < '2020-01-01'").fetchone()[0] == 0


@pytest.mark.model
@pytest.mark.slow
def test_what_was_read_is_left_for_the_next_start_or_committed_when_idle(tmp_path):
    inbox, lake = tmp_path / "inbox", tmp_path / "lake"
    inbox.mkdir()
    drop(inbox, "a.jsonl", [article(i, OLD) for i in range(3)])
    # Commits due after an hour: nothing is committed before the stop.
    stream = start_stream(tmp_path, "--commit-every", "1h")
    checkpoint = lake / "_stream" / "checkpoint.json"
    try:
        assert wait_for(lambda: checkpoint.exists() and json.loads(checkpoint.read_text())["pending"], 120)
    finally:
        stream.send_signal(signal.SIGTERM)
        out, err = stream.communicate(timeout=120)
    assert stream.returncode == 0, err
    assert "3 records waiting" in err and stored_ids(lake) == []

    idle = start_stream(tmp_path, "--commit-every", "1h", "--exit-when-idle", "1s")
    out, err = idle.communicate(timeout=300)
    assert idle.returncode == 0, err
    assert stored_ids(lake) == ["s0", "s1", "s2"]
    assert "0 records waiting" in err


@pytest.mark.model
@pytest.mark.slow
def test_a_windowed_streams_lake_is_committed_on_start(tmp_path):
    """Articles an earlier stream held in an open window and routed to late/ become rows."""
    inbox, lake = tmp_path / "inbox", tmp_path / "lake"
    inbox.mkdir()
    root = lake / "_stream"
    for folder in ("open", "late"):
        (root / folder).mkdir(parents=True)
    records = [dict(external_id=f"s{i}", published_at=OLD, source="test wire",
                    text=TEXT.format(town="Kano", n=i + 3, i=i), input="crawl/a.jsonl", position=i + 1)
               for i in range(2)]
    segment = root / "open" / "20130514T083000Z-aaaa.jsonl"
    segment.write_bytes(encode_article(records[0]))
    (root / "late" / "late-0123456789abcdef.pane.jsonl").write_bytes(encode_article(records[1]))
    (root / "checkpoint.json").write_text(json.dumps({
        "version": 2, "input": str(inbox), "window_seconds": 60.0, "allowed_lateness_seconds": 30.0,
        "watermark": 1.0e9, "newest_published": 1.0e9, "files": {},
        "open": [[1368520200.0, [str(segment)]]], "fired": [], "late_uncommitted": 1,
        "late_files": [], "totals": {"files": 1, "articles": 2, "rejected": 0, "too_late": 1,
                                     "panes": 0, "runs": 0}}))
    stream = start_stream(tmp_path, "--exit-when-idle", "1s")
    out, err = stream.communicate(timeout=300)
    assert stream.returncode == 0, err
    assert stored_ids(lake) == ["s0", "s1"]
    assert "2 records of an earlier stream committed" in err
    assert not segment.exists() and not list((root / "late").glob("*.pane.jsonl"))
