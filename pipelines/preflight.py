"""What a run has to do, found out before any pipeline starts.

A scheduled job must learn about a mistyped input path at once (a usage error), and a
run with nothing new to read must finish in about a second without loading Beam's
pipeline machinery or the model. Both are decided here from the input listing and the
lake's manifests alone.

    missing_inputs(["crawl/", "feeds/2024-*.jsonl"])   # -> ["crawl/"] if crawl/ is gone
    plan = plan_inputs(options)                          # files to read, or why there are none
    plan.idle                                            # True: nothing new, nothing to commit
"""
from __future__ import annotations

import os
from dataclasses import dataclass

from apache_beam.io.filesystems import FileSystems

from newsevents.schemas.tables import ROW_TABLES
from newsevents.transforms.read_articles import GLOB_CHARS, expand_input
from newsevents.transforms.storage.lake_files import (
    LakeState, file_run_id, join, read_lake_state, relative_path, staged_runs, table_files)

NO_MATCH = "input pattern matched no files"


def glob_root(pattern: str) -> str:
    """The directory part of a glob before its first wildcard: ``feeds/2024/*.gz`` -> ``feeds/2024``."""
    parts = pattern.split("/")
    fixed = []
    for part in parts:
        if GLOB_CHARS & set(part):
            break
        fixed.append(part)
    return "/".join(fixed) or "."


def missing_inputs(inputs) -> list[str]:
    """Local inputs that do not exist: a path that is not there, or a glob whose
    directory is not there. Object-store paths (``gs://``) are left to the pipeline."""
    missing = []
    for pattern in inputs:
        if "://" in pattern:
            continue
        if GLOB_CHARS & set(pattern):
            if not os.path.isdir(glob_root(pattern)):
                missing.append(pattern)
        elif not os.path.lexists(pattern):  # a dangling link exists: the pipeline rejects it
            missing.append(pattern)
    return missing


def list_inputs(inputs, processed: dict):
    """(files to read, problems, number of unchanged files skipped) of the input patterns."""
    files, problems, skipped = [], [], 0
    for pattern in inputs:
        listed, found_problems = expand_input(pattern)
        problems.extend(found_problems)
        for path, size, mtime in listed:
            if processed.get(path) == (size, mtime):
                skipped += 1
            else:
                files.append((path, size, mtime))
    return files, problems, skipped


@dataclass(frozen=True)
class InputPlan:
    """The input files of a run before it starts."""
    files: int  # files to read
    skipped: int  # unchanged files an earlier run read completely
    unmatched: tuple[str, ...]  # globs that matched no file (their folder exists)
    problems: int  # inputs the pipeline will reject (dangling links ...)
    last_run: str | None  # the lake's newest committed run
    leftovers: bool = False  # a lock, staging or orphan files a crashed run left

    @property
    def idle(self) -> bool:
        """Nothing to read, nothing to reject, and nothing a crashed run left for a run
        to clean up (under the lock): there is nothing to do."""
        return self.files == 0 and self.problems == 0 and not self.leftovers

    def describe(self) -> str:
        if self.skipped:
            since = f" since run {self.last_run}" if self.last_run else ""
            text = f"nothing new: {self.skipped} input file(s) unchanged{since}; nothing committed"
        else:
            text = "nothing to read: the inputs hold no files; nothing committed"
        if self.unmatched:
            text += f" (no file matched {', '.join(self.unmatched)})"
        return text


def plan_inputs(inputs, lake: str, incremental: bool) -> InputPlan:
    """List the inputs against the lake's record of files already read (when the run
    is incremental). Reads no article and takes no lock: the run itself lists again
    under the lock."""
    state = read_lake_state(lake)
    processed = state.processed_files() if incremental else {}
    files, problems, skipped = list_inputs(inputs, processed)
    unmatched = tuple(path for path, problem in problems if problem == NO_MATCH)
    return InputPlan(files=len(files), skipped=skipped, unmatched=unmatched,
                     problems=len(problems) - len(unmatched), last_run=state.newest_run(),
                     leftovers=bool(state.committed) and has_leftovers(lake, state))


def has_leftovers(lake: str, state: LakeState) -> bool:
    """Whether a run would find something to clean: a lock (stale, or a live run's),
    staging, files of runs that never committed, or replaced files not yet deleted."""
    if FileSystems.exists(join(lake, "_lock")) or staged_runs(lake):
        return True
    committed, replaced = state.committed, state.replaced
    return any(file_run_id(path) not in committed or relative_path(path) in replaced
               for table in ROW_TABLES for path in table_files(lake, table))
