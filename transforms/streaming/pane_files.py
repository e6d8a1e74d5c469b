"""Pane files: articles already read (and reject rows), kept between reading and a commit.

The stream reads crawler files as they land and commits what it read seconds later,
several files in one run. What it has read waits in *pane files* (``*.pane.jsonl``,
``LAKE/_stream/pending/``): one JSON object a line, either ``{"article": RAW_RECORD}``
or ``{"reject": REJECT_ROW}``. A raw record keeps its provenance (the crawler file and
line it came from), so its article id and its ``input`` column are the same as if a
batch run had read the crawler file itself.

``newsevents run`` reads pane files like any other input: a stream's commit is a batch
run over its pane files.

    {"article": {"external_id": "a1", "url": null, ..., "published_at": "2024-03-01T09:14:00+00:00",
                 "text": "...", "input": "crawl/0001.jsonl", "position": 3, "input_format": "jsonl"}}
"""
from __future__ import annotations

import datetime as dt
import json

from newsevents.transforms.core.article_formats import RecordError
from newsevents.transforms.storage import durable

PANE_SUFFIX = ".pane.jsonl"
RECORD_FIELDS = ("external_id", "url", "title", "source", "language", "published_at",
                 "published_at_source", "dateline_place", "text", "input", "position",
                 "input_format")
REJECT_FIELDS = ("input", "position", "stage", "reason", "raw", "raw_sha256", "reject_id")


def encode_article(record: dict) -> bytes:
    row = {name: record.get(name) for name in RECORD_FIELDS}
    row["published_at"] = record["published_at"].isoformat()
    return json.dumps({"article": row}, ensure_ascii=False).encode("utf-8") + b"\n"


def encode_reject(row: dict) -> bytes:
    return json.dumps({"reject": {name: row.get(name) for name in REJECT_FIELDS}},
                      ensure_ascii=False).encode("utf-8") + b"\n"


def decode_pane_line(line: bytes) -> tuple[str, dict]:
    """``("articles", record)`` or ``("rejects", row)``; a RecordError for anything else."""
    try:
        obj = json.loads(line.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as err:
        raise RecordError(f"bad pane line: {err}") from None
    if isinstance(obj, dict) and isinstance(obj.get("article"), dict):
        record = {name: obj["article"].get(name) for name in RECORD_FIELDS}
        try:
            record["published_at"] = dt.datetime.fromisoformat(record["published_at"])
        except (TypeError, ValueError):
            raise RecordError("bad pane line: the article has no valid published_at") from None
        if not isinstance(record["text"], str) or not record["text"].strip():
            raise RecordError("bad pane line: the article has no text")
        return "articles", record
    if isinstance(obj, dict) and isinstance(obj.get("reject"), dict):
        return "rejects", {name: obj["reject"].get(name) for name in REJECT_FIELDS}
    raise RecordError("bad pane line: expected {\"article\": ...} or {\"reject\": ...}")


def write_pane_file(path: str, lines: list[bytes]) -> None:
    """Write a whole pane file durably (temporary name, fsync, rename, directory
    fsync): a reader, or a restart after a crash or a power loss, finds all of it or
    nothing, and the stream names it in its checkpoint only after this returns."""
    durable.write_file(path, b"".join(lines))


def read_pane_file(path: str) -> list[bytes]:
    return [line for line in durable.read_bytes(path).split(b"\n") if line.strip()]


def count_pane_lines(path: str) -> tuple[int, int]:
    """(articles, rejects) a pane file holds; a line that is neither counts as a reject
    (the run rejects it with its reason)."""
    articles = rejects = 0
    for line in read_pane_file(path):
        if line.lstrip().startswith(b'{"article"'):
            articles += 1
        else:
            rejects += 1
    return articles, rejects
