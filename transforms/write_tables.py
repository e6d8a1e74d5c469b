"""WriteTables: rows of every table to Hive-partitioned Parquet, made visible at once.

    {"articles": rows, "events": rows, ...}   (each row carries its partition in "dt")
      -> LAKE/_staging/RUN/articles/dt=2022-05-14/part-RUN-0.parquet   (written by workers)
      -> LAKE/articles/dt=2022-05-14/part-RUN-0.parquet                (renamed at commit)
      -> LAKE/runs/dt=RUN_DATE/run-RUN.parquet                         (written last)

Queries glob ``TABLE/dt=*/*.parquet`` and never look under ``_staging``, so a run that
dies before its commit leaves nothing a query can see. Files go through
``apache_beam.io.filesystems``; ``gs://`` and ``s3://`` lakes work the same way.
"""
from __future__ import annotations

import datetime as dt
import io
import json
import posixpath

import apache_beam as beam
import pyarrow.parquet as pq
from apache_beam.io.filesystems import FileSystems
from apache_beam.metrics import Metrics

from schemas.tables import PARTITION_COLUMN, RUNS, SCHEMA_VERSION, to_arrow_table

STAGING_DIR = "_staging"
MAX_ROWS_PER_FILE = 250_000
ROW_GROUP_SIZE = 64_000
COMPRESSION = "zstd"


def partition_dir(lake: str, table: str, day: str) -> str:
    """``LAKE/TABLE/dt=DAY``; the layout DuckDB's hive_partitioning reads."""
    return FileSystems.join(lake, table, f"{PARTITION_COLUMN}={day}")


def staged_path(lake: str, run_id: str, table: str, day: str, part: int) -> str:
    return FileSystems.join(lake, STAGING_DIR, run_id, table, f"{PARTITION_COLUMN}={day}",
                            f"part-{run_id}-{part}.parquet")


def final_path(lake: str, staged: str) -> str:
    """Where a staged file goes at commit: the same relative path outside staging."""
    marker = f"/{STAGING_DIR}/"
    relative = staged.split(marker, 1)[1].split("/", 1)[1]  # drop the run directory
    return FileSystems.join(lake, *relative.split("/"))


def ensure_parent(path: str) -> None:
    """Local filesystems need directories; object stores have none."""
    if "://" not in path:
        parent = posixpath.dirname(path)
        if not FileSystems.exists(parent):
            FileSystems.mkdirs(parent)


def write_parquet(path: str, table) -> None:
    """One Parquet file through Beam's filesystems (zstd, bounded row groups)."""
    buffer = io.BytesIO()
    pq.write_table(table, buffer, compression=COMPRESSION, row_group_size=ROW_GROUP_SIZE)
    ensure_parent(path)
    with FileSystems.create(path) as handle:
        handle.write(buffer.getvalue())


def move_into_lake(lake: str, staged: list[str]) -> None:
    """Rename staged files to their place in the lake (a rename is atomic per file)."""
    targets = [final_path(lake, path) for path in staged]
    for target in targets:
        ensure_parent(target)
    if staged:
        FileSystems.rename(staged, targets)


def key_by_partition(row: dict, table: str, run_id: str, run_day: str):
    """((table, dt), row without dt, stamped with the run); rows without dt (rejects)
    go to the run's day."""
    row = dict(row, run_id=run_id)
    day = row.pop(PARTITION_COLUMN, None) or run_day
    return (table, day), row


class WritePartitionFn(beam.DoFn):
    """All rows of one (table, day) to staged files of at most MAX_ROWS_PER_FILE rows."""

    def __init__(self, lake: str, run_id: str):
        self.lake = lake
        self.run_id = run_id
        self.files = Metrics.counter("write", "files")

    def process(self, keyed):
        (table, day), rows = keyed
        rows = list(rows)
        rows.sort(key=lambda r: r.get("event_id") or r.get("article_id") or "")
        for part, start in enumerate(range(0, len(rows), MAX_ROWS_PER_FILE)):
            chunk = rows[start:start + MAX_ROWS_PER_FILE]
            path = staged_path(self.lake, self.run_id, table, day, part)
            write_parquet(path, to_arrow_table(table, chunk))
            self.files.inc()
            yield {"table": table, "dt": day, "staged": path, "rows": len(chunk)}


class CommitRunFn(beam.DoFn):
    """Move every staged file into the lake, then write the run's manifest row last."""

    def __init__(self, lake: str, run_info: dict):
        self.lake = lake
        self.run_info = run_info

    def process(self, written: list[dict], counts: dict):
        move_into_lake(self.lake, [w["staged"] for w in written])
        info = self.run_info
        counts = dict(counts)
        accounting_ok = counts["read"] == counts["stored"] + counts["duplicates"] + counts["rejected"]
        manifest = {
            "run_id": info["run_id"], "started_at": info["started_at"],
            "finished_at": dt.datetime.now(dt.timezone.utc),
            "status": "committed" if accounting_ok else "committed_with_accounting_error",
            "inputs": info["inputs"], "counts": counts, "accounting_ok": accounting_ok,
            "code_version": info["code_version"], "schema_version": SCHEMA_VERSION,
            "extractor_version": info["extractor_version"],
            "options": json.dumps(info["options"], sort_keys=True, default=str),
        }
        day = info["started_at"].date().isoformat()
        staged = staged_path(self.lake, info["run_id"], "runs", day, 0)
        write_parquet(staged, to_arrow_table("runs", [manifest]))
        move_into_lake(self.lake, [staged])
        staging = FileSystems.join(self.lake, STAGING_DIR, info["run_id"])
        if FileSystems.exists(staging):
            FileSystems.delete([staging])
        yield manifest


class WriteTables(beam.PTransform):
    """Write the tables of one run and commit them; returns the run's manifest row.

    ``tables`` maps a table name to a PCollection of rows; ``counts`` maps a counter
    name (read, stored, duplicates, rejected, events, places, extraction_errors) to a
    PCollection holding one integer.
    """

    def __init__(self, lake: str, run_info: dict):
        super().__init__()
        self.lake = lake
        self.run_info = run_info

    def expand(self, inputs):
        tables, counts = inputs
        run_id = self.run_info["run_id"]
        run_day = self.run_info["started_at"].date().isoformat()
        written = []
        for table, rows in tables.items():
            written.append(
                rows
                | f"Key{table.title()}" >> beam.Map(
                    key_by_partition, table=table, run_id=run_id, run_day=run_day)
                | f"Group{table.title()}" >> beam.GroupByKey()
                | f"Write{table.title()}" >> beam.ParDo(WritePartitionFn(self.lake, run_id)))
        count_pairs = [pc | f"Name{name.title()}" >> beam.Map(lambda n, name=name: (name, n))
                       for name, pc in counts.items()]
        all_counts = (count_pairs | "FlattenCounts" >> beam.Flatten()
                      | "CountsToDict" >> beam.combiners.ToDict())
        return ((written | "FlattenWritten" >> beam.Flatten()
                 | "AllWritten" >> beam.combiners.ToList())
                | "CommitRun" >> beam.ParDo(CommitRunFn(self.lake, self.run_info),
                                            counts=beam.pvalue.AsSingleton(all_counts)))
