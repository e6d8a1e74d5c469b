"""DedupeArticles: exact copies (same normalized text) within a run are stored once.

    rows with content_hash "ab12" from two feeds
      -> the earliest published (ties: smallest article_id) is the canonical article;
         each other copy, tagged "duplicates", is linked to it by ``duplicate_of``.

A copy with the very same ``article_id`` as the canonical one (the same record read
twice) is counted as a duplicate but the pipeline stores no row for it
(``is_stored_copy``), so ``article_id`` stays unique.

Articles stored by earlier runs are recognized too: ``known`` (a side input of
article ids and content hashes already in the lake) turns a re-read article into a
duplicate of the stored one, so rerunning the same input adds no rows.
"""
from __future__ import annotations

import apache_beam as beam
from apache_beam.metrics import Metrics

from transforms.tagging import RouteByTag

DUPLICATES = "duplicates"
ARTICLES = "articles"


def is_stored_copy(row: dict) -> bool:
    """Whether a duplicate gets its own articles row (it has an id of its own)."""
    return row["article_id"] != row["duplicate_of"]


def canonical_order(row: dict):
    """Sort key choosing which copy is the original: earliest, then smallest id."""
    return (row["published_at"], row["article_id"])


def split_copies(rows: list[dict]) -> tuple[dict, list[dict]]:
    """The canonical row and the duplicate rows (text dropped, ``duplicate_of`` set)."""
    ordered = sorted(rows, key=canonical_order)
    canonical, copies = ordered[0], []
    for row in ordered[1:]:
        copies.append(dict(row, text=None, duplicate_of=canonical["article_id"]))
    return canonical, copies


class SplitCopiesFn(beam.DoFn):
    def __init__(self):
        self.duplicates = Metrics.counter("dedupe", "duplicates")

    def process(self, keyed, known):
        content, rows = keyed
        canonical, copies = split_copies(list(rows))
        stored_id = known.get(canonical["article_id"]) or known.get(content)
        if stored_id:
            # Stored by an earlier run: every copy in this run is a duplicate of it.
            copies = [dict(canonical, text=None, duplicate_of=stored_id)] + [
                dict(c, duplicate_of=stored_id) for c in copies]
        else:
            yield ARTICLES, canonical
        for copy in copies:
            self.duplicates.inc()
            yield DUPLICATES, copy


class DedupeArticles(beam.PTransform):
    """Group article rows by content hash; returns {"articles", "duplicates"}.

    Works on unbounded input too: the grouping follows whatever windowing the caller
    applied upstream.
    """

    def __init__(self, known: dict[str, str] | None = None):
        super().__init__()
        # article id or content hash already in the lake -> the stored article's id
        self.known = known or {}

    def expand(self, articles):
        known = articles.pipeline | "KnownArticles" >> beam.Create([self.known])
        return (articles
                | "KeyByContent" >> beam.Map(lambda row: (row["content_hash"], row))
                | "GroupCopies" >> beam.GroupByKey()
                | "SplitCopies" >> beam.ParDo(SplitCopiesFn(), known=beam.pvalue.AsSingleton(known))
                | "RouteCopies" >> RouteByTag((ARTICLES, DUPLICATES)))
