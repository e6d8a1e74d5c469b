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
import glob
import gzip
import logging
import os
import zlib

import apache_beam as beam
from apache_beam.io.filesystem import CompressionTypes
from apache_beam.io.filesystems import FileSystems
from apache_beam.metrics import Metrics

from newsevents.transforms.storage.durable import escape_pattern
from newsevents.transforms.storage.faults import fault_point
from newsevents.transforms.storage.progress import ProgressReporter
from newsevents.transforms.routing import (
    ARTICLES, FILES, INCOMPLETE, OUT_OF_RANGE, PATHS, REJECTS, SKIPPED, RouteByTag, reject_row)
from newsevents.transforms.core.article_formats import (
    ReadLimits, RecordError, apply_default_published_at, input_format,
    parse_html_file, parse_jsonl_line, parse_text_file)
from newsevents.transforms.streaming.pane_files import decode_pane_line

GLOB_CHARS = set("*?[")
LOG = logging.getLogger(__name__)


def expand_input(pattern: str) -> tuple[list[tuple[str, int, float]], list[tuple[str, str]]]:
    """The files an input names: a file, a directory (recursive) or a glob.

    Returns ([(path, size, mtime)], [(path, problem)]) sorted by path. A path that
    exists is taken literally, even with ``[``, ``*`` or ``?`` in its name; otherwise
    a pattern with those is a glob. A pattern that matched nothing is a problem, and so,
    in local directories, are links that point nowhere, links that loop back to a
    directory above them, and directories that cannot be read (which a listing would
    skip without a word); links to directories are followed.
    """
    if "://" not in pattern:
        if os.path.lexists(pattern):
            return local_input(pattern)
        if not GLOB_CHARS & set(pattern):
            return [], [(pattern, "input does not exist")]
        found = sorted(glob.glob(pattern, recursive=True))
        if not found:
            return [], [(pattern, "input pattern matched no files")]
        files, problems = [], []
        for path in found:
            more, trouble = local_input(path)
            files.extend(more)
            problems.extend(trouble)
        return sorted(set(files)), sorted(set(problems))
    if not GLOB_CHARS & set(pattern):
        below = FileSystems.match([escape_pattern(pattern.rstrip("/")) + "/**"])[0].metadata_list
        found = below or FileSystems.match([escape_pattern(pattern)])[0].metadata_list
        if not found:
            return [], [(pattern, "input does not exist")]
    else:
        found = FileSystems.match([pattern])[0].metadata_list
        if not found:
            return [], [(pattern, "input pattern matched no files")]
    return sorted((m.path, m.size_in_bytes, m.last_updated_in_seconds) for m in found), []


def local_input(path: str) -> tuple[list[tuple[str, int, float]], list[tuple[str, str]]]:
    """A local file, or every file below a local directory, following links."""
    if os.path.isdir(path):
        return walk_directory(path)
    if os.path.isfile(path):
        info = os.stat(path)
        return [(path, info.st_size, info.st_mtime)], []
    if os.path.islink(path) and not os.path.exists(path):
        return [], [(path, "unreadable input: a link to a file that does not exist")]
    return [], [(path, "unreadable input: not a regular file or directory")]


def walk_directory(root: str) -> tuple[list[tuple[str, int, float]], list[tuple[str, str]]]:
    """Every file below ``root``, links to directories followed. A directory reached
    again through another link is listed once; one that leads back to a directory
    above it (a loop), or that cannot be read, is a problem."""
    files, problems, listed = [], [], {}

    def visit(directory: str, above: dict) -> None:
        try:
            identity = os.stat(directory)[1:3]
        except OSError as err:
            problems.append((directory, f"unreadable directory: {err.strerror or err}"))
            return
        if identity in above:
            problems.append((directory, f"unreadable input: a link loop back to {above[identity]}"))
            return
        if identity in listed:
            LOG.info("%s is %s again (through a link): listed once", directory, listed[identity])
            return
        listed[identity] = directory
        try:
            entries = sorted(os.scandir(directory), key=lambda e: e.name)
        except OSError as err:
            problems.append((directory, f"unreadable directory: {err.strerror or err}"))
            return
        for entry in entries:
            try:
                if entry.is_dir():
                    visit(entry.path, {**above, identity: directory})
                elif entry.is_file():
                    info = entry.stat()
                    files.append((entry.path, info.st_size, info.st_mtime))
                elif entry.is_symlink() and not os.path.exists(entry.path):
                    problems.append((entry.path, "unreadable input: a link to a file that does not exist"))
                else:
                    problems.append((entry.path, "unreadable input: not a regular file or directory"))
            except OSError as err:
                problems.append((entry.path, f"unreadable input: {err.strerror or err}"))

    visit(root, {})
    return sorted(files), sorted(problems)


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


def unreadable_reason(err: Exception, lines_read: int | None = None) -> str:
    """``unreadable input after line 12: Compressed file ended before ...``; damaged
    content says the file is not read again until it changes."""
    where = "" if lines_read is None else f" after line {lines_read}"
    detail = str(err) or type(err).__name__
    if isinstance(err, ReadRecordsFn.DAMAGED):
        return f"unreadable input{where}: {detail} (damaged; read again once the file changes)"
    return f"unreadable input{where}: {detail}"


class ExpandInputsFn(beam.DoFn):
    """An input pattern to the files it names; nothing matched -> a reject; a file an
    earlier run read completely, unchanged since (same size and mtime) -> skipped."""

    def __init__(self, processed: dict[str, tuple[int, float]]):
        self.processed = processed

    def process(self, pattern: str):
        files, problems = expand_input(pattern)
        for path, problem in problems:
            yield REJECTS, reject_row(path, 0, "read", problem)
        for path, size, mtime in files:
            if self.processed.get(path) == (size, mtime):
                yield SKIPPED, path
            else:
                yield PATHS, (path, size, mtime)


class ReadRecordsFn(beam.DoFn):
    """One file to its raw article records; each bad record becomes a reject row.

    A file whose content is damaged (a gzip stream that is cut short or corrupt) has
    its readable records read, the rest rejected, and is marked as read at its size
    and modification time: it is not read again until it changes (a crawler that
    finishes writing it). A file that cannot be accessed (permissions, I/O errors) is
    rejected and read again by the next run, since fixing that changes neither.
    """

    # Checked first: gzip.BadGzipFile is also an OSError.
    DAMAGED = (EOFError, zlib.error, gzip.BadGzipFile)
    READ_ERRORS = (OSError, EOFError, zlib.error)

    def __init__(self, limits: ReadLimits, default_published_at: dt.datetime | None,
                 now: dt.datetime | None, since: dt.date | None = None,
                 until: dt.date | None = None, progress: tuple[str, str] | None = None):
        self.progress_target = progress
        self.progress = None
        self.limits = limits
        self.default_published_at = default_published_at
        self.now = now
        self.since = since
        self.until = until
        self.records = Metrics.counter("read", "records")
        self.rejected = Metrics.counter("read", "rejected")

    def setup(self):
        self.progress = ProgressReporter(*(self.progress_target or (None, None)))

    def finish_bundle(self):
        self.progress.flush()

    def process(self, file_info):
        """``file_info`` is (path, size, mtime) or, for one range of a large JSON Lines
        file, (path, size, mtime, first_line, last_line) with last_line None at the end."""
        path = file_info[0]
        first, last = (tuple(file_info[3:5]) + (None, None))[:2] if len(file_info) > 3 else (None, None)
        fmt = input_format(path)
        if fmt is None:
            self.rejected.inc()
            yield REJECTS, reject_row(
                path, 0, "read", "unsupported file type (expected .jsonl, .ndjson, .txt, "
                                 ".html or .htm, optionally .gz)")
            yield FILES, tuple(file_info[:3])
            return
        if fmt == "pane":
            read = self._read_pane(path)
        elif fmt == "jsonl":
            read = self._read_lines(path, first or 1, last)
        else:
            read = self._read_whole(path, fmt)
        complete = True
        for tag, value in read:
            if tag == INCOMPLETE:
                complete = False  # retried by the next run
                continue
            yield tag, value
        if complete and last is None:
            yield FILES, tuple(file_info[:3])
        self.progress.add("files_read" if last is None else "ranges_read")
        if first in (None, 1):
            self.progress.add("bytes_read", max(int(file_info[1]), 0))

    def _finish(self, path, position, fmt, parse, data):
        try:
            record = parse(data, self.limits, self.now)
            record = apply_default_published_at(record, self.default_published_at)
        except RecordError as err:
            self.rejected.inc()
            return REJECTS, reject_row(path, position, "read", str(err), data)
        except Exception as err:  # a record no rule foresaw must not stop the run
            LOG.debug("reading %s:%s failed", path, position, exc_info=True)
            self.rejected.inc()
            return REJECTS, reject_row(path, position, "read",
                                       f"unreadable record: {type(err).__name__}: {err}", data)
        record.update(input=path, position=position, input_format=fmt)
        day = record["published_at"].date()
        if (self.since and day < self.since) or (self.until and day > self.until):
            return OUT_OF_RANGE, path
        self.records.inc()
        self.progress.add("articles_read")
        fault_point("during_read")
        return ARTICLES, record

    def _read_lines(self, path: str, first: int = 1, last: int | None = None):
        """Records of lines first..last (1-based, inclusive; last None: to the end).
        Lines before ``first`` are skipped without parsing; a read error there belongs
        to the range that holds it and only marks this range incomplete."""
        position = 0
        try:
            with open_input(path) as handle:
                # readline() streams both plain and gzip files; never the whole file.
                empty = True
                while last is None or position < last:
                    line = handle.readline()
                    if not line:
                        break
                    position += 1
                    if line.strip():
                        empty = False
                        if position >= first:
                            yield self._finish(path, position, "jsonl", parse_jsonl_line, line)
            if empty and first == 1:
                self.rejected.inc()
                yield REJECTS, reject_row(path, 0, "read", "empty file: no records")
        except self.READ_ERRORS as err:
            if not isinstance(err, self.DAMAGED):
                yield INCOMPLETE, None
            if position + 1 >= first:
                self.rejected.inc()
                yield REJECTS, reject_row(
                    path, position + 1, "read", unreadable_reason(err, position))

    def _read_pane(self, path: str):
        """A pane file's records keep the provenance they were read with (see
        newsevents.transforms.streaming.pane_files); a line that is not a pane record is a reject."""
        position = 0
        try:
            with open_input(path) as handle:
                while True:
                    line = handle.readline()
                    if not line:
                        break
                    position += 1
                    if not line.strip():
                        continue
                    try:
                        tag, value = decode_pane_line(line)
                    except RecordError as err:
                        self.rejected.inc()
                        yield REJECTS, reject_row(path, position, "read", str(err), line)
                        continue
                    if tag == REJECTS:
                        self.rejected.inc()
                        yield REJECTS, value
                        continue
                    day = value["published_at"].date()
                    if (self.since and day < self.since) or (self.until and day > self.until):
                        yield OUT_OF_RANGE, path
                        continue
                    self.records.inc()
                    self.progress.add("articles_read")
                    yield ARTICLES, value
        except self.READ_ERRORS as err:
            if not isinstance(err, self.DAMAGED):
                yield INCOMPLETE, None
            self.rejected.inc()
            yield REJECTS, reject_row(path, position + 1, "read", unreadable_reason(err, position))

    def _read_whole(self, path: str, fmt: str):
        parse = parse_text_file if fmt == "text" else parse_html_file
        try:
            with open_input(path) as handle:
                # Read one byte past the limit: enough to know the file is too large
                # without holding a huge file in memory.
                data = handle.read(self.limits.max_chars * 4 + 1)
        except self.READ_ERRORS as err:
            self.rejected.inc()
            if not isinstance(err, self.DAMAGED):
                yield INCOMPLETE, None
            yield REJECTS, reject_row(path, 0, "read", unreadable_reason(err))
            return
        if len(data) > self.limits.max_chars * 4:
            self.rejected.inc()
            yield REJECTS, reject_row(
                path, 0, "read", f"file too large: over {self.limits.max_chars * 4:,} bytes", data)
            return
        yield self._finish(path, 0, fmt, parse, data)


class ReadArticles(beam.PTransform):
    """Read article files into raw records, with a ``rejects`` output for bad ones.

    Returns a dict of PCollections: ``"articles"``, ``"rejects"``, ``"files"`` (input
    files read completely), ``"skipped"`` (unchanged files left alone) and
    ``"out_of_range"`` (records outside since / until).
    """

    def __init__(self, inputs: list[str], default_published_at: dt.datetime | None = None,
                 limits: ReadLimits = ReadLimits(), now: dt.datetime | None = None,
                 processed: dict[str, tuple[int, float]] | None = None,
                 since: dt.date | None = None, until: dt.date | None = None,
                 progress: tuple[str, str] | None = None,
                 specs: list[tuple] | None = None, problems: list[tuple[str, str]] | None = None):
        super().__init__()
        # Given ``specs`` (files or line ranges the driver listed, see pipelines.chunks)
        # and their ``problems``, the inputs are not expanded again inside the pipeline.
        self.specs = specs
        self.problems = problems or []
        self.progress = progress  # (lake, run_id) to publish progress counters to
        self.inputs = list(inputs)
        self.default_published_at = default_published_at
        self.limits = limits
        self.now = now
        self.processed = processed or {}
        self.since = since
        self.until = until

    def expand(self, pbegin):
        if self.specs is not None:
            return self._expand_specs(pbegin)
        expanded = (pbegin
                    | "CreateInputs" >> beam.Create(self.inputs)
                    | "ExpandInputs" >> beam.ParDo(ExpandInputsFn(self.processed))
                    | "RouteExpanded" >> RouteByTag((PATHS, SKIPPED, REJECTS)))
        records = (expanded[PATHS]
                   # Spread files over workers before the expensive work.
                   | "ReshuffleFiles" >> beam.Reshuffle()
                   | "ReadRecords" >> beam.ParDo(ReadRecordsFn(
                       self.limits, self.default_published_at, self.now, self.since, self.until,
                       self.progress))
                   | "RouteRecords" >> RouteByTag((ARTICLES, REJECTS, FILES, OUT_OF_RANGE)))
        rejects = ((expanded[REJECTS], records[REJECTS])
                   | "FlattenReadRejects" >> beam.Flatten())
        # A file's records leave ReadRecords in one bundle (on Dask, one partition): spread
        # them over the workers before the parsing. The local runner's chunks (specs,
        # below) split large files into line ranges instead, without this shuffle's copy.
        articles = records[ARTICLES] | "ReshuffleArticles" >> beam.Reshuffle()
        return {"articles": articles, "rejects": rejects, "files": records[FILES],
                "skipped": expanded[SKIPPED], "out_of_range": records[OUT_OF_RANGE]}

    def _expand_specs(self, pbegin):
        records = (pbegin
                   | "CreateSpecs" >> beam.Create([tuple(spec) for spec in self.specs])
                   | "ReshuffleFiles" >> beam.Reshuffle()
                   | "ReadRecords" >> beam.ParDo(ReadRecordsFn(
                       self.limits, self.default_published_at, self.now, self.since, self.until,
                       self.progress))
                   | "RouteRecords" >> RouteByTag((ARTICLES, REJECTS, FILES, OUT_OF_RANGE)))
        problems = pbegin | "CreateProblems" >> beam.Create(
            [reject_row(path, 0, "read", reason) for path, reason in self.problems])
        rejects = (problems, records[REJECTS]) | "FlattenReadRejects" >> beam.Flatten()
        skipped = pbegin | "NoSkipped" >> beam.Create([])
        return {"articles": records[ARTICLES], "rejects": rejects, "files": records[FILES],
                "skipped": skipped, "out_of_range": records[OUT_OF_RANGE]}
