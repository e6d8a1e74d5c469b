"""Power loss: the commit's fsyncs, in order, checked with a filesystem shim that
records every fsync, rename and mkdir; then a simulation that rebuilds, for each point
of the commit, the lake a power loss could leave behind, and queries it."""
import datetime as dt
import os
import shutil

import pytest

from newsevents.transforms.storage import durable
from newsevents.transforms.storage.commit import commit_run
from newsevents.transforms.storage.lake_files import read_lake_state, staged_path, write_parquet
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


def stage_run(lake, run_id: str, article_ids: list[str]) -> list[str]:
    """Staged articles and events files of a run, as its pipeline would leave them."""
    articles = [{"article_id": a, "text": f"text {a}", "published_at": dt.datetime(2024, 3, 4, tzinfo=UTC),
                 "run_id": run_id} for a in article_ids]
    events = [{"event_id": f"e-{a}", "article_id": a, "event_type": "ASSAULT", "run_id": run_id}
              for a in article_ids]
    paths = [staged_path(lake, run_id, "articles", "2024-03-04", 0),
             staged_path(lake, run_id, "events", f"2024-03-0{len(article_ids)}", 0)]
    write_parquet(paths[0], to_arrow_table("articles", articles))
    write_parquet(paths[1], to_arrow_table("events", events))
    return paths


def manifest(run_id: str) -> dict:
    return {"run_id": run_id, "kind": "run", "started_at": dt.datetime(2024, 3, 5, tzinfo=UTC),
            "status": "committed", "counts": {}, "replaced_files": []}


def what_queries_see(lake) -> tuple:
    con = connect_lake(str(lake))
    return (sorted(r[0] for r in con.execute("select article_id from articles").fetchall()),
            sorted(r[0] for r in con.execute("select event_id from events").fetchall()),
            con.execute("select count(*) from runs").fetchone()[0])


@pytest.fixture
def lakes(tmp_path):
    """A lake with one committed run, and the second run staged in it."""
    lake = tmp_path / "lake"
    commit_run(str(lake), manifest("R1"), stage_run(str(lake), "R1", ["a1", "a2"]))
    staged = stage_run(str(lake), "R2", ["a3", "a4", "a5"])
    before = tmp_path / "before"
    shutil.copytree(lake, before)
    return lake, before, staged


def test_the_commit_fsyncs_data_then_renames_then_directories_then_the_manifest(lakes, monkeypatch):
    lake, _, staged = lakes
    shim = FilesystemShim(monkeypatch)
    commit_run(str(lake), manifest("R2"), staged)
    renames = [e for e in shim.events if e[0] == "rename"]
    manifest_rename = next(e for e in renames if "/runs/" in e[2])
    for source in map(os.path.abspath, staged):
        rename = next(e for e in renames if e[1] == source)
        target_dir = os.path.dirname(rename[2])
        assert shim.index(("fsync", source)) < shim.index(rename), "data before its name"
        assert shim.index(rename) < shim.index(("fsync", target_dir)) < shim.index(manifest_rename)
    assert shim.index(("fsync", manifest_rename[1])) < shim.index(manifest_rename)
    assert shim.index(manifest_rename) < shim.index(("fsync", os.path.dirname(manifest_rename[2])))
    # every directory the commit created has its name fsynced in its parent
    for _, created in (e for e in shim.events if e[0] == "mkdir" and "_staging" not in e[1]):
        assert shim.index(("mkdir", created)) < shim.index(("fsync", os.path.dirname(created)))


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
    lake, before, staged = lakes
    with monkeypatch.context() as patch:
        shim = FilesystemShim(patch)
        commit_run(str(lake), manifest("R2"), staged)
    seen_before, seen_after = what_queries_see(before), what_queries_see(lake)
    assert seen_before != seen_after
    for crash in range(len(shim.events) + 1):
        target = tmp_path / f"after-{worst}-{crash}"
        after_power_loss(before, lake, shim.events, crash, target, worst)
        state = read_lake_state(str(target))
        assert not [p for p, problem in state.problems.items() if "runs/" in p], (crash, state.problems)
        seen = what_queries_see(target)
        assert seen in (seen_before, seen_after), (crash, shim.events[:crash], seen)


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
