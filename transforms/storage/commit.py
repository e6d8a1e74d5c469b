"""The commit protocol: what a pipeline staged becomes visible at once, or not at all.

A run is committed by: staged files fsynced (by the workers that wrote them, or here)
and renamed into place, their directories fsynced -> manifest written, fsynced, renamed
into ``runs/`` and its directory fsynced (the commit point) -> replaced files deleted ->
staging removed. A crash before the manifest leaves only invisible files, which the
next run deletes; a crash after it leaves a committed run whose leftovers the next run
finishes cleaning. The fsyncs make the same hold for a power loss: the manifest's name
cannot reach the disk before the files it commits, whole (``durable``).

The manifest records each file it commits (``written_files``: path, size, rows, schema
fingerprint, SHA-256), which ``newsevents check`` verifies later.

Staged files are named ``part-RUN-N.parquet``; the writers of one run take their part
numbers N from disjoint, named ranges (``part_number``) so that no two of them ever
stage the same name.
"""
from __future__ import annotations

import datetime as dt
import json

from apache_beam.io.filesystems import FileSystems

from newsevents.schemas.tables import ROW_TABLES, WRITTEN_FILE, to_arrow_table
from newsevents.transforms.storage import durable
from newsevents.transforms.storage.faults import fault_point
from newsevents.transforms.storage.lake_files import (
    LakeState, delete_quietly, ensure_parent, file_facts, file_run_id, final_path, join,
    read_history_file, read_lake_state, relative_path, staged_path, staged_runs, staging_dir,
    table_files, write_parquet)
from newsevents.transforms.storage.manifest_checkpoint import (
    FOLD_AFTER, Checkpoint, FoldResult, clean_fold_leftovers, fold_manifests, fold_state)

# Who stages which part numbers within one run: the pipeline's table files (per chunk),
# rewritten incident partitions (per chunk), rows a reprocess keeps from replaced files,
# compacted partitions, empty stand-ins of tables, and a stream's window panes.
PART_RANGES = {"tables": 0, "incidents": 100_000_000, "kept_rows": 200_000_000,
               "compacted": 300_000_000, "empty_tables": 400_000_000,
               "window_panes": 500_000_000}
# Where a table's first, empty file goes (see ``stage_empty_tables``): a day no article
# has, so that it never shares a partition with rows.
EMPTY_TABLE_DAY = "1970-01-01"
PARTS_PER_CHUNK = 10_000
MAX_CHUNKS = 10_000


def part_number(writer: str, chunk: int = 0, index: int = 0) -> int:
    """The part number of a writer's ``index``-th file in ``chunk``.

    >>> part_number("tables", chunk=2, index=3)
    20003
    """
    if not 0 <= index < PARTS_PER_CHUNK or not 0 <= chunk < MAX_CHUNKS:
        raise ValueError(f"part {index} of chunk {chunk} is outside the range of {writer!r}")
    return PART_RANGES[writer] + chunk * PARTS_PER_CHUNK + index


def commit_run(lake: str, manifest: dict, staged: list[str],
               staged_facts: dict[str, dict] | None = None) -> dict:
    """Make a run visible: move its files into place, then write its manifest (the
    commit point), then delete the files it replaces and its staging directory.

    ``staged_facts`` maps a staged path to what its writer recorded when it wrote and
    fsynced it (``lake_files.stage_parquet``); those facts are taken for a file still
    as the writer left it (``durable.written_as``), and any other file is read and
    synced here."""
    run_id = manifest["run_id"]
    staged_facts = staged_facts or {}
    written = []
    for path in staged:
        facts = staged_facts.get(path)
        if facts is None or not durable.written_as(path, facts["size"], facts.get("written")):
            facts = file_facts(path)
            durable.sync_file(path)  # its data on disk before its name can be
        written.append({key: facts[key] for key in WRITTEN_FILE.names})
    targets = [final_path(lake, path) for path in staged]
    directories = {durable.parent_of(target) for target in targets}
    durable.make_all_dirs(directories)  # each once: a run stages thousands of files
    for n, (path, target) in enumerate(zip(staged, targets)):
        durable.rename(path, target)
        if n == 0:
            fault_point("mid_rename")
    durable.sync_dirs(directories)
    fault_point("before_manifest")
    manifest = dict(manifest, finished_at=dt.datetime.now(dt.timezone.utc), written_files=written)
    day = manifest["started_at"].date().isoformat()
    staged_manifest = staged_path(lake, run_id, "runs", day, 0)
    write_parquet(staged_manifest, to_arrow_table("runs", [manifest]))
    durable.sync_file(staged_manifest)
    target = final_path(lake, staged_manifest)
    ensure_parent(target)
    durable.rename(staged_manifest, target)
    durable.sync_dirs([durable.parent_of(target)])
    fault_point("after_manifest")
    replaced = [join(lake, *p.split("/")) for p in manifest.get("replaced_files") or []]
    for n, path in enumerate(replaced):
        delete_quietly([path])
        if n == 0:
            fault_point("mid_cleanup")
    delete_quietly([staging_dir(lake, run_id)])
    return manifest


def stage_empty_tables(lake: str, run_id: str, staged: list[str],
                       listed: dict[str, list] | None = None) -> list[str]:
    """An empty file, with the table's full schema, for every table that has no file
    yet and gets none from this commit.

    A glob over a table then always matches, so ``schemas/views.sql`` works in a plain
    duckdb shell on every lake (DuckDB fails on a glob that matches nothing), and every
    column has its type there even before the first row arrives.
    """
    staged_tables = {relative_path(p).split("/", 1)[0] for p in staged}
    added = []
    for index, table in enumerate(ROW_TABLES):
        # ``listed``: the lake's files as listed under the same lock (no second listing)
        has_files = bool(listed[table]) if listed and table in listed else bool(table_files(lake, table))
        if table in staged_tables or has_files:
            continue
        path = staged_path(lake, run_id, table, EMPTY_TABLE_DAY, part_number("empty_tables", 0, index))
        write_parquet(path, to_arrow_table(table, []))
        added.append(path)
    return added


def clean_leftovers(lake: str, state: LakeState, current_run: str | None = None) -> dict:
    """Remove what crashed runs left: staging directories, files of runs that never
    committed, and replaced files a committed run did not get to delete. Files of a
    run whose manifest cannot be read, and files that are not the lake's own, are left
    for ``newsevents check --repair``. Call it only while holding the lake's lock.

    A file is only deleted as an orphan once every manifest and history file was read
    and none names its run: the manifest checkpoint speeds up reading, but never
    decides alone that data is garbage."""
    removed = {"staging": 0, "orphans": 0, "replaced": 0}
    for run_id in staged_runs(lake):
        if run_id != current_run:
            removed["staging"] += delete_quietly([staging_dir(lake, run_id)])
    orphans, replaced_left = [], []
    for table in ROW_TABLES:
        listed = state.files.get(table)
        for path in [info.path for info in listed] if listed is not None else table_files(lake, table):
            run_id = file_run_id(path)
            if run_id is None or run_id in state.uncertain_runs:
                continue
            if run_id not in state.committed:
                orphans.append(path)
            elif relative_path(path) in state.replaced:
                replaced_left.append(path)
    if orphans and not state.full:
        full = read_lake_state(lake, warn=False, full=True)
        orphans = [p for p in orphans if file_run_id(p) not in full.committed | full.uncertain_runs]
        if full.runs_unknown:
            orphans = []
    elif state.runs_unknown:
        orphans = []
    removed["orphans"] = delete_quietly(orphans)
    removed["replaced"] = delete_quietly(replaced_left)
    return removed


def fold_if_due(lake: str, fold_id: str, force: bool = False,
                fold_after: int = FOLD_AFTER) -> FoldResult | None:
    """Fold the manifests committed since the manifest checkpoint into it once there
    are ``fold_after`` of them (any number, with ``force``); rebuild the checkpoint when
    it cannot be read. Call it while holding the lake's lock, after a commit."""
    state = read_lake_state(lake, warn=False)
    on_disk = {relative_path(info.path) for listing in state.files.values() for info in listing}
    on_disk.discard(None)
    checkpoint = state.checkpoint
    rebuild = state.checkpoint_problem is not None or (checkpoint is None and bool(state.history_files))
    if rebuild:
        # Every runs file was read: the history files' rows are the base.
        loose_runs = {m["run_id"] for m in state.loose_manifests.values()}
        checkpoint = fold_state(None, [m for m in state.manifests if m["run_id"] not in loose_runs],
                                on_disk, join(lake, "_stream"))
        checkpoint.history = [rel for rel in state.history_files
                              if join(lake, *rel.split("/")) not in state.problems]
    else:
        clean_fold_leftovers(lake, checkpoint, state.runs_files)
    due = len(state.loose_manifests) >= fold_after or (force and state.loose_manifests)
    if not (due or rebuild):
        return None

    def history_rows(relative: str):
        rows, problem = read_history_file(join(lake, *relative.split("/")))
        return None if problem else rows


    today = dt.datetime.now(dt.timezone.utc).date().isoformat()
    return fold_manifests(lake, state.loose_manifests, checkpoint, on_disk, history_rows,
                          fold_id, today, join(lake, "_stream"))


def rebuild_checkpoint(lake: str, state: LakeState) -> Checkpoint:
    """The checkpoint the manifests of a fully read ``state`` fold to (for ``check``)."""
    on_disk = {relative_path(info.path) for listing in state.files.values() for info in listing}
    on_disk.discard(None)
    loose_runs = {m["run_id"] for m in state.loose_manifests.values()}
    return fold_state(None, [m for m in state.manifests if m["run_id"] not in loose_runs],
                      on_disk, join(lake, "_stream"))


def write_pending(lake: str, run_id: str, pending: dict, name: str = "pending") -> None:
    """What a pipeline staged, for the driver to commit: files (and what their writers
    recorded of them) and counts."""
    path = join(staging_dir(lake, run_id), f"{name}.json")
    ensure_parent(path)
    with FileSystems.create(path) as handle:
        handle.write(json.dumps(pending, sort_keys=True, default=str).encode("utf-8"))


def read_pending(lake: str, run_id: str, name: str = "pending") -> dict:
    path = join(staging_dir(lake, run_id), f"{name}.json")
    return json.loads(durable.read_bytes(path).decode("utf-8"))
