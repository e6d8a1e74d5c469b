"""Syntax helpers on the small model's misparses, given as explicit parses (spaCy's blank
vocabulary: no model), so the rules are checked whatever the model does with a sentence."""
from types import SimpleNamespace

import pytest
import spacy
from spacy.tokens import Doc

from newsevents.transforms.extraction.actors import verb_roles
from newsevents.transforms.extraction.modality import told_as_done
from newsevents.transforms.extraction.syntax import (
    asked_for_by, crowd_verb_hung_on_its_subject, misparsed_object, verb_done_in_protest)
from newsevents.transforms.extraction.triggers import alone_in_entity


def parsed(parse):
    """(word, head, dep, tag, pos, lemma) rows -> a Doc."""
    words, heads, deps, tags, pos, lemmas = zip(*parse)
    return Doc(spacy.blank("en").vocab, words=list(words), heads=list(heads), deps=list(deps), tags=list(tags),
               pos=list(pos), lemmas=list(lemmas), sent_starts=[True] + [False] * (len(words) - 1))


# "Students staged a week-long protest demanding withdrawal of the test": "protest" hung
# on "demanding", made a modifier of "withdrawal", which is made the object.
WEEK_LONG_PROTEST = [
    ("Students", 1, "nsubj", "NNS", "NOUN", "student"), ("staged", 1, "ROOT", "VBD", "VERB", "stage"),
    ("a", 6, "det", "DT", "DET", "a"), ("long", 4, "amod", "JJ", "ADJ", "long"),
    ("protest", 5, "compound", "NN", "NOUN", "protest"), ("demanding", 6, "amod", "VBG", "VERB", "demand"),
    ("withdrawal", 1, "dobj", "NN", "NOUN", "withdrawal")]
# "held a dharna demanding jobs", the participle made the object
DHARNA = [
    ("Workers", 1, "nsubj", "NNS", "NOUN", "worker"), ("held", 1, "ROOT", "VBD", "VERB", "hold"),
    ("a", 3, "det", "DT", "DET", "a"), ("dharna", 4, "compound", "NN", "NOUN", "dharna"),
    ("demanding", 1, "dobj", "VBG", "VERB", "demand"), ("jobs", 4, "dobj", "NNS", "NOUN", "job")]
# "a protest march demanding jobs": a real compound
PROTEST_MARCH = [
    ("They", 1, "nsubj", "PRP", "PRON", "they"), ("held", 1, "ROOT", "VBD", "VERB", "hold"),
    ("a", 4, "det", "DT", "DET", "a"), ("protest", 4, "compound", "NN", "NOUN", "protest"),
    ("march", 1, "dobj", "NN", "NOUN", "march")]


@pytest.mark.parametrize("parse, noun, expected", [
    (WEEK_LONG_PROTEST, 4, True),
    (DHARNA, 3, True),
    (PROTEST_MARCH, 3, False),
])
def test_misparsed_object(parse, noun, expected):
    assert misparsed_object(parsed(parse)[noun]) is expected


# "Workers blocked Mill Road in Kasur district in protest": the phrase hung on "district"
IN_PROTEST_ON_A_NOUN = [
    ("Workers", 1, "nsubj", "NNS", "NOUN", "worker"), ("blocked", 1, "ROOT", "VBD", "VERB", "block"),
    ("Mill", 3, "compound", "NNP", "PROPN", "Mill"), ("Road", 1, "dobj", "NNP", "PROPN", "Road"),
    ("in", 3, "prep", "IN", "ADP", "in"), ("Kasur", 6, "compound", "NNP", "PROPN", "Kasur"),
    ("district", 4, "pobj", "NN", "NOUN", "district"), ("in", 6, "prep", "IN", "ADP", "in"),
    ("protest", 7, "pobj", "NN", "NOUN", "protest")]
# "joined the protest": a protest named, no act done in protest
THE_PROTEST = [
    ("Workers", 1, "nsubj", "NNS", "NOUN", "worker"), ("joined", 1, "ROOT", "VBD", "VERB", "join"),
    ("in", 1, "prep", "IN", "ADP", "in"), ("the", 4, "det", "DT", "DET", "the"),
    ("protest", 2, "pobj", "NN", "NOUN", "protest")]


@pytest.mark.parametrize("parse, trigger, verb", [
    (IN_PROTEST_ON_A_NOUN, 8, "blocked"),
    (THE_PROTEST, 4, None),
])
def test_verb_done_in_protest(parse, trigger, verb):
    found = verb_done_in_protest(parsed(parse)[trigger])
    assert (found.text if found is not None else None) == verb


@pytest.mark.parametrize("parse, verb, expected", [
    # "... need ... workers staged a protest" (a noun read as the verb "need"): a past
    # clause with its own subject
    ([("need", 0, "ROOT", "VBP", "VERB", "need"), ("workers", 2, "nsubj", "NNS", "NOUN", "worker"),
      ("staged", 0, "ccomp", "VBD", "VERB", "stage"), ("protest", 2, "dobj", "NN", "NOUN", "protest")], 2, True),
    # "demands that the authorities put an end": the bare verb, its form the lemma's
    ([("demands", 0, "ROOT", "VBZ", "VERB", "demand"), ("authorities", 2, "nsubj", "NNS", "NOUN", "authority"),
      ("put", 0, "ccomp", "VBD", "VERB", "put"), ("end", 2, "dobj", "NN", "NOUN", "end")], 2, False),
    # "warned that the toll was likely to rise": a copula tells a state
    ([("warned", 0, "ROOT", "VBD", "VERB", "warn"), ("toll", 2, "nsubj", "NN", "NOUN", "toll"),
      ("was", 0, "ccomp", "VBD", "AUX", "be"), ("likely", 2, "acomp", "JJ", "ADJ", "likely")], 2, False),
    # "planned that they would attack": an auxiliary
    ([("planned", 0, "ROOT", "VBD", "VERB", "plan"), ("they", 3, "nsubj", "PRP", "PRON", "they"),
      ("would", 3, "aux", "MD", "AUX", "would"), ("attacked", 0, "ccomp", "VBD", "VERB", "attack")], 3, False),
])
def test_told_as_done(parse, verb, expected):
    assert told_as_done(parsed(parse)[verb]) is expected


CROWD_VERBS = SimpleNamespace(word_classes={"crowd_verb": {"protest", "demonstrate", "march", "rally"}})


@pytest.mark.parametrize("parse, verb, expected", [
    # "Nurses protested in Mardan against their posts not being made permanent": the verb
    # of protest hung on its subject, the subject of the negated verb
    ([("Nurses", 5, "nsubjpass", "NNS", "NOUN", "nurse"), ("protested", 0, "acl", "VBN", "VERB", "protest"),
      ("in", 1, "prep", "IN", "ADP", "in"), ("posts", 5, "nsubjpass", "NNS", "NOUN", "post"),
      ("not", 5, "neg", "RB", "PART", "not"), ("made", 5, "ROOT", "VBN", "VERB", "make")], 1, True),
    # "..., a lawyers' group protested here": who said the clause before (no place or
    # target of its own)
    ([("failing", 0, "ROOT", "VBG", "VERB", "fail"), ("group", 0, "appos", "NN", "NOUN", "group"),
      ("protested", 1, "acl", "VBN", "VERB", "protest"), ("here", 2, "advmod", "RB", "ADV", "here")], 2, False),
    # "prisoners marched to the square by soldiers": a passive with its agent
    ([("prisoners", 0, "ROOT", "NNS", "NOUN", "prisoner"), ("marched", 0, "acl", "VBN", "VERB", "march"),
      ("by", 1, "agent", "IN", "ADP", "by"), ("soldiers", 2, "pobj", "NNS", "NOUN", "soldier")], 1, False),
    # "reports that farmers protested": a clause with its own subject
    ([("reports", 0, "ROOT", "NNS", "NOUN", "report"), ("that", 3, "mark", "IN", "SCONJ", "that"),
      ("farmers", 3, "nsubj", "NNS", "NOUN", "farmer"), ("protested", 0, "acl", "VBD", "VERB", "protest")], 3, False),
    # "a man killed in the raid": no verb of protest
    ([("man", 0, "ROOT", "NN", "NOUN", "man"), ("killed", 0, "acl", "VBN", "VERB", "kill")], 1, False),
])
def test_crowd_verb_hung_on_its_subject(parse, verb, expected):
    assert crowd_verb_hung_on_its_subject(parsed(parse)[verb], CROWD_VERBS) is expected


@pytest.mark.parametrize("words, pos, ents, index, expected", [
    # "Dharnas were held": a common noun made an organisation by itself
    (["Dharnas", "were", "organised"], ["NOUN", "AUX", "VERB"], ["B-ORG", "O", "O"], 0, True),
    # "Storm said ...": a singular one may be a surname
    (["Storm", "said"], ["NOUN", "VERB"], ["B-PERSON", "O"], 0, False),
    # "Protest Movement of Kerala": a word of a name
    (["Protest", "Movement", "held"], ["NOUN", "PROPN", "VERB"], ["B-ORG", "I-ORG", "O"], 0, False),
    (["Protest", "held"], ["PROPN", "VERB"], ["B-ORG", "O"], 0, False),
])
def test_alone_in_entity(words, pos, ents, index, expected):
    tags = ["NNS" if w.endswith("s") and p == "NOUN" else "NN" for w, p in zip(words, pos)]
    doc = Doc(spacy.blank("en").vocab, words=words, pos=pos, ents=ents, tags=tags)
    assert alone_in_entity(doc[index]) is expected


ROLE_CLASSES = {"harm_verb": {"kill", "injure"}, "violent_act_verb": {"attack"}, "crowd_verb": {"protest"},
                "reporting_verb": {"say"}, "alleging_verb": {"accuse"}, "position_verb": {"position"}}


@pytest.mark.parametrize("parse, verb, roles", [
    # "Al-Nusra attacked at dawn the headquarters": a participle hung on the name as a
    # reduced relative, with an object of its own, is active: the name did it ...
    ([("Nusra", 0, "ROOT", "NNP", "PROPN", "Nusra"), ("attacked", 0, "acl", "VBN", "VERB", "attack"),
      ("at", 1, "prep", "IN", "ADP", "at"), ("dawn", 2, "pobj", "NN", "NOUN", "dawn"),
      ("the", 5, "det", "DT", "DET", "the"), ("headquarters", 1, "dobj", "NN", "NOUN", "headquarters")], 1, (0, 5)),
    # ... not a count the model made its object ("a trader stabbed multiple times": the
    # trader was stabbed) ...
    ([("trader", 0, "ROOT", "NN", "NOUN", "trader"), ("stabbed", 0, "acl", "VBN", "VERB", "stab"),
      ("multiple", 3, "amod", "JJ", "ADJ", "multiple"), ("times", 1, "dobj", "NNS", "NOUN", "time")], 1, (None, 0)),
    # ... nor a present participle ("a convoy delivering aid", "districts killing scores") ...
    ([("convoy", 0, "ROOT", "NN", "NOUN", "convoy"), ("killing", 0, "acl", "VBG", "VERB", "kill"),
      ("scores", 1, "dobj", "NNS", "NOUN", "score")], 1, (None, 2)),
    # ... without one it tells who was hit: "soldiers killed in the attack".
    ([("soldiers", 0, "ROOT", "NNS", "NOUN", "soldier"), ("killed", 0, "acl", "VBN", "VERB", "kill"),
      ("in", 1, "prep", "IN", "ADP", "in"), ("attack", 2, "pobj", "NN", "NOUN", "attack")], 1, (None, 0)),
])
def test_roles_of_a_participle_hung_on_a_name(parse, verb, roles):
    actor1, actor2 = verb_roles(parsed(parse)[verb], ROLE_CLASSES)
    assert (actor1.i if actor1 is not None else None, actor2.i if actor2 is not None else None) == roles


@pytest.mark.parametrize("parse, verb, roles", [
    # "a source said terrorists positioned in Joubar fired rockets": the participle of
    # position read as a verb of its own took the subject of the firing ...
    ([("source", 1, "nsubj", "NN", "NOUN", "source"), ("said", 1, "ROOT", "VBD", "VERB", "say"),
      ("terrorists", 3, "nsubj", "NNS", "NOUN", "terrorist"), ("positioned", 1, "ccomp", "VBD", "VERB", "position"),
      ("in", 3, "prep", "IN", "ADP", "in"), ("Joubar", 4, "pobj", "NNP", "PROPN", "Joubar"),
      ("fired", 1, "ccomp", "VBD", "VERB", "fire"), ("rockets", 6, "dobj", "NNS", "NOUN", "rocket")], 6, (2, 7)),
    # ... also where the model made the firing a conjunct of the participle
    ([("terrorists", 1, "nsubj", "NNS", "NOUN", "terrorist"), ("positioned", 1, "ROOT", "VBD", "VERB", "position"),
      ("in", 1, "prep", "IN", "ADP", "in"), ("Joubar", 2, "pobj", "NNP", "PROPN", "Joubar"),
      ("fired", 1, "conj", "VBD", "VERB", "fire"), ("rockets", 4, "dobj", "NNS", "NOUN", "rocket")], 4, (0, 5)),
    # ... not any verb but one of position ...
    ([("source", 1, "nsubj", "NN", "NOUN", "source"), ("said", 1, "ROOT", "VBD", "VERB", "say"),
      ("troops", 3, "nsubj", "NNS", "NOUN", "troop"), ("arrived", 1, "ccomp", "VBD", "VERB", "arrive"),
      ("in", 3, "prep", "IN", "ADP", "in"), ("Joubar", 4, "pobj", "NNP", "PROPN", "Joubar"),
      ("fired", 1, "ccomp", "VBD", "VERB", "fire"), ("rockets", 6, "dobj", "NNS", "NOUN", "rocket")], 6, (None, 7)),
    # ... nor across a word that belongs to neither (an "and" the model hung on "said":
    # only a participle right before the verb is a misread one).
    ([("source", 1, "nsubj", "NN", "NOUN", "source"), ("said", 1, "ROOT", "VBD", "VERB", "say"),
      ("troops", 3, "nsubj", "NNS", "NOUN", "troop"), ("positioned", 1, "ccomp", "VBD", "VERB", "position"),
      ("in", 3, "prep", "IN", "ADP", "in"), ("Joubar", 4, "pobj", "NNP", "PROPN", "Joubar"),
      ("and", 1, "cc", "CC", "CCONJ", "and"),
      ("fired", 1, "ccomp", "VBD", "VERB", "fire"), ("rockets", 7, "dobj", "NNS", "NOUN", "rocket")], 7, (None, 8)),
])
def test_subject_of_a_participle_of_position_read_as_a_verb(parse, verb, roles):
    actor1, actor2 = verb_roles(parsed(parse)[verb], ROLE_CLASSES)
    assert (actor1.i if actor1 is not None else None, actor2.i if actor2 is not None else None) == roles


@pytest.mark.parametrize("parse, word, expected", [
    # "demanding police arrest the murderers": the arrest is what was demanded ...
    ([("blocked", 0, "ROOT", "VBD", "VERB", "block"), ("demanding", 0, "advcl", "VBG", "VERB", "demand"),
      ("police", 3, "nsubj", "NNS", "NOUN", "police"), ("arrest", 1, "ccomp", "VB", "VERB", "arrest")], 3, True),
    # ... "protested until being dispersed by police": the dispersal is no demand of the
    # protest, but a phrase of its verb ...
    ([("protested", 0, "ROOT", "VBD", "VERB", "protest"), ("until", 0, "prep", "IN", "ADP", "until"),
      ("dispersed", 1, "pcomp", "VBN", "VERB", "disperse")], 2, False),
    # ... and so is a clause joined to it: "protested, and police dispersed them".
    ([("protested", 0, "ROOT", "VBD", "VERB", "protest"), ("and", 0, "cc", "CC", "CCONJ", "and"),
      ("dispersed", 0, "conj", "VBD", "VERB", "disperse")], 2, False),
])
def test_what_was_asked_for(parse, word, expected):
    assert asked_for_by(parsed(parse)[word], {"demand", "protest"}) is expected
