"""FormWindowPanes: a stream of articles to panes of publication-time windows.

    articles (element timestamp = publication time, e.g. from Pub/Sub's
    ``published_at`` attribute or a TestStream)
      -> "panes":    {"window_start", "window_end", "index", "timing", "records"}
      -> "too_late": records whose window had expired (routed, never dropped)

Fixed windows fire when the watermark passes their end (the *on-time* pane); an
article that arrives after that but within the allowed lateness fires a *late* pane
of its own at once; one that arrives after its window expired goes to ``too_late``.
The decisions are the ones of ``newsevents.transforms.streaming.windows``, which the directory-follow
driver uses too.

Why not ``WindowInto`` + ``GroupByKey``: Beam drops data behind the allowed lateness
at the GroupByKey without a trace (the Python SDK gives a DoFn no way to see the
watermark), and the stream must store every article. So articles are keyed by their
window and a stateful DoFn in the global window holds each window's articles in a
bag, with two event-time timers: at the window's end (the on-time pane) and at its
expiry (after which its articles are too late). An article of a window the DoFn
never saw before, arriving after that window expired, has no expiry mark to meet:
it fires as a pane of its own rather than being routed (lenient, never lost).
"""
from __future__ import annotations

import hashlib

import apache_beam as beam
from apache_beam.coders import PickleCoder
from apache_beam.io.filesystems import FileSystems
from apache_beam.transforms.timeutil import TimeDomain
from apache_beam.transforms.userstate import (
    BagStateSpec, ReadModifyWriteStateSpec, TimerSpec, on_timer)
from apache_beam.utils.timestamp import Timestamp

from newsevents.transforms.streaming.pane_files import PANE_SUFFIX, encode_article, encode_reject, write_atomically
from newsevents.transforms.routing import RouteByTag
from newsevents.transforms.streaming.windows import (
    TOO_LATE, WindowSpec, pane_timing, to_datetime, window_label)

PANES = "panes"


def pane(spec: WindowSpec, start: float, index: int, records: list[dict]) -> dict:
    return {"window_start": to_datetime(start), "window_end": to_datetime(spec.end(start)),
            "index": index, "timing": pane_timing(index), "records": records}


class KeyByWindowFn(beam.DoFn):
    """record -> (window start, record), the window of its timestamp."""

    def __init__(self, spec: WindowSpec):
        self.spec = spec

    def process(self, record, timestamp=beam.DoFn.TimestampParam):
        yield self.spec.start(timestamp.micros / 1e6), record


class FormPanesFn(beam.DoFn):
    """(window start, record) -> ("panes", pane) / ("too_late", record)."""

    BUFFER = BagStateSpec("buffer", PickleCoder())  # the window's articles not yet fired
    FIRED = ReadModifyWriteStateSpec("fired", PickleCoder())  # panes fired so far
    EXPIRED = ReadModifyWriteStateSpec("expired", PickleCoder())
    END = TimerSpec("end", TimeDomain.WATERMARK)
    EXPIRY = TimerSpec("expiry", TimeDomain.WATERMARK)

    def __init__(self, window_seconds: float, allowed_lateness_seconds: float):
        self.spec = WindowSpec(window_seconds, allowed_lateness_seconds)

    def process(self, element, buffer=beam.DoFn.StateParam(BUFFER),
                fired=beam.DoFn.StateParam(FIRED), expired=beam.DoFn.StateParam(EXPIRED),
                end=beam.DoFn.TimerParam(END), expiry=beam.DoFn.TimerParam(EXPIRY)):
        start, record = element
        if expired.read():
            yield TOO_LATE, record
            return
        index = fired.read() or 0
        if index:
            # The window fired already: a late pane of this article, at once.
            fired.write(index + 1)
            yield PANES, pane(self.spec, start, index, [record])
            return
        buffer.add(record)
        end.set(Timestamp(micros=int(self.spec.end(start) * 1e6)))
        expiry.set(Timestamp(micros=int(self.spec.expiry(start) * 1e6)))

    @on_timer(END)
    def on_end(self, key=beam.DoFn.KeyParam, buffer=beam.DoFn.StateParam(BUFFER),
               fired=beam.DoFn.StateParam(FIRED)):
        records = list(buffer.read())
        buffer.clear()
        if records:
            index = fired.read() or 0
            fired.write(index + 1)
            yield PANES, pane(self.spec, key, index, records)

    @on_timer(EXPIRY)
    def on_expiry(self, buffer=beam.DoFn.StateParam(BUFFER), fired=beam.DoFn.StateParam(FIRED),
                  expired=beam.DoFn.StateParam(EXPIRED)):
        expired.write(True)  # kept: later articles of this window are too late
        fired.clear()
        buffer.clear()


class FormWindowPanes(beam.PTransform):
    """Articles with publication-time timestamps -> {"panes", "too_late"}."""

    def __init__(self, window_seconds: float, allowed_lateness_seconds: float):
        super().__init__()
        self.window_seconds = window_seconds
        self.allowed_lateness_seconds = allowed_lateness_seconds

    def expand(self, articles):
        spec = WindowSpec(self.window_seconds, self.allowed_lateness_seconds)
        return (articles
                | "KeyByWindow" >> beam.ParDo(KeyByWindowFn(spec))
                | "FormPanes" >> beam.ParDo(FormPanesFn(self.window_seconds,
                                                         self.allowed_lateness_seconds))
                | "RoutePanes" >> RouteByTag((PANES, TOO_LATE)))


def pane_file_name(window_start, index: int) -> str:
    """``20240301T090000Z-000.pane.jsonl``: windows sort in time, panes in order."""
    return f"{window_label(window_start.timestamp())}-{index:03d}{PANE_SUFFIX}"


def late_file_name(record: dict) -> str:
    """One file per too-late article, named by its provenance: written again, it is
    the same file (a retried bundle does not duplicate it)."""
    key = f"{record.get('input')}|{record.get('position')}|{record.get('external_id')}"
    return f"late-{hashlib.sha1(key.encode('utf-8')).hexdigest()[:16]}{PANE_SUFFIX}"


class WritePaneFileFn(beam.DoFn):
    """A pane -> one pane file under ``directory``, named by window and index so a
    retried bundle overwrites it instead of adding a copy. Yields the path."""

    def __init__(self, directory: str):
        self.directory = directory

    def process(self, window_pane: dict):
        path = FileSystems.join(self.directory, pane_file_name(window_pane["window_start"],
                                                               window_pane["index"]))
        write_atomically(path, [encode_article(r) for r in window_pane["records"]])
        yield path


class WriteLateFileFn(beam.DoFn):
    def __init__(self, directory: str):
        self.directory = directory

    def process(self, record: dict):
        path = FileSystems.join(self.directory, late_file_name(record))
        write_atomically(path, [encode_article(record)])
        yield path


class WriteRejectFileFn(beam.DoFn):
    def __init__(self, directory: str):
        self.directory = directory

    def process(self, row: dict):
        key = f"{row.get('input')}|{row.get('position')}"
        name = f"rejects-{hashlib.sha1(key.encode('utf-8')).hexdigest()[:16]}{PANE_SUFFIX}"
        path = FileSystems.join(self.directory, name)
        write_atomically(path, [encode_reject(row)])
        yield path

