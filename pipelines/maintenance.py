"""Operating a lake: compaction, the lock, the run history. No Beam pipeline here.

    compact("lake/")       # merge each partition's files into one, atomically
    unlock("lake/")        # remove a dead run's lock
"""
from __future__ import annotations

import json
from collections import defaultdict

import pyarrow as pa

from newsevents.pipelines.batch import code_version, lake_operation
from newsevents.schemas.tables import COUNTS, ROW_TABLES, SCHEMA_VERSION
from newsevents.transforms.extraction.article import EXTRACTOR_VERSION
from newsevents.transforms.storage.faults import fault_point
from newsevents.transforms.storage.lake_files import (
    TABLE_FILE, LakeLock, commit_run, delete_quietly, read_parquet_file, relative_path,
    staged_path, visible_files, write_parquet)

SORT_KEYS = {"articles": "article_id", "events": "event_id", "places": "article_id",
             "rejects": "input", "incidents": "incident_id"}
ZERO_COUNTS = {field.name: 0 for field in COUNTS}


def compact(lake: str, tables: tuple[str, ...] = ROW_TABLES, min_files: int = 2,
            lock_wait: float = 0.0) -> dict:
    """Merge the visible files of every partition that has ``min_files`` or more into
    one file, committed like a run: the new files and the list of files they replace
    appear together with the compaction's manifest, so no query result changes."""
    with lake_operation(lake, lock_wait) as (run_id, started, state):
        staged, replaced, merged = [], [], 0
        for table in tables:
            by_day = defaultdict(list)
            for path in visible_files(lake, table, state):
                by_day[TABLE_FILE.search(path).group("day")].append(path)
            for day, files in sorted(by_day.items()):
                if len(files) < min_files:
                    continue
                combined = pa.concat_tables([read_parquet_file(f) for f in files],
                                            promote_options="permissive")
                key = SORT_KEYS[table]
                if key in combined.column_names:
                    combined = combined.sort_by(key)
                path = staged_path(lake, run_id, table, day, 0)
                write_parquet(path, combined)
                fault_point("during_compact_write")
                staged.append(path)
                replaced.extend(relative_path(f) for f in files)
                merged += len(files)
        manifest = {
            "run_id": run_id, "kind": "compact", "started_at": started, "status": "committed",
            "inputs": [], "counts": dict(ZERO_COUNTS), "accounting_ok": True, "files": [],
            "replaced_files": replaced, "metrics": {"compact:files_merged": merged,
                                                    "compact:files_written": len(staged)},
            "code_version": code_version(), "schema_version": SCHEMA_VERSION,
            "extractor_version": EXTRACTOR_VERSION, "options": json.dumps({"min_files": min_files}),
        }
        return commit_run(lake, manifest, staged)



def unlock(lake: str, force: bool = False) -> dict | None:
    """Remove the lake's lock if its process is dead (or with ``force``); returns who held it."""
    lock = LakeLock(lake, run_id="")
    holder = lock.holder()
    if holder is None:
        return None
    if not force and not lock._is_stale(holder):
        raise RuntimeError(f"run {holder.get('run_id')} (pid {holder.get('pid')} on "
                           f"{holder.get('host')}) may still be running; use --force if you "
                           "know it is dead")
    delete_quietly([lock.path])
    return holder
