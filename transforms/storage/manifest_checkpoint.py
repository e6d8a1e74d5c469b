"""The manifest checkpoint: what every manifest says, folded into one file, so that a
commit and a query read that file and a few recent manifests instead of every manifest
the lake ever had (as Delta Lake's checkpoint files do for its log).

A lake's state is what its manifests say (``lake_files.LakeState``): which runs are
committed, which files they wrote (with size and checksum), which files later runs
replaced, which input files were read. A stream commits thousands of runs a day; if each
commit and each query read every manifest, both would slow down with every run. So:

- ``LAKE/runs/_checkpoint.json`` holds that state **folded**: the runs that still have
  a file in the lake, with what their manifests recorded of those files; the replaced
  files still on disk (none once cleanup ran); the input files read. Runs whose files
  were all replaced (compacted, reprocessed) leave it, and so do the stream's own pane
  files once deleted: its size follows the lake's live files, not its number of runs.
- Manifests committed since stay as they are (``runs/dt=DAY/part-RUN-0.parquet``) and
  are applied on top. Once ``FOLD_AFTER`` of them pile up, the committing writer (under
  the lake's lock) folds them: their rows go to a **history file**
  (``runs/dt=DAY/history-FOLD.parquet``, rows of the ``runs`` table, one per run), the
  checkpoint is rewritten, and the folded manifests are deleted. The day's small history
  files (under ``HISTORY_FILE_ROWS`` rows) are merged once ``MERGE_HISTORY_AT`` of them
  exist, and all of a day's once the day is over, so the ``runs`` view reads about one
  file a day and no fold rewrites more than a few thousand rows.

Crash safety. The history file is written (and fsynced) first; the checkpoint, replaced
durably, is the fold's commit point and names the manifests it folded; only then are
they deleted. A crash before the checkpoint leaves the manifests in force and a history
file nobody names (deleted by the next fold); a crash after it leaves folded manifests
the checkpoint names (skipped by readers, deleted by the next fold). Meanwhile a run's
row can be in two runs files at once: every reader of ``runs`` keeps one row per run id
(``schemas/views.sql`` too), so the ``runs`` view never shows a run twice.

``newsevents check`` reads every manifest and history file (``read_lake_state(...,
full=True)``), folds them again and compares: a checkpoint that disagrees, or cannot be
read, is a finding that ``--repair`` rewrites. Readers that find it unreadable fall back
to reading every runs file.
"""
from __future__ import annotations

import datetime as dt
import json
import logging
import re
from dataclasses import dataclass, field

import pyarrow as pa

from newsevents.schemas.tables import to_arrow_table
from newsevents.transforms.storage import durable
from newsevents.transforms.storage.faults import fault_point

LOG = logging.getLogger(__name__)
CHECKPOINT_VERSION = 1
CHECKPOINT_NAME = "_checkpoint.json"
# Manifests a fold takes at least: a reader reads at most this many besides the
# checkpoint (about 1 ms each here), and a fold costs one history file and one checkpoint.
FOLD_AFTER = 10
# Small history files of one day merged into one once there are this many, and all of a
# day's once the day is over: the runs view reads about one file a day. A history file
# of this many rows is no longer small: a stream's busy day is not rewritten at each merge.
MERGE_HISTORY_AT = 10
HISTORY_FILE_ROWS = 2_000
HISTORY_FILE = re.compile(r"runs/dt=(?P<day>[^/]+)/history-(?P<fold>[^/]+)\.parquet$")
MANIFEST_FILE = re.compile(r"runs/dt=(?P<day>[^/]+)/part-(?P<run>.+)-0\.parquet$")


class CheckpointError(ValueError):
    """A checkpoint file that cannot be read as one."""


@dataclass
class Checkpoint:
    """The folded state of the manifests up to a fold.

    ``runs``: run id -> what its manifest recorded of its files still in force (None
    for runs committed before manifests recorded them); ``replaced``: relative paths
    of replaced files still on disk; ``processed``: input path -> (size, mtime);
    ``history``: the history files holding the folded runs' rows (relative paths);
    ``folded``: the manifests the last fold took (relative), deleted after it.
    """
    runs: dict[str, list[dict] | None] = field(default_factory=dict)
    replaced: set[str] = field(default_factory=set)
    processed: dict[str, tuple[int, float]] = field(default_factory=dict)
    history: list[str] = field(default_factory=list)
    history_rows: dict[str, int] = field(default_factory=dict)  # rows of each history file
    folded: list[str] = field(default_factory=list)
    newest: tuple[str, str] | None = None  # (run id, started_at ISO) of the newest folded run
    runs_folded: int = 0  # manifests folded since the lake began, for the record
    fold_id: str | None = None

    def to_json(self) -> dict:
        return {"version": CHECKPOINT_VERSION, "fold_id": self.fold_id,
                "runs": {run: facts for run, facts in sorted(self.runs.items())},
                "replaced": sorted(self.replaced),
                "processed": [[path, size, mtime] for path, (size, mtime) in sorted(self.processed.items())],
                "history": sorted(self.history), "folded": sorted(self.folded),
                "history_rows": {rel: n for rel, n in sorted(self.history_rows.items())
                                 if rel in self.history},
                "newest": list(self.newest) if self.newest else None,
                "runs_folded": self.runs_folded}

    @classmethod
    def from_json(cls, data: dict) -> "Checkpoint":
        if not isinstance(data, dict) or data.get("version") != CHECKPOINT_VERSION:
            raise CheckpointError(f"not a manifest checkpoint of version {CHECKPOINT_VERSION}")
        try:
            return cls(runs={str(run): (list(facts) if facts is not None else None)
                             for run, facts in data["runs"].items()},
                       replaced=set(data["replaced"]),
                       processed={path: (int(size), float(mtime)) for path, size, mtime in data["processed"]},
                       history=list(data["history"]), folded=list(data["folded"]),
                       history_rows={str(rel): int(n) for rel, n in data.get("history_rows", {}).items()},
                       newest=tuple(data["newest"]) if data["newest"] else None,
                       runs_folded=int(data["runs_folded"]), fold_id=data.get("fold_id"))
        except (KeyError, TypeError, ValueError, AttributeError) as err:
            raise CheckpointError(f"a field is missing or of the wrong type ({err})") from None

    def same_state(self, other: "Checkpoint") -> bool:
        """Whether two checkpoints describe the same lake (history aside)."""
        return (self.runs, self.replaced, self.processed) == (other.runs, other.replaced, other.processed)


def checkpoint_path(lake: str) -> str:
    return durable.join_path(lake, "runs", CHECKPOINT_NAME)


def read_checkpoint(lake: str) -> Checkpoint | None:
    """The lake's checkpoint, None if it has none; CheckpointError if it is damaged."""
    path = checkpoint_path(lake)
    if not durable.exists(path):
        return None
    try:
        data = json.loads(durable.read_bytes(path).decode("utf-8"))
    except FileNotFoundError:
        return None  # replaced between the two calls: there is a new one, read again
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as err:
        raise CheckpointError(f"unreadable: {err}") from None
    return Checkpoint.from_json(data)


def write_checkpoint(lake: str, checkpoint: Checkpoint) -> None:
    data = json.dumps(checkpoint.to_json(), sort_keys=True, separators=(",", ":"))
    durable.write_file(checkpoint_path(lake), data.encode("utf-8"))


def is_history_file(relative: str) -> bool:
    return HISTORY_FILE.search(relative) is not None


def manifest_run_id(relative: str) -> str | None:
    match = MANIFEST_FILE.search(relative)
    return match.group("run") if match else None


def runs_file_day(relative: str) -> str:
    return relative.split("/")[1].removeprefix("dt=")


def fold_state(base: Checkpoint | None, manifests: list[dict], on_disk: set[str],
               stream_root: str, exists=durable.exists) -> Checkpoint:
    """``base`` with ``manifests`` applied (in the order of their start), pruned of
    what no longer matters:

    - a file's record goes once a committed run replaced it (and a run with no file
      left goes), so the checkpoint grows with the lake's files, not with its runs;
    - a replaced file stays listed while it is still on disk (a cleanup to finish);
    - an input under the stream's own folder (``stream_root``: pane files the stream
      deletes once committed) is forgotten once it is gone.

    ``on_disk``: relative paths of the lake's table files now.
    """
    folded = Checkpoint() if base is None else Checkpoint(
        runs={run: (list(facts) if facts is not None else None) for run, facts in base.runs.items()},
        replaced=set(base.replaced), processed=dict(base.processed), history=list(base.history),
        history_rows=dict(base.history_rows),
        newest=base.newest, runs_folded=base.runs_folded)
    ordered = sorted(manifests, key=lambda m: m["started_at"])
    replaced = set(folded.replaced)
    for manifest in ordered:
        replaced.update(manifest.get("replaced_files") or [])
    for manifest in ordered:
        written = manifest.get("written_files")
        folded.runs[manifest["run_id"]] = None if written is None else [dict(f) for f in written]
        for entry in manifest.get("files") or []:
            folded.processed[entry["path"]] = (int(entry["size"]), float(entry["mtime"]))
        for path in manifest.get("reread_files") or []:
            folded.processed.pop(path, None)
        started = manifest["started_at"]
        started = started.isoformat() if isinstance(started, dt.datetime) else str(started)
        if folded.newest is None or started >= folded.newest[1]:
            folded.newest = (manifest["run_id"], started)
        folded.runs_folded += 1
    for run in list(folded.runs):
        facts = folded.runs[run]
        if facts is None:
            # Runs from before manifests recorded files: kept while a file of theirs is
            # in force (their file names carry their id).
            if not any(_run_of(path) == run and path not in replaced for path in on_disk):
                del folded.runs[run]
            continue
        kept = [f for f in facts if f["path"] not in replaced]
        if kept:
            folded.runs[run] = kept
        else:
            del folded.runs[run]
    folded.replaced = {path for path in replaced if path in on_disk}
    prefix = stream_root.rstrip("/") + "/"
    for path in [p for p in folded.processed if p.startswith(prefix)]:
        if not exists(path):
            del folded.processed[path]
    return folded


def _run_of(relative: str) -> str | None:
    match = re.search(r"/part-(.+)-\d+\.parquet$", relative)
    return match.group(1) if match else None


def manifest_rows_table(rows: list[dict]) -> pa.Table:
    return to_arrow_table("runs", rows)


@dataclass
class FoldResult:
    fold_id: str
    manifests: int
    history_written: list[str]
    history_merged: list[str]


def fold_manifests(lake: str, loose: dict[str, dict], checkpoint: Checkpoint | None,
                   on_disk: set[str], history_rows, fold_id: str, today: str,
                   stream_root: str) -> FoldResult:
    """Fold the manifests ``loose`` (relative path -> manifest row) into the checkpoint.
    Call it while holding the lake's lock; the lake's leftovers of an earlier fold must
    be gone (``clean_fold_leftovers``).

    ``history_rows(relative)`` reads a history file's rows (for merging), or None when
    it cannot be read (it is then left as it is).
    """
    by_day: dict[str, list[dict]] = {}
    for relative, manifest in sorted(loose.items()):
        by_day.setdefault(runs_file_day(relative), []).append(manifest)
    history = list(checkpoint.history) if checkpoint else []
    sizes = dict(checkpoint.history_rows) if checkpoint else {}
    written, merged = [], []
    past_days = {runs_file_day(p) for p in history if runs_file_day(p) < today}
    for day in sorted(set(by_day) | past_days):
        rows = list(by_day.get(day, []))
        existing = sorted(p for p in history if runs_file_day(p) == day)
        if day < today:
            to_merge = existing  # a day that is over: one file
        else:
            small = [p for p in existing if sizes.get(p, 0) < HISTORY_FILE_ROWS]
            to_merge = small if len(small) + 1 >= MERGE_HISTORY_AT else []
        if not rows and len(to_merge) <= 1:
            continue
        for relative in to_merge:
            earlier = history_rows(relative)
            if earlier is None:
                continue
            rows = rows + earlier
            merged.append(relative)
        unique = {}
        for row in rows:
            unique.setdefault(row["run_id"], row)
        target = f"runs/dt={day}/history-{fold_id}.parquet"
        write_history_file(lake, target, sorted(unique.values(), key=lambda r: r["started_at"]))
        sizes[target] = len(unique)
        written.append(target)
        if len(written) == 1:
            fault_point("mid_fold")
    folded = fold_state(checkpoint, list(loose.values()), on_disk, stream_root)
    folded.history = sorted((set(history) - set(merged)) | set(written))
    folded.history_rows = {rel: n for rel, n in sizes.items() if rel in folded.history}
    folded.folded = sorted(loose)
    folded.fold_id = fold_id
    fault_point("before_checkpoint")
    write_checkpoint(lake, folded)  # the fold's commit point
    fault_point("after_checkpoint")
    durable.delete_paths([durable.join_path(lake, *p.split("/")) for p in sorted(loose) + merged])
    return FoldResult(fold_id, len(loose), written, merged)


def write_history_file(lake: str, relative: str, rows: list[dict]) -> None:
    """A history file written whole under a temporary name, fsynced and renamed into
    place (readers of the runs folder never see half of it)."""
    import io

    import pyarrow.parquet as pq

    buffer = io.BytesIO()
    pq.write_table(manifest_rows_table(rows), buffer, compression="zstd")
    durable.write_file(durable.join_path(lake, *relative.split("/")), buffer.getvalue())


def clean_fold_leftovers(lake: str, checkpoint: Checkpoint | None, runs_files: list[str]) -> int:
    """What a fold that crashed left: manifests the checkpoint folded but that were not
    deleted, and history files it does not name (written by a fold that did not reach
    its checkpoint, or merged into a newer one). Under the lake's lock only."""
    if checkpoint is None:
        return 0
    named, folded = set(checkpoint.history), set(checkpoint.folded)
    stale = [p for p in runs_files if p in folded or (is_history_file(p) and p not in named)]
    return durable.delete_paths([durable.join_path(lake, *p.split("/")) for p in stale])
