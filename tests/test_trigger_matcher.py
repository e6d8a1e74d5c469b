"""The anchored trigger Matcher finds exactly what spaCy's Matcher finds, in its order."""
import random

import pytest
import spacy
from spacy.matcher import Matcher
from spacy.tokens import Doc

from newsevents.transforms.extraction.trigger_matcher import AnchoredMatcher, repetitions
from newsevents.transforms.lexicons.loader import read_jsonl

from conftest import SEEDS

PATTERNS = {
    "attack": [{"LEMMA": {"IN": ["attack", "raid"]}, "POS": {"IN": ["VERB", "NOUN"]}}],
    "kill": [{"LEMMA": "kill"}],
    "open-fire": [{"LEMMA": "open"}, {"LOWER": "fire"}],
    "call-for": [{"LEMMA": "call"}, {"LOWER": "for", "OP": "?"}, {"LEMMA": "ceasefire"}],
    "send-troops": [{"LEMMA": "send", "POS": "VERB"}, {"POS": {"IN": ["DET", "NUM", "ADJ"]}, "OP": "*"},
                    {"LEMMA": {"IN": ["troop", "soldier"]}}],
    "set-fire": [{"LEMMA": "set"}, {"OP": "{0,3}"}, {"LOWER": "ablaze"}],
    "not-attack-on": [{"POS": "DET", "OP": "?"}, {"LEMMA": "attack", "OP": "!"}, {"LOWER": "on"}],
    "air-strike": [{"LOWER": "air"}, {"LEMMA": "strike", "POS": "NOUN"}],
    "strike": [{"LEMMA": "strike", "POS": "NOUN"}],
}
WORDS = [("attack", "VERB"), ("attack", "NOUN"), ("raid", "NOUN"), ("kill", "VERB"), ("open", "VERB"),
         ("fire", "NOUN"), ("call", "VERB"), ("for", "ADP"), ("ceasefire", "NOUN"), ("send", "VERB"),
         ("the", "DET"), ("two", "NUM"), ("new", "ADJ"), ("troop", "NOUN"), ("set", "VERB"),
         ("house", "NOUN"), ("ablaze", "ADV"), ("on", "ADP"), ("air", "NOUN"), ("strike", "NOUN"),
         ("strike", "VERB"), ("town", "NOUN"), ("said", "VERB"), ("and", "CCONJ"), (".", "PUNCT")]


def make_doc(vocab, tokens):
    return Doc(vocab, words=[w for w, _ in tokens], lemmas=[w for w, _ in tokens], pos=[p for _, p in tokens])


def build(vocab):
    plain, anchored = Matcher(vocab), AnchoredMatcher(vocab)
    for key, pattern in PATTERNS.items():
        plain.add(key, [pattern])
        anchored.add(key, [pattern])
    return plain, anchored


@pytest.mark.parametrize("text", [
    "the town said .",  # no anchor: nothing to run
    "attack on the town .",
    "kill kill kill",  # adjacent windows
    "send the two new troop and set the house ablaze .",  # * and {0,3} between anchors
    "air strike strike air",  # overlapping patterns on one head
    "call for ceasefire call ceasefire",  # an optional token
    "the on attack on",  # a negated spec
    "send the the the the the the the the troop",  # a long run a * spec takes
])
def test_same_matches_in_same_order(text):
    vocab = spacy.blank("en").vocab
    plain, anchored = build(vocab)
    lookup = dict(WORDS)
    doc = make_doc(vocab, [(w, lookup[w]) for w in text.split()])
    for span in (doc[:], doc[1:], doc[: max(1, len(doc) - 1)]):
        assert anchored(span) == plain(span)


def test_random_documents_match_like_spacy():
    vocab = spacy.blank("en").vocab
    plain, anchored = build(vocab)
    rng = random.Random(16)
    for _ in range(500):
        doc = make_doc(vocab, [rng.choice(WORDS) for _ in range(rng.randint(1, 40))])
        start = rng.randint(0, len(doc) - 1)
        span = doc[start:rng.randint(start + 1, len(doc))]
        assert anchored(span) == plain(span)


def test_windows_leave_out_what_cannot_match():
    vocab = spacy.blank("en").vocab
    _, anchored = build(vocab)
    doc = make_doc(vocab, [("the", "DET"), ("town", "NOUN"), ("kill", "VERB"), ("house", "NOUN"),
                           ("said", "VERB"), ("open", "VERB"), ("fire", "NOUN"), (".", "PUNCT")])
    assert [(start, end) for start, end, _ in anchored.windows(doc[:])] == [(2, 3), (5, 7)]


def test_unbounded_spec_of_any_token_runs_the_plain_matcher():
    vocab = spacy.blank("en").vocab
    anchored = AnchoredMatcher(vocab)
    anchored.add("x", [[{"LEMMA": "kill"}, {"OP": "*"}, {"LOWER": "town"}]])
    assert not anchored.anchored
    doc = make_doc(vocab, [("kill", "VERB"), ("the", "DET"), ("said", "VERB"), ("town", "NOUN")])
    assert anchored(doc[:]) == [(vocab.strings["x"], 0, 4)]


@pytest.mark.parametrize("op, expected", [
    (None, (1, 1)), ("?", (0, 1)), ("*", (0, None)), ("+", (1, None)), ("!", (1, 1)),
    ("{2}", (2, 2)), ("{0,3}", (0, 3)), ("{1,}", (1, None)), ("{,4}", (0, 4)),
])
def test_repetitions(op, expected):
    assert repetitions({} if op is None else {"OP": op}) == expected


def test_bad_pattern_fails_like_spacy():
    with pytest.raises(ValueError):
        AnchoredMatcher(spacy.blank("en").vocab).add("x", [[{"LEMMMA": "x"}]])


@pytest.mark.model
def test_project_triggers_on_the_seed_articles(resources):
    """The project's trigger patterns over real news, parsed by the model."""
    plain = Matcher(resources.nlp.vocab)
    for entry in read_jsonl("triggers.jsonl", ("id", "event_type", "pattern")):
        plain.add(entry["id"], [entry["pattern"]])
    assert resources.triggers.anchored
    texts = [path.read_text(encoding="utf-8") for path in sorted(SEEDS.glob("*.txt"))]
    found = 0
    for doc in resources.nlp.pipe(texts):
        for sent in doc.sents:
            assert resources.triggers(sent) == plain(sent)
            found += len(plain(sent))
    assert found > 20
    assert len(resources.triggers) == len(plain)
