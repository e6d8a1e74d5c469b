"""NormalizeArticles: raw records to article rows with clean text, language and ids.

    {"text": "  ISIS attacked ...\\nRead More: ...", "published_at": ..., ...}
      -> {"article_id": "9f0c...", "text": "ISIS attacked ...", "language": "en",
          "content_hash": "...", "dt": "2022-05-14", ...}
      and, tagged "rejects", records whose text is empty once boilerplate is removed.
"""
from __future__ import annotations

import datetime as dt
import logging

import apache_beam as beam
from apache_beam.metrics import Metrics

from newsevents.transforms.core.article_formats import leading_date_stamp
from newsevents.transforms.core.text_cleanup import (
    clean_article_text, content_hash, detection_sample, make_article_id, normalize_language_code,
    plainly_english)
from newsevents.transforms.lexicons.loader import load_boilerplate_patterns, read_words
from newsevents.transforms.routing import ARTICLES, REJECTS, RouteByTag, reject_row

# Languages the detector chooses among: the main languages of world news. A text in
# another language is labelled with the closest of these, which is still "not English".
DETECTED_LANGUAGES = ("ENGLISH", "FRENCH", "GERMAN", "SPANISH", "PORTUGUESE", "ITALIAN",
                      "DUTCH", "ARABIC", "PERSIAN", "TURKISH", "RUSSIAN", "UKRAINIAN",
                      "CHINESE", "JAPANESE", "KOREAN", "INDONESIAN", "HINDI", "URDU",
                      "SWAHILI", "SOMALI", "HEBREW", "POLISH")
MIN_CLEAN_CHARS = 20
# How sure the detector's quick mode (trigrams only) must be that a text is English to
# settle it: of the 2,957 real notes and articles in ../shared/eval/ that the function
# words leave open, all of them English, it settles 2,916 from their detection_sample
# (2,805 of 2,865 when it read whole texts); it loads in 0.1 s where the full detector
# takes 2 to 3 s.
QUICK_ENGLISH_CONFIDENCE = 0.9
# The full detector chooses among the quick mode's likeliest languages (and English).
FULL_CANDIDATES = 3
LOG = logging.getLogger(__name__)


def article_row(record: dict, text: str, language: str) -> dict:
    """The articles-table row of a normalized record (``dt`` is its partition)."""
    text_hash = content_hash(text)
    published = record["published_at"]
    return {
        "article_id": make_article_id(record, text_hash),
        "external_id": record.get("external_id"),
        "url": record.get("url"),
        "source": record.get("source"),
        "title": record.get("title"),
        "published_at": published,
        "published_at_source": record.get("published_at_source"),
        "language": language,
        "text": text,
        "content_hash": text_hash,
        "duplicate_of": None,
        "input": record.get("input"),
        "position": record.get("position"),
        "input_format": record.get("input_format"),
        "dateline_place": record.get("dateline_place"),
        "num_chars": len(text),
        "dt": published.date().isoformat(),
    }


def with_stamped_date(record: dict, text: str) -> dict:
    """The record dated by the article's own date stamp (at its start, or after its
    headline and agency) when that is more than a day from the given publication date:
    the stamp is the article's own word, the input's date often a crawl's. Never a stamp
    in the future."""
    published = record["published_at"]
    stamp = leading_date_stamp(text, published.date())
    if stamp is None or abs((stamp - published.date()).days) <= 1 \
            or stamp > dt.datetime.now(dt.timezone.utc).date():
        return record
    moved = dt.datetime.combine(stamp, dt.time(), tzinfo=dt.timezone.utc)
    return dict(record, published_at=moved, published_at_source="text_stamp")


class NormalizeArticleFn(beam.DoFn):
    """Clean one record's text, detect its language, give it its ids."""

    def __init__(self, boilerplate_file: str = "boilerplate.jsonl"):
        self.boilerplate_file = boilerplate_file
        self.patterns = None
        self.english_markers = frozenset()
        self.quick_detector = None
        self.detectors = {}  # frozenset of candidate languages -> full detector among them
        self.english = None
        self.builder = None
        self.non_english = Metrics.counter("normalize", "non_english")

    def setup(self):
        from lingua import Language, LanguageDetectorBuilder

        self.patterns = load_boilerplate_patterns(self.boilerplate_file)
        self.english_markers = frozenset(read_words("english_markers.txt"))
        languages = [getattr(Language, name) for name in DETECTED_LANGUAGES]
        self.english = Language.ENGLISH
        self.builder = LanguageDetectorBuilder
        self.quick_detector = (LanguageDetectorBuilder.from_languages(*languages)
                               .with_low_accuracy_mode().build())
        self.detectors = {}

    def detect_language(self, text: str) -> str:
        # Most news is plainly English by its function words. Short briefs often are not
        # ("Gunmen kill 3 in Zamfara"): the detector's quick mode settles those it is sure
        # are English, and the full detector decides the rest among the likeliest few.
        if plainly_english(text, self.english_markers):
            return "en"
        sample = detection_sample(text)
        quick = self.quick_detector.compute_language_confidence_values(sample)
        if not quick:
            return "und"
        if quick[0].language == self.english and quick[0].value >= QUICK_ENGLISH_CONFIDENCE:
            return "en"
        found = self.full_detector(quick).detect_language_of(sample)
        return found.iso_code_639_1.name.lower() if found else "und"

    def full_detector(self, quick) -> "LanguageDetector":
        """The full detector among the quick mode's likeliest languages and English. Each
        language's models load once a process (shared by every detector), so a worker
        that reads only English briefs never loads the other 21 (2 to 3 s, 200 MiB)."""
        candidates = frozenset([value.language for value in quick[:FULL_CANDIDATES]] + [self.english])
        detector = self.detectors.get(candidates)
        if detector is None:
            detector = self.detectors[candidates] = self.builder.from_languages(*candidates).build()
        return detector

    def process(self, record: dict):
        try:
            text = clean_article_text(record["text"], self.patterns)
            if len(text) < MIN_CLEAN_CHARS:
                yield REJECTS, reject_row(
                    record.get("input"), record.get("position"), "normalize",
                    "empty body once boilerplate is removed", record["text"])
                return
            record = with_stamped_date(record, text)
            language = normalize_language_code(record.get("language")) or self.detect_language(text)
            row = article_row(record, text, language)
        except Exception as err:  # one poison record must not stop the run
            LOG.debug("normalizing %s:%s failed", record.get("input"), record.get("position"),
                      exc_info=True)
            yield REJECTS, reject_row(record.get("input"), record.get("position"), "normalize",
                                      f"normalization failed: {type(err).__name__}: {err}",
                                      record.get("text") or "")
            return
        if language != "en":
            self.non_english.inc()
        yield ARTICLES, row


class NormalizeArticles(beam.PTransform):
    """Normalize raw records into article rows; returns {"articles", "rejects"}."""

    def __init__(self, boilerplate_file: str = "boilerplate.jsonl"):
        super().__init__()
        self.boilerplate_file = boilerplate_file

    def expand(self, records):
        return (records
                | "Normalize" >> beam.ParDo(NormalizeArticleFn(self.boilerplate_file))
                | "RouteNormalized" >> RouteByTag((ARTICLES, REJECTS)))
