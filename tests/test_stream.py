"""The stream's directory-follow source: what it reads, how it windows, and that a
restart (clean or after a crash) loses and duplicates nothing."""
import dataclasses
import datetime as dt
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest

from newsevents.pipelines.options import OptionsError, make_run_options, make_stream_options
from newsevents.pipelines.stream import (
    StreamPaths, StreamState, advance_watermark, fire_windows, is_ready, load_checkpoint,
    new_files, pending_panes, poll_directory, read_pane_file, remove_orphans, save_checkpoint)
from newsevents.transforms.storage.query import connect_lake
from tests.conftest import ROOT
from newsevents.transforms.streaming.pane_files import decode_pane_line

UTC = dt.timezone.utc
TEXT = ("Gunmen attacked a police post in {town} on Monday, killing {n} officers, officials "
        "said. Report number {i}.")
TOWNS = ["Kano", "Mosul", "Goma", "Gao", "Homs"]


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
                    max_delay="0s", settle="0s")
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
])
def test_stream_option_errors(tmp_path, settings, message):
    with pytest.raises(OptionsError, match=message):
        options_for(tmp_path, **settings)


def test_poll_windows_articles_routes_too_late_ones_and_fires_due_windows(tmp_path):
    options = options_for(tmp_path)
    paths = StreamPaths.of(options.lake)
    state = StreamState.new(options)
    base = 1_800_000_000.0  # a window start (divisible by 60)
    inbox = tmp_path / "inbox"
    drop(inbox, "a.jsonl", [article(1, dt.datetime.fromtimestamp(base + 5, UTC)),
                            article(2, dt.datetime.fromtimestamp(base + 65, UTC))], base)
    drop(inbox, "bad.jsonl", [], base)
    (inbox / "bad.jsonl").write_text("{not json\n")
    os.utime(inbox / "bad.jsonl", (base, base))

    polled = poll_directory(options, paths, state, now=base + 70)
    assert (polled.files, polled.articles, polled.rejected, polled.too_late) == (2, 2, 1, 0)
    assert sorted(state.open) == [base, base + 60]
    assert [Path(p).name for p in polled.panes] == [Path(p).name for p in pending_panes(paths)]

    watermark = advance_watermark(options, state, now=base + 70)  # max delay 0
    panes = fire_windows(paths, state, options.window_spec, watermark)
    assert len(panes) == 1 and Path(panes[0]).name.endswith("-000.pane.jsonl")
    [line] = read_pane_file(panes[0])
    tag, record = decode_pane_line(line)
    assert tag == "articles" and record["external_id"] == "s1"
    assert record["input"].endswith("a.jsonl") and record["position"] == 1  # provenance kept
    assert list(state.open) == [base + 60] and state.fired == {base: 1}

    # Late but allowed (window [base, base+60) expires at base + 90): a late pane.
    drop(inbox, "b.jsonl", [article(3, dt.datetime.fromtimestamp(base + 10, UTC))], base + 75)
    poll_directory(options, paths, state, now=base + 80)
    panes = fire_windows(paths, state, options.window_spec, advance_watermark(options, state, base + 80))
    assert [Path(p).name[-15:] for p in panes] == ["-001.pane.jsonl"]

    # Too late: routed to late/ and counted, never in a pane.
    advance_watermark(options, state, base + 100)
    fire_windows(paths, state, options.window_spec, state.watermark)
    drop(inbox, "c.jsonl", [article(4, dt.datetime.fromtimestamp(base + 20, UTC))], base + 101)
    polled = poll_directory(options, paths, state, now=base + 102)
    assert polled.too_late == 1 and state.late_uncommitted == 1
    [late] = list(Path(paths.late).iterdir())
    assert decode_pane_line(late.read_bytes().strip())[1]["external_id"] == "s4"
    assert state.fired == {}  # the first window expired and was forgotten
    totals = state.totals
    assert totals.articles + totals.rejected == 5 and totals.too_late == 1


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
    # A crash after writing a segment but before the checkpoint named it:
    orphan = Path(paths.open) / "20240101T000000Z-deadbeef.jsonl"
    orphan.write_text("{}\n")
    (Path(paths.panes)).mkdir(parents=True, exist_ok=True)
    (Path(paths.panes) / "x.pane.jsonl.tmp-1234").write_text("")
    again = load_checkpoint(paths, options)
    assert again == state
    assert remove_orphans(paths, again) == 2 and not orphan.exists()
    assert len(list(Path(paths.open).iterdir())) == 1  # the named segment stays


def test_checkpoint_of_another_directory_is_refused(tmp_path):
    options = options_for(tmp_path)
    paths = StreamPaths.of(options.lake)
    save_checkpoint(paths, dataclasses.replace(StreamState.new(options), input="/elsewhere"))
    with pytest.raises(OptionsError, match="follows '/elsewhere'"):
        load_checkpoint(paths, options)
    Path(paths.checkpoint).write_text("{oops")
    with pytest.raises(OptionsError, match="unreadable"):
        load_checkpoint(paths, options)


# --- end to end: the command in its own process ------------------------------------

def start_stream(tmp_path, *extra, kill_at=None):
    env = dict(os.environ)
    env.pop("NEWSEVENTS_KILL_AT", None)
    if kill_at:
        env["NEWSEVENTS_KILL_AT"] = kill_at
    args = [sys.executable, "-m", "newsevents.pipelines.cli", "stream", "-i", str(tmp_path / "inbox"),
            "-o", str(tmp_path / "lake"), "--window", "3s", "--allowed-lateness", "30s",
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
def test_stream_follows_a_directory_across_a_stop_and_a_crash(tmp_path):
    inbox, lake = tmp_path / "inbox", tmp_path / "lake"
    inbox.mkdir()
    now = dt.datetime.now(UTC)
    first = [article(i, now) for i in range(0, 4)]
    stream = start_stream(tmp_path)
    try:
        drop(inbox, "batch-1.jsonl", first[:2])
        drop(inbox, "batch-2.jsonl", first[2:])
        assert wait_for(lambda: len(stored_ids(lake)) == 4, 180), stream.stderr.read() if (
            stream.poll() is not None) else "no commit within 180 s"
    finally:
        stream.send_signal(signal.SIGTERM)
        out, err = stream.communicate(timeout=120)
    assert stream.returncode == 0, err
    assert "stopped: 2 files, 4 articles read" in err

    # Dropped while the stream is down, including a bad line and a too-late article.
    later = dt.datetime.now(UTC)
    # A syndicated copy of s0 (another outlet, another URL) arrives in a later window.
    copy = dict(article(0, later), id="copy0", source="other wire",
                url="https://example.net/copy-of-0")
    drop(inbox, "batch-3.jsonl", [article(i, later) for i in range(4, 7)] + [copy])
    (inbox / "batch-4.jsonl").write_text(
        json.dumps(article(7, later)) + "\n{broken\n"
        + json.dumps(article(8, later - dt.timedelta(hours=3))) + "\n")
    # A crash in the middle of the first pane's run (after the pipeline, before the commit):
    crashed = start_stream(tmp_path, kill_at="before_commit")
    out, err = crashed.communicate(timeout=300)
    assert crashed.returncode != 0
    assert stored_ids(lake) == sorted(f"s{i}" for i in range(4))

    resumed = start_stream(tmp_path, "--exit-when-idle", "8s")
    out, err = resumed.communicate(timeout=300)
    assert resumed.returncode == 0, err
    assert stored_ids(lake) == sorted(f"s{i}" for i in range(8))  # each once, s8 routed late

    con = connect_lake(str(lake))
    (reads, stored, duplicates, rejected, late) = con.execute(
        "SELECT sum(counts.read), sum(counts.stored), sum(counts.duplicates), "
        "sum(counts.rejected), sum(counts.late_routed) FROM runs WHERE kind = 'stream'").fetchone()
    assert (reads, stored, duplicates, rejected, late) == (10, 8, 1, 1, 1)
    # The copy is recognized across windows, and s0's incident counts its outlet.
    original, copy_of = con.execute(
        "SELECT (SELECT article_id FROM articles WHERE external_id = 's0'), "
        "(SELECT duplicate_of FROM articles WHERE external_id = 'copy0')").fetchone()
    assert copy_of == original
    sources = con.execute(
        "SELECT num_sources FROM (SELECT num_sources, unnest(reports) AS report FROM incidents) "
        "WHERE report.article_id = ?", [original]).fetchall()
    assert sources and all(n >= 2 for (n,) in sources)
    assert con.execute("SELECT count(*) FROM events").fetchone()[0] >= 8
    assert not list(Path(lake, "_stream", "panes").glob("*.pane.jsonl"))

    # A batch run merges the late-data path; the article is stored once.
    merged = subprocess.run([sys.executable, "-m", "newsevents.pipelines.cli", "run", "-i",
                             str(lake / "_stream" / "late"), "-o", str(lake)],
                            cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert merged.returncode == 0, merged.stderr
    assert stored_ids(lake) == sorted(f"s{i}" for i in range(9))
    row = duckdb.connect().execute(
        "SELECT input, position FROM read_parquet(?, hive_partitioning=true) "
        "WHERE external_id = 's8'", [str(lake / "articles" / "*" / "*.parquet")]).fetchone()
    assert row == (str(inbox / "batch-4.jsonl"), 3)  # provenance of the crawler file


@pytest.mark.model
@pytest.mark.slow
def test_open_windows_are_left_for_the_next_start_or_flushed(tmp_path):
    inbox, lake = tmp_path / "inbox", tmp_path / "lake"
    inbox.mkdir()
    now = dt.datetime.now(UTC)
    drop(inbox, "a.jsonl", [article(i, now) for i in range(3)])
    # Hour-long windows: nothing is due before the stop.
    stream = start_stream(tmp_path, "--window", "1h", "--exit-when-idle", "3s")
    out, err = stream.communicate(timeout=300)
    assert stream.returncode == 0, err
    assert "1 windows open" in err and stored_ids(lake) == []
    checkpoint = json.loads((lake / "_stream" / "checkpoint.json").read_text())
    assert len(checkpoint["open"]) == 1

    flushed = start_stream(tmp_path, "--window", "1h", "--exit-when-idle", "1s",
                           "--flush-on-stop")
    out, err = flushed.communicate(timeout=300)
    assert flushed.returncode == 0, err
    assert stored_ids(lake) == ["s0", "s1", "s2"]
    assert "0 windows open" in err
