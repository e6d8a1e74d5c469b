"""Scores against real notes coded by people (ACLED): one coded event per note.

    report = evaluate_notes(docs, events_by_doc, copies)

Each note's answer is its highest-confidence asserted event (what an analyst who keeps
one row per note would keep). A field is scored only on the notes whose coder gave it
(an absent field is unknown), except the toll: ACLED leaves out a toll of 0, so a toll
on such a note is invented. For each field:

* scored: notes whose gold states the field; answered: of those, notes whose answer
  states it; right: answers that agree. accuracy = right / scored (a note without an
  answer is wrong), precision = right / answered.
* ``toll_invented`` and ``false_merges`` are rates, lower is better.

Actors are compared as ACLED compares them: by kind (ACLED's inter codes, see
``lexicons/acled_actor_kinds.csv``) and country, never by name. A note stored as a
copy of a note with a different text is a false merge: every note is its own event.
"""
from __future__ import annotations

import datetime as dt
import random
import re
from collections import Counter, defaultdict
from dataclasses import dataclass
from functools import lru_cache

import pycountry

from newsevents.pipelines.evaluate import copies_from_lake, events_from_lake, scratch_lake
from newsevents.pipelines.gold import CodedEvent, GoldDoc
from newsevents.pipelines.options import RunOptions, default_of
from newsevents.transforms.core.text_cleanup import content_hash
from newsevents.transforms.extraction.gazetteer import haversine_km, name_key
from newsevents.transforms.lexicons.loader import LexiconError, read_csv

TOWN_RADIUS_KM = 25.0
INTER_NAMES = {1: "state forces", 2: "rebels", 3: "political militia", 4: "identity militia",
               5: "rioters", 6: "protesters", 7: "civilians", 8: "external forces"}
# field -> what the table calls it; lower_is_better for rates of errors.
NOTE_FIELDS = {
    "event": "notes with an asserted event",
    "acled_event_type": "ACLED event type",
    "acled_sub_event_type": "ACLED sub-type, where given",
    "event_type": "PLOVER type, where given",
    "country": "country",
    "town": "town within 25 km (geo precision 1)",
    "town_named": "town within 25 km or named as coded",
    "event_date": "date, where given",
    "toll_exact": "toll exact, notes with a toll",
    "toll_invented": "toll invented, notes without (lower is better)",
    "actor1": "actor 1: kind and country",
    "actor2": "actor 2: kind and country, where given",
}
LOWER_IS_BETTER = {"toll_invented", "false_merges"}
# Without ACLED inter codes on the events (lakes written before they existed), a
# sector stands for the kind.
SECTOR_KINDS = {"MIL": 1, "COP": 1, "GOV": 1, "REB": 2, "CVL": 7, "IGO": 8}


@dataclass
class NoteScore:
    scored: int = 0
    answered: int = 0
    right: int = 0

    @property
    def accuracy(self) -> float | None:
        return self.right / self.scored if self.scored else None

    @property
    def precision(self) -> float | None:
        return self.right / self.answered if self.answered else None


@dataclass
class NoteReport:
    notes: int
    fields: dict[str, NoteScore]
    false_merges: list[dict]
    errors: dict[str, dict[str, list[dict]]]  # field -> error class -> examples
    error_counts: dict[str, Counter]

    @property
    def false_merge_rate(self) -> float:
        return len(self.false_merges) / self.notes if self.notes else 0.0

    def value(self, name: str) -> float | None:
        """The headline figure of a field (accuracy, or the rate of a lower-is-better one)."""
        if name == "false_merges":
            return self.false_merge_rate
        score = self.fields[name]
        return score.accuracy

    def as_dict(self, examples: int = 3) -> dict:
        return {
            "notes": self.notes,
            "fields": {name: {"label": NOTE_FIELDS[name], "scored": s.scored, "answered": s.answered,
                              "right": s.right, "accuracy": rounded(s.accuracy),
                              "precision": rounded(s.precision)}
                       for name, s in self.fields.items()},
            "false_merges": {"count": len(self.false_merges),
                             "rate": rounded(self.false_merge_rate),
                             "examples": self.false_merges[:examples]},
            "errors": {name: [{"class": cls, "count": n, "examples": self.errors[name][cls][:examples]}
                              for cls, n in counts.most_common()]
                       for name, counts in self.error_counts.items()},
        }


def rounded(value):
    return None if value is None else round(value, 4)


# -- ACLED actors: kind and country ----------------------------------------------------
@lru_cache(maxsize=1)
def actor_kind_rules() -> tuple[tuple[re.Pattern, int], ...]:
    rules = []
    for row in read_csv("acled_actor_kinds.csv", ("pattern", "inter")):
        try:
            rules.append((re.compile(row["pattern"]), int(row["inter"])))
        except (re.error, ValueError) as err:
            raise LexiconError(f"acled_actor_kinds.csv: {row['pattern']!r}: {err}") from None
    return tuple(rules)


@lru_cache(maxsize=1)
def country_names() -> dict[str, str]:
    """Folded country name (without "the", "of", "republic"...) -> ISO 3166 alpha-3."""
    names = {}
    for country in pycountry.countries:
        variants = {getattr(country, a) for a in ("name", "common_name", "official_name")
                    if getattr(country, a, None)}
        # "Congo, The Democratic Republic of the" is also "The Democratic Republic of the Congo".
        variants |= {" ".join(reversed(v.split(", ", 1))) for v in variants if ", " in v}
        for variant in variants:
            names[country_key(variant)] = country.alpha_3
    return names


def country_key(name: str) -> str:
    return " ".join(w for w in name_key(name).split() if w not in ("the", "of", "and"))


def country_code(name: str) -> str | None:
    return country_names().get(country_key(name))


ACLED_COUNTRY = re.compile(r"(?:\bof (?P<of>[^()]+?)\s*(?:\(|$))|\((?P<paren>[^()0-9]+)\)")


def acled_actor(name: str | None, event_country: str | None) -> tuple[int, str | None] | None:
    """("Police Forces of India (2014-)", "IND") -> (1, "IND"); a state's forces abroad
    are external forces (8), as ACLED codes them."""
    if not name:
        return None
    kind = next((inter for pattern, inter in actor_kind_rules() if pattern.search(name)), 2)
    country = None
    for match in ACLED_COUNTRY.finditer(name):
        country = country_code(match.group("of") or match.group("paren"))
        if country:
            break
    if kind == 1 and country and event_country and country != event_country:
        kind = 8
    return kind, country


def system_actor(event: dict, role: str) -> tuple[int, str | None] | None:
    kind = event.get("inter1" if role == "actor1" else "inter2")
    if kind is None:
        kind = SECTOR_KINDS.get(event.get(f"{role}_sector") or "")
    if kind is None:
        return None
    return int(kind), event.get(f"{role}_country") or event.get("country_iso3")


# -- one note ------------------------------------------------------------------------
def answer_of(events: list[dict]) -> dict | None:
    """The highest-confidence asserted event (first in the text on ties)."""
    asserted = [e for e in events if e.get("modality") == "asserted"]
    return max(asserted, key=lambda e: (e.get("confidence") or 0.0, -(e.get("trigger_start") or 0)),
               default=None)


def judge_note(gold: CodedEvent, event: dict | None) -> dict[str, tuple[bool, bool, bool, str | None]]:
    """field -> (scored, answered, right, error class or None)."""
    results = {}
    place = gold.place
    results["event"] = (True, event is not None, event is not None, None if event else "no asserted event")
    if event is None:
        event = {}

    def compare(name, gold_value, system_value, describe=None):
        if gold_value is None:
            return
        answered = system_value is not None
        right = answered and system_value == gold_value
        error = None
        if not answered:
            error = f"no {name.replace('_', ' ')}"
        elif not right:
            error = describe(gold_value, system_value) if describe else f"{gold_value} -> {system_value}"
        results[name] = (True, answered, right, error)

    compare("acled_event_type", gold.acled_event_type, event.get("acled_event_type"))
    compare("acled_sub_event_type", gold.acled_sub_event_type, event.get("acled_sub_event_type"))
    compare("event_type", gold.event_type, event.get("event_type"))
    compare("country", place["country"], event.get("country_iso3"),
            lambda g, s: "wrong country")
    if place["geo_precision"] == 1:
        results["town"] = judge_town(place, event)
        results["town_named"] = judge_town_named(place, event, results["town"])
    if gold.event_date is not None:
        system_date = event.get("event_date")
        system_date = system_date if isinstance(system_date, dt.date) or system_date is None \
            else dt.date.fromisoformat(str(system_date)[:10])
        compare("event_date", gold.event_date, system_date, lambda g, s: date_error(g, s))
    toll = event.get("fatalities")
    if gold.fatalities:
        compare("toll_exact", gold.fatalities, toll,
                lambda g, s: "toll too high" if s > g else "toll too low")
    else:
        invented = bool(toll)
        results["toll_invented"] = (True, invented, invented, "toll invented" if invented else None)
    for role in ("actor1", "actor2"):
        gold_actor = acled_actor(getattr(gold, role), place["country"])
        if gold_actor is None:
            continue
        answer = system_actor(event, role) if event else None
        right = answer is not None and answer[0] == gold_actor[0] and (
            gold_actor[1] is None or answer[1] is None or answer[1] == gold_actor[1])
        error = None
        if answer is None:
            error = f"no actor ({INTER_NAMES[gold_actor[0]]})"
        elif answer[0] != gold_actor[0]:
            error = f"{INTER_NAMES[gold_actor[0]]} -> {INTER_NAMES.get(answer[0], answer[0])}"
        elif not right:
            error = "wrong country"
        results[role] = (True, answer is not None, right, error)
    return results


def judge_town(place: dict, event: dict) -> tuple[bool, bool, bool, str | None]:
    if event.get("latitude") is None or event.get("country_iso3") is None:
        return True, False, False, "no place"
    if event.get("geo_precision") == 3:
        return True, False, False, "country only"
    distance = haversine_km(place["latitude"], place["longitude"], event["latitude"], event["longitude"])
    if distance <= TOWN_RADIUS_KM:
        return True, True, True, None
    if event.get("geo_precision") == 2:
        return True, True, False, "region only"
    if event["country_iso3"] != place["country"]:
        return True, True, False, "town in another country"
    return True, True, False, "another town" + (" (< 100 km)" if distance < 100 else "")


def judge_town_named(place: dict, event: dict, by_distance: tuple) -> tuple[bool, bool, bool, str | None]:
    """The town right by distance, or by name: the event's place is a town (geo precision
    1) that carries the coded name in the coded country. ACLED's 2015 Asia points stray
    from the places they name (Varanasi is coded at Meerut's point, Srinagar 150 km from
    the city, Dhaka 37 km), so a report placed in the very town the coder named is wrong
    by distance alone. Its misses are the town's, whose error classes list them."""
    scored, answered, right, _ = by_distance
    name = folded_name(event.get("location_name"))
    if not right and answered and event.get("geo_precision") == 1 and name \
            and event.get("country_iso3") == place.get("country") and name == folded_name(place.get("name")):
        right = True  # a town (not a district of the town's name) named as coded
    return scored, answered, right, None


def folded_name(name: str | None) -> str:
    """A place name as the gazetteer keys it, without its spaces ("Karnāl" is "karnal")."""
    return name_key(name or "").replace(" ", "")


def date_error(gold: dt.date, system: dt.date) -> str:
    days = (system - gold).days
    if abs(days) <= 7:
        return "off by a week or less"
    return "later than coded" if days > 0 else "earlier than coded"


# -- all notes -----------------------------------------------------------------------
def evaluate_notes(docs: list[GoldDoc], events_by_doc: dict[str, list[dict]],
                   copies: dict[str, str] | None = None, max_examples: int = 5) -> NoteReport:
    """``copies``: note id -> id of the note it was stored as a copy of."""
    fields = {name: NoteScore() for name in NOTE_FIELDS}
    errors: dict[str, dict[str, list[dict]]] = defaultdict(lambda: defaultdict(list))
    counts: dict[str, Counter] = defaultdict(Counter)
    # Notes the same but for case and runs of whitespace are one report, as the pipeline
    # compares them (``content_hash``): storing the second as a copy is right.
    texts = {doc.id: content_hash(doc.text) for doc in docs}
    originals = {doc.id: doc.text for doc in docs}
    false_merges = []
    for doc in docs:
        original = (copies or {}).get(doc.id)
        if original is not None and texts.get(original) != texts[doc.id]:
            false_merges.append({"id": doc.id, "copy_of": original, "text": doc.text[:160],
                                 "original": (originals.get(original) or "")[:160]})
        gold = doc.events[0]
        event = answer_of(events_by_doc.get(doc.id, []))
        for name, (scored, answered, right, error) in judge_note(gold, event).items():
            score = fields[name]
            score.scored += scored
            score.answered += answered
            score.right += right
            if error:
                if name == "event" and original is not None:
                    error = "stored as a copy of another note"
                counts[name][error] += 1
                if len(errors[name][error]) < max_examples:
                    errors[name][error].append(example(doc, event, name))
    return NoteReport(len(docs), fields, false_merges, errors, counts)


def example(doc: GoldDoc, event: dict | None, name: str) -> dict:
    gold = doc.events[0]
    found = {}
    if event:
        found = {k: str(event.get(k)) for k in ("event_type", "acled_event_type", "trigger_text",
                                                 "location_name", "country_iso3", "event_date",
                                                 "fatalities", "actor1_name", "actor1_text")
                 if event.get(k) is not None}
    coded = {"acled_event_type": gold.acled_event_type, "place": gold.place.get("name"),
             "country": gold.place.get("country"), "date": str(gold.event_date),
             "fatalities": gold.fatalities, "actor1": gold.actor1, "actor2": gold.actor2}
    return {"id": doc.id, "text": doc.text[:200], "coded": coded, "found": found}


def sample_docs(docs: list[GoldDoc], size: int | None, seed: int) -> list[GoldDoc]:
    """A fixed random sample (all of them when there are fewer)."""
    if size is None or size >= len(docs):
        return docs
    chosen = sorted(random.Random(seed).sample(range(len(docs)), size))
    return [docs[i] for i in chosen]


# -- floors --------------------------------------------------------------------------
def check_note_floors(report: NoteReport, floors: dict) -> list[str]:
    """Lines for the fields below their floor (or, lower-is-better, above their ceiling)."""
    failures = []
    for name, limit in floors.items():
        value = report.value(name)
        if value is None:
            failures.append(f"{name}: nothing scored")
        elif name in LOWER_IS_BETTER and value > limit:
            failures.append(f"{name} {value:.4f} > {limit}")
        elif name not in LOWER_IS_BETTER and value < limit:
            failures.append(f"{name} {value:.4f} < {limit}")
    return failures


def load_note_floors(raw) -> dict:
    if not isinstance(raw, dict) or set(raw) - set(NOTE_FIELDS) - {"false_merges"} \
            or not all(isinstance(v, (int, float)) for v in raw.values()):
        raise ValueError(f"note floors map fields of {sorted(NOTE_FIELDS) + ['false_merges']} "
                         "to a number")
    return raw


def score_notes(docs: list[GoldDoc], model: str, workers: int = 1,
                lake: str | None = None) -> NoteReport:
    """Run the notes through the pipeline in a scratch lake with the default settings
    (near-duplicates included: merging two notes is an error to measure), or read an
    existing lake, and score them. A note stored as a copy of one with the same text
    answers with that note's events."""
    if lake is not None:
        return _score_lake(docs, lake)
    with scratch_lake(docs, model, workers, default_of(RunOptions, "near_duplicate_threshold")) \
            as (scratch, _manifest):
        return _score_lake(docs, scratch)


def _score_lake(docs: list[GoldDoc], lake: str) -> NoteReport:
    events, copies = events_from_lake(lake), copies_from_lake(lake)
    texts = {doc.id: content_hash(doc.text) for doc in docs}  # as evaluate_notes compares them
    for copy, original in copies.items():
        if texts.get(copy) is not None and texts.get(copy) == texts.get(original):
            events[copy] = events.get(original, [])
    return evaluate_notes(docs, events, copies)
