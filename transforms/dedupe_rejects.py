"""DedupeRejects: every rejected record written to the lake once.

    rejects of this run -> {"rejects": rows not yet in the lake (one per reject_id),
                            "known": rows the lake (or this run) has already}

A file is read again when it grows, with ``--full``, after a repair or by a backfill;
its bad lines are rejected again, with the same ``reject_id`` (input, position, stage,
content hash; see ``routing.reject_key``). They are counted as rejected (the run's
accounting still holds) and as ``rejects_known``, but no second row is written.
"""
from __future__ import annotations

import hashlib

import apache_beam as beam
import numpy as np
import pyarrow.compute as pc

from newsevents.transforms.routing import RouteByTag, reject_key
from newsevents.transforms.storage.lake_files import read_parquet_columns

NEW, KNOWN = "rejects", "known"


def key64(reject_id: str) -> int:
    return int.from_bytes(hashlib.sha1(reject_id.encode("utf-8")).digest()[:8], "little")


def stored_reject_keys(paths: list[str]) -> np.ndarray:
    """The reject ids in these rejects files, as sorted 64-bit keys (files written
    before schema 1.5 have none)."""
    keys = []
    for path in paths:
        column = read_parquet_columns(path, ["reject_id"]).column("reject_id")
        ids = pc.drop_null(column).to_pylist()
        keys.append(np.fromiter((key64(i) for i in ids), dtype=np.uint64, count=len(ids)))
    return np.sort(np.concatenate(keys)) if keys else np.empty(0, np.uint64)


class SplitKnownRejectsFn(beam.DoFn):
    """One reject id's rows -> the first as new (unless the lake has it), the others known."""

    def __init__(self, stored_files: list[str]):
        self.stored_files = list(stored_files)
        self.stored = None

    def setup(self):
        self.stored = stored_reject_keys(self.stored_files)

    def is_stored(self, reject_id: str) -> bool:
        key = np.uint64(key64(reject_id))
        at = int(np.searchsorted(self.stored, key))
        return at < len(self.stored) and self.stored[at] == key

    def process(self, keyed):
        reject_id, rows = keyed
        # The same order on every runner: the first row is the one with the lowest reason.
        rows = sorted(rows, key=lambda r: (str(r.get("reason")), str(r.get("raw"))))
        first = dict(rows[0], reject_id=reject_id)
        yield (KNOWN if self.is_stored(reject_id) else NEW), first
        for row in rows[1:]:
            yield KNOWN, row


class DedupeRejects(beam.PTransform):
    """Rejects -> {"rejects": to write, "known": already recorded}; ``stored_files``
    are the rejects files visible to this run."""

    def __init__(self, stored_files: list[str]):
        super().__init__()
        self.stored_files = list(stored_files)

    def expand(self, rejects):
        return (rejects
                | "KeyByRejectId" >> beam.Map(lambda row: (reject_key(row), row))
                | "GroupRejectIds" >> beam.GroupByKey()
                | "SplitKnownRejects" >> beam.ParDo(SplitKnownRejectsFn(self.stored_files))
                | "RouteRejects" >> RouteByTag((NEW, KNOWN)))
