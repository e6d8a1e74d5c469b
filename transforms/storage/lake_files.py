"""The files of a lake and its commit protocol. Plain functions over Beam's
FileSystems (so ``gs://`` and ``s3://`` lakes work); no pipeline code.

A table file is ``TABLE/dt=DAY/part-RUN-N.parquet``. It is *visible* when its run has
a manifest in ``runs`` and no committed manifest lists it in ``replaced_files``. A run
is committed by: staged files renamed into place -> manifest written (the commit
point) -> replaced files deleted -> staging removed. A crash before the manifest leaves
only invisible files, which the next run deletes; a crash after it leaves a committed
run whose leftovers the next run finishes cleaning.

    state = read_lake_state("lake/")
    visible_files("lake/", "events", state)
"""
from __future__ import annotations

import datetime as dt
import io
import json
import posixpath
import re
from dataclasses import dataclass, field

import pyarrow as pa
import pyarrow.parquet as pq
from apache_beam.io.filesystem import BeamIOError
from apache_beam.io.filesystems import FileSystems

from newsevents.schemas.tables import ROW_TABLES, to_arrow_table
from newsevents.transforms.storage.faults import fault_point

STAGING_DIR = "_staging"
TABLE_FILE = re.compile(r"(?P<table>[a-z_]+)/dt=(?P<day>[^/]+)/part-(?P<run>.+)-(?P<part>\d+)\.parquet$")
COMPRESSION = "zstd"
ROW_GROUP_SIZE = 64_000


@dataclass
class LakeState:
    manifests: list[dict] = field(default_factory=list)

    @property
    def committed(self) -> set[str]:
        return {m["run_id"] for m in self.manifests}

    @property
    def replaced(self) -> set[str]:
        return {path for m in self.manifests for path in (m.get("replaced_files") or [])}

    def processed_files(self) -> dict[str, tuple[int, float]]:
        """Input path -> (size, mtime) of every file a committed run read completely."""
        done = {}
        for manifest in sorted(self.manifests, key=lambda m: m["started_at"]):
            for entry in manifest.get("files") or []:
                done[entry["path"]] = (entry["size"], entry["mtime"])
        return done


def is_local(path: str) -> bool:
    return "://" not in path


def join(lake: str, *parts: str) -> str:
    return FileSystems.join(lake, *parts)


def relative_path(path: str) -> str | None:
    """``.../events/dt=2024-03-04/part-R1-0.parquet`` -> ``events/dt=2024-03-04/part-R1-0.parquet``."""
    match = TABLE_FILE.search(path)
    return match.group(0) if match else None


def file_run_id(path: str) -> str | None:
    match = TABLE_FILE.search(path)
    return match.group("run") if match else None


def match_paths(pattern: str) -> list[str]:
    return sorted(m.path for m in FileSystems.match([pattern])[0].metadata_list)


def table_files(lake: str, table: str) -> list[str]:
    """Every Parquet file of a table in the lake (visible or not), outside staging."""
    return match_paths(join(lake, table, "dt=*", "*.parquet"))


def read_parquet_file(path: str):
    with FileSystems.open(path) as handle:
        return pq.read_table(io.BytesIO(handle.read()))


def read_parquet_columns(path: str, columns: list[str]):
    """Some columns of one file; a column the file predates comes back as nulls."""
    # Beam's file handles are seekable: only the wanted column chunks are read.
    with FileSystems.open(path) as handle:
        parquet = pq.ParquetFile(handle)
        present = [c for c in columns if c in parquet.schema_arrow.names]
        table = parquet.read(columns=present)
    for name in columns:
        if name not in present:
            table = table.append_column(name, pa.nulls(len(table)))
    return table.select(columns)


def read_lake_state(lake: str) -> LakeState:
    """The committed runs' manifests (an empty state for a new lake)."""
    if is_local(lake) and not FileSystems.exists(lake):
        return LakeState()
    manifests = []
    for path in table_files(lake, "runs"):
        manifests.extend(read_parquet_file(path).to_pylist())
    return LakeState(manifests)


def visible_files(lake: str, table: str, state: LakeState) -> list[str]:
    if table == "runs":
        return table_files(lake, "runs")
    committed, replaced = state.committed, state.replaced
    return [p for p in table_files(lake, table)
            if file_run_id(p) in committed and relative_path(p) not in replaced]


def ensure_parent(path: str) -> None:
    if is_local(path):
        parent = posixpath.dirname(path)
        if not FileSystems.exists(parent):
            FileSystems.mkdirs(parent)


def write_parquet(path: str, table) -> None:
    """One Parquet file (zstd, bounded row groups) through Beam's filesystems."""
    buffer = io.BytesIO()
    pq.write_table(table, buffer, compression=COMPRESSION, row_group_size=ROW_GROUP_SIZE)
    ensure_parent(path)
    with FileSystems.create(path) as handle:
        handle.write(buffer.getvalue())


def staged_path(lake: str, run_id: str, table: str, day: str, part: int) -> str:
    return join(lake, STAGING_DIR, run_id, table, f"dt={day}", f"part-{run_id}-{part}.parquet")


def final_path(lake: str, staged: str) -> str:
    """Where a staged file goes at commit: the same relative path outside staging."""
    return join(lake, *relative_path(staged).split("/"))


def staging_dir(lake: str, run_id: str) -> str:
    return join(lake, STAGING_DIR, run_id)


def staged_runs(lake: str) -> set[str]:
    """Runs with files under ``_staging`` (globs list files, not directories)."""
    marker = f"/{STAGING_DIR}/"
    return {path.split(marker, 1)[1].split("/", 1)[0]
            for path in match_paths(join(lake, STAGING_DIR, "**")) if marker in path}


def delete_quietly(paths: list[str]) -> int:
    """Delete what exists; returns how many were deleted."""
    existing = [p for p in paths if FileSystems.exists(p)]
    if existing:
        FileSystems.delete(existing)
    return len(existing)


def commit_run(lake: str, manifest: dict, staged: list[str]) -> dict:
    """Make a run visible: move its files into place, then write its manifest (the
    commit point), then delete the files it replaces and its staging directory."""
    run_id = manifest["run_id"]
    for n, path in enumerate(staged):
        target = final_path(lake, path)
        ensure_parent(target)
        FileSystems.rename([path], [target])
        if n == 0:
            fault_point("mid_rename")
    fault_point("before_manifest")
    manifest = dict(manifest, finished_at=dt.datetime.now(dt.timezone.utc))
    day = manifest["started_at"].date().isoformat()
    staged_manifest = staged_path(lake, run_id, "runs", day, 0)
    write_parquet(staged_manifest, to_arrow_table("runs", [manifest]))
    ensure_parent(final_path(lake, staged_manifest))
    FileSystems.rename([staged_manifest], [final_path(lake, staged_manifest)])
    fault_point("after_manifest")
    replaced = [join(lake, *p.split("/")) for p in manifest.get("replaced_files") or []]
    for n, path in enumerate(replaced):
        delete_quietly([path])
        if n == 0:
            fault_point("mid_cleanup")
    delete_quietly([staging_dir(lake, run_id)])
    return manifest


def clean_leftovers(lake: str, state: LakeState, current_run: str | None = None) -> dict:
    """Remove what crashed runs left: staging directories, files of runs that never
    committed, and replaced files a committed run did not get to delete. Call it only
    while holding the lake's lock."""
    removed = {"staging": 0, "orphans": 0, "replaced": 0}
    for run_id in staged_runs(lake):
        if run_id != current_run:
            removed["staging"] += delete_quietly([staging_dir(lake, run_id)])
    committed, replaced = state.committed, state.replaced
    for table in ROW_TABLES:
        for path in table_files(lake, table):
            if file_run_id(path) not in committed:
                removed["orphans"] += delete_quietly([path])
            elif relative_path(path) in replaced:
                removed["replaced"] += delete_quietly([path])
    return removed


def write_pending(lake: str, run_id: str, pending: dict, name: str = "pending") -> None:
    """What a pipeline staged, for the driver to commit: files and counts."""
    path = join(staging_dir(lake, run_id), f"{name}.json")
    ensure_parent(path)
    with FileSystems.create(path) as handle:
        handle.write(json.dumps(pending, sort_keys=True, default=str).encode("utf-8"))


def read_pending(lake: str, run_id: str, name: str = "pending") -> dict:
    path = join(staging_dir(lake, run_id), f"{name}.json")
    with FileSystems.open(path) as handle:
        return json.loads(handle.read().decode("utf-8"))


class LakeBusy(RuntimeError):
    """Another run holds the lake's lock."""


class LakeLock:
    """One writer at a time: ``LAKE/_lock`` created exclusively, holding who took it.

    A lock left by a dead process on this host is stale and taken over; a lock from
    another host is respected until it is removed (``newsevents unlock``). On object
    stores, which have no exclusive create, the lock is advisory.
    """

    def __init__(self, lake: str, run_id: str, wait_seconds: float = 0.0, poll_seconds: float = 1.0):
        self.lake = lake
        self.path = join(lake, "_lock")
        self.run_id = run_id
        self.wait_seconds = wait_seconds
        self.poll_seconds = poll_seconds

    def holder(self) -> dict | None:
        try:
            with FileSystems.open(self.path) as handle:
                return json.loads(handle.read().decode("utf-8") or "{}")
        except (OSError, ValueError, BeamIOError):
            return None  # no lock, or one being written this instant

    def _is_stale(self, holder: dict) -> bool:
        import os
        import socket

        if holder.get("host") != socket.gethostname():
            return False
        try:
            os.kill(int(holder.get("pid", -1)), 0)
        except ProcessLookupError:
            return True
        except (PermissionError, ValueError):
            return False
        return False

    def _try_create(self) -> bool:
        import os
        import socket

        record = json.dumps({"pid": os.getpid(), "host": socket.gethostname(), "run_id": self.run_id,
                             "since": dt.datetime.now(dt.timezone.utc).isoformat()}).encode()
        if is_local(self.lake):
            os.makedirs(self.lake, exist_ok=True)
            try:
                fd = os.open(self.path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644)
            except FileExistsError:
                return False
            with os.fdopen(fd, "wb") as handle:
                handle.write(record)
            return True
        if FileSystems.exists(self.path):
            return False
        with FileSystems.create(self.path) as handle:
            handle.write(record)
        return True

    def acquire(self) -> "LakeLock":
        import time

        deadline = time.monotonic() + self.wait_seconds
        while True:
            if self._try_create():
                return self
            holder = self.holder() or {}
            if holder and self._is_stale(holder):
                delete_quietly([self.path])
                continue
            if time.monotonic() >= deadline:
                raise LakeBusy(f"the lake {self.lake} is locked by run {holder.get('run_id')} "
                               f"(pid {holder.get('pid')} on {holder.get('host')}, since "
                               f"{holder.get('since')}); try again later, pass --lock-wait, or "
                               f"remove a lock you know to be dead with `newsevents unlock`")
            time.sleep(self.poll_seconds)

    def release(self) -> None:
        holder = self.holder()
        if holder and holder.get("run_id") == self.run_id:
            delete_quietly([self.path])

    def __enter__(self):
        return self.acquire()

    def __exit__(self, *exc):
        self.release()
        return False
