"""Possessives whose apostrophe a feed lost ("Syrias Idlib province"): split off the
place's name so the model reads them as possessives, the text unchanged."""
import datetime as dt

import pytest

from newsevents.transforms.extraction.article import extract_article
from newsevents.transforms.extraction.parsing import parse_texts

pytestmark = pytest.mark.model


@pytest.mark.parametrize("word, lost", [
    # a country, or a city of 400,000 under its own name
    ("Syrias", True), ("Russias", True), ("Turkeys", True), ("Aleppos", True), ("Moscows", True),
    # names and words of their own
    ("Hamas", False),      # the group, though Hama is a city
    ("Comoros", False),    # a country's own name
    ("Saudis", False), ("Iraqis", False),  # a demonym's plural: people
    ("Homs", False), ("Damascus", False),
    ("Peters", False), ("Williams", False), ("Carlos", False),  # persons' names
    ("Hamis", False),      # "Tel Hamis", a village; Hami is a city of 250,000
    ("Kurds", False), ("Syria", False), ("Syrias's", False), ("SYRIAS", False), ("Glass", False),
    ("Americas", False),   # "Human Rights Watch's Americas director"
    # a province's name is a people's too: "Kachins fled", "Sidamas rallied"
    ("Kachins", False), ("Idlibs", False),
])
def test_which_words_lost_an_apostrophe(resources, word, lost):
    assert resources.nlp.tokenizer.lost_possessive(word) is lost


@pytest.mark.parametrize("text, tokens", [
    ("in western Syrias Idlib province", ["in", "western", "Syria", "s", "Idlib", "province"]),
    ("Russias air force and Turkeys army", ["Russia", "s", "air", "force", "and", "Turkey", "s", "army"]),
    # "the Americas" is a name of its own
    ("across the Americas today", ["across", "the", "Americas", "today"]),
    ("Hamas and Saudis", ["Hamas", "and", "Saudis"]),
    # no possessive stands there: after another possessive, before a conjunction, at the end
    ("in its Americas region", ["in", "its", "Americas", "region"]),
    ("Turkeys and chickens", ["Turkeys", "and", "chickens"]),
    ("both Sudans agreed", ["both", "Sudans", "agreed"]),
    ("fled to Syrias.", ["fled", "to", "Syrias", "."]),
    # a day owns what happened on it, not in a habit
    ("Tuesdays attack struck", ["Tuesday", "s", "attack", "struck"]),
    ("protests on Fridays continued", ["protests", "on", "Fridays", "continued"]),
    ("rallies held Fridays since March", ["rallies", "held", "Fridays", "since", "March"]),
    ("from Mondays through Fridays", ["from", "Mondays", "through", "Fridays"]),
])
def test_lost_possessives_split_and_the_text_stays(resources, text, tokens):
    doc = resources.nlp.make_doc(text)
    assert [t.text for t in doc] == tokens
    assert doc.text == text  # every offset still points into the stored article
    assert all(t.norm_ == "'s" for t in doc if t.text == "s")


def test_a_lost_possessive_is_parsed_as_one(resources):
    doc = next(parse_texts(resources.nlp, ["Jets struck a market in western Syrias Idlib province on Sunday."]))
    syria = next(t for t in doc if t.text == "Syria")
    assert (syria.ent_type_, syria.dep_, doc[syria.i + 1].tag_) == ("GPE", "poss", "POS")


@pytest.mark.parametrize("text, country, location", [
    # the place the possessive names is found, not the attacker's country
    ("US airstrikes killed 23 civilians in Syrias Deir ez-Zor province on Thursday.", "SYR", "Deir ez-Zor"),
    ("At least 11 people were killed on Saturday when Russian fighter jets struck a neighborhood in "
     "western Syrias Idlib province.", "SYR", "Idlib"),
])
def test_the_place_of_a_lost_possessive(resources, text, country, location):
    doc = next(parse_texts(resources.nlp, [text]))
    article = {"article_id": "t", "published_at": dt.datetime(2016, 10, 15, 12, tzinfo=dt.timezone.utc),
               "dateline_place": None}
    events, _ = extract_article(doc, article, resources)
    event = next(e for e in events if e["event_type"] == "ASSAULT")
    assert (event["country_iso3"], location in (event["location_text"] or "")) == (country, True)


def test_the_wrapper_keeps_the_tokenizer_api(resources):
    # serializing the pipeline reaches the model's own tokenizer
    tokenizer = resources.nlp.tokenizer
    assert tokenizer.to_bytes() == tokenizer.tokenizer.to_bytes()
    assert tokenizer.vocab is resources.nlp.vocab


def test_the_day_of_a_lost_possessive(resources):
    text = "Tuesdays attack struck the headquarters of the group northwest of Idlib, killing its leader."
    doc = next(parse_texts(resources.nlp, [text]))
    article = {"article_id": "t", "published_at": dt.datetime(2015, 9, 10, 12, tzinfo=dt.timezone.utc),
               "dateline_place": None}
    events, _ = extract_article(doc, article, resources)
    assert next(e for e in events if e["event_type"] == "ASSAULT")["event_date"] == dt.date(2015, 9, 8)
