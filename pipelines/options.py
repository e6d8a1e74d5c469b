"""Run settings: the one place where options are defined, parsed and checked.

Each setting's default is a field default of ``RunOptions`` or ``StreamOptions`` and
nowhere else: the CLI reads its defaults from here (``default_of``) and passes every
setting by keyword to ``make_run_options`` / ``make_stream_options``, which check the
values and raise ``OptionsError`` with a message a person can act on. Transforms never
see these objects; ``pipelines.batch`` hands them plain arguments.

    options = make_run_options(["crawl/"], "lake/", since="2024-01-01", workers=2)
"""
from __future__ import annotations

import dataclasses
import datetime as dt
import importlib.util
import json
import os
from dataclasses import dataclass

from newsevents.transforms.core.article_formats import ReadLimits, RecordError, parse_published_at
from newsevents.transforms.defaults import (
    DEFAULT_BATCH_SIZE, DEFAULT_COPY_WINDOW_HOURS, DEFAULT_MODEL, DEFAULT_NEAR_DUPLICATE_THRESHOLD)
from newsevents.transforms.streaming.windows import WindowSpec, format_duration, parse_duration

RUNNERS = ("local", "dask", "dataflow", "flink", "spark", "portable")
WATERMARKS = ("arrival", "event")


class OptionsError(ValueError):
    """A setting a person has to fix; the CLI shows the message."""


@dataclass(frozen=True)
class RunOptions:
    """The settings of one batch run (and of each run a stream commits)."""
    inputs: tuple[str, ...]
    output: str
    default_published_at: dt.datetime | None = None
    model: str = DEFAULT_MODEL
    runner: str = "local"
    workers: int = 1
    dask_address: str | None = None
    batch_size: int = DEFAULT_BATCH_SIZE
    max_chars: int = ReadLimits.max_chars
    beam_args: tuple[str, ...] = ()
    since: dt.date | None = None
    until: dt.date | None = None
    incremental: bool = True
    lock_wait: float = 0.0
    progress: bool | None = None  # None: show it when stderr is a terminal
    # The local runner processes at most this many records per pipeline (memory bound).
    max_records_per_chunk: int = 200_000
    near_duplicate_threshold: float = DEFAULT_NEAR_DUPLICATE_THRESHOLD
    copy_window_hours: int = DEFAULT_COPY_WINDOW_HOURS
    # Parse only the sentences that can hold an event (False: every sentence).
    prefilter: bool = True
    # A run that rejects more than this share of the records it read exits non-zero
    # (it still commits what it stored): a scheduler must notice a broken feed.
    max_reject_rate: float = 0.5

    def __post_init__(self):
        if not self.inputs:
            raise OptionsError("give at least one --input (a file, a directory or a glob)")
        if self.runner not in RUNNERS:
            raise OptionsError(f"--runner must be one of {', '.join(RUNNERS)}")
        if self.workers < 1:
            raise OptionsError("--workers must be at least 1")
        if self.batch_size < 1:
            raise OptionsError("--batch-size must be at least 1")
        if self.max_chars < 1000:
            raise OptionsError("--max-chars must be at least 1000")
        if self.since and self.until and self.since > self.until:
            raise OptionsError("--since must not be after --until")
        if self.lock_wait < 0:
            raise OptionsError("--lock-wait must be zero or more seconds")
        if self.max_records_per_chunk < 1:
            raise OptionsError("--chunk-records must be at least 1")
        if not 0.0 <= self.max_reject_rate <= 1.0:
            raise OptionsError("--max-reject-rate must be between 0 and 1")
        if not 0.0 < self.near_duplicate_threshold <= 1.0:
            raise OptionsError("--near-duplicate-threshold must be above 0 and at most 1")
        if self.copy_window_hours < 0:
            raise OptionsError("--copy-window-hours must be zero or more hours")
        if not model_is_installed(self.model):
            # Checked here, in the driver: inside a Beam worker it would be a traceback.
            raise OptionsError(f"--model: the spaCy pipeline {self.model!r} is not installed "
                               f"(pip install it, or give the path of a saved pipeline)")

    @property
    def limits(self) -> ReadLimits:
        return ReadLimits(max_chars=self.max_chars)

    def describe(self) -> str:
        """The settings that shape a run's output, as JSON for its manifest."""
        return json.dumps({
            "model": self.model, "runner": self.runner, "workers": self.workers,
            "default_published_at": self.default_published_at, "max_chars": self.max_chars,
            "since": self.since, "until": self.until, "incremental": self.incremental,
            "max_records_per_chunk": self.max_records_per_chunk,
            "near_duplicate_threshold": self.near_duplicate_threshold,
            "copy_window_hours": self.copy_window_hours,
            "prefilter": self.prefilter,
        }, sort_keys=True, default=str)


@dataclass(frozen=True)
class StreamOptions:
    """The settings of ``newsevents stream``; durations in seconds."""
    run: RunOptions  # the settings of every commit's run (model, batch size, runner ...)
    input_dir: str | None = None
    subscription: str | None = None
    # Articles are committed once the oldest waiting has waited commit_every, or once
    # commit_articles wait, whichever comes first; a commit takes at most about
    # commit_articles (whole pane files).
    commit_every: float = 5.0
    commit_articles: int = 200
    # Publication-time windows of the windowed aggregates (event_windows).
    window: float = 900.0
    allowed_lateness: float = 86400.0
    max_delay: float = 300.0
    watermark: str = "arrival"  # arrival (processing time) or event (newest published)
    poll: float = 1.0
    settle: float = 1.0
    # The lake's small files merged once the stream's commits wrote this many table
    # files (0: never; `newsevents compact` then). Queries then read at most about this
    # many files more than on the lake compacted whole (benchmarks/README.md).
    compact_files: int = 50
    exit_when_idle: float | None = None
    flush_on_stop: bool = False
    # A commit waits this long for a batch run holding the lake.
    lock_wait: float = 600.0

    def __post_init__(self):
        if bool(self.input_dir) == bool(self.subscription):
            raise OptionsError("give exactly one source: --input DIR or --subscription NAME")
        if self.subscription and not self.subscription.startswith("projects/"):
            raise OptionsError("--subscription must look like projects/PROJECT/subscriptions/NAME")
        if self.watermark not in WATERMARKS:
            raise OptionsError(f"--watermark must be one of {', '.join(WATERMARKS)}")
        if self.lock_wait < 0:
            raise OptionsError("--lock-wait must be zero or more seconds")
        for name in ("window", "poll"):
            if not getattr(self, name) > 0:
                raise OptionsError(f"--{name} must be positive")
        for name in ("allowed_lateness", "max_delay", "settle", "commit_every"):
            if getattr(self, name) < 0:
                raise OptionsError(f"--{name.replace('_', '-')} must be zero or more")
        if self.commit_articles < 1:
            raise OptionsError("--commit-articles must be at least 1")
        if self.compact_files < 0:
            raise OptionsError("--compact-files must be zero (never) or more")

    @property
    def lake(self) -> str:
        return self.run.output

    @property
    def window_spec(self) -> WindowSpec:
        return WindowSpec(self.window, self.allowed_lateness)


def model_is_installed(model: str) -> bool:
    """A spaCy pipeline package that imports, a saved pipeline's folder, or ``blank:LANG``."""
    if model.startswith("blank:") or os.path.isdir(model):
        return True
    try:
        return importlib.util.find_spec(model) is not None
    except (ImportError, ValueError):
        return False


def default_of(options_class, name: str, as_duration: bool = False):
    """A setting's default, for the CLI to show (a duration as "15m")."""
    value = {f.name: f.default for f in dataclasses.fields(options_class)}[name]
    return format_duration(value) if as_duration else value


def parse_published_option(value: str | None) -> dt.datetime | None:
    if not value:
        return None
    try:
        return parse_published_at(value)
    except RecordError as err:
        raise OptionsError(f"--default-published-at: {err}") from None


def parse_day(name: str, value: str | None) -> dt.date | None:
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise OptionsError(f"{name}: expected a date like 2024-03-01, got {value!r}") from None


def parse_duration_option(name: str, value) -> float:
    """A duration setting in seconds; a number is taken as seconds already, but text
    needs its unit: "--window 15" could mean seconds or minutes."""
    if isinstance(value, (int, float)):
        return float(value)
    text = str(value).strip()
    if text.replace(".", "", 1).isdigit() and float(text) != 0:
        raise OptionsError(f"{name}: give a unit, e.g. {text}s, {text}m or {text}h (got {text!r})")
    try:
        return parse_duration(value)
    except ValueError as err:
        raise OptionsError(f"{name}: {err}") from None


def make_run_options(inputs, output: str, *, default_published_at: str | None = None,
                     since: str | None = None, until: str | None = None,
                     beam_args=(), **settings) -> RunOptions:
    """Checked ``RunOptions`` from the values a person typed (dates as text)."""
    unknown = set(settings) - {f.name for f in dataclasses.fields(RunOptions)}
    if unknown:
        raise TypeError(f"unknown run settings: {', '.join(sorted(unknown))}")
    return RunOptions(
        inputs=tuple(inputs or ()), output=output,
        default_published_at=parse_published_option(default_published_at),
        since=parse_day("--since", since), until=parse_day("--until", until),
        beam_args=tuple(beam_args), **settings)


DURATIONS = ("commit_every", "window", "allowed_lateness", "max_delay", "poll", "settle",
             "exit_when_idle")


def make_stream_options(run_options: RunOptions, **settings) -> StreamOptions:
    """Checked ``StreamOptions``; durations may be given as text ("15m", "90s")."""
    for name in DURATIONS:
        if settings.get(name) is not None:
            settings[name] = parse_duration_option("--" + name.replace("_", "-"), settings[name])
    input_dir = settings.pop("input_dir", None)
    if input_dir and "://" not in input_dir and not os.path.isdir(input_dir):
        raise OptionsError(f"--input {input_dir!r} is not a directory")
    return StreamOptions(run=run_options, input_dir=input_dir.rstrip("/") if input_dir else None,
                         **settings)
