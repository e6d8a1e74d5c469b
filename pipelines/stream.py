"""The stream: articles processed as they arrive, windowed by publication time.

    crawler drops files ─► FollowDirectory ─► window by published_at ─► pane files
                                                  │                        │
                                                  └─ too late ─► late/      └─► one run per pane
                                                                             (batch pipeline,
                                                                              atomic commit)

Two sources feed the same pane files under ``LAKE/_stream/``:

- a directory a crawler drops files into, followed by this process (single machine,
  no services); what it has read survives restarts in ``checkpoint.json``;
- a Pub/Sub subscription, read by a Beam streaming pipeline (``FormWindowPanes``)
  on any streaming runner, which writes the pane files itself.

Each pane (a window's on-time articles, or the late ones that came after) is then
committed as one run of kind ``stream`` by the batch pipeline, so dedupe against the
stored articles, incidents, the lake's lock and its atomic commit are those of batch
runs. Articles too late for their window go to ``LAKE/_stream/late/`` as pane files
that a later ``newsevents run -i LAKE/_stream/late -o LAKE`` merges; each stream run
counts those routed since the previous one (``counts.late_routed``).

Crash safety: ``checkpoint.json`` is the truth and is replaced atomically. Files are
written before the checkpoint names them; on start, files it does not name are
orphans and removed (their articles are read again from the crawler's files).
Panes and late files have deterministic names, so writing one again overwrites it.
A pane already committed (a crash between commit and delete) is recognized through
the lake's manifests and not committed twice.
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
from apache_beam.io.filesystems import FileSystems
from apache_beam.options.pipeline_options import PipelineOptions, StandardOptions
from apache_beam.utils import shared

from newsevents.pipelines.batch import run
from newsevents.pipelines.options import OptionsError, StreamOptions
from newsevents.transforms.core.article_formats import ReadLimits
from newsevents.transforms.storage.lake_files import (
    delete_quietly, join, match_files, match_paths, read_lake_state)
from newsevents.transforms.storage.lock import LakeLock
from newsevents.transforms.streaming.pane_files import (
    PANE_SUFFIX, encode_article, encode_reject, read_pane_file, write_atomically)
from newsevents.transforms.read_articles import ReadRecordsFn, expand_input
from newsevents.transforms.routing import ARTICLES, FILES, REJECTS
from newsevents.transforms.streaming.read_pubsub import ReadPubsubArticles
from newsevents.transforms.streaming.window_panes import (
    FormWindowPanes, WriteLateFileFn, WritePaneFileFn, WriteRejectFileFn, pane_file_name)
from newsevents.transforms.streaming.windows import (
    TOO_LATE, WindowSpec, arrival_watermark, event_watermark, to_datetime, to_seconds,
    window_label)

LOG = logging.getLogger(__name__)
CHECKPOINT_VERSION = 2
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
    def open(self) -> str:
        return join(self.root, "open")

    @property
    def panes(self) -> str:
        return join(self.root, "panes")

    @property
    def late(self) -> str:
        return join(self.root, "late")


@dataclass
class StreamTotals:
    files: int = 0
    articles: int = 0
    rejected: int = 0
    too_late: int = 0
    panes: int = 0
    runs: int = 0


@dataclass
class StreamState:
    """What the stream has done, saved as ``checkpoint.json`` after every step.

    Windows are keyed by their start (POSIX seconds); JSON has only string keys, so
    the file lists them as [start, value] pairs.
    """
    input: str | None
    window_seconds: float
    allowed_lateness_seconds: float
    watermark: float | None = None
    newest_published: float | None = None
    # path -> (size, mtime) of every crawler file read
    files: dict[str, tuple[int, float]] = field(default_factory=dict)
    # window start -> segment files of its articles not yet in a pane
    open: dict[float, list[str]] = field(default_factory=dict)
    # window start -> panes fired, until the window expires
    fired: dict[float, int] = field(default_factory=dict)
    late_uncommitted: int = 0  # routed to late/ since the last stream run
    late_files: list[str] = field(default_factory=list)  # late/ files counted (Pub/Sub)
    totals: StreamTotals = field(default_factory=StreamTotals)

    @classmethod
    def new(cls, options: StreamOptions) -> "StreamState":
        return cls(options.input_dir, options.window, options.allowed_lateness)

    def to_json(self) -> dict:
        return {"version": CHECKPOINT_VERSION, "input": self.input,
                "window_seconds": self.window_seconds,
                "allowed_lateness_seconds": self.allowed_lateness_seconds,
                "watermark": self.watermark, "newest_published": self.newest_published,
                "files": {path: list(info) for path, info in sorted(self.files.items())},
                "open": [[start, segments] for start, segments in sorted(self.open.items())],
                "fired": [[start, count] for start, count in sorted(self.fired.items())],
                "late_uncommitted": self.late_uncommitted, "late_files": self.late_files,
                "totals": dataclasses.asdict(self.totals)}

    @classmethod
    def from_json(cls, data: dict) -> "StreamState":
        return cls(
            input=data["input"], window_seconds=float(data["window_seconds"]),
            allowed_lateness_seconds=float(data["allowed_lateness_seconds"]),
            watermark=data["watermark"], newest_published=data["newest_published"],
            files={path: (int(size), float(mtime)) for path, (size, mtime) in data["files"].items()},
            open={float(start): list(segments) for start, segments in data["open"]},
            fired={float(start): int(count) for start, count in data["fired"]},
            late_uncommitted=int(data["late_uncommitted"]), late_files=list(data["late_files"]),
            totals=StreamTotals(**data["totals"]))

    def summary(self) -> dict:
        return dict(dataclasses.asdict(self.totals), open_windows=len(self.open),
                    late_uncommitted=self.late_uncommitted, watermark=self.watermark)


def load_checkpoint(paths: StreamPaths, options: StreamOptions) -> StreamState:
    if not FileSystems.exists(paths.checkpoint):
        return StreamState.new(options)
    with FileSystems.open(paths.checkpoint) as handle:
        try:
            data = json.loads(handle.read().decode("utf-8"))
            version = data.get("version") if isinstance(data, dict) else None
            state = StreamState.from_json(data) if version == CHECKPOINT_VERSION else None
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
    if (state.window_seconds, state.allowed_lateness_seconds) != (
            options.window, options.allowed_lateness):
        # Windows already formed keep their bounds; new ones follow the new setting.
        LOG.warning("window settings changed since the last start (was %ss / %ss)",
                    state.window_seconds, state.allowed_lateness_seconds)
        state.window_seconds = options.window
        state.allowed_lateness_seconds = options.allowed_lateness
    return state


def save_checkpoint(paths: StreamPaths, state: StreamState) -> None:
    write_atomically(paths.checkpoint,
                     [json.dumps(state.to_json(), sort_keys=True, indent=1).encode("utf-8")])


def remove_orphans(paths: StreamPaths, state: StreamState) -> int:
    """Segments the checkpoint does not name, and half-written temporary files."""
    named = {seg for segments in state.open.values() for seg in segments}
    removed = []
    for path in match_paths(paths.open, "*"):
        if path not in named:
            removed.append(path)
    for directory in (paths.panes, paths.late, paths.root):
        removed += [p for p in match_paths(directory, "*.tmp-*")]
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
    too_late: int = 0
    panes: list[str] = field(default_factory=list)


def poll_directory(options: StreamOptions, paths: StreamPaths, state: StreamState, now: float) -> PollResult:
    """Read what landed since the last poll into open windows (or late/), then save the
    checkpoint. Classification uses the watermark of the previous poll."""
    result = PollResult()
    spec = options.window_spec
    watermark = state.watermark
    moment = to_datetime(now)
    for path, size, mtime in new_files(options, state, now):
        articles, rejects = read_file(path, size, mtime, options.run.limits, moment)
        key = file_key(path, size, mtime)
        by_window: dict[float, list[dict]] = {}
        too_late = []
        for record in articles:
            published = to_seconds(record["published_at"])
            start = spec.start(published)
            if watermark is not None and spec.classify(start, watermark) == TOO_LATE:
                too_late.append(record)
            else:
                by_window.setdefault(start, []).append(record)
            newest = state.newest_published
            state.newest_published = published if newest is None else max(newest, published)
        for start, records in by_window.items():
            segment = join(paths.open, f"{window_label(start)}-{key}.jsonl")
            write_atomically(segment, [encode_article(r) for r in records])
            segments = state.open.setdefault(start, [])
            if segment not in segments:
                segments.append(segment)
        if too_late:
            write_atomically(join(paths.late, f"late-{key}{PANE_SUFFIX}"),
                             [encode_article(r) for r in too_late])
        if rejects:
            pane = join(paths.panes, f"rejects-{key}{PANE_SUFFIX}")
            write_atomically(pane, [encode_reject(r) for r in rejects])
            result.panes.append(pane)
        state.files[path] = (size, mtime)
        state.late_uncommitted += len(too_late)
        totals = state.totals
        totals.files += 1
        totals.articles += len(articles)
        totals.rejected += len(rejects)
        totals.too_late += len(too_late)
        result.files += 1
        result.articles += len(articles)
        result.rejected += len(rejects)
        result.too_late += len(too_late)
    if result.files:
        save_checkpoint(paths, state)
    return result


def count_late_files(paths: StreamPaths, state: StreamState) -> int:
    """Pub/Sub mode: late files the pipeline wrote since the last look (one article each)."""
    counted = set(state.late_files)
    fresh = [p for p in match_paths(paths.late, f"late-*{PANE_SUFFIX}") if p not in counted]
    state.late_files = sorted(counted | set(fresh))
    state.late_uncommitted += len(fresh)
    state.totals.too_late += len(fresh)
    return len(fresh)


def advance_watermark(options: StreamOptions, state: StreamState, now: float) -> float:
    previous = state.watermark if state.watermark is not None else float("-inf")
    if options.watermark == "event":
        watermark = event_watermark(previous, state.newest_published, options.max_delay)
    else:
        watermark = arrival_watermark(previous, now, options.max_delay)
    state.watermark = watermark if watermark != float("-inf") else None
    return watermark


def fire_windows(paths: StreamPaths, state: StreamState, spec: WindowSpec, watermark: float) -> list[str]:
    """Pane files of the windows whose end the watermark reached; a window that fired
    before gives a late pane. Expired windows are forgotten."""
    written = []
    for start in spec.due(state.open, watermark):
        segments = state.open[start]
        lines = [line for segment in segments for line in read_pane_file(segment)]
        index = state.fired.get(start, 0)
        pane = join(paths.panes, pane_file_name(to_datetime(start), index))
        write_atomically(pane, [line + b"\n" for line in lines])
        written.append(pane)
        state.fired[start] = index + 1
        del state.open[start]
        state.totals.panes += 1
        save_checkpoint(paths, state)
        delete_quietly(segments)
    for start in spec.expired(state.fired, watermark):
        del state.fired[start]
    return written


def pending_panes(paths: StreamPaths) -> list[str]:
    return sorted(match_paths(paths.panes, f"*{PANE_SUFFIX}"),
                  key=lambda p: p.rsplit("/", 1)[-1])


def commit_pane(options: StreamOptions, paths: StreamPaths, pane: str, late_routed: int,
                model_handle: shared.Shared) -> dict | None:
    """One pane committed as a run (None if an earlier start committed it already)."""
    info = match_files(paths.panes, pane.rsplit("/", 1)[-1])[0]  # the lake's path taken literally
    done = read_lake_state(options.lake).processed_files()
    if done.get(info.path) == (info.size, info.mtime):
        delete_quietly([pane])
        return None
    run_options = dataclasses.replace(options.run, inputs=(pane,), output=options.lake,
                                      incremental=True, since=None, until=None,
                                      lock_wait=options.lock_wait, progress=False)
    manifest = run(run_options, kind="stream", extra_counts={"late_routed": late_routed},
                   model_handle=model_handle)
    delete_quietly([pane])
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


def commit_pending(options: StreamOptions, paths: StreamPaths, state: StreamState,
                   stop: StopFlag, report, model_handle: shared.Shared) -> int:
    committed = 0
    for pane in pending_panes(paths):
        if stop.is_set() and not options.flush_on_stop:
            break
        manifest = commit_pane(options, paths, pane, state.late_uncommitted, model_handle)
        if manifest is None:
            continue
        state.late_uncommitted = 0
        state.totals.runs += 1
        save_checkpoint(paths, state)
        committed += 1
        report(manifest, pane)
    return committed


def follow(options: StreamOptions, report=lambda manifest, pane: None,
           stop: StopFlag | None = None, clock=time.time) -> dict:
    """Follow a directory (or commit the panes a Pub/Sub pipeline writes) until
    stopped; returns the checkpoint's totals."""
    paths = StreamPaths.of(options.lake)
    own_stop = stop is None
    stop = stop or StopFlag().install()
    try:
        return _follow(options, paths, report, stop, clock)
    finally:
        if own_stop:
            stop.restore()


def _follow(options: StreamOptions, paths: StreamPaths, report, stop: StopFlag, clock) -> dict:
    # Every pane is a run in this process: the model stays loaded between them.
    model_handle = shared.Shared()
    with LakeLock(paths.root, "stream", wait_seconds=0.0):
        state = load_checkpoint(paths, options)
        removed = remove_orphans(paths, state)
        if removed:
            LOG.warning("removed %d files a stopped stream left half-done", removed)
        last_arrival = clock()
        while True:
            now = clock()
            if options.input_dir:
                polled = poll_directory(options, paths, state, now)
                if polled.files:
                    last_arrival = now
                    LOG.info("read %d files: %d articles, %d rejected, %d too late",
                             polled.files, polled.articles, polled.rejected, polled.too_late)
            else:
                count_late_files(paths, state)
            watermark = advance_watermark(options, state, now)
            if state.watermark is not None:
                fire_windows(paths, state, options.window_spec, watermark)
            save_checkpoint(paths, state)
            commit_pending(options, paths, state, stop, report, model_handle)
            if stop.is_set():
                break
            idle = clock() - last_arrival
            if (options.exit_when_idle is not None and idle >= options.exit_when_idle
                    and not pending_panes(paths)):
                break
            stop.wait(options.poll)
        if options.flush_on_stop:
            fire_windows(paths, state, options.window_spec, float("inf"))
            save_checkpoint(paths, state)
            stop.event.clear()
            commit_pending(options, paths, state, stop, report, model_handle)
        save_checkpoint(paths, state)
        return state.summary()


def start_pubsub_pipeline(options: StreamOptions):
    """The Beam streaming job: Pub/Sub -> panes and late files under LAKE/_stream/."""
    try:
        import google.cloud.pubsub  # noqa: F401  (ReadFromPubSub needs it)
    except ImportError:
        raise OptionsError("reading Pub/Sub needs the Google Cloud client: "
                           "pip install 'newsevents[pubsub]'") from None
    paths = StreamPaths.of(options.lake)
    pipeline_options = PipelineOptions(list(options.run.beam_args))
    pipeline_options.view_as(StandardOptions).streaming = True
    runner = {"local": "DirectRunner", "dataflow": "DataflowRunner", "flink": "FlinkRunner",
              "spark": "SparkRunner", "portable": "PortableRunner"}.get(options.run.runner)
    if runner is None:
        raise OptionsError(f"--runner {options.run.runner} does not run streaming pipelines")
    pipeline = beam.Pipeline(runner=runner, options=pipeline_options)
    read = pipeline | "ReadPubsubArticles" >> ReadPubsubArticles(options.subscription,
                                                                 options.run.limits)
    panes = read["articles"] | "FormWindowPanes" >> FormWindowPanes(
        options.window, options.allowed_lateness)
    _ = panes["panes"] | "WritePanes" >> beam.ParDo(WritePaneFileFn(paths.panes))
    _ = panes["too_late"] | "WriteLate" >> beam.ParDo(WriteLateFileFn(paths.late))
    _ = read["rejects"] | "WriteRejects" >> beam.ParDo(WriteRejectFileFn(paths.panes))
    return pipeline.run()
