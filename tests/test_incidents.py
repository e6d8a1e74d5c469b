"""Incident linking rules, estimates and the partition rewrite (no model)."""
import datetime as dt

import apache_beam as beam
import pytest
from apache_beam.testing.test_pipeline import TestPipeline
from apache_beam.testing.util import assert_that, equal_to

from newsevents.transforms.core import incidents as inc
from newsevents.transforms.storage.lake_files import read_parquet_file
from newsevents.transforms.link_incidents import LinkIncidents

UTC = dt.timezone.utc
MAIDUGURI = {"location_name": "Maiduguri", "geonameid": 2331447, "country_iso3": "NGA",
             "admin1": "Borno", "latitude": 11.8469, "longitude": 13.1571, "geo_precision": 1}
KONDUGA = {"location_name": "Konduga", "geonameid": 2334652, "country_iso3": "NGA",
           "admin1": "Borno", "latitude": 11.6533, "longitude": 13.4179, "geo_precision": 1}
BORNO = {"location_name": "Borno", "geonameid": 2346794, "country_iso3": "NGA", "admin1": "Borno",
         "latitude": 11.5, "longitude": 13.0, "geo_precision": 2}
PLATEAU = {"location_name": "Plateau", "geonameid": 2324828, "country_iso3": "NGA",
           "admin1": "Plateau", "latitude": 9.2, "longitude": 9.5, "geo_precision": 2}
NIGERIA = {"location_name": "Nigeria", "geonameid": 2328926, "country_iso3": "NGA", "admin1": None,
           "latitude": 10.0, "longitude": 8.0, "geo_precision": 3}
NOWHERE = {name: None for name in inc.PLACE_FIELDS}


def mention(event_id="e1", day="2024-05-06", precision="day", place=MAIDUGURI,
            kind="Explosions/Remote violence", sub="Suicide bomb", actor1=None, actor2=None,
            article="a1", published="2024-05-06T12:00:00", fatalities=None, source="wire",
            event_type="ASSAULT"):
    return {"event_id": event_id, "article_id": article, "event_type": event_type,
            "acled_event_type": kind, "acled_sub_event_type": sub, "actor1_name": actor1,
            "actor2_name": actor2, "event_date": dt.date.fromisoformat(day),
            "date_precision": precision, "fatalities": fatalities, "source": source,
            "published_at": dt.datetime.fromisoformat(published).replace(tzinfo=UTC),
            "modality": "asserted", "sentence_index": 0, **place}


@pytest.mark.parametrize("day, precision, interval", [
    ("2024-05-06", "day", ("2024-05-06", "2024-05-06")),
    ("2024-05-06", "week", ("2024-05-06", "2024-05-12")),
    ("2024-02-10", "month", ("2024-02-01", "2024-02-29")),
    ("2024-05-06", "year", ("2024-01-01", "2024-12-31")),
    ("2024-05-06", "published", ("2024-05-04", "2024-05-06")),
])
def test_date_interval(day, precision, interval):
    assert inc.date_interval(day, precision) == tuple(dt.date.fromisoformat(d) for d in interval)


@pytest.mark.parametrize("case, other, joins", [
    ("same place, same day, another outlet", mention("e2", article="a2"), True),
    ("the next day (time zones, late reports)", mention("e2", day="2024-05-07"), True),
    ("three days later", mention("e2", day="2024-05-09"), False),
    ("a date that is only the publication day after", mention("e2", day="2024-05-08", precision="published"), True),
    ("a remote-explosive report of the same blast", mention("e2", sub="Remote explosive/landmine/IED"), True),
    ("an armed clash in the same city that day", mention("e2", kind="Battles", sub="Armed clash"), False),
    ("a neighbouring town 35 km away", mention("e2", place=KONDUGA), False),
    ("the region around the town", mention("e2", place=BORNO), True),
    ("another region", mention("e2", place=PLATEAU), False),
    ("only the country", mention("e2", place=NIGERIA), True),
    ("no place and no named attacker", mention("e2", place=NOWHERE), False),
    ("another named attacker", mention("e2", actor1="Boko Haram"), False),
    ("another PLOVER type", mention("e2", event_type="PROTEST", kind="Protests", sub="Peaceful protest"), False),
])
def test_compatible(case, other, joins):
    incident = mention("e1", actor1="Islamic State West Africa Province")
    if case == "another named attacker":
        assert (inc.compatible(other, incident) is not None) is joins, case
    else:
        assert (inc.compatible(other, mention("e1")) is not None) is joins, case


def test_unplaced_mentions_join_only_the_same_named_attacker():
    known = dict(mention("e1", place=NOWHERE, actor1="Al-Shabaab"), country_iso3=None)
    assert inc.compatible(mention("e2", place=NOWHERE, actor1="Al-Shabaab"), known) is not None
    assert inc.compatible(mention("e2", place=NOWHERE, actor1="Unidentified armed group"), known) is None


def test_link_mentions_is_deterministic_and_joins_known_incidents():
    known = [dict(mention("old"), incident_id="inc-20240506-aaaaaaaaaaaa")]
    mentions = [mention("e3", place=KONDUGA, published="2024-05-07T09:00:00", article="a3"),
                mention("e2", article="a2", published="2024-05-06T20:00:00"),
                mention("e4", place=KONDUGA, article="a4", published="2024-05-07T10:00:00")]
    assigned, clusters = inc.link_mentions(mentions, known)
    assert assigned["e2"] == "inc-20240506-aaaaaaaaaaaa"
    assert assigned["e3"] == assigned["e4"] != assigned["e2"]
    assert assigned["e3"].startswith("inc-20240506-")
    again, _ = inc.link_mentions(list(reversed(mentions)), known)
    assert again == assigned
    assert sum(c["_new"] for c in clusters) == 1


def test_best_figure_follows_updates_and_is_conservative_among_concurrent_reports():
    def report(article, hour, killed, source):
        return {"article_id": article, "source": source, "fatalities": killed,
                "published_at": dt.datetime(2024, 5, 6, tzinfo=UTC) + dt.timedelta(hours=hour)}
    rising = [report("a", 0, 8, "s1"), report("b", 5, 12, "s2"), report("c", 43, 18, "s3"),
              report("d", 44, 21, "s4")]
    assert inc.best_figure(rising, "fatalities") == 18
    assert inc.best_figure(rising[:2], "fatalities") == 8
    assert inc.best_figure([report("a", 0, None, "s1")], "fatalities") is None


def test_summarize_counts_articles_sources_and_copies():
    reports = [dict(r, run_id="R1", copy_of=None) for _, r in inc.reports_of([
        dict(mention("e1", article="a1", fatalities=8, source="Sahel Wire"), incident_id="I"),
        dict(mention("e2", article="a1", fatalities=9, source="Sahel Wire"), incident_id="I"),
        dict(mention("e3", article="a2", fatalities=12, source="Lake Chad Post",
                     published="2024-05-06T13:00:00", place=NIGERIA), incident_id="I"),
    ], "R1")]
    copy = inc.copy_report(reports[0], {"article_id": "a9", "source": "Syndicate", "url": None,
                                        "duplicate_of": "a1",
                                        "published_at": dt.datetime(2024, 5, 6, 14, tzinfo=UTC)}, "R1")
    row = inc.summarize("I", "ASSAULT", reports + [copy], "R0", "R1")
    assert (row["num_mentions"], row["num_articles"], row["num_sources"]) == (3, 3, 3)
    assert (row["fatalities"], row["fatalities_min"], row["fatalities_max"]) == (9, 9, 12)
    assert row["location_name"] == "Maiduguri" and row["geo_precision"] == 1
    assert row["first_seen"].hour == 12 and row["last_seen"].hour == 14
    assert row["created_run_id"] == "R0" and row["run_id"] == "R1"


def test_merge_reports_adds_within_a_run_and_replaces_across_runs():
    first = {"article_id": "a1", "run_id": "R1", "mentions": 1, "fatalities": 3, "location_name": None,
             "published_at": None}
    same_run = dict(first, mentions=2, fatalities=5, location_name="Gao")
    merged = inc.merge_reports([first], [same_run])
    assert (merged[0]["mentions"], merged[0]["fatalities"], merged[0]["location_name"]) == (3, 5, "Gao")
    reprocessed = dict(first, run_id="R2", mentions=1, fatalities=4)
    assert inc.merge_reports(merged, [reprocessed])[0]["mentions"] == 1


@pytest.mark.parametrize("events, places, expected", [
    ([mention("e1", place=KONDUGA), mention("e2", place=MAIDUGURI), mention("e3", place=MAIDUGURI)],
     [], "Maiduguri"),
    ([mention("e1", place=NOWHERE)],
     [{"name": "Borno", "country_iso3": "NGA", "feature_type": "admin1", "geonameid": 1},
      {"name": "Konduga", "country_iso3": "NGA", "feature_type": "city", "geonameid": 2}], "Konduga"),
    ([mention("e1", place=NOWHERE)], [], None),
])
def test_article_place(events, places, expected):
    place = inc.article_place(events, places)
    assert (place["location_name"] if place else None) == expected


def test_incident_ids_name_their_partition():
    incident_id = inc.new_incident_id(mention("e1", day="2024-05-06"))
    assert incident_id.startswith("inc-20240506-") and inc.incident_partition(incident_id) == "2024-05-06"


def run_link(runner, lake, run_id, events, incident_files, duplicates=(), kept=()):
    with TestPipeline(runner=runner) as p:
        out = ({"events": p | "Events" >> beam.Create(events),
                "places": p | "Places" >> beam.Create([]),
                "duplicates": p | "Copies" >> beam.Create(list(duplicates)),
                "kept": p | "Kept" >> beam.Create(list(kept))}
               | LinkIncidents(lake, run_id, incident_files, []))
        ids = out["events"] | beam.Map(lambda e: (e["event_id"], e["incident_id"] is not None))
        assert_that(ids, equal_to([(e["event_id"], e["modality"] == "asserted") for e in events]),
                    label="linked")


def test_link_incidents_updates_a_partition_across_runs(tmp_path, local_runner):
    lake = str(tmp_path / "lake")
    first = [mention("e1", article="a1", fatalities=8, source="Sahel Wire"),
             dict(mention("e0", article="a1"), modality="negated")]
    run_link(local_runner, lake, "R1", first, [],
             duplicates=[{"article_id": "c1", "duplicate_of": "a1", "source": "Syndicate",
                          "published_at": dt.datetime(2024, 5, 6, 13, tzinfo=UTC)}],
             kept=[{"article_id": "a1"}])
    staged = sorted((tmp_path / "lake").rglob("incidents/dt=2024-05-06/*.parquet"))
    assert len(staged) == 1
    [row] = read_parquet_file(str(staged[0])).to_pylist()
    assert (row["num_articles"], row["num_sources"], row["fatalities"]) == (2, 2, 8)
    second = [mention("e2", article="a2", fatalities=12, source="Lake Chad Post",
                      published="2024-05-06T20:00:00")]
    run_link(local_runner, lake, "R2", second, [str(staged[0])])
    rewritten = [p for p in (tmp_path / "lake").rglob("incidents/dt=2024-05-06/*.parquet") if "R2" in p.name]
    [updated] = read_parquet_file(str(rewritten[0])).to_pylist()
    assert updated["incident_id"] == row["incident_id"]
    assert (updated["num_articles"], updated["num_sources"], updated["num_mentions"]) == (3, 3, 2)
    assert (updated["fatalities"], updated["fatalities_max"]) == (12, 12)
    assert (updated["created_run_id"], updated["run_id"]) == ("R1", "R2")
