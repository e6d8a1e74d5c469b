"""Sentence pre-filter: the statistical model runs only where an event can be.

    candidates = SentenceFilter.build(nlp, trigger_patterns, country_names, demonyms)
    pieces = split_sentences("Gunmen killed 5 in Kano. The economy grew.\\n")
      -> ["Gunmen killed 5 in Kano. ", "The economy grew.\\n"]
    candidates.is_candidate(pieces[0]) -> True  ("killed" is a form of the trigger "kill")
    candidates.cheap_doc(pieces[1])   -> a Doc with tokens, one sentence, country names
                                         and nationalities as entities, no parse

Most sentences of wire news carry no event. Extraction needs a parse only where a
trigger pattern can match, so a sentence is parsed only when, for some pattern, every
token the pattern requires has one of its word forms in the sentence. A sentence that
mentions "claim", "suspect" or "suspicion" (which credit an attack: "Al Shabaab
suspected.") is parsed too; "X is believed to be behind it" is read only where its
sentence is parsed for another word ("believe" is too common to parse for alone).
Every other sentence is only
tokenized; its country names and nationalities still count towards what the article is
about.

The forms of a lemma are made by English inflection rules (kill -> kills, killed,
killing; seize -> seized; carry -> carried; stop -> stopped). Irregular forms come from
the model's own lemmatizer exception table (shot -> shoot, fled -> flee). The filter
may let through a sentence that holds no event. It drops one with an event only where
the model lemmatizes a word in a way these rules do not produce. No Beam here.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np
from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span
from spacy.util import filter_spans

WORD = re.compile(r"[A-Za-z]+")  # as spaCy splits them: at apostrophes and hyphens
# A sentence ends at . ! or ? (and a closing quote or bracket) before whitespace and a
# capital, digit or quote, unless the word before is a known abbreviation or an initial.
SENTENCE_END = re.compile(r"""(?<=[.!?])['")\]]?\s+(?=["'(\[]?[A-Z0-9])""")
ABBREVIATIONS = {"mr", "mrs", "ms", "dr", "gen", "col", "lt", "sgt", "capt", "maj", "cpl", "st",
                 "rev", "gov", "sen", "rep", "prof", "no", "vs", "jan", "feb", "mar", "apr",
                 "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec", "u.s", "u.n", "u.k",
                 "e.g", "i.e", "inc", "ltd", "co", "corp", "jr", "sr", "mt", "ft"}
EXTRA_LEMMAS = ("claim", "suspect", "suspicion")  # credit_claims reads "X claimed the attack", "X suspected"


def inflections(lemma: str) -> set[str]:
    """Regular English forms of a verb or noun lemma."""
    forms = {lemma, lemma + "s", lemma + "es", lemma + "ed", lemma + "ing", lemma + "d"}
    if lemma.endswith("e"):
        forms |= {lemma[:-1] + "ing", lemma + "d", lemma + "s"}
    if lemma.endswith("ie"):
        forms.add(lemma[:-2] + "ying")
    if lemma.endswith("y") and len(lemma) > 2 and lemma[-2] not in "aeiou":
        forms |= {lemma[:-1] + "ied", lemma[:-1] + "ies"}
    if len(lemma) > 2 and lemma[-1] not in "aeiouwxy" and lemma[-2] in "aeiou" and lemma[-3] not in "aeiou":
        forms |= {lemma + lemma[-1] + "ed", lemma + lemma[-1] + "ing"}  # stop -> stopped
    return forms


def exception_forms(nlp: Language) -> dict[str, set[str]]:
    """lemma -> irregular forms, from the model's lemmatizer exception table."""
    if "lemmatizer" not in nlp.pipe_names:
        return {}
    lookups = nlp.get_pipe("lemmatizer").lookups
    if not lookups.has_table("lemma_exc"):
        return {}
    found: dict[str, set[str]] = {}
    table = lookups.get_table("lemma_exc")
    for key in table.keys():
        for form, lemmas in table[key].items():
            for lemma in lemmas:
                found.setdefault(lemma.lower(), set()).add(form.lower())
    return found


def split_sentences(text: str) -> list[str]:
    """Sentences with their trailing whitespace; they concatenate back to ``text``."""
    pieces, start = [], 0
    for match in SENTENCE_END.finditer(text):
        before = text[start:match.start()].rstrip("'\")]")
        word = before.rsplit(None, 1)[-1].rstrip(".!?").lower() if before.split() else ""
        if word in ABBREVIATIONS or (len(word) == 1 and word.isalpha()):
            continue
        pieces.append(text[start:match.end()])
        start = match.end()
    if start < len(text):
        pieces.append(text[start:])
    return pieces


@dataclass
class SentenceFilter:
    # one entry per pattern: for each of its required tokens, the word forms it can take
    requirements: list[list[frozenset[str]]]
    by_form: dict[str, list[int]]  # word form -> patterns it can start to satisfy
    places: PhraseMatcher
    nlp: Language
    width: int  # the model's Doc.tensor width, so unparsed Docs join parsed ones

    @classmethod
    def build(cls, nlp: Language, patterns: list[list[dict]], country_names: set[str],
              demonyms: set[str], misspelt: dict[str, str] | None = None) -> "SentenceFilter":
        """``misspelt``: words one letter off a lemma's form, with that lemma, which the
        lemmatizer gives them too (``resources.misspelt_protest_words``)."""
        irregular = exception_forms(nlp)
        misread: dict[str, set[str]] = {}
        for word, lemma in (misspelt or {}).items():
            misread.setdefault(lemma, set()).add(word)
        requirements = []
        for pattern in list(patterns) + [[{"LEMMA": lemma}] for lemma in EXTRA_LEMMAS]:
            needed = [frozenset(form for word in words for form in
                                inflections(word) | irregular.get(word, set()) | {word} | misread.get(word, set()))
                      for words in required_words(pattern)]
            if needed:
                requirements.append(needed)
        by_form: dict[str, list[int]] = {}
        for n, needed in enumerate(requirements):
            for form in set().union(*needed):
                by_form.setdefault(form, []).append(n)
        places = PhraseMatcher(nlp.vocab, attr="ORTH")
        places.add("GPE", [nlp.make_doc(name) for name in sorted(country_names)])
        places.add("NORP", [nlp.make_doc(name) for name in sorted(demonyms)])
        return cls(requirements, by_form, places, nlp, tensor_width(nlp))

    def is_candidate(self, sentence: str) -> bool:
        """Whether some trigger pattern can match: each of its required tokens has a
        form among the sentence's words (a necessary condition, cheap to test)."""
        words = {word.lower() for word in WORD.findall(sentence)}
        patterns = {n for word in words for n in self.by_form.get(word, ())}
        return any(all(forms & words for forms in self.requirements[n]) for n in patterns)

    def cheap_doc(self, text: str) -> Doc:
        """Tokens as one sentence (a flat tree under the first token), no real tags, and
        country names and nationalities as entities."""
        tokens = self.nlp.make_doc(text)
        words = [t.text for t in tokens]
        spaces = [bool(t.whitespace_) for t in tokens]
        if not words:
            return tokens
        # Every attribute a trigger pattern reads is set (tag X, lemma the lower-case
        # word), so the Matcher accepts a Doc made only of such sentences; no pattern
        # can match here, which is why the sentence was not parsed.
        doc = Doc(self.nlp.vocab, words=words, spaces=spaces, heads=[0] * len(words),
                  deps=["ROOT"] + ["dep"] * (len(words) - 1), pos=["X"] * len(words),
                  lemmas=[w.lower() for w in words])
        doc.ents = filter_spans([Span(doc, start, end, label=match_id)
                                 for match_id, start, end in self.places(doc)])
        doc.tensor = np.zeros((len(doc), self.width), dtype="float32")
        return doc


def tensor_width(nlp: Language) -> int:
    """The width of the vectors the model leaves in ``Doc.tensor`` (0 without one)."""
    if "tok2vec" not in nlp.pipe_names:
        return 0
    try:
        return nlp.get_pipe("tok2vec").model.get_dim("nO")
    except (ValueError, KeyError):
        return 0


def required_words(pattern: list[dict]) -> list[set[str]]:
    """For each token a match needs (not optional, not negated) and that names words:
    the lemmas or lower-case words it allows."""
    found = []
    for token in pattern:
        if token.get("OP") in ("?", "*", "!"):
            continue
        words = set()
        for key in ("LEMMA", "LOWER"):
            value = token.get(key)
            if isinstance(value, str):
                words.add(value.lower())
            elif isinstance(value, dict):
                words.update(v.lower() for v in value.get("IN", []) if isinstance(v, str))
        if words:
            found.append(words)
    return found
