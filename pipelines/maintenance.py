"""Operating a lake: compaction, the lock, the run history. No Beam pipeline here.

    compact("lake/")       # merge each partition's files into one, atomically
    unlock("lake/")        # remove a lock file no live run holds
"""
from __future__ import annotations

import json
from collections import defaultdict

import pyarrow as pa

from newsevents.pipelines.commits import build_manifest, commit, lake_operation
from newsevents.schemas.tables import ROW_TABLES
from newsevents.transforms.storage.commit import fold_if_due, part_number
from newsevents.transforms.storage.faults import fault_point
from newsevents.transforms.storage.lake_files import (
    TABLE_FILE, read_parquet_file, relative_path, staged_path, visible_files, write_parquet)
from newsevents.transforms.storage.lock import break_lock

SORT_KEYS = {"articles": "article_id", "events": "event_id", "places": "article_id",
             "rejects": "input", "incidents": "incident_id", "event_windows": "window_start"}


def compact(lake: str, tables: tuple[str, ...] = ROW_TABLES, min_files: int = 2,
            lock_wait: float = 0.0, small_file_bytes: int | None = None,
            fold: bool = True, skip_empty: bool = False) -> dict | None:
    """Merge the visible files of every partition that has ``min_files`` or more into
    one file, committed like a run: the new files and the list of files they replace
    appear together with the compaction's manifest, so no query result changes.

    ``small_file_bytes``: merge only the files smaller than this (a stream's many small
    commits), leaving files that are already large as they are, so that compacting
    often costs what was added since, not the whole partition again. ``fold``: fold
    every manifest since the manifest checkpoint into it afterwards (whatever their
    number), so the lake's runs read from one checkpoint and a file a day of history.
    ``skip_empty``: commit nothing (and return None) when no partition needs merging."""
    with lake_operation(lake, lock_wait) as operation:
        run_id, state = operation.run_id, operation.state
        sizes = {info.path: info.size for listing in state.files.values() for info in listing}
        staged, replaced, merged = [], [], 0
        for table in tables:
            by_day = defaultdict(list)
            for path in visible_files(lake, table, state):
                if small_file_bytes is None or sizes.get(path, 0) < small_file_bytes:
                    by_day[TABLE_FILE.search(path).group("day")].append(path)
            for day, files in sorted(by_day.items()):
                if len(files) < min_files:
                    continue
                combined = pa.concat_tables([read_parquet_file(f) for f in files],
                                            promote_options="permissive")
                key = SORT_KEYS[table]
                if key in combined.column_names:
                    combined = combined.sort_by(key)
                path = staged_path(lake, run_id, table, day, part_number("compacted"))
                write_parquet(path, combined)
                fault_point("during_compact_write")
                staged.append(path)
                replaced.extend(relative_path(f) for f in files)
                merged += len(files)
        if skip_empty and not staged:
            if fold:
                fold_if_due(lake, run_id, force=True)
            return None
        manifest = build_manifest(
            operation, "compact", options=json.dumps({"min_files": min_files,
                                                      "small_file_bytes": small_file_bytes}),
            replaced_files=replaced, metrics={"compact:files_merged": merged,
                                              "compact:files_written": len(staged)})
        committed = commit(operation, lake, manifest, staged)
        if fold:
            fold_if_due(lake, run_id, force=True)
        return committed


def unlock(lake: str, force: bool = False) -> tuple[dict, bool] | None:
    """Remove the lake's lock file unless a live run holds it (``force``: whatever
    holds it, whatever the file holds). Returns (holder details, whether a live run
    held it), or None when the lake had no lock file; LakeBusy when a live run holds
    it and ``force`` is not given."""
    return break_lock(lake, force)
