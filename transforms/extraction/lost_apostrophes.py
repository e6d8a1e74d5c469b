"""Possessives whose apostrophe was lost on the way to us. Pure spaCy, no Beam.

Some feeds strip apostrophes: "in western Syrias Idlib province", "Russias air force",
"Aleppos eastern districts", "Tuesdays attack". The model then reads "Syrias" as an
unknown name, and the place it names is lost (its country and the province after it);
"Tuesdays" is no day, and the attack is dated at publication. A tokenizer wrapped by
``RepairingTokenizer`` splits such a word into the place's name and a possessive "s"
(normed as "'s"), so the model tags and parses "Syria s Idlib province" as it does
"Syria's Idlib province". The text is never changed: the two tokens cover the word's
characters exactly, so every offset still points into the stored article.

    nlp.tokenizer = RepairingTokenizer(nlp.tokenizer, gazetteer, kept_words, demonyms)
    [t.text for t in nlp.make_doc("Syrias Idlib")]  ->  ["Syria", "s", "Idlib"]

A day of the week is split where it stands as a possessive (not "on Tuesdays", a habit).
A name is split only when it is not itself a known name or word (the gazetteer's
"Comoros", the group "Hamas", a demonym's plural such as "Saudis", "Americas" as in
"Human Rights Watch's Americas director"), and what is left is the name of a country or
the own name of a city of 400,000 people: "Hamas" is kept although Hama is a city; a
province's name is not enough, as peoples are called after theirs ("Kachins fled",
"Sidamas rallied"). It must stand where a possessive does: before a word it can own,
not after an article, another possessive or a number ("the Americas", "its Americas
region", "both Sudans"), nor before a conjunction ("Turkeys and chickens"). A person's
name that is also a big city's ("Austins said") can still be split: rare in news.
"""
from __future__ import annotations

import re

from spacy.tokens import Doc

from newsevents.transforms.extraction.gazetteer import Gazetteer
from newsevents.transforms.extraction.gazetteer_build import ALIAS, ALTERNATE, name_key

# A city this big, under its own name, is named often enough to own a possessive in the
# news; smaller ones are as often a person's name or part of a longer name ("Tel Hamis",
# a village; Hami is a city of 250,000).
POSSESSOR_POPULATION = 400_000
POSSESSIVE_NORM = "'s"
# Plurals that are names of their own the gazetteer does not list
NAMES_OF_THEIR_OWN = frozenset({"americas"})


CANDIDATE = re.compile(r"\b[A-Z][a-z]{3,}s\b")  # what ``lost_possessive`` can say yes to
# Days that own what happened on them ("Tuesdays attack", 70 times in FA-KES); after
# these words the plural tells a habit ("on Tuesdays", "most Fridays").
WEEKDAYS = frozenset({"monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"})
HABIT_BEFORE = frozenset({"on", "every", "most", "some", "many", "other", "few", "all", "of", "from"})

# Words before a name that make it no possessive's owner ("the Americas", "its Americas
# region") and words after it that no possessive owns ("Turkeys and chickens").
OWNED_BY_ANOTHER = frozenset({"the", "its", "their", "his", "her", "our", "my", "your", "both", "all", "two",
                              "three"})
NEVER_OWNED = frozenset({"and", "or", "but", "nor", "are", "were", "is", "was", "have", "has", "had", "will",
                         "would", "can", "could", "may", "might", "of", "in", "on", "at", "to", "from", "with",
                         "by", "for", "as", "that", "which", "who", "than", "since", "through", "until",
                         "till"})


def owns_the_next(token) -> bool:
    """Whether a word stands where a possessive does: before a word it can own, not
    after an article or another possessive."""
    doc = token.doc
    if token.i > 0 and (doc[token.i - 1].lower_ in OWNED_BY_ANOTHER or doc[token.i - 1].like_num):
        return False
    if token.lower_[:-1] in WEEKDAYS and token.i > 0 and doc[token.i - 1].lower_ in HABIT_BEFORE:
        return False  # "on Tuesdays": a habit
    if token.i + 1 >= len(doc) or token.whitespace_ == "":
        return False
    following = doc[token.i + 1]
    return following.is_alpha and following.lower_ not in NEVER_OWNED


class RepairingTokenizer:
    """A tokenizer that splits a lost possessive "s" off a place's name."""

    def __init__(self, tokenizer, gazetteer: Gazetteer, kept_words: frozenset[str], demonyms: frozenset[str]):
        self.tokenizer = tokenizer
        self.gazetteer = gazetteer
        self.kept_words = kept_words  # lowercase words never split: known words, actor aliases
        self.demonyms = demonyms  # lowercase: "Saudis", "Iraqis" are people, not "Saudi's"
        self._verdicts: dict[str, bool] = {}

    def __getattr__(self, name: str):
        # The rest of the Tokenizer API (to_bytes, to_disk, explain, vocab ...) is the
        # model's tokenizer's. (Guarded: unpickling asks before "tokenizer" is set.)
        if name == "tokenizer":
            raise AttributeError(name)
        return getattr(self.tokenizer, name)

    def __call__(self, text: str) -> Doc:
        doc = self.tokenizer(text)
        # Most texts hold no such word: look at the words of the text first, not at every token.
        found = {word for word in CANDIDATE.findall(text) if self.lost_possessive(word)}
        if not found:
            return doc
        lost = [token for token in doc if token.text in found and owns_the_next(token)]
        if not lost:
            return doc
        ends = {token.idx + len(token.text) - 1 for token in lost}
        with doc.retokenize() as retokenizer:
            for token in lost:
                retokenizer.split(token, [token.text[:-1], "s"], heads=[(token, 1), token])
        for token in doc:
            if token.idx in ends:
                token.norm_ = POSSESSIVE_NORM
        return doc

    def lost_possessive(self, word: str) -> bool:
        """Whether a word is a place's name with its possessive's apostrophe lost."""
        verdict = self._verdicts.get(word)
        if verdict is None:
            verdict = self._verdicts[word] = self._judge(word)
            if len(self._verdicts) > 100_000:
                self._verdicts.clear()
        return verdict

    def _judge(self, word: str) -> bool:
        if len(word) < 5 or not word.isalpha() or not word[0].isupper() or not word[1:].islower() \
                or not word.endswith("s") or word.endswith("ss"):
            return False
        owner = word[:-1]
        if owner.lower() in WEEKDAYS:
            return True  # "Tuesdays attack"
        if word.lower() in self.kept_words or word.lower() in NAMES_OF_THEIR_OWN \
                or owner.lower() in self.demonyms or self.gazetteer.knows(word):
            return False  # "Hamas", "Comoros"; "Saudis", "Iraqis" are people
        key = name_key(owner)
        return any(kind != ALTERNATE and (place.feature_type == "country" or (
            place.feature_type == "city" and place.population >= POSSESSOR_POPULATION
            and (kind == ALIAS or name_key(place.name) == key)))
            for place, kind in self.gazetteer.entries(owner))
