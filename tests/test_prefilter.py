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


@pytest.mark.model
@pytest.mark.parametrize("sentence, candidate", [
    # Police or troops meeting a crowd: parsed for the protest told before them ...
    ("Police used tear gas to disperse the crowd.", True),
    ("Police intervened.", True),
    # ... not every sentence that names the police.
    ("Police said the road would reopen on Friday.", False),
])
def test_forces_meeting_a_crowd_are_parsed(resources, sentence, candidate):
    from newsevents.transforms.extraction.resources import build_sentence_filter

    assert build_sentence_filter(resources).is_candidate(sentence) is candidate


@pytest.mark.model
def test_forces_told_after_a_protest_are_its_second_actor_with_the_filter(resources):
    """The sentence after a protest that tells the police acting on it has no trigger of
    its own; the filter still sends it to the model, so the protest reads it."""
    from newsevents.transforms.extraction.article import extract_article
    from newsevents.transforms.extraction.resources import build_sentence_filter
    from newsevents.transforms.extraction.parsing import parse_texts

    text = "Teachers protested in Rampur on Monday over unpaid salaries. Police used tear gas to disperse them."
    row = {"article_id": "a", "published_at": dt.datetime(2024, 3, 6, tzinfo=dt.timezone.utc), "dateline_place": None}
    doc = next(iter(parse_texts(resources.nlp, [text], 32, build_sentence_filter(resources))))
    events, _ = extract_article(doc, row, resources)
    protest = next(e for e in events if e["trigger_text"] == "protested")
    assert (protest["actor2_text"], protest["acled_sub_event_type"]) == ("Police", "Protest with intervention")


def test_a_word_one_letter_off_a_lemma_form_is_parsed():
    misspelt = {"kilid": "kill"}
    sentence_filter = SentenceFilter.build(spacy.blank("en"), PATTERNS, set(), set(), misspelt)
    assert sentence_filter.is_candidate("Gunmen kilid five people.")
    assert not sentence_filter.is_candidate("Gunmen kilted five people.")


@pytest.mark.parametrize("word, lemma", [
    # One letter off a protest word, left out, added, changed or two swapped ...
    ("protesed", "protest"),
    ("portest", "protest"),
    ("domonstrations", "demonstration"),
    ("demonstartion", "demonstration"),
    ("portesters", "protester"),
    # ... never an English word or its inflection, nor a short word
    ("protect", None),
    ("protects", None),
    ("protected", None),
    ("professions", None),
    ("demonstrator", None),
    ("protes", None),
])
def test_misspelt_protest_words(word, lemma):
    from newsevents.transforms.extraction.resources import misspelt_protest_words

    known = frozenset({"protest", "protect", "profession", "demonstrate", "demonstrator", "demonstration",
                       "procession", "protester"})
    assert misspelt_protest_words(known).get(word) == lemma


@pytest.mark.model
@pytest.mark.parametrize("text", [
    "People in Kolkata staged domonstrations against the violence on Monday.",
    "Farmers protesed outside the collectorate in Kolkata on Monday.",
])
def test_a_misspelt_protest_is_a_protest(resources, text):
    from newsevents.transforms.extraction.article import extract_article
    from newsevents.transforms.extraction.parsing import parse_texts
    from newsevents.transforms.extraction.resources import build_sentence_filter

    row = {"article_id": "a", "published_at": dt.datetime(2024, 3, 6, tzinfo=dt.timezone.utc), "dateline_place": None}
    doc = next(iter(parse_texts(resources.nlp, [text], 32, build_sentence_filter(resources))))
    events, _ = extract_article(doc, row, resources)
    assert [(e["event_type"], e["location_name"]) for e in events] == [("PROTEST", "Kolkata")]


@pytest.mark.model
@pytest.mark.parametrize("word", ["remonstrating", "protect", "protects", "protected", "professions", "prostrate"])
def test_english_words_are_no_misspelt_protests(resources, word):
    from newsevents.transforms.extraction.resources import misspelt_protest_words

    assert word not in misspelt_protest_words(resources.known_words)

