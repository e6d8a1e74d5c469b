"""``newsevents eval``: score extracted events against a gold file, field by field.

    report = evaluate(docs, events_by_doc)

Events are matched to gold events inside each document: a pair needs the same event
type or the same trigger word, and pairs are taken best first (trigger, type, ACLED
sub-type). Then, for each field:

* predicted: system events that state the field, gold: gold events that state it,
  correct: matched pairs whose values agree. Precision = correct / predicted,
  recall = correct / gold. A value on a spurious event costs precision ("a toll
  invented"), a value missing on a matched event costs recall.
* Only asserted events count (they are what an analyst aggregates); hypothetical,
  negated and future events are scored by the ``modality`` field alone, which counts
  the non-asserted labels.

Agreement per field: types and ACLED labels exactly; actors by canonical name, by
country (and sector when gold gives one), or by the head word of the text; places
within 25 km (country-level gold places by country, admin1 ones by name); dates and
magnitudes exactly.
"""
from __future__ import annotations

import contextlib
import functools
import datetime as dt
import json
import tempfile
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from newsevents.pipelines.batch import run
from newsevents.pipelines.gold import MAGNITUDES, GoldDoc, GoldEvent
from newsevents.pipelines.options import make_run_options
from newsevents.transforms.extraction.gazetteer import haversine_km, name_key
from newsevents.transforms.storage.query import connect_lake

PLACE_RADIUS_KM = 25.0
FIELDS = ("event_type", "acled_event_type", "acled_sub_event_type", "actor1", "actor2",
          "place", "event_date", *MAGNITUDES, "modality")
NONE = "(none)"


@dataclass
class FieldScore:
    predicted: int = 0
    gold: int = 0
    correct: int = 0

    @property
    def precision(self) -> float | None:
        return self.correct / self.predicted if self.predicted else None

    @property
    def recall(self) -> float | None:
        return self.correct / self.gold if self.gold else None

    @property
    def f1(self) -> float | None:
        p, r = self.precision, self.recall
        if p is None or r is None:
            return None
        return 2 * p * r / (p + r) if p + r else 0.0


@dataclass
class Report:
    documents: int
    fields: dict[str, FieldScore]
    confusion: Counter
    misses: list[dict]
    confidence_auc: float | None
    gold_events: int
    system_events: int

    def as_dict(self) -> dict:
        return {
            "documents": self.documents,
            "gold_events": self.gold_events,
            "system_events": self.system_events,
            "fields": {name: {"precision": rounded(s.precision), "recall": rounded(s.recall),
                              "f1": rounded(s.f1), "predicted": s.predicted, "gold": s.gold,
                              "correct": s.correct}
                       for name, s in self.fields.items()},
            "confidence_auc": rounded(self.confidence_auc),
            "confusion": [{"gold": g, "system": s, "count": n}
                          for (g, s), n in sorted(self.confusion.items(), key=lambda kv: -kv[1])],
            "worst_misses": self.misses,
        }


def rounded(value):
    return None if value is None else round(value, 4)


# -- agreement per field --------------------------------------------------------------
def words(text: str | None) -> list[str]:
    return [w.strip(".,;:'\"’“”()").lower() for w in (text or "").split() if w.strip(".,;:'\"’“”()")]


def actor_agrees(gold: dict | None, event: dict, role: str) -> bool:
    if gold is None:
        return False
    if "any_of" in gold:
        return any(actor_agrees(option, event, role) for option in gold["any_of"])
    name, text = event.get(f"{role}_name"), event.get(f"{role}_text")
    country, sector = event.get(f"{role}_country"), event.get(f"{role}_sector")
    if name is None and text is None:
        return False
    if gold.get("name") and name and gold["name"].lower() == name.lower():
        return True
    if gold.get("country") and country == gold["country"]:
        if gold.get("sector") is None or sector == gold["sector"]:
            return True
    if not gold.get("country") and not gold.get("name") and gold.get("sector") and sector == gold["sector"]:
        return True
    gold_words = words(gold.get("text"))
    # The head of an English noun phrase is its last word: "Iraqi security forces".
    return bool(gold_words) and gold_words[-1] in words(text)


def place_agrees(gold: dict | None, event: dict) -> bool:
    if gold is None or event.get("country_iso3") is None:
        return False
    if gold.get("latitude") is not None and event.get("latitude") is not None:
        return haversine_km(gold["latitude"], gold["longitude"],
                            event["latitude"], event["longitude"]) <= PLACE_RADIUS_KM
    if gold.get("admin1"):
        # GeoNames spells regions with their accents ("Nīnawá"); the gold may not.
        return event["country_iso3"] == gold["country"] and same_region(event.get("admin1"), gold["admin1"])
    return event["country_iso3"] == gold["country"] and not gold.get("name")


def same_region(found: str | None, gold: str) -> bool:
    """Whether two admin1 names name one region: equal once accents and case are folded
    ("Nīnawá", "Ninawa"), or the gold name is another name of the region found ("Homs"
    for "Ḩimş")."""
    if not found:
        return False
    if name_key(found) == name_key(gold):
        return True
    return any(p.feature_type == "admin1" and name_key(p.name) == name_key(found)
               for p in region_gazetteer().candidates(gold))


@functools.lru_cache(maxsize=1)
def region_gazetteer():
    from newsevents.transforms.extraction.gazetteer import Gazetteer

    return Gazetteer.build()


def has_value(gold: GoldEvent | None, event: dict | None, name: str) -> tuple[bool, bool]:
    """(gold states the field, system states it)."""
    if name in ("actor1", "actor2"):
        return (gold is not None and getattr(gold, name) is not None,
                event is not None and bool(event.get(f"{name}_text") or event.get(f"{name}_name")))
    if name == "place":
        return (gold is not None and gold.place is not None,
                event is not None and event.get("country_iso3") is not None)
    if name == "modality":
        return (gold is not None and gold.modality != "asserted",
                event is not None and event.get("modality") != "asserted")
    return (gold is not None and getattr(gold, name) is not None,
            event is not None and event.get(name) is not None)


def agrees(gold: GoldEvent, event: dict, name: str) -> bool:
    if name in ("actor1", "actor2"):
        return actor_agrees(getattr(gold, name), event, name)
    if name == "place":
        return place_agrees(gold.place, event)
    if name == "event_date":
        return gold.event_date is not None and str(event.get("event_date"))[:10] == gold.event_date.isoformat()
    return getattr(gold, name) == event.get(name)


# -- matching -------------------------------------------------------------------------
def same_trigger(gold: GoldEvent, event: dict) -> bool:
    if not gold.trigger or not event.get("trigger_text"):
        return False
    a, b = gold.trigger.lower(), event["trigger_text"].lower()
    return a == b or a.split()[0][:5] == b[:5]


def align(gold_events: list[GoldEvent], events: list[dict]) -> list[tuple[int | None, int | None]]:
    """Pairs (gold index, event index), with None for a missed or spurious event."""
    candidates = []
    for gi, gold in enumerate(gold_events):
        for ei, event in enumerate(events):
            trigger = same_trigger(gold, event)
            same_type = gold.event_type == event["event_type"]
            if not (trigger or same_type):
                continue
            score = (4 * trigger + 2 * same_type
                     + (gold.acled_sub_event_type == event.get("acled_sub_event_type"))
                     + (gold.counted == (event.get("modality") == "asserted")))
            candidates.append((-score, gi, ei))
    pairs, used_gold, used_events = [], set(), set()
    for _, gi, ei in sorted(candidates):
        if gi in used_gold or ei in used_events:
            continue
        used_gold.add(gi)
        used_events.add(ei)
        pairs.append((gi, ei))
    pairs += [(gi, None) for gi in range(len(gold_events)) if gi not in used_gold]
    pairs += [(None, ei) for ei in range(len(events)) if ei not in used_events]
    return pairs


# -- scoring --------------------------------------------------------------------------
def evaluate(docs: list[GoldDoc], events_by_doc: dict[str, list[dict]], fields=FIELDS,
             max_misses: int = 20) -> Report:
    scores = {name: FieldScore() for name in fields}
    confusion: Counter = Counter()
    misses = []
    ranked = []  # (confidence, right) for the confidence ranking
    system_total = gold_total = 0
    for doc in docs:
        events = events_by_doc.get(doc.id, [])
        system_total += sum(e.get("modality") == "asserted" for e in events)
        gold_total += sum(g.counted for g in doc.events)
        for gi, ei in align(doc.events, events):
            gold = doc.events[gi] if gi is not None else None
            event = events[ei] if ei is not None else None
            score_pair(scores, gold, event)
            gold_label = gold.event_type if gold is not None and gold.counted else NONE
            system_label = event["event_type"] if event is not None and event.get("modality") == "asserted" else NONE
            if gold_label != NONE or system_label != NONE:
                confusion[(gold_label, system_label)] += 1
            if event is not None and event.get("modality") == "asserted" and event.get("confidence") is not None:
                ranked.append((event["confidence"], gold_label == system_label))
            miss = describe_miss(doc, gold, event, fields)
            if miss is not None:
                misses.append(miss)
    misses.sort(key=lambda m: (-m["weight"], m["id"]))
    return Report(len(docs), scores, confusion, misses[:max_misses], ranking_auc(ranked),
                  gold_total, system_total)


def score_pair(scores: dict[str, FieldScore], gold: GoldEvent | None, event: dict | None) -> None:
    gold_counts = gold is not None and gold.counted
    event_counts = event is not None and event.get("modality") == "asserted"
    for name, score in scores.items():
        if name == "modality":
            gold_has, event_has = has_value(gold, event, name)
            score.gold += gold_has
            score.predicted += event_has
            score.correct += gold_has and event_has and gold.modality == event["modality"]
            continue
        if name == "event_type":
            score.gold += gold_counts
            score.predicted += event_counts
            score.correct += gold_counts and event_counts and gold.event_type == event["event_type"]
            continue
        gold_has, event_has = has_value(gold, event, name)
        gold_has, event_has = gold_has and gold_counts, event_has and event_counts
        score.gold += gold_has
        score.predicted += event_has
        score.correct += gold_has and event_has and agrees(gold, event, name)


def describe_miss(doc: GoldDoc, gold: GoldEvent | None, event: dict | None, fields) -> dict | None:
    """What went wrong with one pair, or None when nothing did."""
    base = {"id": doc.id, "sentence": (event or {}).get("sentence") or doc.text[:200]}
    if gold is not None and gold.counted and (event is None or event.get("modality") != "asserted"):
        return {**base, "kind": "missed", "weight": 3, "expected": gold.event_type,
                "got": f"{event['event_type']} ({event['modality']})" if event else None}
    if event is not None and event.get("modality") == "asserted" and (gold is None or not gold.counted):
        return {**base, "kind": "spurious", "weight": 2 + (event.get("confidence") or 0),
                "expected": f"{gold.event_type} ({gold.modality})" if gold else None,
                "got": f"{event['event_type']} {event.get('trigger_text')!r}"}
    if gold is None or event is None or not gold.counted:
        return None
    wrong = []
    for name in fields:
        if name in ("modality",):
            continue
        gold_has, event_has = has_value(gold, event, name)
        if (gold_has or event_has) and not (gold_has and event_has and agrees(gold, event, name)):
            wrong.append(f"{name}: expected {gold_value(gold, name)}, got {event_value(event, name)}")
    if not wrong:
        return None
    return {**base, "kind": "fields", "weight": len(wrong) / 4, "expected": gold.event_type,
            "got": event["event_type"], "wrong": wrong}


def gold_value(gold: GoldEvent, name: str):
    value = getattr(gold, name)
    if isinstance(value, dict):
        return value.get("name") or value.get("text") or value.get("country") or value
    return value


def event_value(event: dict, name: str):
    if name in ("actor1", "actor2"):
        return event.get(f"{name}_name") or event.get(f"{name}_text")
    if name == "place":
        return f"{event.get('location_name')} ({event.get('country_iso3')})" if event.get("country_iso3") else None
    value = event.get(name)
    return value.isoformat() if isinstance(value, dt.date) else value


def ranking_auc(ranked: list[tuple[float, bool]]) -> float | None:
    """How often a right event has a higher confidence than a wrong one (ROC AUC)."""
    right = [c for c, ok in ranked if ok]
    wrong = [c for c, ok in ranked if not ok]
    if not right or not wrong:
        return None
    wins = sum((r > w) + 0.5 * (r == w) for r in right for w in wrong)
    return wins / (len(right) * len(wrong))


# -- floors ---------------------------------------------------------------------------
def check_floors(report: Report, floors: dict) -> list[str]:
    """The floors a report falls below, as readable lines ("event_type f1 0.71 < 0.80")."""
    failures = []
    for name, limits in floors.items():
        if name == "confidence_auc":
            if report.confidence_auc is None or report.confidence_auc < limits:
                failures.append(f"confidence_auc {report.confidence_auc} < {limits}")
            continue
        score = report.fields.get(name)
        if score is None:
            failures.append(f"{name}: not a scored field")
            continue
        for metric, floor in limits.items():
            value = getattr(score, metric)
            if value is None or value < floor:
                failures.append(f"{name} {metric} {value if value is None else round(value, 4)} < {floor}")
    return failures


def read_floors_file(path: str):
    """The JSON of a floors file; a clear error when it cannot be read."""
    try:
        return json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as err:
        raise ValueError(f"{path}: cannot read floors: {err}") from None


def load_floors(path: str) -> dict:
    floors = read_floors_file(path)
    if not isinstance(floors, dict):
        raise ValueError(f"{path}: floors must be a JSON object of field -> {{metric: floor}}")
    for name, limits in floors.items():
        if name == "confidence_auc":
            continue
        if name not in FIELDS or not isinstance(limits, dict) or \
                set(limits) - {"precision", "recall", "f1"}:
            raise ValueError(f"{path}: {name!r}: expected a field of {FIELDS} with "
                             f"precision / recall / f1 floors")
    return floors


# -- where the events come from -------------------------------------------------------
def events_from_lake(lake: str) -> dict[str, list[dict]]:
    """External id -> event rows of a lake, in article order."""
    con = connect_lake(lake)
    cursor = con.execute(
        "SELECT a.external_id, e.* FROM events e JOIN articles a USING (article_id) "
        "ORDER BY a.external_id, e.sentence_index, e.trigger_start")
    names = [d[0] for d in cursor.description]
    by_doc: dict[str, list[dict]] = {}
    for row in cursor.fetchall():
        record = dict(zip(names, row))
        by_doc.setdefault(record["external_id"], []).append(record)
    return by_doc


def copies_from_lake(lake: str) -> dict[str, str]:
    """External id of each stored copy -> external id of the article it copies."""
    con = connect_lake(lake)
    return dict(con.execute(
        "SELECT c.external_id, o.external_id FROM articles c JOIN articles o "
        "ON c.duplicate_of = o.article_id WHERE c.external_id IS NOT NULL").fetchall())


@contextlib.contextmanager
def scratch_lake(docs: list[GoldDoc], model: str, workers: int, near_duplicate_threshold: float):
    """The gold articles run through the whole pipeline into a scratch lake; yields
    (lake, manifest)."""
    with tempfile.TemporaryDirectory(prefix="newsevents-eval-") as scratch:
        articles = Path(scratch) / "gold.jsonl"
        with articles.open("w", encoding="utf-8") as out:
            for doc in docs:
                out.write(json.dumps(doc.as_input(), ensure_ascii=False) + "\n")
        lake = str(Path(scratch) / "lake")
        options = make_run_options([str(articles)], lake, model=model, workers=workers,
                                   progress=False, near_duplicate_threshold=near_duplicate_threshold)
        yield lake, run(options)


def events_from_fresh_run(docs: list[GoldDoc], model: str, workers: int = 1) -> dict[str, list[dict]]:
    """Run the whole pipeline over the gold articles into a scratch lake and read it."""
    # Gold records are independent items, some of them minimal pairs ("threatened to
    # ban" / "banned"): only identical texts may count as copies here.
    with scratch_lake(docs, model, workers, near_duplicate_threshold=1.0) as (lake, manifest):
        counts = manifest["counts"]
        if counts["rejected"] or counts["duplicates"]:
            raise ValueError(f"{counts['rejected']} gold articles were rejected and "
                             f"{counts['duplicates']} taken as duplicates; fix the gold file")
        return events_from_lake(lake)


def coverage(docs: list[GoldDoc]) -> dict:
    """What a gold set covers: events per PLOVER type and ACLED sub-type, negatives."""
    types = Counter(e.event_type for d in docs for e in d.events if e.counted)
    subs = Counter(f"{e.acled_event_type} / {e.acled_sub_event_type}"
                   for d in docs for e in d.events if e.counted and e.acled_event_type)
    modalities = Counter(e.modality for d in docs for e in d.events)
    return {"documents": len(docs), "event_types": dict(types), "acled_sub_event_types": dict(subs),
            "modalities": dict(modalities),
            "without_events": sum(not any(e.counted for e in d.events) for d in docs)}
