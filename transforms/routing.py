"""The stages' shared output tags, reject rows, and several outputs from one DoFn in a
form every Beam runner routes correctly.

Every stage routes a bad record to a reject row (``reject_row``) under the tag
``REJECTS``; good records go on under ``ARTICLES``.

A DoFn yields ``(tag, value)`` pairs and ``RouteByTag`` splits them into one
PCollection per tag::

    routed = records | beam.ParDo(ReadRecordsFn()) | RouteByTag(("articles", "rejects"))
    routed["rejects"]

Why not ``pvalue.TaggedOutput`` and ``.with_outputs()``: Beam's DaskRunner (2.77) keys
its bags by producing transform, not by output tag, so every consumer of a
multi-output ParDo receives all of its outputs mixed together. Single-output steps
that select by tag behave the same on the FnApiRunner, Dask, Dataflow, Flink and Spark.
"""
from __future__ import annotations

import hashlib

import apache_beam as beam

REJECTS = "rejects"
ARTICLES = "articles"
PATHS = "paths"
FILES = "files"  # (path, size, mtime) of a file read completely
SKIPPED = "skipped"  # unchanged files an earlier run read
OUT_OF_RANGE = "out_of_range"  # records published outside --since / --until
INCOMPLETE = "incomplete"  # internal: a file could not be read to its end
RAW_PREVIEW_CHARS = 300


def reject_row(input_path: str, position: int, stage: str, reason: str, raw=b"") -> dict:
    """A row of the rejects table; ``raw`` is kept short and always valid text, the
    whole record's SHA-256 and the row's ``reject_id`` (see ``reject_key``) kept. A
    problem with no record (a missing input, a damaged file) is known by its reason."""
    whole = raw if isinstance(raw, bytes) else (raw or "").encode("utf-8", "surrogatepass")
    whole = whole or reason.encode("utf-8", "surrogatepass")
    if isinstance(raw, bytes):
        raw = raw[:RAW_PREVIEW_CHARS * 4].decode("utf-8", errors="replace")
    row = {"input": input_path, "position": position, "stage": stage, "reason": reason,
           "raw": (raw or "")[:RAW_PREVIEW_CHARS].encode("utf-8", "replace").decode("utf-8"),
           "raw_sha256": hashlib.sha256(whole).hexdigest()}
    row["reject_id"] = reject_key(row)
    return row


def reject_key(row: dict) -> str:
    """What makes two rejects the same: the input, the position in it, the stage and
    the content. A file read again (it grew, or ``--full``) rejects the same line
    again; the lake keeps the first row (``DedupeRejects``)."""
    if row.get("reject_id"):
        return row["reject_id"]
    content = row.get("raw_sha256") or hashlib.sha256(
        (row.get("raw") or "").encode("utf-8", "surrogatepass")).hexdigest()
    key = "\x00".join((str(row.get("input")), str(row.get("position")), str(row.get("stage")), content))
    return hashlib.sha256(key.encode("utf-8", "surrogatepass")).hexdigest()[:32]


def select_tag(item: tuple, tag: str):
    if item[0] == tag:
        yield item[1]


def check_tag(item: tuple, tags: tuple[str, ...]):
    """Fail loudly on an undeclared tag: its values would otherwise vanish."""
    if item[0] not in tags:
        raise ValueError(f"undeclared output tag {item[0]!r}; declared: {tags}")
    return ()


class RouteByTag(beam.PTransform):
    """``(tag, value)`` pairs to ``{tag: PCollection of values}``."""

    def __init__(self, tags: tuple[str, ...]):
        super().__init__()
        self.tags = tuple(tags)

    def expand(self, pcoll):
        _ = pcoll | "CheckTags" >> beam.FlatMap(check_tag, self.tags)
        return {tag: pcoll | f"Select{tag.title()}" >> beam.FlatMap(select_tag, tag)
                for tag in self.tags}
