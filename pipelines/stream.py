"""The stream: every article committed seconds after it lands, whatever its publication date.

    crawler drops files ─► follow the directory ─► pending pane files ─► one run every
                           (settled, read once)     (LAKE/_stream/        --commit-every or
                                                     pending/)            --commit-articles
                                                                          (batch pipeline,
                                                                           atomic commit)
    with each commit: publication-time windows fire their panes ─► event_windows
                      (EARLY / ON_TIME / LATE, accumulating)

When articles become queryable and how they are grouped are two things. Commits follow
processing time: what was read is committed once the oldest waiting record has waited
``commit_every`` seconds, or once ``commit_articles`` wait. Publication time only
partitions the tables, as in batch runs, and groups the windowed aggregates: each commit
fires the panes of the windows its events fall in (``transforms.streaming.windows``
decides EARLY, ON_TIME or LATE against the watermark), and a window that fired early
fires on time once the watermark passes its end. No article waits for a window, and
none is too late to be stored.

Two sources feed the same pending pane files:

- a directory a crawler drops files into, followed by this process (single machine,
  no services); what it has read survives restarts in ``checkpoint.json``;
- a Pub/Sub subscription, read by a Beam streaming pipeline whose triggers batch the
  articles (``CommitBatches``) and fire the window panes (``FireWindowPanes``) itself.

Each commit is a batch run of kind ``stream`` over pane files, so dedupe against the
stored articles, incidents, the lake's lock and its atomic commit are those of batch
runs. Once its commits wrote ``compact_files`` table files the stream merges the lake's
small files, and
every commit folds manifests into the manifest checkpoint when enough pile up, so the
thousandth commit costs what the first did.

Crash safety: ``checkpoint.json`` is the truth and is replaced durably. A pane file is
written (durably) before the checkpoint names it; on start, pane files it does not name
are orphans and removed (their articles are read again from the crawler's files). A
pane file committed but not yet deleted (a crash in between) is recognized from the
lake's record of the inputs runs read, and not committed twice.

A lake of an earlier stream (before schema 1.6, which held articles until their
window closed and routed late ones to ``_stream/late/``) loses nothing: on start its
open windows, uncommitted panes and late files become pending pane files, committed
like any other.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import json
import logging
import signal
import threading
import time
from dataclasses import dataclass, field

import apache_beam as beam
from apache_beam.options.pipeline_options import PipelineOptions, StandardOptions
from apache_beam.utils import shared

from newsevents.pipelines.batch import LakeView, run
from newsevents.pipelines.commits import build_manifest, commit, lake_operation
from newsevents.pipelines.maintenance import compact
from newsevents.pipelines.options import OptionsError, StreamOptions
from newsevents.transforms.core.article_formats import ReadLimits
from newsevents.transforms.defaults import SMALL_FILE_BYTES
from newsevents.transforms.read_articles import ReadRecordsFn, expand_input
from newsevents.transforms.routing import ARTICLES, FILES, REJECTS
from newsevents.transforms.storage import durable
from newsevents.transforms.storage.commit import part_number
from newsevents.transforms.storage.lake_files import (
    STAGING_DIR, delete_quietly, join, match_files, match_paths, read_lake_state)
from newsevents.transforms.storage.lock import LakeLock
from newsevents.transforms.streaming.event_windows import (
    WindowPane, stage_window_panes, window_starts)
from newsevents.transforms.streaming.pane_files import (
    PANE_SUFFIX, count_pane_lines, encode_article, encode_reject, read_pane_file, write_pane_file)
from newsevents.transforms.streaming.read_pubsub import ReadPubsubArticles
from newsevents.transforms.streaming.window_panes import (
    PANE_RECORD_SUFFIX, CommitBatches, FireWindowPanes, WriteCommitBatchFn, WritePaneRecordFn,
    read_pane_record)
from newsevents.transforms.streaming.windows import (
    EARLY, ON_TIME, WindowSpec, arrival_time, arrival_watermark, commit_due, event_watermark,
    pane_timing, to_datetime, to_seconds)

LOG = logging.getLogger(__name__)
CHECKPOINT_VERSION = 3
# The stream before schema 1.6: windows held articles until they closed (see migrate).
WINDOWED_CHECKPOINT_VERSION = 2
# Every commit builds the same pipeline: Beam's type check of it at construction (a
# third of a second here) would find the same thing each time.
COMMIT_BEAM_ARGS = ("--no_pipeline_type_check",)
# Names a crawler uses while a file is still being written: never read.
IN_PROGRESS_SUFFIXES = (".tmp", ".part", ".partial", ".crdownload", ".download")


@dataclass
class StreamPaths:
    root: str

    @classmethod
    def of(cls, lake: str) -> "StreamPaths":
        return cls(join(lake, "_stream"))

    @property
    def checkpoint(self) -> str:
        return join(self.root, "checkpoint.json")

    @property
    def pending(self) -> str:
        """Pane files read and not yet committed."""
        return join(self.root, "pending")

    @property
    def windows(self) -> str:
        """Pub/Sub: the panes Beam's triggers fired, for the next commit."""
        return join(self.root, "windows")

    # Folders of the stream before schema 1.6, read in on start (see migrate).
    @property
    def open(self) -> str:
        return join(self.root, "open")

    @property
    def panes(self) -> str:
        return join(self.root, "panes")

    @property
    def late(self) -> str:
        return join(self.root, "late")


@dataclass
class Segment:
    """A pending pane file: its records and when they arrived (POSIX seconds)."""
    path: str
    articles: int
    rejects: int
    arrived: float

    @property
    def records(self) -> int:
        return self.articles + self.rejects


@dataclass
class StreamTotals:
    files: int = 0
    articles: int = 0  # read from the files (or from Pub/Sub)
    stored: int = 0  # of what the commits read: stored, duplicates, rejected
    duplicates: int = 0
    rejected: int = 0
    runs: int = 0
    window_panes: int = 0
    compactions: int = 0
    adopted: int = 0  # records an earlier stream left (open windows, panes, late/)


@dataclass
class StreamState:
    """What the stream has done, saved as ``checkpoint.json`` after every step."""
    input: str | None
    # path -> (size, mtime) of every crawler file read
    files: dict[str, tuple[int, float]] = field(default_factory=dict)
    pending: list[Segment] = field(default_factory=list)
    next_segment: int = 0
    watermark: float | None = None
    newest_published: float | None = None
    # windows that fired early and are to fire on time once the watermark passes their end
    awaiting_on_time: set[float] = field(default_factory=set)
    last_poll: float | None = None
    files_since_compaction: int = 0  # table files the commits wrote since the last compaction
    totals: StreamTotals = field(default_factory=StreamTotals)

    @classmethod
    def new(cls, options: StreamOptions) -> "StreamState":
        return cls(options.input_dir)

    def to_json(self) -> dict:
        return {"version": CHECKPOINT_VERSION, "input": self.input,
                "files": {path: list(info) for path, info in sorted(self.files.items())},
                "pending": [dataclasses.asdict(s) for s in self.pending],
                "next_segment": self.next_segment, "watermark": self.watermark,
                "newest_published": self.newest_published,
                "awaiting_on_time": sorted(self.awaiting_on_time), "last_poll": self.last_poll,
                "files_since_compaction": self.files_since_compaction,
                "totals": dataclasses.asdict(self.totals)}

    @classmethod
    def from_json(cls, data: dict) -> "StreamState":
        return cls(
            input=data["input"],
            files={path: (int(size), float(mtime)) for path, (size, mtime) in data["files"].items()},
            pending=[Segment(**s) for s in data["pending"]], next_segment=int(data["next_segment"]),
            watermark=data["watermark"], newest_published=data["newest_published"],
            awaiting_on_time={float(s) for s in data["awaiting_on_time"]},
            last_poll=data["last_poll"], files_since_compaction=int(data["files_since_compaction"]),
            totals=StreamTotals(**data["totals"]))

    def summary(self) -> dict:
        return dict(dataclasses.asdict(self.totals), pending=sum(s.records for s in self.pending),
                    watermark=self.watermark)


def load_checkpoint(paths: StreamPaths, options: StreamOptions, now: float) -> StreamState:
    """The stream's checkpoint; a new state for a new stream. A checkpoint of the
    windowed stream (version 2) is migrated, and what it left is read in (``migrate``)."""
    if not durable.exists(paths.checkpoint):
        state = StreamState.new(options)
        migrate(paths, state, now, named_open=())
        return state
    try:
        data = json.loads(durable.read_bytes(paths.checkpoint).decode("utf-8"))
        version = data.get("version") if isinstance(data, dict) else None
        if version == CHECKPOINT_VERSION:
            state = StreamState.from_json(data)
        elif version == WINDOWED_CHECKPOINT_VERSION:
            state = StreamState(input=data["input"], watermark=data["watermark"],
                                newest_published=data["newest_published"],
                                files={path: (int(size), float(mtime))
                                       for path, (size, mtime) in data["files"].items()})
            totals = data["totals"]
            state.totals = StreamTotals(files=totals["files"], articles=totals["articles"],
                                        rejected=totals["rejected"], runs=totals["runs"])
            migrate(paths, state, now,
                    named_open=[seg for _, segments in data["open"] for seg in segments])
        else:
            state = None
    except (UnicodeDecodeError, json.JSONDecodeError, KeyError, TypeError, ValueError) as err:
        raise OptionsError(f"the stream checkpoint {paths.checkpoint} is unreadable ({err}); "
                           "move it away to start over (files are then read again)") from None
    if state is None:
        raise OptionsError(f"the stream checkpoint {paths.checkpoint} has version "
                           f"{version}, this newsevents writes {CHECKPOINT_VERSION}")
    if options.input_dir and state.input not in (None, options.input_dir):
        raise OptionsError(f"this lake's stream follows {state.input!r}, not "
                           f"{options.input_dir!r}; use another lake or move "
                           f"{paths.checkpoint} away")
    return state


def migrate(paths: StreamPaths, state: StreamState, now: float, named_open) -> int:
    """What a stream before schema 1.6 left becomes pending pane files: the segments of
    its open windows (those its checkpoint names; others were half-written and their
    articles are read again from the crawler's files), its panes not committed, and the
    too-late articles of ``_stream/late/`` that no batch run merged. A pane file a run
    already read completely is skipped when committed (``drop_committed``); a late
    article a batch run stored from another copy counts as a duplicate. Returns the
    records adopted."""
    known = {s.path for s in state.pending}
    legacy = []
    for segment in named_open:
        # An open window's segment has pane lines but a plain .jsonl name: copied to a
        # pane file (the original goes as an orphan once the checkpoint names the copy).
        if durable.exists(segment):
            copy = join(paths.pending, f"migrated-{segment.rsplit('/', 1)[-1].removesuffix('.jsonl')}{PANE_SUFFIX}")
            write_pane_file(copy, [line + b"\n" for line in read_pane_file(segment)])
            legacy.append(copy)
    for directory in (paths.panes, paths.late):
        legacy += match_paths(directory, f"*{PANE_SUFFIX}")
    adopted = 0
    for path in legacy:
        if path in known or not durable.exists(path):
            continue
        articles, rejects = count_pane_lines(path)
        state.pending.append(Segment(path, articles, rejects, now))
        adopted += articles + rejects
    state.totals.adopted += adopted
    if adopted:
        LOG.warning("an earlier stream left %d records in %s (open windows, panes, late "
                    "articles): they are committed now", adopted, paths.root)
    return adopted


def save_checkpoint(paths: StreamPaths, state: StreamState) -> None:
    durable.write_file(paths.checkpoint,
                       json.dumps(state.to_json(), sort_keys=True, indent=1).encode("utf-8"))


def remove_orphans(paths: StreamPaths, state: StreamState) -> int:
    """Pane files the checkpoint does not name (written just before a crash: their
    articles are read again from the crawler's files), the segments of the windowed
    stream's open windows it did not name, and half-written temporary files."""
    named = {s.path for s in state.pending}
    removed = [p for p in match_paths(paths.pending, "*") if p not in named]
    removed += [p for p in match_paths(paths.open, "*") if p not in named]
    for directory in (paths.pending, paths.panes, paths.late, paths.windows, paths.root):
        removed += match_paths(directory, f".*{durable.TEMPORARY_MARK}*")
        removed += match_paths(directory, "*.tmp-*")  # the windowed stream's temporary names
    return delete_quietly(removed)


def file_key(path: str, size: int, mtime: float) -> str:
    return hashlib.sha1(f"{path}|{size}|{mtime}".encode("utf-8")).hexdigest()[:16]


def is_ready(path: str, mtime: float, now: float, settle_seconds: float) -> bool:
    """A file the crawler has finished: not hidden, not named as in progress, and
    unchanged for ``settle_seconds``."""
    name = path.rstrip("/").rsplit("/", 1)[-1]
    if name.startswith(".") or name.lower().endswith(IN_PROGRESS_SUFFIXES):
        return False
    return now - mtime >= settle_seconds


def new_files(options: StreamOptions, state: StreamState, now: float) -> list[tuple[str, int, float]]:
    """Files in the followed directory not read before (or changed since), oldest first."""
    listed, problems = expand_input(options.input_dir)
    for path, problem in problems:
        LOG.warning("%s: %s", path, problem)
    if not any(path == options.input_dir for path, _ in problems):
        # Files the crawler removed are forgotten, so the checkpoint does not grow forever.
        present = {p for p, _, _ in listed}
        for path in [p for p in state.files if p not in present]:
            del state.files[path]
    fresh = [(p, s, m) for p, s, m in listed
             if state.files.get(p) != (s, m) and is_ready(p, m, now, options.settle)]
    return sorted(fresh, key=lambda f: (f[2], f[0]))


def read_file(path: str, size: int, mtime: float, limits: ReadLimits, now: dt.datetime):
    """(articles, rejects) of one crawler file, read as a batch run reads it."""
    reader = ReadRecordsFn(limits, None, now)
    reader.setup()
    articles, rejects = [], []
    for tag, value in reader.process((path, size, mtime)):
        if tag == ARTICLES:
            articles.append(value)
        elif tag == REJECTS:
            rejects.append(value)
        elif tag != FILES:
            raise AssertionError(f"unexpected output {tag!r} reading {path}")
    return articles, rejects


@dataclass
class PollResult:
    files: int = 0
    articles: int = 0
    rejected: int = 0


def poll_directory(options: StreamOptions, paths: StreamPaths, state: StreamState, now: float) -> PollResult:
    """Read what landed since the last poll into pending pane files (of at most
    ``commit_articles`` articles each), then save the checkpoint."""
    result = PollResult()
    moment = to_datetime(now)
    for path, size, mtime in new_files(options, state, now):
        articles, rejects = read_file(path, size, mtime, options.run.limits, moment)
        arrived = arrival_time(mtime, state.last_poll, now)
        key = file_key(path, size, mtime)
        size_of_part = options.commit_articles
        parts = [articles[i:i + size_of_part] for i in range(0, len(articles), size_of_part)] or [[]]
        for index, part in enumerate(parts):
            part_rejects = rejects if index == 0 else []
            if not part and not part_rejects:
                continue
            segment = join(paths.pending, f"seg-{state.next_segment:010d}-{key}{PANE_SUFFIX}")
            write_pane_file(segment, [encode_reject(r) for r in part_rejects]
                            + [encode_article(r) for r in part])
            state.next_segment += 1
            state.pending.append(Segment(segment, len(part), len(part_rejects), arrived))
        for record in articles:
            published = to_seconds(record["published_at"])
            newest = state.newest_published
            state.newest_published = published if newest is None else max(newest, published)
        state.files[path] = (size, mtime)
        state.totals.files += 1
        state.totals.articles += len(articles)
        result.files += 1
        result.articles += len(articles)
        result.rejected += len(rejects)
    state.last_poll = now
    if result.files:
        save_checkpoint(paths, state)
    return result


def adopt_pubsub_files(paths: StreamPaths, state: StreamState) -> int:
    """Pub/Sub: the pane files the pipeline's commit trigger wrote since the last look."""
    known = {s.path for s in state.pending}
    fresh = [info for info in match_files(paths.pending, f"*{PANE_SUFFIX}") if info.path not in known]
    for info in fresh:
        articles, rejects = count_pane_lines(info.path)
        state.pending.append(Segment(info.path, articles, rejects, info.mtime))
        state.totals.articles += articles
    return len(fresh)


def advance_watermark(options: StreamOptions, state: StreamState, now: float) -> float | None:
    previous = state.watermark if state.watermark is not None else float("-inf")
    if options.watermark == "event":
        watermark = event_watermark(previous, state.newest_published, options.max_delay)
    else:
        watermark = arrival_watermark(previous, now, options.max_delay)
    state.watermark = watermark if watermark != float("-inf") else None
    return state.watermark


def take_batch(pending: list[Segment], commit_articles: int) -> list[Segment]:
    """The oldest pending pane files, up to ``commit_articles`` records (at least one file)."""
    batch, records = [], 0
    for segment in sorted(pending, key=lambda s: (s.arrived, s.path)):
        if batch and records + segment.records > commit_articles:
            break
        batch.append(segment)
        records += segment.records
    return batch


def drop_committed(lake: str, state: StreamState) -> int:
    """Pending pane files a run already read completely (a crash after its commit and
    before the checkpoint forgot them): deleted, not committed twice."""
    if not state.pending:
        return 0
    done = read_lake_state(lake, warn=False).processed_files()
    committed = []
    for segment in state.pending:
        info = match_files(durable.parent_of(segment.path), segment.path.rsplit("/", 1)[-1])
        if info and done.get(info[0].path) == (info[0].size, info[0].mtime):
            committed.append(segment)
        elif not info:
            LOG.warning("the pending pane file %s is gone; its records were lost", segment.path)
            committed.append(segment)
    delete_quietly([s.path for s in committed])
    state.pending = [s for s in state.pending if s not in committed]
    return len(committed)


class FireWindows:
    """A commit's window panes, staged with it (``run``'s ``stage_extra``).

    Directory stream: the windows of the events this commit stores fire, EARLY / ON_TIME /
    LATE against the watermark (closed windows do not), and so do windows that fired
    early and whose end the watermark passed. Pub/Sub: the panes Beam's triggers fired
    (``records``), as Beam labelled them."""

    def __init__(self, spec: WindowSpec, watermark: float | None, awaiting: set[float],
                 fired_at: dt.datetime, records: list[dict] | None = None, waited: float = 0.0,
                 segments: int = 0):
        self.spec = spec
        self.watermark = watermark
        self.awaiting = set(awaiting)
        self.fired_at = fired_at
        self.records = records
        self.waited = waited
        self.segments = segments
        self.fired: list[WindowPane] = []

    def due_on_time(self) -> list[float]:
        return self.spec.due(self.awaiting, self.watermark) if self.watermark is not None else []

    def panes(self, own_events: list[str]) -> list[WindowPane]:
        if self.records is not None:
            return [WindowPane(r["window_start"], r["window_end"], r["timing"], r["index"])
                    for r in self.records]
        panes = []
        for start in sorted(window_starts(own_events, self.spec) | set(self.due_on_time())):
            timing = pane_timing(self.spec, start, self.watermark, self.awaiting)
            if timing is not None:
                panes.append(WindowPane(start, self.spec.end(start), timing, None, self.watermark))
        return panes

    def __call__(self, lake: str, run_id: str, files: dict[str, list[str]]):
        own = [p for p in files.get("events", []) if f"/{STAGING_DIR}/{run_id}/" in p.replace("\\", "/")]
        self.fired = self.panes(own)
        staged = stage_window_panes(lake, run_id, files.get("events", []),
                                    files.get("event_windows", []), self.fired, self.fired_at,
                                    part_number("window_panes"))
        return staged, {"stream:window_panes": len(self.fired),
                        "stream:pane_files": self.segments,
                        "stream:waited_ms": int(self.waited * 1000)}

    def settle(self, state: StreamState) -> None:
        """The windows' state once the commit holding their panes is committed."""
        for pane in self.fired:
            if pane.timing == EARLY:
                state.awaiting_on_time.add(pane.window_start)
            elif pane.timing == ON_TIME:
                state.awaiting_on_time.discard(pane.window_start)
        # A window that closed while awaiting fires no more (Beam drops its state).
        if self.watermark is not None:
            state.awaiting_on_time = {s for s in state.awaiting_on_time
                                      if self.spec.expiry(s) > self.watermark}
        state.totals.window_panes += len(self.fired)


def read_pane_records(paths: StreamPaths) -> tuple[list[str], list[dict]]:
    """Pub/Sub: the window pane records Beam wrote (their files, and the latest record of
    each window: a commit fires one pane a window, as Beam last labelled it)."""
    files, latest = [], {}
    for path in match_paths(paths.windows, f"*{PANE_RECORD_SUFFIX}"):
        try:
            record = read_pane_record(durable.read_bytes(path))
        except (ValueError, OSError) as err:
            LOG.warning("skipping the window pane record %s: %s", path, err)
            continue
        files.append(path)
        known = latest.get(record["window_start"])
        if known is None or record["index"] > known["index"]:
            latest[record["window_start"]] = record
    return files, [latest[start] for start in sorted(latest)]


def commit_batch(options: StreamOptions, paths: StreamPaths, state: StreamState, now: float,
                 model_handle: shared.Shared, pane_records=None) -> dict:
    """Commit the oldest pending pane files as one run, with the panes of the windows it
    touches; returns its manifest."""
    batch = take_batch(state.pending, options.commit_articles)
    record_files, records = pane_records or ([], None)
    windows = FireWindows(options.window_spec, state.watermark, state.awaiting_on_time,
                          to_datetime(now), records, waited=now - min(s.arrived for s in batch),
                          segments=len(batch))
    run_options = dataclasses.replace(
        options.run, inputs=tuple(s.path for s in batch), output=options.lake, incremental=True,
        since=None, until=None, lock_wait=options.lock_wait, progress=False,
        beam_args=options.run.beam_args + COMMIT_BEAM_ARGS)
    manifest = run(run_options, kind="stream", model_handle=model_handle, stage_extra=windows)
    delete_quietly([s.path for s in batch] + list(record_files))
    state.pending = [s for s in state.pending if s not in batch]
    windows.settle(state)
    count_commit(state, manifest)
    save_checkpoint(paths, state)
    return manifest


def count_commit(state: StreamState, manifest: dict) -> None:
    counts = manifest["counts"]
    totals = state.totals
    totals.runs += 1
    totals.stored += counts["stored"]
    totals.duplicates += counts["duplicates"]
    totals.rejected += counts["rejected"]
    state.files_since_compaction += sum(1 for f in manifest.get("written_files") or []
                                        if not f["path"].startswith("runs/"))


def commit_panes_only(options: StreamOptions, paths: StreamPaths, state: StreamState, now: float,
                      pane_records=None) -> dict | None:
    """Commit window panes without articles: windows that fired early and whose end the
    watermark passed (on time), or panes Beam fired (Pub/Sub). None when they hold no
    events (nothing to commit)."""
    record_files, records = pane_records or ([], None)
    windows = FireWindows(options.window_spec, state.watermark, state.awaiting_on_time,
                          to_datetime(now), records)
    with lake_operation(options.lake, options.lock_wait) as operation:
        view = LakeView.of(options.lake, operation.state)
        staged, metrics = windows(options.lake, operation.run_id, view.files)
        manifest = None
        if staged:
            manifest = commit(operation, options.lake, build_manifest(
                operation, "stream", options=options.run.describe(), metrics=metrics), staged)
    delete_quietly(list(record_files))
    windows.settle(state)
    if manifest:
        count_commit(state, manifest)
    save_checkpoint(paths, state)
    return manifest


class StopFlag:
    """Set by SIGINT / SIGTERM: the loop finishes the step it is in and stops. A
    second signal interrupts the run in progress (nothing of it is committed)."""

    def __init__(self):
        self.event = threading.Event()
        self.previous = {}

    def install(self):
        if threading.current_thread() is not threading.main_thread():
            return self
        for signum in (signal.SIGINT, signal.SIGTERM):
            self.previous[signum] = signal.signal(signum, self._handle)
        return self

    def restore(self):
        for signum, handler in self.previous.items():
            signal.signal(signum, handler)

    def _handle(self, signum, frame):
        if self.event.is_set():
            raise KeyboardInterrupt
        LOG.warning("stopping after the current step (signal %s)", signum)
        self.event.set()

    def is_set(self) -> bool:
        return self.event.is_set()

    def wait(self, seconds: float) -> bool:
        return self.event.wait(seconds)


def warm_up(options: StreamOptions, model_handle: shared.Shared):
    """Load the model before the first file lands, so the first commit is as quick as
    the others; the reference returned keeps it loaded (``Shared`` holds it weakly)."""
    run_options = options.run
    if run_options.runner != "local" or run_options.workers != 1:
        return None  # worker processes load their own
    from newsevents.transforms.extract_events import LoadedExtraction

    return model_handle.acquire(lambda: LoadedExtraction(run_options.model, run_options.prefilter),
                                tag=(run_options.model, run_options.prefilter))


def follow(options: StreamOptions, report=lambda manifest: None,
           stop: StopFlag | None = None, clock=time.time) -> dict:
    """Follow a directory (or commit what a Pub/Sub pipeline writes) until stopped;
    returns the checkpoint's totals. ``report(manifest)`` after every commit."""
    paths = StreamPaths.of(options.lake)
    own_stop = stop is None
    stop = stop or StopFlag().install()
    try:
        return _follow(options, paths, report, stop, clock)
    finally:
        if own_stop:
            stop.restore()


def _follow(options: StreamOptions, paths: StreamPaths, report, stop: StopFlag, clock) -> dict:
    # Every commit is a run in this process: the model stays loaded between them.
    model_handle = shared.Shared()
    with LakeLock(paths.root, "stream", wait_seconds=0.0):
        state = load_checkpoint(paths, options, clock())
        # Saved before orphans go: a migrated checkpoint names its copies first.
        save_checkpoint(paths, state)
        if options.input_dir:
            removed = remove_orphans(paths, state)
            if removed:
                LOG.warning("removed %d files a stopped stream left half-done", removed)
        if drop_committed(options.lake, state):
            LOG.warning("pane files committed before a crash were not committed again")
        save_checkpoint(paths, state)
        model = warm_up(options, model_handle)  # noqa: F841  (kept alive for the loop)
        last_arrival = clock()
        while True:
            now = clock()
            if options.input_dir:
                polled = poll_directory(options, paths, state, now)
                if polled.files:
                    last_arrival = now
                    LOG.info("read %d files: %d articles, %d rejected",
                             polled.files, polled.articles, polled.rejected)
            elif adopt_pubsub_files(paths, state):
                last_arrival = now
            advance_watermark(options, state, now)
            committed = commit_when_due(options, paths, state, report, model_handle, clock)
            if committed and options.compact_files and state.files_since_compaction >= options.compact_files:
                compact_small_files(options, paths, state)
            if stop.is_set():
                break
            idle = clock() - last_arrival
            if options.exit_when_idle is not None and idle >= options.exit_when_idle:
                flush(options, paths, state, report, model_handle, clock)
                break
            if not committed:
                stop.wait(options.poll)
        if options.flush_on_stop:
            flush(options, paths, state, report, model_handle, clock)
        save_checkpoint(paths, state)
        return state.summary()


def flush(options: StreamOptions, paths: StreamPaths, state: StreamState, report,
          model_handle: shared.Shared, clock) -> None:
    """Commit everything read, whatever the triggers say (before exiting)."""
    while state.pending:
        report(commit_batch(options, paths, state, clock(), model_handle))


def commit_when_due(options: StreamOptions, paths: StreamPaths, state: StreamState, report,
                    model_handle: shared.Shared, clock) -> bool:
    """One commit if one is due: of the pending pane files (directory: once the oldest
    waited ``commit_every`` or ``commit_articles`` wait; Pub/Sub: as soon as the
    pipeline's trigger wrote them), or of window panes alone."""
    now = clock()
    records = read_pane_records(paths) if not options.input_dir else None
    if options.input_dir:
        due = commit_due(sum(s.records for s in state.pending),
                         min((s.arrived for s in state.pending), default=None), now,
                         options.commit_every, options.commit_articles)
    else:
        due = bool(state.pending)
    if due:
        report(commit_batch(options, paths, state, now, model_handle, records))
        return True
    on_time_due = state.watermark is not None and options.window_spec.due(
        state.awaiting_on_time, state.watermark)
    if on_time_due or (records and records[1]):
        manifest = commit_panes_only(options, paths, state, now, records)
        if manifest:
            report(manifest)
        return manifest is not None
    return False


def compact_small_files(options: StreamOptions, paths: StreamPaths, state: StreamState) -> None:
    """Merge the small files the stream's commits wrote (each partition's, once it has
    two or more); nothing is committed when no partition has two."""
    started = time.monotonic()
    manifest = compact(options.lake, min_files=2, lock_wait=options.lock_wait,
                       small_file_bytes=SMALL_FILE_BYTES, skip_empty=True, fold=False)
    state.files_since_compaction = 0
    if manifest:
        state.totals.compactions += 1
        LOG.info("compacted %d small files into %d in %.1f s",
                 manifest["metrics"]["compact:files_merged"],
                 manifest["metrics"]["compact:files_written"], time.monotonic() - started)
    save_checkpoint(paths, state)


def start_pubsub_pipeline(options: StreamOptions):
    """The Beam streaming job: Pub/Sub -> pending pane files (commit trigger) and window
    pane records (publication-time windows) under LAKE/_stream/."""
    try:
        import google.cloud.pubsub  # noqa: F401  (ReadFromPubSub needs it)
    except ImportError:
        raise OptionsError("reading Pub/Sub needs the Google Cloud client: "
                           "pip install 'newsevents[pubsub]'") from None
    pipeline_options = PipelineOptions(list(options.run.beam_args))
    pipeline_options.view_as(StandardOptions).streaming = True
    runner = {"local": "DirectRunner", "dataflow": "DataflowRunner", "flink": "FlinkRunner",
              "spark": "SparkRunner", "portable": "PortableRunner"}.get(options.run.runner)
    if runner is None:
        raise OptionsError(f"--runner {options.run.runner} does not run streaming pipelines")
    pipeline = beam.Pipeline(runner=runner, options=pipeline_options)
    read = pipeline | "ReadPubsubArticles" >> ReadPubsubArticles(options.subscription,
                                                                 options.run.limits)
    build_pubsub_outputs(read, options, StreamPaths.of(options.lake))
    return pipeline.run()


def build_pubsub_outputs(read, options: StreamOptions, paths: StreamPaths) -> None:
    """What the Pub/Sub pipeline does with the articles and rejects it read (the part a
    TestStream drives in the tests)."""
    lines = ((read["articles"] | "EncodeArticles" >> beam.Map(encode_article),
              read["rejects"] | "EncodeRejects" >> beam.Map(encode_reject))
             | "AllRecords" >> beam.Flatten())
    _ = (lines
         | "CommitBatches" >> CommitBatches(options.commit_every, options.commit_articles)
         | "WritePendingFiles" >> beam.ParDo(WriteCommitBatchFn(paths.pending)))
    _ = (read["articles"]
         | "FireWindowPanes" >> FireWindowPanes(options.window, options.commit_every,
                                                options.allowed_lateness)
         | "WritePaneRecords" >> beam.ParDo(WritePaneRecordFn(paths.windows)))
