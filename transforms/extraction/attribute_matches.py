"""The model's attribute_ruler, matched by lookup instead of by spaCy's Matcher. Pure
spaCy, no Beam.

    ruler = nlp.get_pipe("attribute_ruler")
    ruler.match = IndexedAttributeMatches(ruler)   # what load_nlp does

``en_core_web_sm`` maps fine tags to parts of speech and morphology with an
AttributeRuler of 179 patterns (a tag map, and rules for words such as "gonna",
"there is"). It ran them through spaCy's Matcher, which tries every pattern at every
token: about 12% of the model's time on news, as much as its tagger and parser
together. Every one of those patterns is a fixed sequence of token specs on the tag,
lower-case form, dependency label or whitespace, so whether a token meets a spec
depends only on those four values. That answer is looked up per distinct
combination, and a pattern matches where each of its tokens meets its spec.

``IndexedAttributeMatches(ruler)(doc)`` returns what ``AttributeRuler.match`` returns:
every match as ``(pattern group, match id, start, end)``, sorted, which the ruler then
applies in that order. ``tests/test_attribute_matches.py`` compares the two. A ruler
with a pattern outside that form (an operator, another attribute) raises
``UnsupportedPattern`` and keeps its own Matcher.
"""
from __future__ import annotations

import re

from spacy.attrs import DEP, IS_SPACE, LOWER, TAG
from spacy.pipeline import AttributeRuler
from spacy.tokens import Doc

ATTRIBUTES = {"TAG": 0, "LOWER": 1, "DEP": 2, "IS_SPACE": 3}  # column in the token's key
COLUMNS = [TAG, LOWER, DEP, IS_SPACE]
MAX_KEYS = 500_000  # distinct (tag, word, label, space) keys remembered


class UnsupportedPattern(ValueError):
    """A pattern this lookup cannot answer exactly."""


class IndexedAttributeMatches:
    def __init__(self, ruler: AttributeRuler):
        self.strings = ruler.vocab.strings
        self.specs: list[list[tuple[int, str, object]]] = []  # checks: (column, kind, value)
        self.patterns: list[tuple[int, int, list[int]]] = []  # (group, match id, spec per token)
        for group in range(len(ruler.attrs)):
            key = str(group)  # the ruler's own match key for the group
            match_id = self.strings.add(key)
            for pattern in ruler.matcher.get(key)[1]:
                ids = []
                for spec in pattern:
                    self.specs.append(self.compile(spec))
                    ids.append(len(self.specs) - 1)
                self.patterns.append((group, match_id, ids))
        # Each spec is tried only for keys that have the value of one of its equality
        # checks (most specs name a tag): the 200 specs are not all tried for every key.
        self.by_value: dict[tuple[int, int], list[int]] = {}
        self.always: list[int] = []
        for n, checks in enumerate(self.specs):
            first = next(((column, value) for column, kind, value in checks if kind == "eq"), None)
            if first is None:
                self.always.append(n)
            else:
                self.by_value.setdefault(first, []).append(n)
        self.starting: dict[int, list[int]] = {}  # spec -> patterns whose first token it is
        for n, (_, _, ids) in enumerate(self.patterns):
            self.starting.setdefault(ids[0], []).append(n)
        self.met: dict[tuple, frozenset[int]] = {}  # token key -> specs it meets

    def compile(self, spec: dict) -> list[tuple[int, str, object]]:
        checks = []
        for name, value in sorted(spec.items()):
            column = ATTRIBUTES.get(name)
            if column is None:
                raise UnsupportedPattern(f"attribute {name!r} in {spec}")
            if isinstance(value, bool):
                checks.append((column, "eq", int(value)))
            elif isinstance(value, str) and name != "IS_SPACE":
                checks.append((column, "eq", self.strings.add(value)))
            elif isinstance(value, dict) and set(value) in ({"IN"}, {"NOT_IN"}) and name != "IS_SPACE":
                kind, = value
                checks.append((column, kind.lower(), frozenset(self.strings.add(v) for v in value[kind])))
            elif isinstance(value, dict) and set(value) == {"REGEX"} and name != "IS_SPACE":
                checks.append((column, "regex", re.compile(value["REGEX"])))
            else:
                raise UnsupportedPattern(f"{name}: {value!r}")
        return checks

    def specs_met(self, key: tuple) -> frozenset[int]:
        met = self.met.get(key)
        if met is None:
            if len(self.met) >= MAX_KEYS:
                self.met.clear()
            candidates = [n for column, value in enumerate(key) for n in self.by_value.get((column, value), ())]
            met = self.met[key] = frozenset(n for n in candidates + self.always
                                            if all(self.check(key[column], kind, value)
                                                   for column, kind, value in self.specs[n]))
        return met

    def check(self, found: int, kind: str, value) -> bool:
        if kind == "eq":
            return found == value
        if kind == "in":
            return found in value
        if kind == "not_in":
            return found not in value
        return bool(value.search(self.strings[found]))  # as spaCy's REGEX predicate

    def __call__(self, doc: Doc) -> list[tuple[int, int, int, int]]:
        met = [self.specs_met(tuple(row)) for row in doc.to_array(COLUMNS).tolist()]
        found = set()
        for start, specs in enumerate(met):
            for spec in specs:
                for n in self.starting.get(spec, ()):
                    group, match_id, ids = self.patterns[n]
                    end = start + len(ids)
                    if end <= len(met) and all(ids[k] in met[start + k] for k in range(1, len(ids))):
                        found.add((group, match_id, start, end))
        return sorted(found)


def index_attribute_ruler(ruler: AttributeRuler) -> bool:
    """Make the ruler match by lookup; False (and left as it was) when a pattern does
    not allow it."""
    try:
        ruler.match = IndexedAttributeMatches(ruler)
    except UnsupportedPattern:
        return False
    return True
