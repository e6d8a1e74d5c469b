"""ReadArticles: article files (JSON Lines, text, HTML; optionally gzip) to raw records.

    inputs ["examples/", "crawl/*.jsonl.gz"]
      -> raw article records (see article_formats) and, tagged "rejects", reject rows
         {"input", "position", "stage": "read", "reason", "raw"}

All file access goes through ``apache_beam.io.filesystems`` so that ``gs://`` and
``s3://`` inputs work on any runner.
"""
from __future__ import annotations

import contextlib
import datetime as dt
import gzip
import zlib

import apache_beam as beam
from apache_beam.io.filesystem import CompressionTypes
from apache_beam.io.filesystems import FileSystems
from apache_beam.metrics import Metrics

from transforms.tagging import RouteByTag
from transforms.article_formats import (
    ReadLimits, RecordError, apply_default_published_at, input_format,
    parse_html_file, parse_jsonl_line, parse_text_file)

REJECTS = "rejects"
ARTICLES = "articles"
PATHS = "paths"
RAW_PREVIEW_CHARS = 500
GLOB_CHARS = set("*?[")


def reject_row(input_path: str, position: int, stage: str, reason: str, raw=b"") -> dict:
    """A row of the rejects table; ``raw`` is kept short and always valid text."""
    if isinstance(raw, bytes):
        raw = raw[:RAW_PREVIEW_CHARS * 4].decode("utf-8", errors="replace")
    return {"input": input_path, "position": position, "stage": stage,
            "reason": reason, "raw": (raw or "")[:RAW_PREVIEW_CHARS]}


def expand_input(pattern: str) -> tuple[list[str], str | None]:
    """The files an input names: a file, a directory (recursive) or a glob.

    Returns (paths, problem); problem is a reason when nothing matched.
    """
    if not GLOB_CHARS & set(pattern):
        below = FileSystems.match([pattern.rstrip("/") + "/**"])[0].metadata_list
        if below:  # a directory
            return sorted(m.path for m in below), None
        if FileSystems.exists(pattern):
            return [pattern], None
        return [], "input does not exist"
    found = FileSystems.match([pattern])[0].metadata_list
    if not found:
        return [], "input pattern matched no files"
    return sorted(m.path for m in found), None


@contextlib.contextmanager
def open_input(path: str):
    """A binary stream of a file, gunzipped when it ends in ``.gz``.

    Python's gzip reader is used instead of Beam's own decompression because it
    notices a truncated file (missing end-of-stream marker) instead of returning the
    cut-off data as if it were whole.
    """
    with FileSystems.open(path, compression_type=CompressionTypes.UNCOMPRESSED) as raw:
        if path.lower().endswith(".gz"):
            with gzip.GzipFile(fileobj=raw, mode="rb") as unzipped:
                yield unzipped
        else:
            yield raw


class ExpandInputsFn(beam.DoFn):
    """An input pattern to the file paths it names; nothing matched -> a reject."""

    def process(self, pattern: str):
        paths, problem = expand_input(pattern)
        if problem:
            yield REJECTS, reject_row(pattern, 0, "read", problem)
        for path in paths:
            yield PATHS, path


class ReadRecordsFn(beam.DoFn):
    """One file to its raw article records; each bad record becomes a reject row."""

    READ_ERRORS = (OSError, EOFError, zlib.error, gzip.BadGzipFile)

    def __init__(self, limits: ReadLimits, default_published_at: dt.datetime | None,
                 now: dt.datetime | None):
        self.limits = limits
        self.default_published_at = default_published_at
        self.now = now
        self.records = Metrics.counter("read", "records")
        self.rejected = Metrics.counter("read", "rejected")

    def process(self, path: str):
        fmt = input_format(path)
        if fmt is None:
            self.rejected.inc()
            yield REJECTS, reject_row(
                path, 0, "read", "unsupported file type (expected .jsonl, .ndjson, .txt, "
                                 ".html or .htm, optionally .gz)")
            return
        if fmt == "jsonl":
            yield from self._read_lines(path)
        else:
            yield from self._read_whole(path, fmt)

    def _finish(self, path, position, fmt, parse, data):
        try:
            record = parse(data, self.limits, self.now)
            record = apply_default_published_at(record, self.default_published_at)
        except RecordError as err:
            self.rejected.inc()
            return REJECTS, reject_row(path, position, "read", str(err), data)
        record.update(input=path, position=position, input_format=fmt)
        self.records.inc()
        return ARTICLES, record

    def _read_lines(self, path: str):
        position = 0
        try:
            with open_input(path) as handle:
                # readline() streams both plain and gzip files; never the whole file.
                while True:
                    line = handle.readline()
                    if not line:
                        break
                    position += 1
                    if line.strip():
                        yield self._finish(path, position, "jsonl", parse_jsonl_line, line)
        except self.READ_ERRORS as err:
            self.rejected.inc()
            yield REJECTS, reject_row(
                path, position + 1, "read", f"unreadable input after line {position}: {err}")

    def _read_whole(self, path: str, fmt: str):
        parse = parse_text_file if fmt == "text" else parse_html_file
        try:
            with open_input(path) as handle:
                # Read one byte past the limit: enough to know the file is too large
                # without holding a huge file in memory.
                data = handle.read(self.limits.max_chars * 4 + 1)
        except self.READ_ERRORS as err:
            self.rejected.inc()
            yield REJECTS, reject_row(path, 0, "read", f"unreadable input: {err}")
            return
        if len(data) > self.limits.max_chars * 4:
            self.rejected.inc()
            yield REJECTS, reject_row(
                path, 0, "read", f"file too large: over {self.limits.max_chars * 4:,} bytes", data)
            return
        yield self._finish(path, 0, fmt, parse, data)


class ReadArticles(beam.PTransform):
    """Read article files into raw records, with a ``rejects`` output for bad ones.

    Returns a dict of PCollections: ``"articles"`` and ``"rejects"``.
    """

    def __init__(self, inputs: list[str], default_published_at: dt.datetime | None = None,
                 limits: ReadLimits = ReadLimits(), now: dt.datetime | None = None):
        super().__init__()
        self.inputs = list(inputs)
        self.default_published_at = default_published_at
        self.limits = limits
        self.now = now

    def expand(self, pbegin):
        expanded = (pbegin
                    | "CreateInputs" >> beam.Create(self.inputs)
                    | "ExpandInputs" >> beam.ParDo(ExpandInputsFn())
                    | "RouteExpanded" >> RouteByTag((PATHS, REJECTS)))
        records = (expanded[PATHS]
                   # Spread files over workers before the expensive work.
                   | "ReshuffleFiles" >> beam.Reshuffle()
                   | "ReadRecords" >> beam.ParDo(ReadRecordsFn(
                       self.limits, self.default_published_at, self.now))
                   | "RouteRecords" >> RouteByTag((ARTICLES, REJECTS)))
        rejects = ((expanded[REJECTS], records[REJECTS])
                   | "FlattenReadRejects" >> beam.Flatten())
        return {"articles": records[ARTICLES], "rejects": rejects}
