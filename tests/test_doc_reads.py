"""What the rules read of a Doc once (entities, text, token texts) is what spaCy gives
at every access."""
import pytest
import spacy
from spacy.tokens import Span

from newsevents.transforms.extraction.syntax import doc_text, entities, entities_in, token_texts


@pytest.fixture(scope="module")
def nlp():
    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    return nlp


def tagged(nlp, text: str, ents: list[tuple[int, int, str]]):
    doc = nlp(text)
    doc.ents = [Span(doc, start, end, label=label) for start, end, label in ents]
    return doc


CASES = [
    # text, entities (token start, end, label)
    ("Gunmen killed 5 in Kano on Monday. Police in Lagos said so.", [(3, 4, "CARDINAL"), (5, 6, "GPE"),
                                                                     (7, 8, "DATE"), (11, 12, "GPE")]),
    ("No names here at all.", []),
    ("The Syrian Observatory for Human Rights said. Aleppo was shelled.",
     [(1, 7, "ORG"), (9, 10, "GPE")]),
    # an entity across a sentence boundary: Span.ents stops at the first one that spills over
    ("He fled to New. York was calm. Then Paris.", [(3, 6, "GPE"), (10, 11, "GPE")]),
    ("", []),
]


@pytest.mark.parametrize("text, ents", CASES)
def test_read_once_as_spacy_gives_it(nlp, text, ents):
    doc = tagged(nlp, text, ents)
    assert entities(doc) == doc.ents
    assert entities(doc) is entities(doc)  # built once
    assert doc_text(doc) == doc.text == text
    assert token_texts(doc) == [t.text for t in doc]
    for sent in doc.sents:
        assert entities_in(sent) == list(sent.ents)
    for start in range(len(doc)):
        for end in range(start + 1, len(doc) + 1):
            assert entities_in(doc[start:end]) == list(doc[start:end].ents)
