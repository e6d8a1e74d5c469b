"""WriteTables: rows of every table to staged, Hive-partitioned Parquet files.

    {"articles": rows, "events": rows, ...}   (each row carries its partition in "dt")
      -> LAKE/_staging/RUN/articles/dt=2022-05-14/part-RUN-0.parquet
      -> LAKE/_staging/RUN/pending-CHUNK.json   {"files": [...], "staged_facts": {...},
                                                "counts": {...}, "input_files": [...]}

Nothing here is visible to queries: the driver commits the run afterwards
(``newsevents.transforms.storage.commit.commit_run``), renaming the files into place and
writing the manifest last. Each file is fsynced as it is written, and what the manifest
records of it goes to the pending record (``lake_files.stage_parquet``), so that the
commit need not read it again. Files go through ``apache_beam.io.filesystems``.
"""
from __future__ import annotations

import apache_beam as beam
from apache_beam.metrics import Metrics

from newsevents.schemas.tables import PARTITION_COLUMN, to_arrow_table
from newsevents.transforms.storage.faults import fault_point
from newsevents.transforms.storage.lake_files import stage_parquet, staged_path
from newsevents.transforms.storage.commit import part_number, write_pending

# Rows a staged file holds at most; also what a worker holds in memory while writing.
MAX_ROWS_PER_FILE = 100_000


def key_by_partition(row: dict, table: str, run_id: str, run_day: str):
    """((table, dt), row without dt, stamped with the run); rows without dt (rejects)
    go to the run's day."""
    row = dict(row, run_id=run_id)
    day = row.pop(PARTITION_COLUMN, None) or run_day
    return (table, day), row


class WritePartitionFn(beam.DoFn):
    """All rows of one (table, day) to staged files of at most MAX_ROWS_PER_FILE rows."""

    def __init__(self, lake: str, run_id: str, chunk: int = 0):
        self.lake = lake
        self.run_id = run_id
        self.chunk = chunk
        self.files = Metrics.counter("write", "files")

    def process(self, keyed):
        (table, day), rows = keyed
        chunk, part = [], 0
        # Stream the group: a partition of a million rows never sits in memory whole.
        for row in rows:
            chunk.append(row)
            if len(chunk) == MAX_ROWS_PER_FILE:
                yield self._write(table, day, part, chunk)
                chunk, part = [], part + 1
        if chunk:
            yield self._write(table, day, part, chunk)

    def _write(self, table: str, day: str, part: int, chunk: list[dict]) -> dict:
        path = staged_path(self.lake, self.run_id, table, day,
                           part_number("tables", self.chunk, part))
        staged = stage_parquet(path, to_arrow_table(table, chunk))
        self.files.inc()
        fault_point("during_write")
        return staged


class WritePendingFn(beam.DoFn):
    """Record what the run staged, once every file is written.

    Its one input is the list of everything the pending record holds, each item tagged
    ("file", what ``stage_parquet`` returned), ("count", (name, n)), ("input", (path,
    size, mtime)) or ("replaced", path). A single main input, not side inputs: Beam's
    DaskRunner computes a side input again inside every task that reads it, which
    recomputed the whole pipeline (parsing included) for the counts.
    """

    def __init__(self, lake: str, run_id: str, name: str, count_names: tuple[str, ...] = ()):
        self.lake = lake
        self.run_id = run_id
        self.name = name
        self.count_names = tuple(count_names)

    def process(self, items: list):
        # A count of an empty PCollection is no element at all: 0.
        staged_facts, counts, input_files, replaced = {}, dict.fromkeys(self.count_names, 0), [], set()
        for tag, value in items:
            if tag == "start":
                continue
            if tag == "file":
                staged_facts[value["staged"]] = value
            elif tag == "count":
                counts[value[0]] = value[1]
            elif tag == "input":
                input_files.append(value)
            else:
                replaced.add(value)
        pending = {"files": sorted(staged_facts), "staged_facts": staged_facts, "counts": counts,
                   "input_files": sorted(input_files), "replaced": sorted(replaced)}
        write_pending(self.lake, self.run_id, pending, self.name)
        yield pending


class WriteTables(beam.PTransform):
    """Stage the tables of one run; returns the pending commit (one dict).

    ``inputs`` is (tables, counts, input_files[, rewritten]): ``tables`` maps a table
    name to a PCollection of rows; ``counts`` maps a counter name to a PCollection
    holding one integer; ``input_files`` is a PCollection of (path, size, mtime) read
    completely; ``rewritten`` (optional) holds "files" staged by another step (whole
    partitions rewritten, e.g. incidents: what ``stage_parquet`` returned for each) and
    the "replaced" files they supersede.
    """

    def __init__(self, lake: str, run_id: str, run_day: str, chunk: int = 0):
        super().__init__()
        self.lake = lake
        self.run_id = run_id
        self.run_day = run_day
        # Runs split into chunks stage each chunk's files under their own part numbers
        # and their own pending record.
        self.chunk = chunk

    def expand(self, inputs):
        tables, counts, input_files, *rest = inputs
        rewritten = rest[0] if rest else {}
        written = [rewritten["files"]] if "files" in rewritten else []
        for table, rows in tables.items():
            written.append(
                rows
                | f"Key{table.title()}" >> beam.Map(
                    key_by_partition, table=table, run_id=self.run_id, run_day=self.run_day)
                | f"Group{table.title()}" >> beam.GroupByKey()
                | f"Write{table.title()}" >> beam.ParDo(
                    WritePartitionFn(self.lake, self.run_id, self.chunk)))
        # One element always, so that the pending record is written for an empty run.
        start = input_files.pipeline | "PendingStart" >> beam.Create([("start", None)])
        tagged = [start, written | "FlattenWritten" >> beam.Flatten()
                  | "TagWritten" >> beam.Map(lambda path: ("file", path)),
                  input_files | "TagInputFiles" >> beam.Map(lambda spec: ("input", spec))]
        tagged += [pc | f"Name{name.title()}" >> beam.Map(lambda n, name=name: ("count", (name, n)))
                   for name, pc in counts.items()]
        if "replaced" in rewritten:
            tagged.append(rewritten["replaced"] | "TagReplaced" >> beam.Map(lambda p: ("replaced", p)))
        return (tagged
                | "FlattenPending" >> beam.Flatten()
                | "AllPending" >> beam.CombineGlobally(
                    beam.combiners.ToListCombineFn()).without_defaults()
                | "WritePending" >> beam.ParDo(
                    WritePendingFn(self.lake, self.run_id, f"pending-{self.chunk}", tuple(counts))))
