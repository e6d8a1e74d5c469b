"""How a finished run went, in the terms a scheduler and its operator need: the exit
code, the rejects summarized by reason, and one summary object for JSON logs.

    judge_run({"read": 5, "rejected": 4, ...}, max_reject_rate=0.5)
      -> Verdict(exit_code=5, message="4 of 5 records rejected (80%), more than ...")
    reject_summary("lake/", "20241121T101500Z-3f2a9c1d")
      -> [RejectGroup(reason="missing published date", count=4, input="a.txt", position=0)]
"""
from __future__ import annotations

import re
from dataclasses import dataclass

EXIT_OK = 0
EXIT_ACCOUNTING = 3
EXIT_REJECTS = 5

# Details that differ from record to record inside one kind of reason: quoted values,
# numbers, and what follows a colon ("bad JSON: Expecting value at column 3").
QUOTED = re.compile(r"'[^']*'|\"[^\"]*\"")
DATE = re.compile(r"\d{4}-\d\d-\d\d\S*")
NUMBER = re.compile(r"(?<![\w-])\d+(?!\w)")


def reason_kind(reason: str) -> str:
    """A reject reason without the details of one record, for counting by reason.

    >>> reason_kind("bad JSON: Invalid control character at at column 78")
    'bad JSON'
    >>> reason_kind("published_at 2199-01-01 is in the future")
    'published_at … is in the future'
    """
    head = reason.split(": ", 1)[0]
    return NUMBER.sub("…", DATE.sub("…", QUOTED.sub("…", head))).strip()


@dataclass(frozen=True)
class RejectGroup:
    reason: str
    count: int
    input: str  # the first record with this reason: its file and line (0: the whole file)
    position: int


def group_rejects(rows) -> list[RejectGroup]:
    """(input, position, reason) rows -> one group per kind of reason, largest first;
    each names its first file and line."""
    groups: dict[str, list] = {}
    for input_path, position, reason in sorted(rows, key=lambda r: (r[0] or "", r[1] or 0)):
        kind = reason_kind(reason or "")
        if kind in groups:
            groups[kind][0] += 1
        else:
            groups[kind] = [1, input_path, position]
    return sorted((RejectGroup(kind, n, path, pos) for kind, (n, path, pos) in groups.items()),
                  key=lambda g: (-g.count, g.reason))


def reject_summary(lake: str, run_id: str) -> list[RejectGroup]:
    """The rejects a committed run recorded, grouped by reason."""
    from newsevents.transforms.storage.query import connect_lake

    rows = connect_lake(lake).execute(
        "select input, position, reason from rejects where run_id = ?", [run_id]).fetchall()
    return group_rejects(rows)


def format_reject_summary(groups: list[RejectGroup]) -> str:
    lines = ["rejected records by reason (first file and line of each):"]
    for group in groups:
        where = f"{group.input}:{group.position}" if group.position else f"{group.input} (whole file)"
        lines.append(f"  {group.count:>6}  {group.reason}  [{where}]")
    return "\n".join(lines)


@dataclass(frozen=True)
class Verdict:
    exit_code: int
    message: str | None


def judge_run(counts: dict, accounting_ok: bool, max_reject_rate: float) -> Verdict:
    """The exit code of a committed run.

    A run whose records were all rejected, or more than ``max_reject_rate`` of them,
    committed what it could but did not do its job: a scheduler must see a failure.
    """
    if not accounting_ok:
        return Verdict(EXIT_ACCOUNTING, "accounting mismatch: read != stored + duplicates + rejected")
    read, rejected = counts.get("read") or 0, counts.get("rejected") or 0
    if read and rejected == read:
        return Verdict(EXIT_REJECTS, f"all {read} records were rejected")
    if read and rejected / read > max_reject_rate:
        return Verdict(EXIT_REJECTS, f"{rejected} of {read} records rejected ({rejected / read:.0%}), "
                                     f"more than --max-reject-rate {max_reject_rate:g}")
    return Verdict(EXIT_OK, None)


def summary_record(manifest: dict, verdict: Verdict, rejects: list[RejectGroup]) -> dict:
    """The one JSON object a run logs with ``--log-format json``."""
    seconds = (manifest["finished_at"] - manifest["started_at"]).total_seconds()
    return {"event": "run_finished", "run_id": manifest["run_id"], "kind": manifest["kind"],
            "status": manifest["status"], "exit_code": verdict.exit_code,
            "seconds": round(seconds, 1), "counts": manifest["counts"],
            "rejects_by_reason": [{"reason": g.reason, "count": g.count, "first_input": g.input,
                                   "first_position": g.position} for g in rejects],
            "problem": verdict.message}
