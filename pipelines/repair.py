"""Checking a lake against its manifests, and repairing what is damaged.

    report = check("lake/")     # every committed file read and verified
    report = repair("lake/")    # damaged files quarantined; the next run restores their rows

``check`` reads every visible file whole and compares it with what its manifest recorded
at commit (size, rows, schema fingerprint, SHA-256; files of runs committed before
schema 1.5 are checked for being readable Parquet of their table). With the problems
the lake's state already notes (unreadable manifests, files of the wrong size, missing
files, files no run wrote), each finding is one of:

- **lost**: a committed file that is damaged or missing: the rows queries should see;
- **stray**: a file no committed run wrote (a foreign name, a file its run did not
  list), or a file of a run whose manifest cannot be read;
- **manifest**: a ``runs`` file that is no readable manifest or history file;
- **checkpoint**: the manifest checkpoint (``runs/_checkpoint.json``) cannot be read or
  disagrees with what the manifests and history files fold to; ``--repair`` rewrites it.

``repair`` (under the lake's lock) moves every finding's file to
``LAKE/_quarantine/<repair run id>/`` and commits a manifest (kind ``repair``) that
lists the lost files as replaced. The rows a lost file held cannot be read, so the
repair takes out everything of the runs whose rows it may hold (a compaction's or a
reprocessing's sources included): their articles, events, places and rejects in the
intact files (rewritten without them), copies of those articles, and their reports in
the incidents; a lost incidents file takes out the articles whose events name its
incidents. The input files those rows were read from are marked for reading again
(``reread_files``), so the next incremental ``newsevents run`` over the same inputs
restores every row, with the same ids, linked to incidents again. Rows read from an
input that no longer exists are kept as they are (and reported): nothing can restore
what they lost.
"""
from __future__ import annotations

import json
import logging
from dataclasses import dataclass, field

import pyarrow as pa
import pyarrow.compute as pc
from apache_beam.io.filesystems import FileSystems

from newsevents.pipelines.commits import build_manifest, commit, lake_operation
from newsevents.schemas.tables import ROW_TABLES
from newsevents.transforms.core.incidents import incident_partition
from newsevents.transforms.link_incidents import strip_reports
from newsevents.transforms.storage import durable
from newsevents.transforms.storage.commit import part_number, rebuild_checkpoint
from newsevents.transforms.storage.lake_files import (
    QUARANTINE_DIR, TABLE_FILE, LakeState, file_run_id, join, read_lake_state,
    read_parquet_columns, read_parquet_file, relative_path, runs_relative, staged_path,
    verify_file, visible_files, write_parquet)
from newsevents.transforms.storage.manifest_checkpoint import (
    Checkpoint, checkpoint_path, fold_state, write_checkpoint)

LOG = logging.getLogger(__name__)
REWRITTEN_TABLES = ("articles", "events", "places", "rejects")
UNKNOWN = "\x00unknown input"


@dataclass(frozen=True)
class Finding:
    path: str
    kind: str  # lost, stray, manifest
    problem: str


@dataclass
class CheckReport:
    files_checked: int = 0
    findings: list[Finding] = field(default_factory=list)

    def as_dict(self) -> dict:
        return {"files_checked": self.files_checked,
                "findings": [vars(f) for f in self.findings]}


def table_of(path: str) -> str | None:
    match = TABLE_FILE.search(path)
    return match.group("table") if match else None


def classify(path: str, problem: str) -> str:
    if runs_relative(path.replace("\\", "/")):
        return "manifest"  # a manifest or a history file of runs
    if file_run_id(path) is None or problem.startswith("not written by run"):
        return "stray"
    return "lost"


def check(lake: str, state: LakeState | None = None) -> CheckReport:
    """Every committed file of the lake verified against its manifest, and the
    manifest checkpoint against every manifest (``state`` read with ``full``)."""
    state = state if state is not None else read_lake_state(lake, warn=False, full=True)
    report = CheckReport()
    for path, problem in sorted(state.problems.items()):
        report.findings.append(Finding(path, classify(path, problem), problem))
    problem = checkpoint_problem(lake, state)
    if problem:
        report.findings.append(Finding(checkpoint_path(lake), "checkpoint", problem))
    for table in ROW_TABLES:
        for info in state.files.get(table, []):
            run = file_run_id(info.path)
            if run in state.uncertain_runs:
                report.findings.append(Finding(info.path, "stray", (
                    f"a file of run {run}, whose manifest cannot be read")))
            elif state.runs_unknown and run and run not in state.committed:
                report.findings.append(Finding(info.path, "stray", (
                    f"a file of run {run}, which no readable manifest or history file names")))
        for path in visible_files(lake, table, state):
            facts = state.written.get(file_run_id(path), {}).get(relative_path(path))
            report.files_checked += 1
            problem = verify_file(path, table, facts)
            if problem:
                report.findings.append(Finding(path, "lost", problem))
    report.files_checked += len(state.manifest_files)
    return report


def expected_checkpoint(lake: str, state: LakeState) -> Checkpoint:
    """What the manifests of a fully read ``state`` fold to. A run the checkpoint knows
    and no readable manifest names (its history file was damaged) is kept as the
    checkpoint has it: its files stay visible rather than becoming orphans."""
    expected = rebuild_checkpoint(lake, state)
    if state.checkpoint:
        named = {m["run_id"] for m in state.manifests}
        for run, facts in state.checkpoint.runs.items():
            if run not in named:
                expected.runs[run] = facts
    return expected


def checkpoint_problem(lake: str, state: LakeState) -> str | None:
    """What is wrong with the manifest checkpoint of a fully read ``state``: unreadable,
    or not what the manifests fold to (both pruned as of now)."""
    if state.checkpoint_problem:
        return f"the manifest checkpoint is {state.checkpoint_problem}"
    if state.checkpoint is None:
        return None
    on_disk = {relative_path(info.path) for listing in state.files.values() for info in listing}
    on_disk.discard(None)
    current = fold_state(state.checkpoint, [], on_disk, join(lake, "_stream"))
    expected = expected_checkpoint(lake, state)
    if current.same_state(expected):
        return None
    runs = set(current.runs) ^ set(expected.runs)
    runs |= {r for r in set(current.runs) & set(expected.runs) if current.runs[r] != expected.runs[r]}
    inputs = set(current.processed.items()) ^ set(expected.processed.items())
    return (f"the manifest checkpoint disagrees with the manifests: {len(runs)} runs, "
            f"{len(current.replaced ^ expected.replaced)} replaced files and "
            f"{len(inputs)} input files differ")


def rewrite_checkpoint(lake: str) -> Checkpoint:
    """The manifest checkpoint rebuilt from every manifest and history file (under the
    lake's lock)."""
    state = read_lake_state(lake, warn=False, full=True)
    rebuilt = expected_checkpoint(lake, state)
    rebuilt.history = [rel for rel in state.history_files
                       if join(lake, *rel.split("/")) not in state.problems]
    rebuilt.fold_id = "repair"
    write_checkpoint(lake, rebuilt)
    return rebuilt


@dataclass
class RepairReport:
    run_id: str | None = None
    check: CheckReport = field(default_factory=CheckReport)
    quarantined: list[str] = field(default_factory=list)
    rows_taken_out: dict[str, int] = field(default_factory=dict)
    reread_files: list[str] = field(default_factory=list)
    inputs_gone: list[str] = field(default_factory=list)

    def as_dict(self) -> dict:
        return {"run_id": self.run_id, **self.check.as_dict(), "quarantined": self.quarantined,
                "rows_taken_out": self.rows_taken_out, "reread_files": self.reread_files,
                "inputs_gone": self.inputs_gone}


def source_runs(state: LakeState, run_id: str, table: str, seen: set | None = None) -> set[str]:
    """The runs whose rows a ``table`` file written by ``run_id`` may hold: itself and,
    for a compaction, a reprocessing or a repair, the runs of the files of that table
    it replaced (rows it carried over)."""
    seen = set() if seen is None else seen
    if run_id in seen:
        return set()
    seen.add(run_id)
    runs = {run_id}
    manifest = next((m for m in state.manifests if m["run_id"] == run_id), None)
    for replaced in (manifest or {}).get("replaced_files") or []:
        if table_of(replaced) == table:
            runs |= source_runs(state, file_run_id(replaced), table, seen)
    return runs


def strings(values) -> pa.Array:
    return pa.array(sorted(v for v in values if v is not None), pa.string())


def input_exists(path: str | None) -> bool:
    return bool(path) and (durable.exists(path) if durable.is_local(path) else FileSystems.exists(path))


def quarantine(lake: str, run_id: str, path: str) -> str:
    """Move a file under ``LAKE/_quarantine/RUN/``, keeping its place in the lake."""
    base = join(lake, "")
    inside = path[len(base):] if path.startswith(base) else path.rsplit("/", 1)[-1]
    target = join(lake, QUARANTINE_DIR, run_id, *inside.split("/"))
    durable.make_dirs(durable.parent_of(target))
    durable.rename(path, target)
    durable.sync_dirs([durable.parent_of(target), durable.parent_of(path)])
    return target


def rows_to_take_out(lake: str, state: LakeState, runs: set[str], lost_days: set[str]):
    """(article ids, reject ids, inputs to read again, inputs gone) of the rows the lost
    files may have held."""
    affected, inputs = {}, {}
    articles = visible_files(lake, "articles", state)
    for path in articles:
        table = read_parquet_columns(path, ["article_id", "run_id", "input", "duplicate_of"])
        for row in table.filter(pc.is_in(table.column("run_id"), value_set=strings(runs))).to_pylist():
            affected[row["article_id"]] = row["input"]
    for derived in ("events", "places"):  # rows of articles whose own row was lost
        for path in visible_files(lake, derived, state):
            table = read_parquet_columns(path, ["article_id", "run_id"])
            for article_id in table.filter(pc.is_in(table.column("run_id"), value_set=strings(runs))
                                           ).column("article_id").to_pylist():
                affected.setdefault(article_id, UNKNOWN)
    if lost_days:
        for path in visible_files(lake, "events", state):
            for row in read_parquet_columns(path, ["article_id", "incident_id"]).to_pylist():
                if row["incident_id"] and incident_partition(row["incident_id"]) in lost_days:
                    affected.setdefault(row["article_id"], None)
        for path in articles:  # the inputs of the articles named by those events
            for row in read_parquet_columns(path, ["article_id", "input"]).to_pylist():
                if row["article_id"] in affected and affected[row["article_id"]] is None:
                    affected[row["article_id"]] = row["input"]
    for path in articles:  # copies of those articles, stored by any run
        for row in read_parquet_columns(path, ["article_id", "input", "duplicate_of"]).to_pylist():
            if row["duplicate_of"] in affected and row["article_id"] != row["duplicate_of"]:
                affected.setdefault(row["article_id"], row["input"])
    rejects = set()
    for path in visible_files(lake, "rejects", state):
        for row in read_parquet_columns(path, ["reject_id", "run_id", "input"]).to_pylist():
            if row["run_id"] in runs:
                rejects.add(row["reject_id"])
                inputs.setdefault(row["input"], None)
    for article_id, source in affected.items():
        inputs.setdefault(source, None)
    for manifest in state.manifests:
        if manifest["run_id"] in runs:
            for entry in manifest.get("files") or []:
                inputs.setdefault(entry["path"], None)
    inputs.pop(UNKNOWN, None)
    readable = {path for path in inputs if input_exists(path)}
    gone = sorted(p for p in inputs if p and p not in readable)
    # An article whose row was lost is taken out whatever its input: its input is one
    # of its run's, read again if it still exists.
    article_ids = {a for a, source in affected.items() if source in readable or source == UNKNOWN}
    return article_ids, rejects, sorted(readable), gone


def rewrite_without(lake: str, run_id: str, state: LakeState, article_ids: set[str],
                    reject_ids: set[str]) -> tuple[list[str], list[str], dict[str, int]]:
    """Every visible file holding one of these rows, staged again without it."""
    staged, replaced, removed = [], [], {}
    for table in REWRITTEN_TABLES:
        key, wanted = ("reject_id", reject_ids) if table == "rejects" else ("article_id", article_ids)
        for n, path in enumerate(visible_files(lake, table, state)):
            column = read_parquet_columns(path, [key]).column(key)
            if not pc.any(pc.is_in(column, value_set=strings(wanted))).as_py():
                continue
            rows = read_parquet_file(path)
            keep = pc.invert(pc.fill_null(pc.is_in(rows.column(key), value_set=strings(wanted)), False))
            kept = rows.filter(keep)
            removed[table] = removed.get(table, 0) + len(rows) - len(kept)
            replaced.append(path)
            if len(kept):
                day = TABLE_FILE.search(path).group("day")
                target = staged_path(lake, run_id, table, day, part_number("kept_rows", 0, n))
                write_parquet(target, kept)
                staged.append(target)
    return staged, replaced, removed


def repair(lake: str, lock_wait: float = 0.0) -> RepairReport:
    """Quarantine what ``check`` finds and make the next run restore the lost rows."""
    with lake_operation(lake, lock_wait) as operation:
        run_id = operation.run_id
        state = read_lake_state(lake, warn=False, full=True)
        report = RepairReport(check=check(lake, state))
        if not report.check.findings:
            return report
        runs, lost_days, lost = set(), set(), []
        for finding in report.check.findings:
            writer = file_run_id(finding.path)
            if finding.kind == "checkpoint":
                continue  # rewritten below, once the repair is committed
            if finding.kind == "manifest" or writer in state.uncertain_runs:
                # what the unreadable manifest committed is unknown: its inputs are no
                # longer marked as read, and its incidents partitions are lost
                if table_of(finding.path) == "incidents":
                    lost_days.add(TABLE_FILE.search(finding.path).group("day"))
                continue
            if finding.kind != "lost":
                continue
            lost.append(finding.path)
            if table_of(finding.path) == "incidents":
                lost_days.add(TABLE_FILE.search(finding.path).group("day"))
            else:
                runs |= source_runs(state, writer, table_of(finding.path))
        # The lost files are read by nothing below.
        state.problems.update({path: "quarantined" for path in lost})
        article_ids, reject_ids, reread, gone = rows_to_take_out(lake, state, runs, lost_days)
        staged, replaced, removed = rewrite_without(lake, run_id, state, article_ids, reject_ids)
        stripped, stripped_from, _ = strip_reports(
            lake, run_id, visible_files(lake, "incidents", state), article_ids,
            part_number("kept_rows", 1))
        for finding in report.check.findings:
            if finding.kind == "checkpoint":
                continue
            if durable.exists(finding.path) and finding.path not in report.quarantined:
                quarantine(lake, run_id, finding.path)
                report.quarantined.append(finding.path)
        report.run_id, report.rows_taken_out = run_id, removed
        report.reread_files, report.inputs_gone = reread, gone
        manifest = build_manifest(
            operation, "repair", options=json.dumps({"findings": len(report.check.findings)}),
            replaced_files=[relative_path(p) for p in lost + replaced + stripped_from
                            if relative_path(p)],
            reread_files=reread,
            metrics={"repair:files_quarantined": len(report.quarantined),
                     "repair:rows_taken_out": sum(removed.values()),
                     "repair:inputs_to_reread": len(reread), "repair:inputs_gone": len(gone)})
        commit(operation, lake, manifest, staged + stripped)
        if any(f.kind in ("checkpoint", "manifest") for f in report.check.findings):
            rewrite_checkpoint(lake)
        if gone:
            LOG.warning("%d input files of the damaged rows no longer exist; rows read from "
                        "them cannot be restored: %s", len(gone), ", ".join(gone[:5]))
        return report
