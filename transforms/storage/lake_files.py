"""The files of a lake: paths, listing, which files are visible, Parquet reading and
writing. Plain functions over Beam's FileSystems (so ``gs://`` and ``s3://`` lakes
work); no pipeline code. The commit protocol is in ``commit``, the lock in ``lock``.

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

import io
import posixpath
import re
from dataclasses import dataclass, field

import pyarrow as pa
import pyarrow.parquet as pq
from apache_beam.io.filesystems import FileSystems


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
