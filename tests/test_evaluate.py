"""Scoring and gold-file validation of `newsevents eval`, on hand-made events (no model)."""
import datetime as dt
import json

import pytest

from newsevents.pipelines.evaluate import (FieldScore, actor_agrees, align, check_floors, coverage,
                                evaluate, load_floors, place_agrees, ranking_auc)
from newsevents.pipelines.gold import GoldError, load_gold, load_gold_dir, parse_doc, parse_plover
from conftest import ROOT
from newsevents.transforms.extraction.ontology import ACLED_SUB_EVENT_TYPES, PLOVER_TYPES

GOLD_DIR = ROOT / "tests" / "gold"


def event(**fields):
    base = {"event_type": "ASSAULT", "modality": "asserted", "trigger_text": "killed",
            "acled_event_type": None, "acled_sub_event_type": None, "confidence": 0.9,
            "event_date": dt.date(2024, 3, 12), "country_iso3": None, "latitude": None,
            "longitude": None, "admin1": None, "location_name": None, "sentence": "s"}
    for role in ("actor1", "actor2"):
        for key in ("text", "name", "country", "sector"):
            base[f"{role}_{key}"] = None
    base.update(fields)
    return base


def doc(events, **extra):
    record = {"id": "d1", "published_at": "2024-03-14", "text": "Some text.", "events": events}
    record.update(extra)
    return parse_doc(record, "test")


@pytest.mark.parametrize("gold, system, agrees", [
    ({"name": "Islamic State"}, {"actor1_name": "Islamic State", "actor1_text": "ISIS"}, True),
    ({"country": "NGA", "sector": "MIL"}, {"actor1_text": "Nigerian troops", "actor1_country": "NGA",
                                          "actor1_sector": "MIL"}, True),
    ({"country": "NGA", "sector": "MIL"}, {"actor1_text": "Nigerians", "actor1_country": "NGA",
                                          "actor1_sector": "CVL"}, False),
    ({"text": "gunmen"}, {"actor1_text": "unidentified gunmen"}, True),
    ({"text": "gunmen"}, {"actor1_text": "soldiers"}, False),
    ({"sector": "CVL"}, {"actor1_text": "villagers", "actor1_sector": "CVL"}, True),
    ({"any_of": [{"text": "Hungarian"}, {"text": "Romanian", "country": "ROU"}]},
     {"actor1_text": "officials", "actor1_country": "ROU"}, True),
    ({"name": "Taliban"}, {}, False),
])
def test_actor_agreement(gold, system, agrees):
    assert actor_agrees(gold, event(**system), "actor1") is agrees


@pytest.mark.parametrize("gold, system, agrees", [
    # Homs city vs a point 10 km away: within 25 km.
    ({"name": "Homs", "country": "SYR", "latitude": 34.73, "longitude": 36.72},
     {"country_iso3": "SYR", "latitude": 34.80, "longitude": 36.65}, True),
    ({"name": "Homs", "country": "SYR", "latitude": 34.73, "longitude": 36.72},
     {"country_iso3": "SYR", "latitude": 33.51, "longitude": 36.29}, False),  # Damascus
    ({"country": "SYR"}, {"country_iso3": "SYR", "latitude": 35.0, "longitude": 38.0}, True),
    ({"country": "SYR", "admin1": "Idlib"}, {"country_iso3": "SYR", "admin1": "Idlib"}, True),
    ({"country": "SYR", "admin1": "Idlib"}, {"country_iso3": "SYR", "admin1": "Homs"}, False),
    ({"country": "SYR"}, {}, False),
])
def test_place_agreement(gold, system, agrees):
    assert place_agrees(gold, event(**system)) is agrees


def test_alignment_prefers_the_same_trigger_and_type():
    gold = doc([{"event_type": "ASSAULT", "trigger": "attacked"},
                {"event_type": "ASSAULT", "trigger": "killed"}]).events
    system = [event(trigger_text="killed"), event(trigger_text="attacked"), event(event_type="CONSULT")]
    assert sorted(align(gold, system), key=str) == sorted([(0, 1), (1, 0), (None, 2)], key=str)


def test_field_scores_count_spurious_values_against_precision():
    gold = doc([{"event_type": "ASSAULT", "fatalities": 11, "event_date": "2024-03-12"}])
    events = {"d1": [event(fatalities=11),
                     event(event_type="COERCE", trigger_text="arrested", fatalities=3)]}
    report = evaluate([gold], events)
    assert (report.fields["event_type"].correct, report.fields["event_type"].predicted,
            report.fields["event_type"].gold) == (1, 2, 1)
    fatalities = report.fields["fatalities"]
    assert (fatalities.correct, fatalities.predicted, fatalities.gold) == (1, 2, 1)
    assert fatalities.precision == 0.5 and fatalities.recall == 1.0
    assert report.confusion[("(none)", "COERCE")] == 1
    assert [m["kind"] for m in report.misses] == ["spurious"]


def test_only_asserted_events_count_and_modality_is_scored_apart():
    gold = doc([{"event_type": "ASSAULT", "modality": "hypothetical", "trigger": "attacks"}])
    hypothetical = evaluate([gold], {"d1": [event(modality="hypothetical", trigger_text="attacks")]})
    assert hypothetical.fields["event_type"].predicted == 0
    assert hypothetical.fields["modality"].correct == 1
    asserted = evaluate([gold], {"d1": [event(trigger_text="attacks")]})
    assert asserted.fields["event_type"].predicted == 1 and asserted.fields["event_type"].correct == 0
    assert asserted.misses[0]["kind"] == "spurious"


def test_a_missed_event_costs_recall_and_is_listed():
    gold = doc([{"event_type": "PROTEST", "acled_event_type": "Protests",
                 "acled_sub_event_type": "Peaceful protest"}])
    report = evaluate([gold], {})
    assert report.fields["event_type"].recall == 0.0
    assert report.fields["acled_sub_event_type"].gold == 1
    assert report.misses[0]["kind"] == "missed" and report.misses[0]["expected"] == "PROTEST"


def test_f1_and_empty_scores():
    assert FieldScore(predicted=4, gold=5, correct=2).f1 == pytest.approx(2 * 0.5 * 0.4 / 0.9)
    assert FieldScore().precision is None and FieldScore().f1 is None


def test_confidence_ranking_auc():
    assert ranking_auc([(0.9, True), (0.8, True), (0.3, False)]) == 1.0
    assert ranking_auc([(0.3, True), (0.9, False)]) == 0.0
    assert ranking_auc([(0.5, True)]) is None


def test_floors(tmp_path):
    gold = doc([{"event_type": "ASSAULT"}])
    report = evaluate([gold], {"d1": [event()]})
    assert check_floors(report, {"event_type": {"f1": 0.9}}) == []
    assert check_floors(report, {"fatalities": {"recall": 0.5}}) == ["fatalities recall None < 0.5"]
    path = tmp_path / "floors.json"
    path.write_text(json.dumps({"colour": {"f1": 0.5}}))
    with pytest.raises(ValueError, match="colour"):
        load_floors(str(path))


@pytest.mark.parametrize("change, message", [
    ({"events": [{"event_type": "FIGHT"}]}, "event_type must be a PLOVER type"),
    ({"events": [{"event_type": "ASSAULT", "acled_event_type": "Battles"}]}, "go together"),
    ({"events": [{"event_type": "ASSAULT", "acled_event_type": "Battles",
                  "acled_sub_event_type": "Grenade"}]}, "not an ACLED label pair"),
    ({"events": [{"event_type": "ASSAULT", "fatalities": -1}]}, "non-negative integer"),
    ({"events": [{"event_type": "ASSAULT", "place": {"name": "Homs", "country": "SYR"}}]},
     "latitude and longitude"),
    ({"events": [{"event_type": "ASSAULT", "actor1": {"country": "Syria"}}]}, "alpha-3"),
    ({"events": [{"event_type": "ASSAULT", "colour": "red"}]}, "unknown keys"),
    ({"published_at": "yesterday"}, "expected a date"),
    ({"events": None}, "'events' must be a list"),
])
def test_gold_validation(change, message):
    record = {"id": "x", "published_at": "2024-03-14", "text": "t", "events": []}
    record.update(change)
    with pytest.raises(GoldError, match=message):
        parse_doc(record, "gold.jsonl:1")


def test_gold_files_reject_duplicate_texts(tmp_path):
    line = json.dumps({"id": "a", "published_at": "2024-01-01", "text": "same", "events": []})
    (tmp_path / "g.jsonl").write_text(line + "\n" + line.replace('"a"', '"b"') + "\n")
    with pytest.raises(GoldError, match="appears twice"):
        load_gold(str(tmp_path / "g.jsonl"))


def test_plover_records_map_old_names():
    records = [{"id": "h", "event": "DOCUMENT"},
               {"id": "f1", "event": "FIGHT", "text": "Rebels fought troops.", "date": "2000-01-01",
                "source": [{"actorText": "Rebels", "code": "IMG"}],
                "target": [{"actorText": "troops", "code": "SYR"}]},
               {"id": "d1", "event": "DEMAND", "text": "Greece demanded it.",
                "source": [{"actorText": "Greece", "code": "GRC"}]}]
    docs = parse_plover(json.dumps(records), "plover.json")
    assert [d.events[0].event_type for d in docs] == ["ASSAULT", "REQUEST"]
    assert docs[0].events[0].actor1 == {"any_of": [{"text": "Rebels"}]}
    assert docs[0].events[0].actor2 == {"any_of": [{"text": "troops", "country": "SYR"}]}
    assert docs[0].events[0].event_date is None  # PLOVER dates are placeholders: not scored


def test_the_gold_set_covers_every_type_and_sub_type():
    docs = load_gold_dir(str(GOLD_DIR))
    covered = coverage(docs)
    assert covered["documents"] >= 300
    assert set(covered["event_types"]) == set(PLOVER_TYPES)
    expected = {f"{t} / {s}" for t, subs in ACLED_SUB_EVENT_TYPES.items() for s in subs}
    assert set(covered["acled_sub_event_types"]) == expected
    assert covered["without_events"] >= 50  # hard negatives
    assert {"negated", "hypothetical", "future"} <= set(covered["modalities"])
