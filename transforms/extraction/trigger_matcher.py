"""The trigger Matcher, run only around the words a match must contain. Pure spaCy, no Beam.

    matcher = AnchoredMatcher(vocab)
    matcher.add("attack", [[{"LEMMA": {"IN": ["attack", "raid"]}, "POS": "VERB"}]])
    matcher(doc[10:60]) -> [(match_id, start, end), ...]   # what Matcher(doc[10:60]) returns

spaCy's Matcher tries every pattern at every token. With 127 trigger patterns, most of
them with ``{"IN": [...]}`` sets that it tests in Python, that cost more than all the
other extraction rules together on long news. Yet a match of a pattern holds a token of
its first required word spec (a ``LEMMA`` or ``LOWER`` it names: the pattern's
*anchor*), and reaches only so far from it: as many tokens as its other specs take at
most, plus any run of the parts of speech that its unbounded specs (``*``) accept
("share [the latest] intelligence"). So the Matcher runs over those windows around the
anchors (merged where they overlap) instead of over the whole span.

The result is the same list, in the same order. The Matcher's states move token by
token from where they start, so over a window it finds exactly the matches that lie
inside it, in the order it finds them over the whole span; and every match lies inside
one window, the windows following each other. ``tests/test_trigger_matcher.py`` checks
this against the plain Matcher. A pattern this reasoning does not cover (no required
word spec, or an unbounded spec that accepts more than parts of speech) makes it run
the plain Matcher everywhere.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from spacy.attrs import LEMMA, LOWER, POS
from spacy.matcher import Matcher
from spacy.tokens import Span
from spacy.vocab import Vocab

QUANTIFIER = re.compile(r"^\{(\d*)(,?)(\d*)\}$")
MAX_SUBSETS = 4096  # Matchers of pattern subsets kept (a few hundred occur in practice)


def repetitions(spec: dict) -> tuple[int, int | None]:
    """(fewest, most) tokens a pattern spec takes; most is None when unbounded."""
    op = spec.get("OP")
    if op in (None, "!", "1"):
        return 1, 1
    if op == "?":
        return 0, 1
    if op == "*":
        return 0, None
    if op == "+":
        return 1, None
    found = QUANTIFIER.match(op) if isinstance(op, str) else None
    if found is None:
        raise ValueError(f"unknown OP {op!r}")
    low, comma, high = found.groups()
    if not comma:  # {n}
        return int(low), int(low)
    return int(low or 0), int(high) if high else None


def spec_values(spec: dict, key: str) -> set[str] | None:
    """The values a spec allows for ``key`` (a string or an ``IN`` list of strings), or
    None when it sets no such plain constraint."""
    value = spec.get(key)
    if isinstance(value, str):
        return {value}
    if isinstance(value, dict) and set(value) == {"IN"} and all(isinstance(v, str) for v in value["IN"]):
        return set(value["IN"])
    return None


@dataclass
class Reach:
    """How far a match extends on one side of its anchor: at most ``tokens`` tokens of
    any kind, plus any number of tokens whose part of speech is in ``free``."""
    tokens: int = 0
    free: set[int] = field(default_factory=set)

    def widen(self, other: "Reach") -> None:
        self.tokens = max(self.tokens, other.tokens)
        self.free |= other.free


@dataclass
class Anchoring:
    """What an anchor word says: the patterns it anchors, and how far their matches reach."""
    left: Reach = field(default_factory=Reach)
    right: Reach = field(default_factory=Reach)
    patterns: set[int] = field(default_factory=set)  # indices in the order they were added


class AnchoredMatcher:
    """spaCy's Matcher over token patterns, run only on the windows around anchors."""

    def __init__(self, vocab: Vocab, validate: bool = True):
        self.vocab = vocab
        self.matcher = Matcher(vocab, validate=validate)
        self.patterns: list[tuple[str, list[dict]]] = []  # in the order they were added
        # anchor word hash -> its anchoring, by the attribute the pattern names
        self.by_lemma: dict[int, Anchoring] = {}
        self.by_lower: dict[int, Anchoring] = {}
        self.anchored = True
        self._subsets: dict[tuple[int, ...], Matcher] = {}

    def __len__(self) -> int:
        return len(self.matcher)

    def add(self, key: str, patterns: list[list[dict]]) -> None:
        self.matcher.add(key, patterns)  # validates: a bad pattern raises here
        for pattern in patterns:
            self.patterns.append((key, pattern))
            self._learn(len(self.patterns) - 1, pattern)
        self._subsets.clear()

    def _learn(self, index: int, pattern: list[dict]) -> None:
        anchor = next((n for n, spec in enumerate(pattern)
                       if repetitions(spec)[0] >= 1 and spec.get("OP") != "!"
                       and (spec_values(spec, "LEMMA") or spec_values(spec, "LOWER"))), None)
        sides = (self._reach(pattern[:anchor]), self._reach(pattern[anchor + 1:])) if anchor is not None \
            else (None, None)
        if None in sides:
            self.anchored = False  # no window is sure to hold its matches
            return
        spec = pattern[anchor]
        attribute, table = ("LEMMA", self.by_lemma) if spec_values(spec, "LEMMA") else ("LOWER", self.by_lower)
        for word in spec_values(spec, attribute):
            anchoring = table.setdefault(self.vocab.strings.add(word), Anchoring())
            anchoring.left.widen(sides[0])
            anchoring.right.widen(sides[1])
            anchoring.patterns.add(index)

    def _reach(self, specs: list[dict]) -> Reach | None:
        reach = Reach()
        for spec in specs:
            low, high = repetitions(spec)
            if high is not None:
                reach.tokens += high
                continue
            parts = spec_values(spec, "POS") if not set(spec) - {"POS", "OP"} else None
            if parts is None:
                return None
            reach.tokens += low
            reach.free |= {self.vocab.strings.add(p) for p in parts}
        return reach

    def __call__(self, span: Span) -> list[tuple[int, int, int]]:
        """(match_id, start, end), relative to ``span``, as ``Matcher(span)`` returns them."""
        if not self.anchored:
            return self.matcher(span)
        matches = []
        for start, end, patterns in self.windows(span):
            found = self.subset(patterns)(span[start:end])
            matches += [(key, start + s, start + e) for key, s, e in found]
        return matches

    def subset(self, patterns: frozenset[int]) -> Matcher:
        """A Matcher of only these patterns, added in their original order: over a
        window it finds what the full one finds there, since the other patterns have no
        anchor in it (their states never match, and removing them leaves the order of
        the others as it was)."""
        key = tuple(sorted(patterns))
        matcher = self._subsets.get(key)
        if matcher is None:
            if len(self._subsets) >= MAX_SUBSETS:
                self._subsets.clear()
            matcher = self._subsets[key] = Matcher(self.vocab)
            for index in key:
                name, pattern = self.patterns[index]
                matcher.add(name, [pattern])
        return matcher

    def windows(self, span: Span) -> list[tuple[int, int, frozenset[int]]]:
        """Token ranges of ``span`` (relative to it, in order, not overlapping) that
        together hold every match, with the patterns anchored in each."""
        if len(span) == 0:
            return []
        values = span.doc.to_array([LEMMA, LOWER, POS])[span.start:span.end]
        lemmas, lowers, pos = (values[:, n].tolist() for n in range(3))
        around = []
        for a, (lemma, lower) in enumerate(zip(lemmas, lowers)):
            if lemma not in self.by_lemma and lower not in self.by_lower:
                continue
            here = Anchoring()
            for table, word in ((self.by_lemma, lemma), (self.by_lower, lower)):
                found = table.get(word)
                if found:
                    here.left.widen(found.left)
                    here.right.widen(found.right)
                    here.patterns |= found.patterns
            around.append((walk(pos, a, -1, here.left), walk(pos, a, 1, here.right) + 1, here.patterns))
        windows: list[tuple[int, int, frozenset[int]]] = []
        for start, end, patterns in sorted(around, key=lambda w: w[:2]):
            if windows and start < windows[-1][1]:  # overlapping: one window
                before = windows[-1]
                windows[-1] = (before[0], max(before[1], end), before[2] | patterns)
            else:
                windows.append((start, end, frozenset(patterns)))
        return windows


def walk(pos: list[int], anchor: int, step: int, reach: Reach) -> int:
    """The farthest token index a match can reach from ``anchor`` in direction ``step``."""
    i, budget, last = anchor, reach.tokens, len(pos) - 1
    while 0 < i if step < 0 else i < last:
        if pos[i + step] in reach.free:
            i += step
        elif budget > 0:
            budget -= 1
            i += step
        else:
            break
    return i
