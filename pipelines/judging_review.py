"""The review file of a judging sheet: each sampled event with its article's title and
lead and its sentence (trigger marked ⟦ ⟧) with two sentences either side, for the
judge to read. It holds article text, so it is never committed (git ignores
``*.review.md``); the sheet itself holds none.

    write_review("sheet.review.md", header, rows, "lake/")
"""
from __future__ import annotations

import re
from pathlib import Path

from newsevents.pipelines.judging import VERDICT_FIELDS, changed_fields, is_judged, mention_key

SENTENCE_END = re.compile(r"(?<=[.!?])[\"'”’)]*\s+|\n+")
CONTEXT_SENTENCES = 2


def article_texts(lake: str, article_ids: set[str]) -> dict[str, dict]:
    """Article id -> the stored article's external id, title, publication time and text."""
    from newsevents.transforms.storage.query import connect_lake

    if not article_ids:
        return {}
    con = connect_lake(lake)
    con.execute("CREATE TEMP TABLE wanted (article_id VARCHAR)")
    con.executemany("INSERT INTO wanted VALUES (?)", [(a,) for a in sorted(article_ids)])
    cursor = con.execute("SELECT article_id, external_id, title, published_at, text "
                         "FROM articles JOIN wanted USING (article_id)")
    return {row[0]: dict(zip(("article_id", "external_id", "title", "published_at", "text"), row))
            for row in cursor.fetchall()}


def sentence_spans(text: str) -> list[tuple[int, int]]:
    spans, start = [], 0
    for match in SENTENCE_END.finditer(text):
        spans.append((start, match.start()))
        start = match.end()
    spans.append((start, len(text)))
    return [(a, b) for a, b in spans if b > a]


def context_of(text: str, start: int, end: int) -> str:
    """The sentence holding the trigger (marked ⟦ ⟧) with two sentences either side."""
    spans = sentence_spans(text)
    at = next((i for i, (a, b) in enumerate(spans) if a <= start < b), 0)
    parts = []
    for i in range(max(0, at - CONTEXT_SENTENCES), min(len(spans), at + CONTEXT_SENTENCES + 1)):
        a, b = spans[i]
        piece = text[a:b]
        if i == at:
            piece = f"{text[a:start]}⟦{text[start:end]}⟧{text[end:b]}"
            piece = f"**{piece}**"
        parts.append(piece)
    return " ".join(parts)


def lead_of(text: str, sentences: int = 2, limit: int = 600) -> str:
    """The article's first sentences, where its main story's place and date are."""
    spans = sentence_spans(text)[:sentences]
    return text[:min(spans[-1][1], limit)] if spans else ""


def describe_event(row: dict) -> list[str]:
    def actor(n):
        text, name = row.get(f"actor{n}_text"), row.get(f"actor{n}_name")
        if not (text or name):
            return "-"
        extra = "/".join(str(v) for v in (row.get(f"actor{n}_country"), row.get(f"actor{n}_sector")) if v)
        described = (text or "") + (f" = {name}" if name and name != text else "")
        return described + (f" [{extra}]" if extra else "")

    tolls = ", ".join(f"{n} {row[n]}" for n in ("fatalities", "injured", "displaced", "detained")
                      if row.get(n) is not None) or "-"
    place = "-" if not row.get("country_iso3") else (
        f"{row.get('location_text') or ''} -> {row.get('location_name')}, {row.get('admin1') or '-'}, "
        f"{row['country_iso3']} (precision {row.get('geo_precision')})")
    acled = " / ".join(v for v in (row.get("acled_event_type"), row.get("acled_sub_event_type")) if v) or "-"
    return [f"- type **{row['event_type']}** ({row.get('event_mode') or '-'}); ACLED {acled}; "
            f"confidence {row.get('confidence')}",
            f"- actor 1: {actor(1)}; actor 2: {actor(2)}",
            f"- place: {place}",
            f"- date: {row.get('event_date')} ({row.get('date_precision')}"
            f"{', ' + repr(row['date_text']) if row.get('date_text') else ''}); published "
            f"{row.get('published_at')}",
            f"- tolls: {tolls}"
            + (f"; attributed to {row['attributed_to']}" if row.get("attributed_to") else "")]


def review_markdown(header: dict, rows: list[dict], articles: dict[str, dict],
                    earlier: list[dict] | None = None) -> str:
    """The sheet for a reader: every event with its sentence and two sentences either
    side. Carried events come last; a changed event shows the earlier verdicts."""
    before = {mention_key(r): r for r in earlier or [] if is_judged(r)}
    parts = [f"# Judging sheet: {len(rows)} of {header.get('asserted_events')} asserted events "
             f"(seed {header.get('seed')})\n\nRules: docs/judging.md. Not for committing: "
             "it holds article text.\n"]
    order = sorted(range(len(rows)), key=lambda i: bool(rows[i].get("carried_from")))
    for number, i in enumerate(order, 1):
        row = rows[i]
        article = articles.get(row["article_id"]) or {}
        text = article.get("text") or ""
        parts.append(f"\n## {number}. {row['event_id']}  ({row.get('external_id')}, "
                     f"chars {row['trigger_start']}-{row['trigger_end']})\n\n")
        parts.append(f"_{article.get('title') or ''}_\n\n")
        lead = lead_of(text)
        if lead and row["trigger_start"] >= len(lead):
            parts.append(f"lead: {lead}\n\n")
        parts.extend(line + "\n" for line in describe_event(row))
        if row.get("carried_from"):
            parts.append(f"- carried from {row['carried_from']}: "
                         + ", ".join(f"{n}={row[n]}" for n in VERDICT_FIELDS if row.get(n)) + "\n")
        elif mention_key(row) in before:
            old = before[mention_key(row)]
            parts.append(f"- changed since the earlier sheet ({', '.join(changed_fields(row, old))}); "
                         "earlier verdicts: "
                         + ", ".join(f"{n}={old[n]}" for n in VERDICT_FIELDS if old.get(n)) + "\n")
        parts.append("\n> " + (context_of(text, row["trigger_start"], row["trigger_end"])
                               if text else "(the article is not in this lake)") + "\n")
    return "".join(parts)


def review_path(sheet_path: str) -> str:
    """Beside the sheet: ``before.jsonl`` -> ``before.review.md`` (git ignores it)."""
    path = Path(sheet_path)
    return str(path.with_name(path.name.removesuffix(".jsonl") + ".review.md"))


def write_review(path: str, header: dict, rows: list[dict], lake: str,
                 earlier: list[dict] | None = None) -> None:
    articles = article_texts(lake, {r["article_id"] for r in rows})
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    Path(path).write_text(review_markdown(header, rows, articles, earlier), encoding="utf-8")
