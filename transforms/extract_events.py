"""ExtractEvents: article rows to event mentions and place mentions.

    {"article_id": "9f0c...", "text": "A Daesh offshoot in Egypt claimed an attack ...",
     "published_at": ..., "language": "en", ...}
      -> the article row with num_events / extracted set (tag "articles"),
         tagged "events": {"event_id", "event_type": "ASSAULT", "fatalities": 11, ...},
         tagged "places": {"article_id", "text": "Egypt", "latitude": ..., ...},
         tagged "rejects": articles the extractor failed on (the article is still stored).

The spaCy model, the matchers and the gazetteer are built once per worker in
``setup``. Articles are grouped into batches (consecutive records of a file,
``batch_key``) and each batch is parsed line by line in one ``nlp.pipe`` stream
(``newsevents.transforms.extraction.parsing``). With ``prefilter`` (the default) only the sentences that hold
a form of a trigger word go through the model (``newsevents.transforms.extraction.prefilter``): most
sentences of wire news carry no event and are only tokenized.
"""
from __future__ import annotations

import logging
import zlib
from collections.abc import Iterable

import apache_beam as beam
from apache_beam.metrics import Metrics
from apache_beam.utils import shared

from newsevents.transforms.core.article_formats import DATELINE
from newsevents.transforms.storage.faults import fault_point
from newsevents.transforms.storage.progress import ProgressReporter
from newsevents.transforms.routing import ARTICLES, REJECTS, RouteByTag, reject_row

EVENTS, PLACES = "events", "places"
# Articles parsed in one nlp.pipe stream: consecutive records of a file ...
ARTICLES_PER_BATCH = 32
# ... and batches that articles of their own file (.txt, .html) are spread over.
WHOLE_FILE_BATCHES = 8
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


class LoadedExtraction:
    """The model and rule resources of one process (a plain class: Beam's ``Shared``
    keeps it through a weak reference), and the two calls made with them.

    The extraction modules, spaCy's with them, are imported here, where the work is
    done: a driver that only builds the pipeline never imports them. That was 0.5 s of
    its start-up, while the workers of ``--workers N`` wait for their first bundle.
    """

    def __init__(self, model: str, prefilter: bool):
        from newsevents.transforms.extraction.article import extract_article
        from newsevents.transforms.extraction.parsing import parse_texts
        from newsevents.transforms.extraction.resources import build_resources, build_sentence_filter

        self.resources = build_resources(model)
        self.sentence_filter = build_sentence_filter(self.resources) if prefilter else None
        self.parse_texts, self.extract_article = parse_texts, extract_article

    def parse(self, texts: list[str], batch_size: int):
        """The texts' Docs, in order, parsed in one stream (``parsing.parse_texts``)."""
        return self.parse_texts(self.resources.nlp, texts, batch_size, self.sentence_filter)

    def extract(self, doc, article: dict):
        """(events, places) of one parsed article (``article.extract_article``)."""
        return self.extract_article(doc, article, self.resources)


class ExtractEventsFn(beam.DoFn):
    """Parse a batch of articles and extract their events and places.

    The model is loaded once per process through Beam's ``Shared``, not once per DoFn
    instance: the DaskRunner calls ``setup`` for every partition, and a stream runs
    one pipeline per window pane in the same process (it passes its own handle).
    """

    def __init__(self, model: str, batch_size: int, progress: tuple[str, str] | None,
                 prefilter: bool, shared_handle: shared.Shared | None = None):
        self.shared_handle = shared_handle or shared.Shared()
        self.model = model
        self.batch_size = batch_size
        self.prefilter = prefilter
        self.progress_target = progress
        self.progress = None
        self.loaded = None
        self.events = Metrics.counter("extract", "events")
        self.failures = Metrics.counter("extract", "failures")
        self.skipped = Metrics.counter("extract", "not_english")

    def setup(self):
        self.loaded = self.shared_handle.acquire(
            lambda: LoadedExtraction(self.model, self.prefilter), tag=(self.model, self.prefilter))
        self.progress = ProgressReporter(*(self.progress_target or (None, None)))

    def finish_bundle(self):
        self.progress.flush()

    # Iterable, not list: a GroupByKey's values. Beam 2.78 reads hints written as text
    # (``from __future__ import annotations``), which 2.77 ignored, and checks them.
    def process(self, keyed_batch: tuple[str, Iterable[dict]]):
        _, rows = keyed_batch
        english = []
        for row in rows:
            if row["language"] == "en":
                english.append(row)
                continue
            self.skipped.inc()
            self.progress.add("articles_extracted")
            yield ARTICLES, dict(row, num_events=0, extracted=False)
        done = 0
        try:
            # One nlp.pipe stream for the batch: short texts (notes, briefs) parse
            # twice as fast as one call each. The model's output does not depend on it.
            texts = [mask_dateline(row["text"]) for row in english]
            for row, doc in zip(english, self.loaded.parse(texts, self.batch_size)):
                done += 1
                yield from self.extracted(row, doc)
        except Exception:  # spaCy failed on a text of the batch: find which, one at a time
            LOG.debug("parsing a batch failed; parsing its articles one at a time", exc_info=True)
            for row in english[done:]:
                yield from self.extract_alone(row)

    def extract_alone(self, row: dict):
        try:
            doc = next(self.loaded.parse([mask_dateline(row["text"])], self.batch_size))
        except Exception as err:  # one bad article must not end a long run
            yield from self.failed(row, err)
            return
        yield from self.extracted(row, doc)

    def extracted(self, row: dict, doc):
        try:
            events, places = self.loaded.extract(doc, row)
        except Exception as err:  # one bad article must not end a long run
            yield from self.failed(row, err)
            return
        published_day = row["dt"]
        for event in events:
            event["published_at"] = row["published_at"]
            event["source"] = row.get("source")
            event["dt"] = event["event_date"].isoformat() if event["event_date"] else published_day
            self.events.inc()
            yield EVENTS, event
        for place in places:
            place["dt"] = published_day
            yield PLACES, place
        yield ARTICLES, dict(row, num_events=len(events), extracted=True)
        self.progress.add("articles_extracted")
        fault_point("during_extract")

    def failed(self, row: dict, err: Exception):
        self.failures.inc()
        LOG.warning("extraction failed for article %s: %s: %s", row["article_id"],
                    type(err).__name__, err)
        LOG.debug("extraction failure", exc_info=True)
        yield REJECTS, reject_row(
            row.get("input"), row.get("position"), "extract",
            f"extraction failed: {type(err).__name__}: {err}", row["text"])
        yield ARTICLES, dict(row, num_events=0, extracted=False)
        self.progress.add("articles_extracted")


def batch_key(row: dict, articles_per_batch: int = ARTICLES_PER_BATCH) -> str:
    """The batch an article is parsed in: consecutive records of a JSON Lines file go
    together; articles of their own file (or re-read from the lake) are spread over a
    few batches by id.

        {"input": "feed.jsonl", "position": 130, ...} -> "feed.jsonl:2"
    """
    position = row.get("position") or 0
    if row.get("input") and position > 0:
        return f"{row['input']}:{position // articles_per_batch}"
    return f"whole:{zlib.crc32(row['article_id'].encode('utf-8')) % WHOLE_FILE_BATCHES}"


class ExtractEvents(beam.PTransform):
    """Returns {"articles", "events", "places", "rejects"}."""

    def __init__(self, model: str, batch_size: int, progress: tuple[str, str] | None,
                 prefilter: bool, shared_handle: shared.Shared | None = None):
        super().__init__()
        self.shared_handle = shared_handle
        self.model = model
        self.batch_size = batch_size
        self.progress = progress
        self.prefilter = prefilter

    def expand(self, articles):
        # Batches by key and GroupByKey, not BatchElements: Beam's DaskRunner drops what
        # a DoFn emits from finish_bundle, which is where BatchElements flushes its last
        # batch.
        return (articles
                  | "KeyForBatch" >> beam.Map(lambda row: (batch_key(row), row))
                  | "GroupIntoBatches" >> beam.GroupByKey()
                  | "Extract" >> beam.ParDo(ExtractEventsFn(self.model, self.batch_size, self.progress,
                                                             self.prefilter, self.shared_handle))
                  | "RouteExtracted" >> RouteByTag((ARTICLES, EVENTS, PLACES, REJECTS)))
