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

from transforms.article_formats import input_format
from transforms.read_articles import open_input

MAX_RECORDS = 200_000
# A JSON record is longer than this many bytes: a file of fewer than max_records times
# it holds too few lines to need counting.
MIN_RECORD_BYTES = 8


def count_lines(path: str) -> int:
    """Lines in a (possibly gzipped) file, streamed; an unreadable tail stops the count."""
    lines = 0
    try:
        with open_input(path) as handle:
            for _ in iter(handle.readline, b""):
                lines += 1
    except (OSError, EOFError, ValueError):
        pass  # the reader reports the problem with its position
    return lines


def file_specs(path: str, size: int, mtime: float, max_records: int) -> list[tuple[tuple, int]]:
    """(spec, records) for the file: the whole file, or line ranges of at most
    ``max_records`` lines. Only JSON Lines files can hold many records."""
    if input_format(path) != "jsonl":
        return [((path, size, mtime), 1)]
    if not path.lower().endswith(".gz") and size <= max_records * MIN_RECORD_BYTES:
        return [((path, size, mtime), max(1, size // 400))]
    lines = count_lines(path)
    if lines <= max_records:
        return [((path, size, mtime), max(lines, 1))]
    return [(spec, min(max_records, lines - spec[3] + 1))
            for spec in line_ranges(path, size, mtime, lines, max_records)]


def line_ranges(path: str, size: int, mtime: float, lines: int, per_range: int) -> list[tuple]:
    """(path, size, mtime, first, last) specs of at most ``per_range`` lines. The last
    range runs to the end of the file (last None), so that a file that grew while we
    counted is still read whole, and its end is what marks it as done."""
    return [(path, size, mtime, start, start + per_range - 1 if start + per_range - 1 < lines else None)
            for start in range(1, lines + 1, per_range)]


def plan_ranges(files: list[tuple[str, int, float]], parts: int, min_records: int = 50) -> list[tuple]:
    """Specs for a runner that spreads them over workers (Dask): JSON Lines files split
    into line ranges, about ``parts`` of them over the whole input, none smaller than
    ``min_records`` records. Lines are counted (one streamed pass over each file)."""
    lines = {path: count_lines(path) if input_format(path) == "jsonl" else 1
             for path, _, _ in files}
    per_range = max(min_records, -(-sum(lines.values()) // max(parts, 1)))
    specs = []
    for path, size, mtime in files:
        if input_format(path) != "jsonl" or lines[path] <= per_range:
            specs.append((path, size, mtime))
            continue
        specs += line_ranges(path, size, mtime, lines[path], per_range)
    return specs


def plan_chunks(files: list[tuple[str, int, float]], max_records: int = MAX_RECORDS) -> list[list[tuple]]:
    """Specs grouped into chunks of about ``max_records`` records (at least one chunk)."""
    chunks, current, size = [], [], 0
    for path, file_size, mtime in files:
        for spec, records in file_specs(path, file_size, mtime, max_records):
            if current and size + records > max_records:
                chunks.append(current)
                current, size = [], 0
            current.append(spec)
            size += records
    if current or not chunks:
        chunks.append(current)
    return chunks
