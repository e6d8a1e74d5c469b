"""Words that only one country's news uses (``lexicons/country_cues.csv``): its
legislatures, local government units, offices, parties, unions and currencies. They
tell the country of a report that names no place of its own. Pure spaCy, no Beam.

    cues = CountryCues.build(nlp, known_countries)
    cues.countries(doc) -> Counter({"IND": 2})
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc

from newsevents.transforms.lexicons.loader import LexiconError, read_csv

CUE_KINDS = {"legislature", "local_government", "office", "party", "union", "currency", "term"}


@dataclass
class CountryCues:
    exact: PhraseMatcher  # acronyms and capitalized cues, as written ("VDC", "Lok Sabha")
    lower: PhraseMatcher  # lower-case cues, in any case ("upazila", "Upazila")
    country_of: dict[str, str]  # match key -> ISO3

    @classmethod
    def build(cls, nlp: Language, known_countries, name: str = "country_cues.csv") -> "CountryCues":
        exact = PhraseMatcher(nlp.vocab, attr="ORTH")
        lower = PhraseMatcher(nlp.vocab, attr="LOWER")
        country_of = {}
        seen = set()
        for row in read_csv(name, ("cue", "country_iso3", "kind")):
            cue, iso3 = row["cue"].strip(), row["country_iso3"].strip()
            if row["kind"] not in CUE_KINDS:
                raise LexiconError(f"{name}: unknown kind {row['kind']!r} for {cue!r}")
            if iso3 not in known_countries:
                raise LexiconError(f"{name}: unknown country {iso3!r} for {cue!r}")
            if not cue or cue in seen:
                raise LexiconError(f"{name}: empty or repeated cue {cue!r}")
            seen.add(cue)
            key = f"cue:{cue}"
            country_of[key] = iso3
            matcher = lower if cue == cue.lower() else exact
            matcher.add(key, [nlp.make_doc(cue)])
        return cls(exact, lower, country_of)

    def countries(self, doc: Doc) -> Counter:
        """ISO3 -> how many cues of that country the text uses."""
        strings = doc.vocab.strings
        found = Counter()
        for matcher in (self.exact, self.lower):
            for key, _start, _end in matcher(doc):
                found[self.country_of[strings[key]]] += 1
        return found
