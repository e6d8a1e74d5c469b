"""Split one run's input into chunks of bounded size for the local runner.

Beam's in-process FnApiRunner keeps every element that crosses a shuffle in memory, so
one pipeline over a very large input needs memory in proportion to it. The driver
therefore runs the pipeline once per chunk of at most ``max_records`` records (a JSON
Lines file larger than that is split into line ranges) and commits all chunks as one
run. Distributed runners get the whole input at once.

    plan_chunks([("a.jsonl", 10_000_000, 1.0)], max_records=50_000)
      -> [[("a.jsonl", 10_000_000, 1.0, 1, 50_000)], [("a.jsonl", ..., 50_001, None)], ...]
"""
from __future__ import annotations

import zlib

from newsevents.transforms.core.article_formats import input_format
from newsevents.transforms.read_articles import open_input

# A JSON record is longer than this many bytes: a file of fewer than max_records times
# it holds too few lines to need counting.
MIN_RECORD_BYTES = 8
# Memory follows both the records and their text. Fitted to one-process runs on real
# input at 0.6.0 (benchmarks/README.md, "where one process's memory goes"): about
# 514 MiB + 45 KiB a record + 40 bytes a byte of text, so a chunk of 16 MiB of
# full-length news (some 8,800 articles) comes to about 1.5 GiB, and one of short notes
# reaches that with fewer bytes. A planner sizing chunks by that estimate was measured
# and not kept: each extra chunk costs time and saves less memory than its size.
MAX_BYTES = 16 * 1024 * 1024
GZIP_RATIO = 4  # text bytes per compressed byte, for sizing gzipped inputs


def count_lines(path: str) -> int:
    """Lines in a (possibly gzipped) file, streamed; an unreadable tail stops the count."""
    lines = 0
    try:
        with open_input(path) as handle:
            for _ in iter(handle.readline, b""):
                lines += 1
    except (OSError, EOFError, ValueError, zlib.error):
        pass  # the reader reports the problem with its position
    return lines


def file_specs(path: str, size: int, mtime: float, max_records: int,
               max_bytes: int = MAX_BYTES) -> list[tuple[tuple, int, int]]:
    """(spec, records, bytes) for the file: the whole file, or line ranges of at most
    ``max_records`` lines and about ``max_bytes`` of text. Only JSON Lines files can
    hold many records."""
    text_bytes = size * GZIP_RATIO if path.lower().endswith(".gz") else size
    if input_format(path) != "jsonl":
        return [((path, size, mtime), 1, text_bytes)]
    if (not path.lower().endswith(".gz") and size <= max_records * MIN_RECORD_BYTES
            and text_bytes <= max_bytes):
        return [((path, size, mtime), max(1, size // 400), text_bytes)]
    lines = count_lines(path)
    per_range = max(1, min(max_records, lines * max_bytes // max(text_bytes, 1)))
    if lines <= per_range:
        return [((path, size, mtime), max(lines, 1), text_bytes)]
    specs = []
    for spec in line_ranges(path, size, mtime, lines, per_range):
        records = min(per_range, lines - spec[3] + 1)
        specs.append((spec, records, text_bytes * records // lines))
    return specs


def line_ranges(path: str, size: int, mtime: float, lines: int, per_range: int) -> list[tuple]:
    """(path, size, mtime, first, last) specs of at most ``per_range`` lines. The last
    range runs to the end of the file (last None), so that a file that grew while we
    counted is still read whole, and its end is what marks it as done."""
    return [(path, size, mtime, start, start + per_range - 1 if start + per_range - 1 < lines else None)
            for start in range(1, lines + 1, per_range)]


def split_specs(specs: list[tuple], parts: int, min_records: int = 50) -> list[tuple]:
    """Specs split further so that the work falls into about ``parts`` pieces for the
    workers to share: JSON Lines files and line ranges cut into ranges of at least
    ``min_records`` lines (lines are counted, one streamed pass over a file)."""
    bounds = {}
    for spec in specs:
        if input_format(spec[0]) == "jsonl":
            first, last = (spec[3], spec[4]) if len(spec) > 3 else (1, None)
            bounds[spec] = (first, last if last is not None else count_lines(spec[0]), last is None)
    total = sum(end - first + 1 for first, end, _ in bounds.values())
    per_range = max(min_records, -(-total // max(parts, 1)))
    split = []
    for spec in specs:
        if spec not in bounds or bounds[spec][1] - bounds[spec][0] + 1 <= per_range:
            split.append(spec)
            continue
        first, end, open_end = bounds[spec]
        for start in range(first, end + 1, per_range):
            stop = start + per_range - 1
            # An open last range still runs to the end of the file (see line_ranges).
            split.append((*spec[:3], start, stop if stop < end else (None if open_end else end)))
    return split


def plan_chunks(files: list[tuple[str, int, float]], max_records: int,
                max_bytes: int = MAX_BYTES) -> list[list[tuple]]:
    """Specs grouped into chunks of at most about ``max_records`` records and
    ``max_bytes`` of text (at least one chunk)."""
    chunks, current, records, text = [], [], 0, 0
    for path, file_size, mtime in files:
        for spec, spec_records, spec_bytes in file_specs(path, file_size, mtime, max_records, max_bytes):
            if current and (records + spec_records > max_records or text + spec_bytes > max_bytes):
                chunks.append(current)
                current, records, text = [], 0, 0
            current.append(spec)
            records += spec_records
            text += spec_bytes
    if current or not chunks:
        chunks.append(current)
    return chunks
