"""Power loss: the commit's fsyncs, in order, checked with a filesystem shim that
records every fsync, rename and mkdir; then a simulation that rebuilds, for each point
of the commit, the lake a power loss could leave behind, and queries it."""
import datetime as dt
import os
import pathlib
import shutil
from dataclasses import dataclass

import pytest

from newsevents.transforms.storage import durable
from newsevents.transforms.storage import commit as commit_module
from newsevents.transforms.storage.commit import commit_run
from newsevents.transforms.storage.lake_files import (
    file_facts, read_lake_state, stage_parquet, staged_path, write_parquet)
from newsevents.schemas.tables import to_arrow_table
from newsevents.transforms.storage.query import connect_lake

UTC = dt.timezone.utc


class FilesystemShim:
    """Records the calls that decide what survives a power loss."""

    def __init__(self, monkeypatch):
        self.events = []
        real = {name: getattr(os, name) for name in ("fsync", "replace", "rename", "mkdir")}

        def fsync(fd):
            self.events.append(("fsync", os.readlink(f"/proc/self/fd/{fd}")))
            return real["fsync"](fd)

        def move(name):
            def moved(source, target, *args, **kwargs):
                result = real[name](source, target, *args, **kwargs)
                self.events.append(("rename", os.path.abspath(source), os.path.abspath(target)))
                return result
            return moved

        def mkdir(path, *args, **kwargs):
            result = real["mkdir"](path, *args, **kwargs)
            self.events.append(("mkdir", os.path.abspath(path)))
            return result

        for name, shim in (("fsync", fsync), ("replace", move("replace")),
                           ("rename", move("rename")), ("mkdir", mkdir)):
            monkeypatch.setattr(os, name, shim)

    def index(self, event) -> int:
        return self.events.index(event)


def stage_run(lake, run_id: str, article_ids: list[str], facts: dict | None = None) -> list[str]:
    """Staged articles and events files of a run, as its pipeline would leave them.
    With ``facts``, staged as the pipeline's writers stage them (``stage_parquet``:
    written and fsynced), what they recorded of each file put in ``facts``."""
    articles = [{"article_id": a, "text": f"text {a}", "published_at": dt.datetime(2024, 3, 4, tzinfo=UTC),
                 "run_id": run_id} for a in article_ids]
    events = [{"event_id": f"e-{a}", "article_id": a, "event_type": "ASSAULT", "run_id": run_id}
              for a in article_ids]
    staged = {staged_path(lake, run_id, "articles", "2024-03-04", 0): to_arrow_table("articles", articles),
              staged_path(lake, run_id, "events", f"2024-03-0{len(article_ids)}", 0):
                  to_arrow_table("events", events)}
    for path, table in staged.items():
        if facts is None:
            write_parquet(path, table)
        else:
            facts[path] = stage_parquet(path, table)
    return list(staged)


def manifest(run_id: str) -> dict:
    return {"run_id": run_id, "kind": "run", "started_at": dt.datetime(2024, 3, 5, tzinfo=UTC),
            "status": "committed", "counts": {}, "replaced_files": []}


def what_queries_see(lake) -> tuple:
    con = connect_lake(str(lake))
    return (sorted(r[0] for r in con.execute("select article_id from articles").fetchall()),
            sorted(r[0] for r in con.execute("select event_id from events").fetchall()),
            con.execute("select count(*) from runs").fetchone()[0])


@dataclass
class StagedLake:
    lake: pathlib.Path
    before: pathlib.Path  # a copy of the lake before the commit
    staged: list[str]
    facts: dict | None  # what the writers recorded of the staged files; None: the commit reads them
    staging: list[tuple]  # the filesystem events of the staging


@pytest.fixture(params=["read by the commit", "recorded by their writers"])
def lakes(tmp_path, monkeypatch, request):
    """A lake with one committed run, and the second run staged in it (the two ways a
    run's files are staged)."""
    lake = tmp_path / "lake"
    commit_run(str(lake), manifest("R1"), stage_run(str(lake), "R1", ["a1", "a2"]))
    facts = {} if request.param == "recorded by their writers" else None
    with monkeypatch.context() as patch:
        shim = FilesystemShim(patch)
        staged = stage_run(str(lake), "R2", ["a3", "a4", "a5"], facts)
    before = tmp_path / "before"
    shutil.copytree(lake, before)
    return StagedLake(lake, before, staged, facts, shim.events)


def test_the_commit_fsyncs_data_then_renames_then_directories_then_the_manifest(lakes, monkeypatch):
    shim = FilesystemShim(monkeypatch)
    shim.events = list(lakes.staging)
    commit_run(str(lakes.lake), manifest("R2"), lakes.staged, lakes.facts)
    renames = [e for e in shim.events if e[0] == "rename"]
    manifest_rename = next(e for e in renames if "/runs/" in e[2])
    for source in map(os.path.abspath, lakes.staged):
        rename = next(e for e in renames if e[1] == source)
        target_dir = os.path.dirname(rename[2])
        assert shim.index(("fsync", source)) < shim.index(rename), "data before its name"
        assert shim.index(rename) < shim.index(("fsync", target_dir)) < shim.index(manifest_rename)
        # a writer's fsync is not done again
        assert [e for e in shim.events if e == ("fsync", source)] == [("fsync", source)]
    assert shim.index(("fsync", manifest_rename[1])) < shim.index(manifest_rename)
    assert shim.index(manifest_rename) < shim.index(("fsync", os.path.dirname(manifest_rename[2])))
    # every directory the commit created has its name fsynced in its parent, each parent once
    created = [e[1] for e in shim.events if e[0] == "mkdir" and "_staging" not in e[1]]
    assert created
    for directory in created:
        assert shim.index(("mkdir", directory)) < shim.index(("fsync", os.path.dirname(directory)))
    for parent in {os.path.dirname(d) for d in created}:
        assert shim.events.count(("fsync", parent)) == 1


def test_the_manifest_records_each_file_as_it_is_on_disk(lakes, monkeypatch):
    if lakes.facts is not None:
        # the writers' facts are taken as they are: no staged file is read again
        monkeypatch.setattr(commit_module, "file_facts", lambda path: pytest.fail(f"read {path}"))
    committed = commit_run(str(lakes.lake), manifest("R2"), lakes.staged, lakes.facts)
    written = sorted(committed["written_files"], key=lambda f: f["path"])
    monkeypatch.undo()
    assert written == [file_facts(str(lakes.lake / f["path"])) for f in written]
    assert [f["rows"] for f in written] == [3, 3]


def durable_entries(events, crash: int) -> tuple[dict, set, set]:
    """What the first ``crash`` events leave after a power loss, at worst: each renamed
    file's target (source -> target), the targets whose directory entry was fsynced
    since, and the file contents (by their path when fsynced) that were."""
    renamed, synced_names, synced_data = {}, set(), set()
    entries_made = []  # (position, path) of renames and mkdirs
    for position, event in enumerate(events[:crash]):
        if event[0] == "rename":
            renamed[event[2]] = event[1]
            entries_made.append((position, event[2]))
            if event[1] in synced_data:
                synced_data.add(event[2])
        elif event[0] == "mkdir":
            entries_made.append((position, event[1]))
        elif event[0] == "fsync":
            synced_data.add(event[1])
            for made_at, path in entries_made:
                if made_at < position and os.path.dirname(path) == event[1]:
                    synced_names.add(path)
    return renamed, synced_names, synced_data


def entry_survives(path: str, synced_names: set, created_dirs: set) -> bool:
    """A name survives if it was fsynced in its directory and every directory above it
    that the commit created did too."""
    if path not in synced_names:
        return False
    parent = os.path.dirname(path)
    return parent not in created_dirs or entry_survives(parent, synced_names, created_dirs)


def after_power_loss(before, lake, events, crash: int, target, worst: str):
    """The lake a power loss after event ``crash`` can leave, built in ``target``:
    ``worst`` is "names" (renames not yet fsynced are lost, but the manifest's is
    kept) or "data" (every rename is kept, data not yet fsynced is empty)."""
    shutil.copytree(before, target)
    renamed, synced_names, synced_data = durable_entries(events, crash)
    created_dirs = {e[1] for e in events[:crash] if e[0] == "mkdir"}
    for final in renamed:
        is_manifest = "/runs/" in final
        if worst == "names" and not is_manifest and not entry_survives(final, synced_names, created_dirs):
            continue
        copy = target / os.path.relpath(final, lake)
        copy.parent.mkdir(parents=True, exist_ok=True)
        if final in synced_data:
            shutil.copyfile(final, copy)
        else:
            copy.write_bytes(b"")  # its name reached the disk, its data did not
    shutil.rmtree(target / "_staging", ignore_errors=True)


@pytest.mark.parametrize("worst", ["names", "data"])
def test_a_power_loss_anywhere_in_the_commit_leaves_the_lake_before_or_after(lakes, monkeypatch,
                                                                             tmp_path, worst):
    lake, before = lakes.lake, lakes.before
    with monkeypatch.context() as patch:
        shim = FilesystemShim(patch)
        shim.events = list(lakes.staging)
        commit_run(str(lake), manifest("R2"), lakes.staged, lakes.facts)
    seen_before, seen_after = what_queries_see(before), what_queries_see(lake)
    assert seen_before != seen_after
    for crash in range(len(lakes.staging), len(shim.events) + 1):
        target = tmp_path / f"after-{worst}-{crash}"
        after_power_loss(before, lake, shim.events, crash, target, worst)
        state = read_lake_state(str(target))
        assert not [p for p, problem in state.problems.items() if "runs/" in p], (crash, state.problems)
        seen = what_queries_see(target)
        assert seen in (seen_before, seen_after), (crash, shim.events[:crash], seen)


def test_a_file_written_again_after_its_writer_recorded_it_is_read_again(tmp_path, monkeypatch):
    """A runner may run a bundle twice: the record kept can be the first attempt's
    while the file on disk is the second's."""
    lake, facts = tmp_path / "lake", {}
    staged = stage_run(str(lake), "R1", ["a1", "a2"], facts)
    again = to_arrow_table("articles", [{"article_id": a, "text": f"another text {a}", "run_id": "R1",
                                        "published_at": dt.datetime(2024, 3, 4, tzinfo=UTC)}
                                       for a in ("a1", "a2", "a3")])
    write_parquet(staged[0], again)  # not synced by its writer
    shim = FilesystemShim(monkeypatch)
    committed = commit_run(str(lake), manifest("R1"), staged, facts)
    monkeypatch.undo()
    written = {f["path"]: f for f in committed["written_files"]}
    assert [written[p]["rows"] for p in sorted(written)] == [3, 2]
    assert list(written.values()) == [file_facts(str(lake / p)) for p in written]
    assert ("fsync", os.path.abspath(staged[0])) in shim.events  # synced by the commit
    assert ("fsync", os.path.abspath(staged[1])) not in shim.events  # as its writer left it


def test_write_file_replaces_a_file_durably(tmp_path, monkeypatch):
    path = tmp_path / "new" / "checkpoint.json"
    durable.write_file(str(path), b"one")
    shim = FilesystemShim(monkeypatch)
    durable.write_file(str(path), b"two")
    assert path.read_bytes() == b"two"
    kinds = [event[0] for event in shim.events]
    assert kinds == ["fsync", "rename", "fsync"]  # data, atomic rename over the old file, directory
    assert shim.events[1][2] == str(path) and shim.events[2] == ("fsync", str(tmp_path / "new"))
    assert [p.name for p in path.parent.iterdir()] == ["checkpoint.json"]


@pytest.mark.parametrize("change, still", [
    ("nothing", True),
    ("same size, later time", False),  # a bundle run again that wrote the same number of bytes
    ("other size", False),
    ("removed", False),
    ("no mark", False),  # what an object store's writer records
])
def test_written_as_tells_a_file_left_as_its_writer_left_it(tmp_path, change, still):
    path = tmp_path / "part.parquet"
    path.write_bytes(b"0123456789")
    size, mark = 10, durable.written_mark(str(path))
    if change == "same size, later time":
        os.utime(path, ns=(mark + 1_000_000, mark + 1_000_000))
    elif change == "other size":
        path.write_bytes(b"01234567890")
        os.utime(path, ns=(mark, mark))
    elif change == "removed":
        path.unlink()
    elif change == "no mark":
        mark = None
    assert durable.written_as(str(path), size, mark) is still


def test_an_object_store_file_is_never_taken_as_written():
    assert durable.written_mark("gs://bucket/lake/events/dt=2024-03-04/part-R1-0.parquet") is None
    assert not durable.written_as("gs://bucket/lake/events/dt=2024-03-04/part-R1-0.parquet", 10, 123)
