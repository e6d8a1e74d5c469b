from types import SimpleNamespace

import pytest
import spacy
from spacy.tokens import Doc

from newsevents.transforms.extraction.magnitude_phrases import number_opening
from newsevents.transforms.extraction.magnitudes import looks_like_year, parse_amount

Q = {"dozen": 12, "dozens": 12, "tens": 10, "hundreds": 100, "thousands": 1000, "eleven": 11,
     "two": 2, "five": 5, "twenty": 20, "hundred": 100, "thousand": 1000, "a": 1, "an": 1}


@pytest.mark.parametrize("text, expected", [
    ("11", 11), ("at least 11", 11), ("more than 20", 20), ("5,000", 5000), ("eleven", 11),
    ("a dozen", 12), ("dozens", 12), ("tens", 10), ("hundreds", 100), ("thousands", 1000),
    ("between 6,000 and 8,000", 6000), ("up to 4,000", 4000), ("twenty-five", 25),
    ("two hundred", 200), ("1.5 million", 1_500_000), ("five thousand", 5000),
    ("people", None), ("", None),
    # A date stamp run into the count: the count is the numeral read last.
    ("19 2016 6", 6), ("2016 6", 6),
    # What is left of "up to 22" or "rose to 22" where the run of counted words began at
    # "to"; a range still gives its low end.
    ("to 22", 22), ("10 to 12", 10),
])
def test_parse_amount(text, expected):
    assert parse_amount(text, Q) == expected


@pytest.mark.parametrize("text, expected", [("2019", True), ("1999", True), ("11", False), ("5,000", False)])
def test_looks_like_year(text, expected):
    assert looks_like_year(text) is expected


# Parses en_core_web_sm gave these sentences, written out: (word, head index, dep, tag).
MISATTACHED_NUMBERS = [
    # "Four" hangs on "suspected", inside the victims' phrase.
    ([("Four", 1, "npadvmod", "CD"), ("suspected", 3, "amod", "VBN"), ("LRA", 3, "compound", "NNP"),
      ("militants", 5, "nsubjpass", "NNS"), ("were", 5, "auxpass", "VBD"), ("killed", 5, "ROOT", "VBN")], 3, "Four"),
    # "6" hangs on the verb, just before the victims.
    ([("6", 5, "meta", "CD"), ("LRA", 5, "nsubjpass", "NNP"), ("and", 1, "cc", "CC"), ("foreign", 4, "amod", "JJ"),
      ("militants", 1, "conj", "NNS"), ("killed", 5, "ROOT", "VBN")], 1, "6"),
    # "At least 15" hangs on "suspected", read as the main verb.
    ([("At", 1, "advmod", "RB"), ("least", 2, "advmod", "RBS"), ("15", 3, "npadvmod", "CD"),
      ("suspected", 3, "ROOT", "VBN"), ("LRA", 6, "nsubjpass", "NNP"), ("were", 6, "auxpass", "VBD"),
      ("killed", 3, "ccomp", "VBN")], 4, "15"),
    # A number that is no part of the phrase: "In 2015 militants were killed", a year.
    ([("In", 5, "prep", "IN"), ("2015", 0, "pobj", "CD"), ("LRA", 3, "compound", "NNP"),
      ("militants", 5, "nsubjpass", "NNS"), ("were", 5, "auxpass", "VBD"), ("killed", 5, "ROOT", "VBN")], 3, None),
    # A noun with no number before it.
    ([("Suspected", 1, "amod", "VBN"), ("militants", 3, "nsubjpass", "NNS"), ("were", 3, "auxpass", "VBD"),
      ("killed", 3, "ROOT", "VBN")], 1, None),
]


@pytest.mark.parametrize("parse, victim, expected", MISATTACHED_NUMBERS)
def test_number_opening_the_victims(parse, victim, expected):
    words, heads, deps, tags = zip(*parse)
    doc = Doc(spacy.blank("en").vocab, words=list(words), heads=list(heads), deps=list(deps), tags=list(tags),
              sent_starts=[True] + [False] * (len(words) - 1))
    number = number_opening(doc[victim], SimpleNamespace(quantities=Q))
    assert (number.text if number is not None else None) == expected
