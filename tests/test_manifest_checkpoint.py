"""The manifest checkpoint: many small commits fold into one checkpoint and a few history
files, readers see the same lake as when reading every manifest, a fold killed at any
point loses and duplicates nothing, and `check` / `--repair` verify and rewrite it."""
import datetime as dt
import json
import os
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

import newsevents.pipelines.commits as commits
from newsevents.pipelines import repair as lake_repair
from newsevents.pipelines.maintenance import compact
from newsevents.transforms.storage import manifest_checkpoint
from newsevents.transforms.storage.lake_files import file_run_id, read_lake_state, visible_files
from newsevents.transforms.storage.manifest_checkpoint import read_checkpoint
from newsevents.transforms.storage.query import connect_lake, init_script
from tests.conftest import ROOT
from tests.lakes import commit_small_run

UTC = dt.timezone.utc
TABLES = ("articles", "events")


@pytest.fixture
def small_folds(monkeypatch):
    """Folds after 5 manifests; a day's history merged once it has 3 files."""
    monkeypatch.setattr(commits, "FOLD_AFTER", 5)
    monkeypatch.setattr(manifest_checkpoint, "MERGE_HISTORY_AT", 3)


def runs_files(lake: Path) -> dict[str, list[str]]:
    names = sorted(p.name for p in lake.glob("runs/dt=*/*.parquet"))
    return {"history": [n for n in names if n.startswith("history-")],
            "manifests": [n for n in names if n.startswith("part-")]}


def same_lake(lake: Path):
    """What a reader of the checkpoint sees is what a reader of every manifest sees."""
    fast = read_lake_state(str(lake), warn=False)
    full = read_lake_state(str(lake), warn=False, full=True)
    for table in TABLES:
        visible = visible_files(str(lake), table, full)
        assert visible_files(str(lake), table, fast) == visible
        assert {file_run_id(path) for path in visible} <= fast.committed
    # The stream's pane files leave the checkpoint once deleted; every other input stays.
    stream_root = str(lake / "_stream") + "/"
    assert fast.processed_files() == {path: value for path, value in full.processed_files().items()
                                      if not path.startswith(stream_root) or Path(path).exists()}
    assert fast.problems == {} and full.problems == {}
    return fast, full


def runs_view(lake: Path) -> tuple[int, int]:
    rows, distinct = connect_lake(str(lake)).execute(
        "select count(*), count(distinct run_id) from runs").fetchone()
    return rows, distinct


def test_many_commits_fold_into_a_checkpoint_and_few_history_files(tmp_path, small_folds):
    lake = tmp_path / "lake"
    for n in range(23):
        commit_small_run(lake, n)
    files = runs_files(lake)
    assert len(files["manifests"]) < 5  # the others are folded
    assert 1 <= len(files["history"]) < 3  # merged once three pile up
    checkpoint = read_checkpoint(str(lake))
    assert checkpoint.runs_folded + len(files["manifests"]) == 23
    same_lake(lake)
    assert runs_view(lake) == (23, 23)
    con = connect_lake(str(lake))
    assert con.execute("select count(*) from articles").fetchone()[0] == 23
    # The views of a plain duckdb shell read the history files too.
    plain = duckdb.connect()
    plain.execute(init_script(str(lake)))
    assert plain.execute("select count(*), count(distinct run_id) from runs").fetchone() == (23, 23)
    assert plain.execute("select count(*) from articles").fetchone()[0] == 23


def test_the_checkpoint_keeps_what_is_in_force_only(tmp_path, small_folds):
    lake = tmp_path / "lake"
    stream = lake / "_stream" / "pending"
    stream.mkdir(parents=True)
    kept_pane, gone_pane, crawl = stream / "kept.pane.jsonl", stream / "gone.pane.jsonl", tmp_path / "a.jsonl"
    for path in (kept_pane, gone_pane, crawl):
        path.write_text("{}\n")
    inputs = {0: (str(crawl), 3, 1.0), 1: (str(kept_pane), 3, 1.0), 2: (str(gone_pane), 3, 1.0)}
    for n in range(12):
        commit_small_run(lake, n, inputs=(inputs[n],) if n in inputs else ())
    gone_pane.unlink()
    compact(str(lake))  # every file replaced by merged ones; every manifest folded
    checkpoint = read_checkpoint(str(lake))
    assert runs_files(lake)["manifests"] == []
    # Only runs with a file in force stay: the compaction, and the first commit for the
    # empty stand-ins of the tables it had no rows for.
    manifests = sorted(read_lake_state(str(lake), full=True).manifests, key=lambda m: m["started_at"])
    assert set(checkpoint.runs) == {manifests[0]["run_id"], manifests[-1]["run_id"]}
    assert manifests[-1]["kind"] == "compact"
    assert {f["path"].split("/")[0] for f in checkpoint.runs[manifests[0]["run_id"]]} == {
        "places", "rejects", "incidents", "event_windows"}
    assert {Path(p).name for p in checkpoint.processed} == {"a.jsonl", "kept.pane.jsonl"}
    assert checkpoint.replaced == set()
    same_lake(lake)
    assert runs_view(lake) == (13, 13)  # history keeps every run
    assert connect_lake(str(lake)).execute("select count(*) from events").fetchone()[0] == 12


def test_past_days_history_is_merged_into_one_file(tmp_path, small_folds):
    lake = tmp_path / "lake"
    for n in range(12):
        started = dt.datetime(2024, 1, 1 + n // 6, 9, n, tzinfo=UTC)
        commit_small_run(lake, n, started=started)
    compact(str(lake), min_files=1000)  # nothing to merge: only folds
    by_day = {}
    for path in lake.glob("runs/dt=*/history-*.parquet"):
        by_day.setdefault(path.parent.name, []).append(path.name)
    assert {day: len(names) for day, names in by_day.items() if day < "dt=2024-01-03"} == {
        "dt=2024-01-01": 1, "dt=2024-01-02": 1}
    assert runs_view(lake) == (13, 13)


FOLD_SCRIPT = """
import sys
sys.path.insert(0, {root!r})
from pathlib import Path
import newsevents.pipelines.commits as commits
commits.FOLD_AFTER = 5
from tests.lakes import commit_small_run
for n in range({start}, {stop}):
    commit_small_run(Path({lake!r}), n)
"""


def commit_in_a_process(lake: Path, start: int, stop: int, kill_at: str | None = None):
    env = dict(os.environ)
    env.pop("NEWSEVENTS_KILL_AT", None)
    if kill_at:
        env["NEWSEVENTS_KILL_AT"] = kill_at
    code = FOLD_SCRIPT.format(root=str(ROOT), lake=str(lake), start=start, stop=stop)
    return subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True,
                          timeout=300)


@pytest.mark.parametrize("kill_at", ["mid_fold", "before_checkpoint", "after_checkpoint"])
def test_a_fold_killed_anywhere_loses_and_duplicates_nothing(tmp_path, kill_at, small_folds):
    lake = tmp_path / "lake"
    assert commit_in_a_process(lake, 0, 7).returncode == 0  # one fold done
    killed = commit_in_a_process(lake, 7, 12, kill_at)
    assert killed.returncode != 0  # the commit of run 9 folds (5 manifests), and dies folding
    # Run 9's manifest was written before the fold: every run is committed, once.
    assert runs_view(lake) == (10, 10)
    plain = duckdb.connect()
    plain.execute(init_script(str(lake)))
    assert plain.execute("select count(*), count(distinct run_id) from runs").fetchone() == (10, 10)
    assert connect_lake(str(lake)).execute("select count(*) from articles").fetchone()[0] == 10
    same_lake(lake)
    assert lake_repair.check(str(lake)).findings == []
    # The next commits clean what the fold left and fold again.
    assert commit_in_a_process(lake, 10, 18).returncode == 0
    checkpoint = read_checkpoint(str(lake))
    history = {p.relative_to(lake).as_posix() for p in lake.glob("runs/dt=*/history-*.parquet")}
    assert history == set(checkpoint.history)  # no history file left unnamed
    assert not any((lake / rel).exists() for rel in checkpoint.folded if rel not in history)
    assert runs_view(lake) == (18, 18)
    same_lake(lake)


def test_check_finds_a_wrong_or_unreadable_checkpoint_and_repair_rewrites_it(tmp_path, small_folds):
    lake = tmp_path / "lake"
    for n in range(8):
        commit_small_run(lake, n)
    assert lake_repair.check(str(lake)).findings == []
    path = lake / "runs" / "_checkpoint.json"
    data = json.loads(path.read_text())
    dropped = sorted(data["runs"])[-1]
    del data["runs"][dropped]  # a run the manifests committed, missing from the checkpoint
    path.write_text(json.dumps(data))
    [finding] = lake_repair.check(str(lake)).findings
    assert finding.kind == "checkpoint" and "1 runs" in finding.problem
    lake_repair.repair(str(lake))
    assert lake_repair.check(str(lake)).findings == []
    assert dropped in read_checkpoint(str(lake)).runs

    path.write_text("{not json")
    fallback = read_lake_state(str(lake), warn=False)  # readers read every manifest instead
    assert fallback.checkpoint_problem and len(visible_files(str(lake), "articles", fallback)) == 8
    [finding] = lake_repair.check(str(lake)).findings
    assert finding.kind == "checkpoint" and "unreadable" in finding.problem
    lake_repair.repair(str(lake))
    assert lake_repair.check(str(lake)).findings == []
    assert connect_lake(str(lake)).execute("select count(*) from articles").fetchone()[0] == 8
