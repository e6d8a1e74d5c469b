"""The model's attribute_ruler matched by lookup gives what spaCy's Matcher gives."""
import pytest
import spacy
from spacy.pipeline import AttributeRuler

from newsevents.transforms.defaults import DEFAULT_MODEL
from newsevents.transforms.extraction.attribute_matches import (IndexedAttributeMatches, UnsupportedPattern,
                                                                 index_attribute_ruler)

from conftest import SEEDS

pytestmark = pytest.mark.model

# The words the model's own rules are about ("gonna", "y'all", "ai n't", "there is"),
# and plain news.
TEXTS = [
    "We're gonna need y'all to stay, and it ain't over: there is fighting and there were raids.",
    "Let's go. C'mon, they gotta leave! Gunmen killed 5 in Kano on Monday, police said.",
    "  Two spaces,\n\nnew lines\tand tabs: 3.5 % of the U.S.-backed forces' vehicles.",
    "",
]


@pytest.fixture(scope="module")
def nlp():
    return spacy.load(DEFAULT_MODEL)


def test_model_ruler_is_supported(nlp):
    ruler = nlp.get_pipe("attribute_ruler")
    assert len(IndexedAttributeMatches(ruler).patterns) >= len(ruler.attrs) > 100


def test_same_matches_as_the_matcher(nlp):
    ruler = nlp.get_pipe("attribute_ruler")
    indexed = IndexedAttributeMatches(ruler)
    before = nlp.pipe_names[:nlp.pipe_names.index("attribute_ruler")]
    texts = TEXTS + [path.read_text(encoding="utf-8") for path in sorted(SEEDS.glob("*.txt"))]
    compared = 0
    with nlp.select_pipes(enable=before):
        for doc in nlp.pipe(texts):
            assert indexed(doc) == AttributeRuler.match(ruler, doc)
            compared += len(doc)
    assert compared > 3000


def test_pipeline_output_unchanged(nlp):
    fast = spacy.load(DEFAULT_MODEL)
    assert index_attribute_ruler(fast.get_pipe("attribute_ruler"))
    texts = TEXTS + [path.read_text(encoding="utf-8") for path in sorted(SEEDS.glob("*.txt"))][:2]
    for plain, indexed in zip(nlp.pipe(texts), fast.pipe(texts)):
        assert [(t.pos_, t.tag_, str(t.morph), t.lemma_, t.dep_, t.ent_type_) for t in plain] == \
            [(t.pos_, t.tag_, str(t.morph), t.lemma_, t.dep_, t.ent_type_) for t in indexed]


@pytest.mark.parametrize("pattern", [
    [{"LOWER": "x", "OP": "?"}],  # an operator
    [{"ORTH": "X"}],  # another attribute
    [{"IS_SPACE": {"IN": [True]}}],
])
def test_other_patterns_keep_the_matcher(pattern):
    ruler = spacy.blank("en").add_pipe("attribute_ruler")
    ruler.add([pattern], {"POS": "NOUN"})
    with pytest.raises(UnsupportedPattern):
        IndexedAttributeMatches(ruler)
    assert not index_attribute_ruler(ruler)
    assert "match" not in vars(ruler)
