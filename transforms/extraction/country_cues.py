"""Words that only one country's news uses (``lexicons/country_cues.csv``): its
legislatures, local government units, offices, parties, unions and currencies. They
tell the country of a report that names no place of its own. Pure spaCy, no Beam.

    cues = CountryCues.build(nlp, known_countries, actor_aliases)
    cues.countries(doc) -> Counter({"IND": 2})   # two distinct Indian cues
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span
from spacy.util import filter_spans

from newsevents.transforms.lexicons.loader import LexiconError, read_csv

CUE_KINDS = {"legislature", "local_government", "office", "party", "union", "currency", "term"}


@dataclass
class CountryCues:
    exact: PhraseMatcher  # acronyms and capitalized cues, as written ("VDC", "Lok Sabha")
    lower: PhraseMatcher  # lower-case cues, in any case ("upazila", "Upazila")
    country_of: dict[str, str]  # match key -> ISO3

    @classmethod
    def build(cls, nlp: Language, known_countries, actor_aliases=frozenset(),
              name: str = "country_cues.csv") -> "CountryCues":
        """``actor_aliases`` (lower case): a named actor already gives its country
        (``actors.jsonl``) and must not count twice."""
        exact = PhraseMatcher(nlp.vocab, attr="ORTH")
        lower = PhraseMatcher(nlp.vocab, attr="LOWER")
        country_of = {}
        for row in read_csv(name, ("cue", "country_iso3", "kind")):
            cue, iso3 = row["cue"], row["country_iso3"]
            if row["kind"] not in CUE_KINDS:
                raise LexiconError(f"{name}: unknown kind {row['kind']!r} for {cue!r}")
            if iso3 not in known_countries:
                raise LexiconError(f"{name}: unknown country {iso3!r} for {cue!r}")
            key = f"cue:{cue}"
            if key in country_of:
                raise LexiconError(f"{name}: repeated cue {cue!r}")
            if cue.lower() in actor_aliases:
                raise LexiconError(f"{name}: {cue!r} is an actor alias (actors.jsonl gives its country)")
            country_of[key] = iso3
            matcher = lower if cue == cue.lower() else exact
            matcher.add(key, [nlp.make_doc(cue)])
        return cls(exact, lower, country_of)

    def countries(self, doc: Doc) -> Counter:
        """ISO3 -> how many distinct cues of that country the text uses (a cue inside a
        longer one counts once: "gram panchayat" is one cue, not two)."""
        strings = doc.vocab.strings
        spans = [Span(doc, start, end, label=key) for matcher in (self.exact, self.lower)
                 for key, start, end in matcher(doc)]
        cues = {strings[span.label] for span in filter_spans(spans)}
        return Counter(self.country_of[cue] for cue in cues)
