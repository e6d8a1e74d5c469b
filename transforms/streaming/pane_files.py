"""Pane files: articles already read (and reject rows), kept between reading and a run.

The stream reads crawler files as they land, but processes their articles per
publication-time window, later and in other groupings than the files. What it has
read waits in *pane files* (``*.pane.jsonl``): one JSON object a line, either
``{"article": RAW_RECORD}`` or ``{"reject": REJECT_ROW}``. A raw record keeps its
provenance (the crawler file and line it came from), so its article id and its
``input`` column are the same as if a batch run had read the crawler file itself.

``newsevents run`` reads pane files like any other input; that is how a batch run
merges the stream's late-data path.

    {"article": {"external_id": "a1", "url": null, ..., "published_at": "2024-03-01T09:14:00+00:00",
                 "text": "...", "input": "crawl/0001.jsonl", "position": 3, "input_format": "jsonl"}}
"""
from __future__ import annotations

import datetime as dt
import json
import uuid

from apache_beam.io.filesystems import FileSystems

from newsevents.transforms.core.article_formats import RecordError

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


def write_atomically(path: str, lines: list[bytes]) -> None:
    """Write a whole file under a temporary name, then rename it into place, so a
    reader (or a restart after a crash) sees all of it or nothing."""
    temporary = f"{path}.tmp-{uuid.uuid4().hex[:8]}"
    parent = path.rsplit("/", 1)[0]
    if parent and not FileSystems.exists(parent):
        FileSystems.mkdirs(parent)
    with FileSystems.create(temporary) as handle:
        for line in lines:
            handle.write(line)
    if FileSystems.exists(path):
        FileSystems.delete([path])
    FileSystems.rename([temporary], [path])


def read_pane_file(path: str) -> list[bytes]:
    with FileSystems.open(path) as handle:
        return [line for line in handle.read().split(b"\n") if line.strip()]
