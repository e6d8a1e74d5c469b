"""Progress counters that workers publish for the driver to display. No Beam imports.

Each DoFn instance keeps its own counters and, at most every few seconds, writes them
to ``LAKE/_staging/RUN/progress/<instance>.json`` through Beam's filesystems; the driver
sums the files. This works on every runner (the driver only needs to read the lake),
costs one small write per worker every few seconds, and disappears with staging.

    reporter = ProgressReporter(lake, run_id)       # in DoFn.setup
    reporter.add("articles_extracted")              # per element
    reporter.flush()                                # in finish_bundle / teardown
"""
from __future__ import annotations

import json
import time
import uuid

from apache_beam.io.filesystems import FileSystems

from newsevents.transforms.storage.lake_files import (
    ensure_parent, join, match_paths, staging_dir)

FLUSH_SECONDS = 2.0


def progress_dir(lake: str, run_id: str) -> str:
    return join(staging_dir(lake, run_id), "progress")


class ProgressReporter:
    def __init__(self, lake: str | None, run_id: str | None):
        self.path = (join(progress_dir(lake, run_id), f"{uuid.uuid4().hex}.json")
                     if lake and run_id else None)
        self.counts: dict[str, int] = {}
        self.last_flush = 0.0

    def add(self, name: str, amount: int = 1) -> None:
        self.counts[name] = self.counts.get(name, 0) + amount
        if self.path and time.monotonic() - self.last_flush >= FLUSH_SECONDS:
            self.flush()

    def flush(self) -> None:
        if not self.path or not self.counts:
            return
        ensure_parent(self.path)
        with FileSystems.create(self.path) as handle:
            handle.write(json.dumps(self.counts).encode("utf-8"))
        self.last_flush = time.monotonic()


def read_progress(lake: str, run_id: str) -> dict[str, int]:
    """The workers' counters summed (files being rewritten are skipped this time)."""
    totals: dict[str, int] = {}
    for path in match_paths(progress_dir(lake, run_id), "*.json"):
        try:
            with FileSystems.open(path) as handle:
                counts = json.loads(handle.read().decode("utf-8"))
        except (OSError, ValueError):
            continue
        for name, value in counts.items():
            totals[name] = totals.get(name, 0) + int(value)
    return totals
