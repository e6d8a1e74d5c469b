"""The one way anything is committed to a lake: a run, a reprocessing, a compaction.

    with lake_operation(lake, lock_wait) as operation:     # the lock, crashed runs cleaned
        ... stage files under operation.run_id ...
        commit(operation, lake, build_manifest(operation, "run", counts=..., ...), staged_files)

Every writer takes the lake's lock through ``lake_operation`` (so cleaning what crashed
runs left only ever happens under the lock), describes what it did with
``build_manifest`` (the only place a manifest row is made) and commits through
``transforms.storage.commit.commit_run`` (files into place, the manifest last).
"""
from __future__ import annotations

import contextlib
import datetime as dt
import logging
import uuid
from dataclasses import dataclass
from importlib import metadata

from newsevents.schemas.tables import COUNTS, SCHEMA_VERSION
from newsevents.transforms.extraction.version import EXTRACTOR_VERSION
from newsevents.transforms.storage.commit import (
    clean_leftovers, commit_run, fold_if_due, stage_empty_tables)
from newsevents.transforms.storage.faults import fault_point
from newsevents.transforms.storage.lake_files import LakeState, read_lake_state
from newsevents.transforms.storage.lock import LakeLock
from newsevents.transforms.storage.manifest_checkpoint import FOLD_AFTER

LOG = logging.getLogger(__name__)
ZERO_COUNTS = {field.name: 0 for field in COUNTS}


def code_version() -> str:
    try:
        return metadata.version("newsevents")
    except metadata.PackageNotFoundError:
        return "unknown"


def new_run_id(now: dt.datetime) -> str:
    return now.strftime("%Y%m%dT%H%M%SZ") + "-" + uuid.uuid4().hex[:8]


@dataclass(frozen=True)
class LakeOperation:
    """A writer holding the lake: its run id, start time, the lake's state then, and
    the lock it holds."""
    run_id: str
    started: dt.datetime
    state: LakeState
    lock: LakeLock | None = None


@contextlib.contextmanager
def lake_operation(lake: str, lock_wait: float):
    """Hold the lake's lock for a new run id, with what crashed runs left cleaned away."""
    started = dt.datetime.now(dt.timezone.utc)
    run_id = new_run_id(started)
    with LakeLock(lake, run_id, wait_seconds=lock_wait) as lock:
        fault_point("after_lock")
        # Writers also check the footers of files committed before manifests recorded
        # them, so that no stage reads a file that is not Parquet of its table.
        state = read_lake_state(lake, probe_unrecorded=True)
        cleaned = clean_leftovers(lake, state, current_run=run_id)
        if any(cleaned.values()):
            LOG.warning("removed what earlier runs left behind: %s", cleaned)
        yield LakeOperation(run_id, started, state, lock)


def accounting_holds(counts: dict) -> bool:
    """Every record read is stored, a duplicate or a reject."""
    return counts["read"] == counts["stored"] + counts["duplicates"] + counts["rejected"]


def build_manifest(operation: LakeOperation, kind: str, *, options: str, counts: dict | None = None,
                   inputs=(), input_files=(), replaced_files=(), metrics: dict | None = None,
                   reread_files=()) -> dict:
    """The manifest row of a commit (``runs`` table); ``finished_at`` is set at commit.

    ``counts`` missing from a kind of operation are 0; ``input_files`` are the
    (path, size, mtime) of inputs read completely, which later incremental runs skip.
    """
    counts = dict(ZERO_COUNTS, **(counts or {}))
    accounting_ok = accounting_holds(counts)
    return {
        "run_id": operation.run_id, "kind": kind, "started_at": operation.started,
        "status": "committed" if accounting_ok else "committed_with_accounting_error",
        "inputs": list(inputs), "counts": counts, "accounting_ok": accounting_ok,
        "files": [{"path": p, "size": s, "mtime": m} for p, s, m in input_files],
        "replaced_files": sorted(replaced_files), "reread_files": sorted(reread_files),
        "metrics": metrics or {},
        "code_version": code_version(), "schema_version": SCHEMA_VERSION,
        "extractor_version": EXTRACTOR_VERSION, "options": options,
    }


def commit(operation: LakeOperation, lake: str, manifest: dict, staged_files: list[str],
           staged_facts: dict[str, dict] | None = None) -> dict:
    """Make the operation visible, if it still holds the lake (a lease on an object
    store can be lost); returns the manifest as written. ``staged_facts``: what the
    writers recorded of the files they staged and fsynced (``commit_run``)."""
    if operation.lock is not None:
        operation.lock.confirm()
    staged_files = list(staged_files) + stage_empty_tables(lake, manifest["run_id"], staged_files,
                                                           operation.state.files)
    committed = commit_run(lake, manifest, staged_files, staged_facts)
    state = operation.state
    if (len(state.loose_manifests) + 1 >= FOLD_AFTER or state.checkpoint_problem is not None
            or (state.checkpoint is None and state.history_files)):
        # Many small commits stay cheap: the manifests since the checkpoint are folded
        # into it (manifest_checkpoint), still under the lock.
        folded = fold_if_due(lake, manifest["run_id"], fold_after=FOLD_AFTER)
        if folded:
            LOG.info("folded %d manifests into the checkpoint", folded.manifests)
    LOG.info("run %s committed", manifest["run_id"],
             extra={"run_id": manifest["run_id"], "kind": manifest["kind"],
                    "counts": manifest["counts"], "status": committed["status"]})
    return committed
