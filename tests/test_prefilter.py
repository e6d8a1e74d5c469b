"""The sentence pre-filter: which sentences the model must parse."""
import datetime as dt

import pytest
import spacy

from newsevents.transforms.extraction.prefilter import SentenceFilter, inflections, required_words, split_sentences

PATTERNS = [
    [{"LEMMA": {"IN": ["attack", "storm"]}, "POS": {"IN": ["VERB", "NOUN"]}}],
    [{"LEMMA": "kill"}],
    [{"LEMMA": "seize"}],
    [{"LEMMA": "occupy"}],
    [{"LEMMA": "stop"}],
    [{"LEMMA": "open"}, {"LOWER": "fire"}],
    [{"LEMMA": "call"}, {"LOWER": "for", "OP": "?"}, {"LEMMA": "ceasefire"}],
]


@pytest.fixture(scope="module")
def sentence_filter():
    return SentenceFilter.build(spacy.blank("en"), PATTERNS, {"Nigeria", "South Sudan"},
                                {"Nigerian", "Malian"})


@pytest.mark.parametrize("lemma, forms", [
    ("kill", {"kills", "killed", "killing"}),
    ("seize", {"seized", "seizing", "seizes"}),
    ("occupy", {"occupied", "occupies", "occupying"}),
    ("stop", {"stopped", "stopping"}),
    ("die", {"dying", "died"}),
])
def test_inflections(lemma, forms):
    assert forms <= inflections(lemma)


@pytest.mark.parametrize("sentence, candidate", [
    ("Gunmen killed five people in Kano.", True),
    ("Troops stormed the building at dawn.", True),
    ("Rebels seized the town and occupied the airport.", True),
    ("The army stopped a convoy.", True),
    ("Soldiers opened fire on the crowd.", True),
    ("The fire spread to two houses.", False),  # "fire" alone is not "open fire"
    ("Leaders called for a ceasefire.", True),
    ("Leaders called the meeting a success.", False),
    ("The group claimed the bombing.", True),  # claims credit an attack
    ("The central bank kept interest rates unchanged.", False),
    ("Heavy rain is forecast for the coastal provinces.", False),
    ("A pro-government militia's attack-helicopter crashed.", True),
])
def test_is_candidate(sentence_filter, sentence, candidate):
    assert sentence_filter.is_candidate(sentence) is candidate


def test_required_words_skip_optional_and_negated_tokens():
    assert required_words(PATTERNS[-1]) == [{"call"}, {"ceasefire"}]
    assert required_words([{"LEMMA": "x", "OP": "!"}, {"POS": "VERB"}, {"LOWER": "Y"}]) == [{"y"}]


@pytest.mark.parametrize("text, pieces", [
    ("Gunmen killed 5 in Kano. The economy grew.\n", ["Gunmen killed 5 in Kano. ", "The economy grew.\n"]),
    ("Mr. Smith met Gen. Ali in the U.S. capital. Talks ended.",
     ["Mr. Smith met Gen. Ali in the U.S. capital. ", "Talks ended."]),
    ('"We will fight," he said. "They fled." 12 died.',
     ['"We will fight," he said. ', '"They fled." ', "12 died."]),
    ("J. R. Smith arrived.", ["J. R. Smith arrived."]),
    ("No sentence end", ["No sentence end"]),
])
def test_split_sentences_keeps_the_text(text, pieces):
    assert split_sentences(text) == pieces and "".join(pieces) == text


def test_cheap_doc_is_one_sentence_with_countries_and_nationalities(sentence_filter):
    doc = sentence_filter.cheap_doc("Nigerian and Malian officials met in South Sudan. ")
    assert doc.text == "Nigerian and Malian officials met in South Sudan. "
    assert len(list(doc.sents)) == 1
    assert [(e.text, e.label_) for e in doc.ents] == [
        ("Nigerian", "NORP"), ("Malian", "NORP"), ("South Sudan", "GPE")]


@pytest.mark.model
def test_parsing_candidates_only_gives_the_same_events(resources):
    """The seeds' style of text, article by article: same events with and without the filter."""
    from newsevents.transforms.extraction.article import extract_article
    from newsevents.transforms.extraction.resources import build_sentence_filter
    from newsevents.transforms.extraction.parsing import parse_texts

    res = resources
    texts = [
        "BAMAKO, Mali - Gunmen killed 12 villagers in central Mali on Monday, officials said. "
        "The region has seen repeated attacks. The central bank kept rates unchanged. "
        "Heavy rain is forecast for the weekend.\nNo group claimed the attack, which the "
        "government condemned. Thousands protested in Bamako on Tuesday.",
        "Markets rose on Friday. Analysts expect growth to slow.\nThe museum reopened.",
    ]
    row = {"article_id": "a", "published_at": dt.datetime(2024, 3, 6, tzinfo=dt.timezone.utc),
           "dateline_place": None}
    keys = ("event_type", "trigger_text", "sentence_index", "fatalities", "location_name",
            "actor1_name", "event_date", "modality")
    results = []
    for sentence_filter in (None, build_sentence_filter(res)):
        events = [extract_article(doc, row, res)[0]
                  for doc in parse_texts(res.nlp, texts, 32, sentence_filter)]
        results.append([[tuple(e[k] for k in keys) for e in article] for article in events])
    assert results[0] == results[1]
    assert results[0][0] and not results[0][1]
