"""Scoring against ACLED notes: absent fields unknown, absent tolls zero, actors by kind
and country, false merges counted."""
import datetime as dt
import json

import pytest

from newsevents.pipelines.evaluate_notes import (
    acled_actor, answer_of, check_note_floors, evaluate_notes, judge_note, sample_docs)
from newsevents.pipelines.gold import GoldError, load_gold

PLACE = {"name": "Baidoa", "country": "SOM", "admin1": "Bay", "geo_precision": 1,
         "latitude": 3.117, "longitude": 43.647}


def note(id_, text, **event):
    coded = {"acled_event_type": "Explosions/Remote violence", "event_type": "ASSAULT",
             "place": PLACE, "acled_actor1": "Al Shabaab", **event}
    return {"id": id_, "published_at": "2016-07-02", "text": text, "events": [coded]}


def write_notes(tmp_path, notes):
    path = tmp_path / "notes.jsonl"
    path.write_text("".join(json.dumps(n) + "\n" for n in notes))
    return str(path)


@pytest.mark.parametrize("name, event_country, expected", [
    ("Police Forces of India (2014-)", "IND", (1, "IND")),
    ("Military Forces of Democratic Republic of Congo (2001-2019)", "COD", (1, "COD")),
    ("Military Forces of the United States of America", "SYR", (8, "USA")),  # abroad
    ("Protesters (India)", "IND", (6, "IND")),
    ("Rioters (Bangladesh)", "BGD", (5, "BGD")),
    ("Civilians (Somalia)", "SOM", (7, "SOM")),
    ("Unidentified Armed Group (Egypt)", "EGY", (3, "EGY")),
    ("BNP: Bangladesh Nationalist Party Militia", "BGD", (3, None)),
    ("Fulani Ethnic Militia (Nigeria)", "NGA", (4, "NGA")),
    ("AMISOM: African Union Mission in Somalia (2007-) (Burundi)", "SOM", (8, "BDI")),
    ("Al Shabaab", "SOM", (2, None)),
    (None, "SOM", None),
])
def test_acled_actor_kinds(name, event_country, expected):
    assert acled_actor(name, event_country) == expected


def event(**fields):
    base = {"modality": "asserted", "confidence": 0.8, "event_type": "ASSAULT",
            "acled_event_type": "Explosions/Remote violence", "country_iso3": "SOM",
            "latitude": 3.12, "longitude": 43.65, "geo_precision": 1,
            "event_date": dt.date(2016, 7, 2), "actor1_sector": "REB", "inter1": 2}
    return {**base, **fields}


def judged(tmp_path, coded, found):
    _, [doc] = load_gold(write_notes(tmp_path, [note("n1", "text", **coded)]))
    return {name: (right, error) for name, (_, _, right, error) in judge_note(doc.events[0], found).items()}


@pytest.mark.parametrize("coded, found, field, right, error", [
    ({}, event(), "acled_event_type", True, None),
    ({}, event(acled_event_type="Battles"), "acled_event_type", False,
     "Explosions/Remote violence -> Battles"),
    ({}, event(), "acled_sub_event_type", None, None),  # not coded: not scored
    ({}, event(country_iso3=None), "country", False, "no country"),
    ({}, event(latitude=3.5, longitude=43.65), "town", False, "another town (< 100 km)"),
    ({}, event(geo_precision=3), "town", False, "country only"),
    # ACLED's point strays from the town it names: the coded name, in the coded country,
    # is right by name (accents and case aside), though not within 25 km.
    ({}, event(latitude=3.5, location_name="Báidoa"), "town_named", True, None),
    ({}, event(latitude=3.5, location_name="Baidoa"), "town", False, "another town (< 100 km)"),
    ({}, event(latitude=3.5, location_name="Baidoa", country_iso3="KEN"), "town_named", False, None),
    ({}, event(latitude=3.5, location_name="Baidoa", geo_precision=2), "town_named", False, None),  # a district
    ({}, event(latitude=3.5, location_name=None), "town_named", False, None),
    ({}, event(latitude=3.5, location_name="Bardera"), "town_named", False, None),
    ({}, event(location_name="Bardera"), "town_named", True, None),  # within 25 km
    ({}, event(), "event_date", None, None),  # no coded date: unknown
    ({"event_date": "2016-07-02"}, event(event_date=dt.date(2016, 6, 30)), "event_date", False,
     "off by a week or less"),
    ({}, event(fatalities=3), "toll_invented", True, "toll invented"),  # absent toll is 0
    ({"fatalities": 2}, event(fatalities=2), "toll_exact", True, None),
    ({"fatalities": 2}, event(), "toll_exact", False, "no toll exact"),
    ({}, event(inter1=1), "actor1", False, "rebels -> state forces"),
    ({"acled_actor2": "Civilians (Somalia)"}, event(inter2=7), "actor2", True, None),
])
def test_each_field_is_judged_only_where_coded(tmp_path, coded, found, field, right, error):
    results = judged(tmp_path, coded, found)
    if right is None:
        assert field not in results
    else:
        assert results[field] == (right, error)


def test_the_answer_is_the_most_confident_asserted_event():
    events = [event(confidence=0.9, modality="hypothetical"), event(confidence=0.5, trigger_start=9),
              event(confidence=0.7, trigger_start=30)]
    assert answer_of(events)["trigger_start"] == 30
    assert answer_of([event(modality="negated")]) is None


def test_false_merges_are_copies_of_a_different_text(tmp_path):
    notes = [note("a", "Militants looted crops in Tal Baydar."),
             note("b", "Militants looted crops in Rihaniya."),
             note("c", "Militants looted crops in Tal Baydar."),
             # The same text but for case and spaces: the same report to the pipeline.
             note("d", "Militants looted  crops in TAL BAYDAR.")]
    _, docs = load_gold(write_notes(tmp_path, notes))
    report = evaluate_notes(docs, {"a": [event()]}, copies={"b": "a", "c": "a", "d": "a"})
    assert [m["id"] for m in report.false_merges] == ["b"]  # c and d repeat a's text
    assert report.error_counts["event"]["stored as a copy of another note"] == 3
    assert check_note_floors(report, {"false_merges": 0.1}) == ["false_merges 0.2500 > 0.1"]
    assert check_note_floors(report, {"event": 0.25}) == []


def test_bad_notes_are_refused_with_their_line(tmp_path):
    path = write_notes(tmp_path, [note("a", "x", acled_event_type="Fights")])
    with pytest.raises(GoldError, match=r"notes.jsonl:1: 'Fights'"):
        load_gold(path)


def test_samples_are_fixed_by_their_seed(tmp_path):
    _, docs = load_gold(write_notes(tmp_path, [note(str(i), f"text {i}") for i in range(50)]))
    first, again = sample_docs(docs, 10, seed=3), sample_docs(docs, 10, seed=3)
    assert [d.id for d in first] == [d.id for d in again] and len(first) == 10
    assert sample_docs(docs, 100, seed=3) == docs
