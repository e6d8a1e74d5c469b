"""The Pub/Sub pipeline's triggers: commits on processing time, window panes on
publication time. Beam transforms; the directory stream follows the same rules
(``transforms.streaming.windows``) in its own loop.

    records (pane lines: articles and rejects, any timestamps)
      -> CommitBatches: the global window, fired every ``commit_every`` seconds of
         processing time, discarding what fired, in parts of ``commit_articles``
         -> pane files in LAKE/_stream/pending/, which the local process commits
    articles (element timestamp = publication time)
      -> FireWindowPanes: fixed windows, AfterWatermark with early firings every
         ``early_every`` seconds of processing time and a late firing for each late
         article, accumulating panes, ``allowed_lateness``
         -> {"window_start", "window_end", "timing": EARLY/ON_TIME/LATE, "index",
             "articles"}: one record file per pane in LAKE/_stream/windows/, which the
            local process turns into event_windows rows at its next commit

No article waits for a window: commits come from the global window, where nothing is
ever late and nothing is dropped. Windows only decide when aggregates are refined; Beam
drops an article from a window's panes once the window is closed (the watermark passed
its end plus the allowed lateness), never from the lake.

Late firings are ``AfterCount(1)``, not processing time: with a processing-time late
trigger the DirectRunner labelled late panes EARLY and stalled on a TestStream (Beam
2.x's Python trigger driver); the local process keeps one pane a window per commit.
"""
from __future__ import annotations

import json
import uuid

import apache_beam as beam
from apache_beam.transforms import trigger, window
from apache_beam.utils.timestamp import Duration
from apache_beam.utils.windowed_value import PaneInfoTiming

from newsevents.transforms.streaming.pane_files import PANE_SUFFIX, write_pane_file
from newsevents.transforms.streaming.windows import EARLY, LATE, ON_TIME, window_label

TIMINGS = {PaneInfoTiming.EARLY: EARLY, PaneInfoTiming.ON_TIME: ON_TIME, PaneInfoTiming.LATE: LATE}
PANE_RECORD_SUFFIX = ".window.json"


class CommitBatches(beam.PTransform):
    """Records -> lists of at most ``commit_articles`` records: the global window fires
    every ``commit_every`` seconds of processing time after the first record of a batch,
    and a firing that holds more records is split.

    Not ``Repeatedly(AfterAny(AfterCount(n), AfterProcessingTime(t)))``, which would also
    fire on count: in Beam's Python SDK ``AfterAny.on_fire`` asks its parts whether they
    fired in the watermark's time domain only, so its processing-time part is never
    reset and never fires again after the first firing (the DirectRunner stalls)."""

    def __init__(self, commit_every: float, commit_articles: int):
        super().__init__()
        self.commit_every = commit_every
        self.commit_articles = commit_articles

    def expand(self, records):
        size = self.commit_articles
        return (records
                | "GlobalWindow" >> beam.WindowInto(
                    window.GlobalWindows(),
                    trigger=trigger.Repeatedly(trigger.AfterProcessingTime(whole_seconds(self.commit_every))),
                    accumulation_mode=trigger.AccumulationMode.DISCARDING)
                | "OneKey" >> beam.Map(lambda record: (0, record))
                | "Batch" >> beam.GroupByKey()
                | "AtMostCommitArticles" >> beam.FlatMapTuple(lambda _, batch: (
                    (part, chunk) for part, chunk in enumerate(chunks(sorted(batch), size)))))


def whole_seconds(seconds: float) -> int:
    """A processing-time delay as Beam's triggers take it: whole seconds, at least one."""
    return max(1, round(seconds))


def chunks(items: list, size: int) -> list[list]:
    return [items[i:i + size] for i in range(0, len(items), size)]


class DescribePaneFn(beam.DoFn):
    """An accumulated count of one window's pane -> the pane record."""

    def process(self, articles: int, window=beam.DoFn.WindowParam, pane=beam.DoFn.PaneInfoParam):
        yield {"window_start": float(window.start), "window_end": float(window.end),
               "timing": TIMINGS.get(pane.timing, "UNKNOWN"), "index": pane.index,
               "articles": articles}


class FireWindowPanes(beam.PTransform):
    """Articles with publication-time timestamps -> one record per pane a window fires."""

    def __init__(self, window_seconds: float, early_every: float, allowed_lateness_seconds: float):
        super().__init__()
        self.window_seconds = window_seconds
        self.early_every = early_every
        self.allowed_lateness_seconds = allowed_lateness_seconds

    def expand(self, articles):
        return (articles
                | "PublicationWindows" >> beam.WindowInto(
                    window.FixedWindows(self.window_seconds),
                    trigger=trigger.AfterWatermark(
                        early=trigger.AfterProcessingTime(whole_seconds(self.early_every)),
                        late=trigger.AfterCount(1)),
                    accumulation_mode=trigger.AccumulationMode.ACCUMULATING,
                    allowed_lateness=Duration(seconds=self.allowed_lateness_seconds))
                | "CountArticles" >> beam.CombineGlobally(
                    beam.combiners.CountCombineFn()).without_defaults()
                | "DescribePanes" >> beam.ParDo(DescribePaneFn()))


class WriteCommitBatchFn(beam.DoFn):
    """(part, records) of one firing -> one pane file, named by the pipeline's start, the
    firing's index and the part, so that a retried bundle writes the same file again."""

    def __init__(self, directory: str, job: str | None = None):
        self.directory = directory
        self.job = job or uuid.uuid4().hex[:8]

    def process(self, batch: tuple[int, list[bytes]], pane=beam.DoFn.PaneInfoParam):
        part, lines = batch
        path = (f"{self.directory.rstrip('/')}/batch-{self.job}-{pane.index:010d}-{part:04d}"
                f"{PANE_SUFFIX}")
        write_pane_file(path, lines)
        yield path


class WritePaneRecordFn(beam.DoFn):
    """A pane record -> ``<window start>-<index>.window.json``."""

    def __init__(self, directory: str):
        self.directory = directory

    def process(self, record: dict):
        name = f"{window_label(record['window_start'])}-{record['index']:06d}{PANE_RECORD_SUFFIX}"
        path = f"{self.directory.rstrip('/')}/{name}"
        write_pane_file(path, [json.dumps(record, sort_keys=True).encode("utf-8")])
        yield path


def read_pane_record(data: bytes) -> dict:
    record = json.loads(data.decode("utf-8"))
    if not isinstance(record, dict) or not {"window_start", "window_end", "timing", "index"} <= set(record):
        raise ValueError("not a window pane record")
    return record
