"""The files of a lake: paths, listing, which files are visible, Parquet reading and
writing. Plain functions over Beam's FileSystems (so ``gs://`` and ``s3://`` lakes
work) and ``durable`` (literal paths, fsync); no pipeline code. The commit protocol is
in ``commit``, the lock in ``lock``.

A table file is ``TABLE/dt=DAY/part-RUN-N.parquet``. It is *visible* when its run has
a manifest in ``runs``, the manifest lists it among the files the run wrote (with its
size, rows, schema and checksum; manifests before schema 1.5 list none, and then every
file of the run counts), and no committed manifest lists it in ``replaced_files``.
A run is committed by: staged files renamed into place -> manifest written (the commit
point) -> replaced files deleted -> staging removed. A crash before the manifest leaves
only invisible files, which the next run deletes; a crash after it leaves a committed
run whose leftovers the next run finishes cleaning.

A lake can also be damaged (a disk, a power loss, a hand): a manifest that cannot be
read, a file whose size is not the one committed, a file no manifest wrote. Reading
the state notes each such *problem*, warns once, and leaves the file out, so every
command works with the rest; ``newsevents check --repair`` deals with them.

    state = read_lake_state("lake/")
    visible_files("lake/", "events", state)
"""
from __future__ import annotations

import functools
import hashlib
import io
import logging
import re
from dataclasses import dataclass, field

import pyarrow as pa
import pyarrow.parquet as pq
from apache_beam.io.filesystems import FileSystems

from newsevents.schemas.tables import TABLES
from newsevents.transforms.storage import durable
from newsevents.transforms.storage.durable import (  # noqa: F401  (the lake's listing, re-exported)
    FileInfo, is_local, match_files, match_paths)
from newsevents.transforms.storage.manifest_checkpoint import (
    Checkpoint, CheckpointError, checkpoint_path, is_history_file, read_checkpoint)

LOG = logging.getLogger(__name__)
STAGING_DIR = "_staging"
QUARANTINE_DIR = "_quarantine"
TABLE_FILE = re.compile(r"(?P<table>[a-z_]+)/dt=(?P<day>[^/]+)/part-(?P<run>.+)-(?P<part>\d+)\.parquet$")
COMPRESSION = "zstd"
ROW_GROUP_SIZE = 64_000
# Dictionary pages pay only where values repeat over many rows. Most files of a run are
# small (one day's rows of one table: the 804 FA-KES articles give 2,028 files of 7 rows
# on average), where they made writing a third slower and the files 9% larger.
DICTIONARY_MIN_ROWS = 1_000
MANIFEST_COLUMNS = ("run_id", "kind", "started_at", "counts")
RUNS_FILE = re.compile(r"runs/dt=[^/]+/[^/]+\.parquet$")


@dataclass
class LakeState:
    """The committed runs (from the manifest checkpoint and the manifests since), the
    table files on disk, and what is wrong.

    ``manifests`` are the manifest rows read: those committed since the checkpoint, or,
    read with ``full``, every run's row (history files and manifests alike)."""
    manifests: list[dict] = field(default_factory=list)
    # the runs files the runs view reads: history files in force and manifests since
    manifest_files: list[str] = field(default_factory=list)
    # table -> its files on disk (outside staging), when listed with the state
    files: dict[str, list[FileInfo]] = field(default_factory=dict)
    # path -> what is wrong with it (the file is neither visible nor deleted)
    problems: dict[str, str] = field(default_factory=dict)
    # runs whose manifest cannot be read: their files are neither visible nor orphans
    uncertain_runs: set[str] = field(default_factory=set)
    # a history file could not be read (with no checkpoint to stand in): runs may be
    # committed that no readable file names, so no file counts as an orphan
    runs_unknown: bool = False
    checkpoint: Checkpoint | None = None
    checkpoint_problem: str | None = None
    full: bool = False
    # relative path -> row of each manifest committed since the checkpoint
    loose_manifests: dict[str, dict] = field(default_factory=dict)
    history_files: list[str] = field(default_factory=list)  # relative, in force
    runs_files: list[str] = field(default_factory=list)  # relative: everything in runs/

    @functools.cached_property
    def committed(self) -> set[str]:
        runs = {m["run_id"] for m in self.manifests}
        return runs | set(self.checkpoint.runs) if self.checkpoint else runs

    @functools.cached_property
    def replaced(self) -> set[str]:
        paths = {path for m in self.manifests for path in (m.get("replaced_files") or [])}
        return paths | self.checkpoint.replaced if self.checkpoint else paths

    @functools.cached_property
    def written(self) -> dict[str, dict[str, dict]]:
        """run id -> relative path -> what its manifest recorded of the file (runs
        committed before schema 1.5 are absent)."""
        found = {}
        if self.checkpoint:
            found = {run: {f["path"]: f for f in facts}
                     for run, facts in self.checkpoint.runs.items() if facts is not None}
        found.update({m["run_id"]: {f["path"]: f for f in m["written_files"]}
                      for m in self.manifests if m.get("written_files") is not None})
        return found

    def processed_files(self) -> dict[str, tuple[int, float]]:
        """Input path -> (size, mtime) of every file a committed run read completely
        (and no later repair marked for reading again)."""
        done = dict(self.checkpoint.processed) if self.checkpoint and not self.full else {}
        for manifest in sorted(self.manifests, key=lambda m: m["started_at"]):
            for entry in manifest.get("files") or []:
                done[entry["path"]] = (entry["size"], entry["mtime"])
            for path in manifest.get("reread_files") or []:
                done.pop(path, None)
        return done

    def newest_run(self) -> str | None:
        """The id of the run that started last."""
        newest = max(self.manifests, key=lambda m: m["started_at"], default=None)
        folded = self.checkpoint.newest if self.checkpoint else None
        if newest is None:
            return folded[0] if folded else None
        if folded and folded[1] > newest["started_at"].isoformat():
            return folded[0]
        return newest["run_id"]


def join(lake: str, *parts: str) -> str:
    return FileSystems.join(lake, *parts)


def relative_path(path: str) -> str | None:
    """``.../events/dt=2024-03-04/part-R1-0.parquet`` -> ``events/dt=2024-03-04/part-R1-0.parquet``."""
    match = TABLE_FILE.search(path)
    return match.group(0) if match else None


def file_run_id(path: str) -> str | None:
    match = TABLE_FILE.search(path)
    return match.group("run") if match else None


def table_files(lake: str, table: str) -> list[str]:
    """Every Parquet file of a table in the lake (visible or not), outside staging."""
    return match_paths(join(lake, table), "dt=*/*.parquet")


def parquet_of(data: bytes) -> pq.ParquetFile:
    """A Parquet file read from bytes in memory, to be read with ``use_threads=False``.
    Reading through a Python file object, or with threads, starts Arrow's thread
    pools, and a process that exits with their workers alive aborts now and then
    ("terminate called without an active exception", exit -6: a finished run
    reported as a crash to its scheduler). From an Arrow buffer, single-threaded,
    no pool thread starts; lake files are small enough to be read whole."""
    return pq.ParquetFile(pa.BufferReader(data))


def read_parquet_file(path: str):
    with durable.open_binary(path) as handle:
        return parquet_of(handle.read()).read(use_threads=False)


def read_parquet_columns(path: str, columns: list[str]):
    """Some columns of one file; a column the file predates comes back as nulls."""
    with durable.open_binary(path) as handle:
        parquet = parquet_of(handle.read())
    present = [c for c in columns if c in parquet.schema_arrow.names]
    table = parquet.read(columns=present, use_threads=False)
    for name in columns:
        if name not in present:
            table = table.append_column(name, pa.nulls(len(table)))
    return table.select(columns)


def schema_fingerprint(schema: pa.Schema) -> str:
    """A short, stable digest of a file's Arrow schema (names, types, nullability)."""
    text = schema.remove_metadata().to_string(show_field_metadata=False, show_schema_metadata=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def schema_problem(schema: pa.Schema, table: str) -> str | None:
    """Why a file with this schema is not a file of ``table`` (None if it is one).
    Older files may lack columns added since; no column may have another type, and
    a column the table does not have means the file is foreign."""
    expected = TABLES[table]
    for field_ in schema:
        if field_.name not in expected.names:
            return f"not a file of table {table!r}: unknown column {field_.name!r}"
        if not earlier_version_of(field_.type, expected.field(field_.name).type):
            return (f"column {field_.name!r} is {field_.type}, the {table} table has "
                    f"{expected.field(field_.name).type}")
    return None


def earlier_version_of(found: pa.DataType, expected: pa.DataType) -> bool:
    """Whether a column of this type is the table's column as an earlier schema wrote
    it: the same type, or a struct (or a list of structs) lacking fields added since
    (the incidents' ``reports`` gained actor groups and inter codes in 1.4)."""
    if found.equals(expected):
        return True
    if pa.types.is_list(found) and pa.types.is_list(expected):
        return earlier_version_of(found.value_type, expected.value_type)
    if pa.types.is_struct(found) and pa.types.is_struct(expected):
        names = [expected.field(i).name for i in range(expected.num_fields)]
        for i in range(found.num_fields):
            sub = found.field(i)
            if sub.name not in names or not earlier_version_of(sub.type, expected.field(sub.name).type):
                return False
        return True
    return False


def file_facts(path: str) -> dict:
    """What a manifest records of a committed file, to verify it later: its relative
    path, size, rows, schema fingerprint and SHA-256."""
    with durable.open_binary(path) as handle:
        return facts_of(path, handle.read())


def facts_of(path: str, data: bytes) -> dict:
    """``file_facts`` of the Parquet bytes ``data`` stored at ``path``."""
    metadata = parquet_of(data).metadata
    return {"path": relative_path(path), "size": len(data), "rows": metadata.num_rows,
            "schema": schema_fingerprint(metadata.schema.to_arrow_schema()),
            "sha256": hashlib.sha256(data).hexdigest()}


def verify_file(path: str, table: str, facts: dict | None) -> str | None:
    """What is wrong with a committed file, read whole (None if nothing): against the
    facts its manifest recorded or, without them, whether it reads as a file of its table."""
    try:
        with durable.open_binary(path) as handle:
            data = handle.read()
    except (OSError, IOError) as err:
        return f"unreadable: {err}"
    if facts is not None:
        if len(data) != facts["size"]:
            return f"damaged: {len(data):,} bytes, committed with {facts['size']:,}"
        if hashlib.sha256(data).hexdigest() != facts["sha256"]:
            return "damaged: its checksum is not the one committed"
    try:
        parquet = parquet_of(data)
        schema = parquet.schema_arrow
        rows = parquet.read(use_threads=False).num_rows
    except (pa.ArrowException, OSError, ValueError) as err:
        return f"not a readable Parquet file: {err}"
    if facts is not None:
        if rows != facts["rows"]:
            return f"damaged: {rows} rows, committed with {facts['rows']}"
        if schema_fingerprint(schema) != facts["schema"]:
            return "damaged: its schema is not the one committed"
    return schema_problem(schema, table)


def probe_file(path: str, table: str) -> str | None:
    """A cheap check (the footer only) of a file no manifest describes."""
    try:
        with durable.open_binary(path) as handle:
            schema = pq.ParquetFile(handle).schema_arrow  # the footer only: no pool thread
    except (pa.ArrowException, OSError, ValueError) as err:
        return f"not a readable Parquet file: {err}"
    return schema_problem(schema, table)


def read_manifest(path: str) -> tuple[list[dict], str | None]:
    """The rows of one ``runs`` file, or a problem that makes it no manifest."""
    expected = file_run_id(path)
    try:
        table = read_parquet_file(path)
    except (pa.ArrowException, OSError, ValueError) as err:
        return [], f"unreadable manifest: {err}"
    missing = [c for c in MANIFEST_COLUMNS if c not in table.column_names]
    if missing or expected is None:
        return [], f"not a manifest of this lake (missing {', '.join(missing) or 'a run id in its name'})"
    rows = table.to_pylist()
    if len(rows) != 1 or rows[0]["run_id"] != expected:
        return [], f"not a manifest of this lake (it is not the one row of run {expected})"
    return rows, None


def runs_relative(path: str) -> str | None:
    """``.../runs/dt=2024-03-04/part-R1-0.parquet`` -> ``runs/dt=2024-03-04/part-R1-0.parquet``."""
    match = RUNS_FILE.search(path)
    return match.group(0) if match else None


class ManifestVanished(Exception):
    """A runs file listed a moment ago is gone: a fold finished meanwhile."""


def read_lake_state(lake: str, probe_unrecorded: bool = False, warn: bool = True,
                    full: bool = False) -> LakeState:
    """The committed runs and the table files (an empty state for a new lake), with
    every problem found noted and, with ``warn``, logged once.

    The runs come from the manifest checkpoint and the manifests committed since
    (``manifest_checkpoint``); ``full`` reads every manifest and history file instead
    (what ``newsevents check`` verifies), as does a lake whose checkpoint is unreadable.

    ``probe_unrecorded`` also reads the footer of each visible file of a run committed
    before the manifests recorded their files (writers do, so that no stage reads a
    file that is not Parquet of its table)."""
    if is_local(lake) and not durable.exists(lake):
        return LakeState()
    for attempt in range(5):
        try:
            state = _read_runs(lake, full)
            break
        except ManifestVanished:
            if attempt == 4:
                raise
    for table in TABLES:
        if table != "runs":
            state.files[table] = match_files(join(lake, table), "dt=*/*.parquet")
    note_file_problems(lake, state, probe_unrecorded)
    if warn:
        if state.checkpoint_problem:
            LOG.warning("the manifest checkpoint %s is %s; reading every manifest instead "
                        "(`newsevents check --lake %s --repair` rewrites it)",
                        checkpoint_path(lake), state.checkpoint_problem, lake)
        for path, problem in sorted(state.problems.items()):
            LOG.warning("skipping %s: %s (`newsevents check --lake %s --repair` deals with it)",
                        path, problem, lake)
    return state


def _read_runs(lake: str, full: bool) -> LakeState:
    # Listed before the checkpoint is read: a fold that finishes in between has folded
    # manifests this listing holds, and the newer checkpoint names them.
    listing = match_paths(join(lake, "runs"), "dt=*/*.parquet")
    state = LakeState(full=full)
    try:
        state.checkpoint = read_checkpoint(lake)
    except CheckpointError as err:
        state.checkpoint_problem = str(err)
    checkpoint = state.checkpoint
    relatives = [(path, runs_relative(path)) for path in listing]
    if checkpoint and not set(checkpoint.history) <= {rel for _, rel in relatives}:
        raise ManifestVanished("a fold wrote history files after the listing")
    state.runs_files = [rel for _, rel in relatives if rel]
    has_history = any(rel and is_history_file(rel) for _, rel in relatives)
    read_all = full or state.checkpoint_problem is not None or (checkpoint is None and has_history)
    folded = set(checkpoint.folded) if checkpoint else set()
    named = set(checkpoint.history) if checkpoint else None
    seen: set[str] = set()
    for path, rel in relatives:
        if rel and is_history_file(rel):
            in_force = named is None or rel in named
            if in_force:
                state.history_files.append(rel)
                state.manifest_files.append(path)
            if not read_all:
                continue
            rows, problem = read_history_file(path)
            if problem:
                if not durable.exists(path):
                    raise ManifestVanished(path)
                if in_force:
                    state.problems[path] = problem
                    state.runs_unknown = state.runs_unknown or checkpoint is None
                continue
            for row in rows:
                if row["run_id"] not in seen:
                    seen.add(row["run_id"])
                    state.manifests.append(row)
            continue
        if rel in folded and not read_all:
            continue  # folded into the checkpoint; the next fold deletes it
        rows, problem = read_manifest(path)
        if problem:
            if not durable.exists(path):
                raise ManifestVanished(path)
            state.problems[path] = problem
            if file_run_id(path):
                state.uncertain_runs.add(file_run_id(path))
            continue
        if rel in folded:  # read_all: its row is in a history file too, unless that is gone
            if rows[0]["run_id"] not in seen:
                seen.add(rows[0]["run_id"])
                state.manifests.append(rows[0])
            continue
        state.loose_manifests[rel] = rows[0]
        state.manifest_files.append(path)
        if rows[0]["run_id"] not in seen:
            seen.add(rows[0]["run_id"])
            state.manifests.append(rows[0])
    if state.checkpoint_problem is not None:
        state.checkpoint = None
    state.uncertain_runs -= state.committed
    return state


def read_history_file(path: str) -> tuple[list[dict], str | None]:
    """The rows of a history file (runs folded by the manifest checkpoint)."""
    try:
        table = read_parquet_file(path)
    except (pa.ArrowException, OSError, ValueError) as err:
        return [], f"unreadable history of runs: {err}"
    missing = [c for c in MANIFEST_COLUMNS if c not in table.column_names]
    if missing:
        return [], f"not a history of runs of this lake (missing {', '.join(missing)})"
    return table.to_pylist(), None


def note_file_problems(lake: str, state: LakeState, probe_unrecorded: bool) -> None:
    """Files of committed runs that are not what their manifest wrote, and files the
    manifests list that are gone."""
    committed, replaced, written = state.committed, state.replaced, state.written
    on_disk = set()
    for table, listing in state.files.items():
        for info in listing:
            relative, run = relative_path(info.path), file_run_id(info.path)
            on_disk.add(relative)
            if relative is None:
                state.problems[info.path] = "not a file of this lake (its name is not part-RUN-N.parquet)"
            elif run not in committed or relative in replaced:
                continue  # in flight, left by a crash, or superseded: never visible
            elif run in written:
                facts = written[run].get(relative)
                if facts is None:
                    state.problems[info.path] = f"not written by run {run} (its manifest does not list it)"
                elif info.size != facts["size"]:
                    state.problems[info.path] = (f"damaged: {info.size:,} bytes, committed with "
                                                 f"{facts['size']:,}")
            elif probe_unrecorded:
                problem = probe_file(info.path, table)
                if problem:
                    state.problems[info.path] = problem
    for run, files in written.items():
        for relative in files:
            if relative not in on_disk and relative not in replaced:
                state.problems[join(lake, *relative.split("/"))] = f"missing: committed by run {run}"


def visible_files(lake: str, table: str, state: LakeState) -> list[str]:
    if table == "runs":
        return list(state.manifest_files)
    listing = state.files.get(table)
    if listing is None:
        listing = match_files(join(lake, table), "dt=*/*.parquet")
    committed, replaced = state.committed, state.replaced
    return [info.path for info in listing
            if file_run_id(info.path) in committed and relative_path(info.path) not in replaced
            and info.path not in state.problems]


def ensure_parent(path: str) -> None:
    durable.make_dirs(durable.parent_of(path))


def write_parquet(path: str, table) -> bytes:
    """One Parquet file (zstd, bounded row groups) through Beam's filesystems; returns
    its bytes. Not fsynced: the commit makes what it commits durable
    (``commit.commit_run``), or see ``stage_parquet``."""
    buffer = io.BytesIO()
    pq.write_table(table, buffer, compression=COMPRESSION, row_group_size=ROW_GROUP_SIZE,
                   use_dictionary=table.num_rows >= DICTIONARY_MIN_ROWS)
    data = buffer.getvalue()
    with FileSystems.create(path) as handle:  # creates the directories it needs
        handle.write(data)
    return data


def stage_parquet(path: str, table) -> dict:
    """Write a file a commit will make visible, fsynced here, and return what the
    manifest records of it (``file_facts``), with its staged path ("staged") and a
    mark of the file as written ("written", ``durable.written_mark``).

    Workers stage a run's files side by side. Were the facts and the fsync left to the
    commit, the driver would read every file again and sync it, alone, while the
    workers wait (most of a run's commit on FA-KES: 1,975 files). ``commit_run`` takes
    these facts for a file still as it was written, and reads any other again.
    """
    data = write_parquet(path, table)
    durable.sync_file(path)
    return dict(facts_of(path, data), staged=path, written=durable.written_mark(path))


def staged_path(lake: str, run_id: str, table: str, day: str, part: int) -> str:
    return join(lake, STAGING_DIR, run_id, table, f"dt={day}", f"part-{run_id}-{part}.parquet")


def final_path(lake: str, staged: str) -> str:
    """Where a staged file goes at commit: the same relative path outside staging."""
    return join(lake, *relative_path(staged).split("/"))


def staging_dir(lake: str, run_id: str) -> str:
    return join(lake, STAGING_DIR, run_id)


def staged_runs(lake: str) -> set[str]:
    """Runs with files under ``_staging`` (globs list files, not directories)."""
    staging = join(lake, STAGING_DIR)
    prefix = staging.rstrip("/") + "/"
    return {path[len(prefix):].split("/", 1)[0]
            for path in match_paths(staging, "**") if path.startswith(prefix)}


def delete_quietly(paths: list[str]) -> int:
    """Delete what exists; returns how many were deleted."""
    return durable.delete_paths(paths)


