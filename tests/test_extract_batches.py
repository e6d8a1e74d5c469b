"""ExtractEvents parses articles in batches; one text spaCy fails on stays one article's
problem."""
import datetime as dt
from types import SimpleNamespace

import pytest

from newsevents.transforms import extract_events
from newsevents.transforms.extract_events import ExtractEventsFn, batch_key
from newsevents.transforms.routing import ARTICLES, REJECTS


@pytest.mark.parametrize("row, key", [
    ({"input": "feed.jsonl", "position": 1, "article_id": "a"}, "feed.jsonl:0"),
    ({"input": "feed.jsonl", "position": 31, "article_id": "a"}, "feed.jsonl:0"),
    ({"input": "feed.jsonl", "position": 32, "article_id": "a"}, "feed.jsonl:1"),
    ({"input": "feed.jsonl", "position": 130, "article_id": "a"}, "feed.jsonl:4"),
    ({"input": "other.jsonl", "position": 130, "article_id": "a"}, "other.jsonl:4"),
])
def test_consecutive_records_share_a_batch(row, key):
    assert batch_key(row) == key


def test_articles_of_their_own_file_spread_over_a_few_batches():
    keys = {batch_key({"input": f"crawl/{n}.txt", "position": 0, "article_id": f"id{n}"}) for n in range(200)}
    assert len(keys) == extract_events.WHOLE_FILE_BATCHES
    assert batch_key({"input": None, "position": None, "article_id": "id1"}).startswith("whole:")


def row(n, text, language="en"):
    return {"article_id": f"a{n}", "text": text, "language": language, "input": "f.jsonl", "position": n,
            "dt": "2024-03-04", "published_at": dt.datetime(2024, 3, 4, tzinfo=dt.timezone.utc),
            "source": "test"}


@pytest.fixture
def extract_fn(monkeypatch):
    """The DoFn with the model replaced: parsing fails on texts that say POISON."""
    def parse_texts(nlp, texts, batch_size, sentence_filter):
        for text in texts:
            if "POISON" in text:
                raise ValueError("spaCy failed")
            yield SimpleNamespace(text=text)

    def extract_article(doc, article, resources):
        return [{"event_date": None, "text": doc.text}], []

    class Loaded(extract_events.LoadedExtraction):  # a class: Beam's Shared keeps it through a weak reference
        def __init__(self):
            self.resources, self.sentence_filter = SimpleNamespace(nlp=None), None
            self.parse_texts, self.extract_article = parse_texts, extract_article

    monkeypatch.setattr(extract_events, "LoadedExtraction", lambda model, prefilter: Loaded())
    fn = ExtractEventsFn("test-model", 32, None, True)
    fn.setup()
    return fn


def test_a_batch_yields_every_article(extract_fn):
    rows = [row(1, "one"), row(2, "deux", language="fr"), row(3, "three")]
    out = list(extract_fn.process(("f.jsonl:0", rows)))
    articles = {r["article_id"]: r["extracted"] for tag, r in out if tag == ARTICLES}
    assert articles == {"a1": True, "a2": False, "a3": True}
    assert [tag for tag, _ in out].count("events") == 2


def test_a_text_spacy_fails_on_is_rejected_alone(extract_fn):
    rows = [row(1, "one"), row(2, "two"), row(3, "POISON three"), row(4, "four")]
    out = list(extract_fn.process(("f.jsonl:0", rows)))
    articles = {r["article_id"]: r["extracted"] for tag, r in out if tag == ARTICLES}
    assert articles == {"a1": True, "a2": True, "a3": False, "a4": True}
    rejects = [r for tag, r in out if tag == REJECTS]
    assert len(rejects) == 1 and "spaCy failed" in rejects[0]["reason"]
    assert [tag for tag, _ in out].count("events") == 3
