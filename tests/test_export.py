"""`newsevents export`: ACLED-style CSV, GeoJSON and Parquet, each read back."""
import csv
import json

import pyarrow.parquet as pq
import pytest
from click.testing import CliRunner

from newsevents.pipelines.cli import cli
from newsevents.pipelines.export import ACLED_COLUMNS, acled_inter, actor2_name
from newsevents.transforms.storage.query import connect_lake
from tests.lakes import make_report_lake


@pytest.fixture(scope="module")
def lake(tmp_path_factory):
    return make_report_lake(tmp_path_factory.mktemp("export") / "lake")


def export(lake, out, *args):
    result = CliRunner().invoke(
        cli, ["export", "--lake", str(lake), "--out", str(out), *args])
    assert result.exit_code == 0, result.output
    return result.stderr


def test_acled_csv_reads_back_with_acled_columns_and_conventions(lake, tmp_path):
    message = export(lake, tmp_path / "acled.csv", "--format", "acled-csv")
    with open(tmp_path / "acled.csv", newline="", encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        assert tuple(reader.fieldnames) == ACLED_COLUMNS
        rows = {row["event_id_cnty"]: row for row in reader}
    # ACLED-typed incidents whose date is known to the month; the year-only attack and
    # the consultation (no ACLED type) are left out, and said so
    assert set(rows) == {"inc-1", "inc-2", "inc-3", "inc-4", "inc-5"}
    assert "1 date known only to the year" in message and "1 no ACLED event type" in message
    mosul = rows["inc-1"]
    assert (mosul["event_date"], mosul["year"], mosul["time_precision"]) == ("2024-01-05", "2024", "1")
    assert (mosul["event_type"], mosul["sub_event_type"], mosul["disorder_type"]) == (
        "Battles", "Armed clash", "Political violence")
    assert (mosul["actor1"], mosul["inter1"], mosul["actor2"], mosul["inter2"], mosul["interaction"]) == (
        "Islamic State", "2", "Iraq", "1", "12")
    assert (mosul["iso"], mosul["country"], mosul["location"]) == ("368", "Iraq", "Mosul")
    assert (mosul["latitude"], mosul["longitude"], mosul["geo_precision"]) == ("36.3400", "43.1300", "1")
    assert mosul["fatalities"] == "12" and mosul["source"] == "Daily Two; Wire One"
    assert mosul["notes"] == "Sentence 0 about inc-1." and mosul["timestamp"].isdigit()
    assert rows["inc-2"]["time_precision"] == "2" and rows["inc-3"]["time_precision"] == "3"
    protest = rows["inc-3"]
    assert (protest["actor1"], protest["inter1"], protest["interaction"], protest["fatalities"]) == (
        "Protesters (Iraq)", "6", "60", "0")  # no toll reported: 0, as ACLED codes it
    assert protest["disorder_type"] == "Demonstrations"


@pytest.mark.parametrize("sector, actor_country, event_country, event_type, code", [
    ("MIL", "IRQ", "IRQ", None, 1), ("MIL", "USA", "IRQ", None, 8), ("REB", None, "IRQ", None, 2),
    ("CVL", None, "IRQ", None, 7), (None, None, "IRQ", "Protests", 6), (None, None, "IRQ", "Riots", 5),
    (None, None, "IRQ", "Battles", None),
])
def test_acled_inter_codes(sector, actor_country, event_country, event_type, code):
    by_sector = {"MIL": 1, "REB": 2, "CVL": 7}
    assert acled_inter(sector, actor_country, event_country, event_type, by_sector) == code


@pytest.mark.parametrize("name, inter2, country, expected", [
    ("Iraq", 1, "Iraq", "Iraq"),
    (None, 7, "Iraq", "Civilians (Iraq)"),  # an attack on civilians no report names
    (None, 7, None, "Civilians"),
    (None, None, "Iraq", ""),  # no target: none invented
    (None, 1, "Iraq", ""),
])
def test_acled_actor2_names(name, inter2, country, expected):
    assert actor2_name(name, inter2, country) == expected


def test_geojson_reads_back(lake, tmp_path):
    message = export(lake, tmp_path / "incidents.geojson", "-f", "geojson", "--country", "IRQ")
    collection = json.loads((tmp_path / "incidents.geojson").read_text())
    assert collection["type"] == "FeatureCollection"
    features = {f["properties"]["incident_id"]: f for f in collection["features"]}
    assert set(features) == {"inc-1", "inc-2", "inc-3", "inc-6"}
    assert features["inc-1"]["geometry"] == {"type": "Point", "coordinates": [43.13, 36.34]}
    assert features["inc-6"]["properties"]["event_date"] == "2014-01-01"
    assert "wrote" in message


def test_parquet_reads_back_as_the_sql_gives_it(lake, tmp_path):
    export(lake, tmp_path / "incidents.parquet", "-f", "parquet", "--since", "2024-02-01")
    table = pq.read_table(tmp_path / "incidents.parquet")
    expected = connect_lake(str(lake)).execute(
        "select incident_id, fatalities from incidents where event_date >= date '2024-02-01' "
        "order by 1").fetchall()
    assert sorted(zip(table.column("incident_id").to_pylist(), table.column("fatalities").to_pylist())) \
        == expected


@pytest.mark.parametrize("args, message", [
    (("-f", "acled-csv", "--table", "events"), "one row per incident"),
    (("-f", "geojson", "--table", "rejects"), "needs a table with coordinates"),
    (("-f", "parquet", "--table", "runs", "--country", "IRQ"), "filter incidents and events only"),
    (("-f", "xml",), "Invalid value"),
])
def test_export_usage_errors(lake, tmp_path, args, message):
    result = CliRunner().invoke(cli, ["export", "-l", str(lake), "-o", str(tmp_path / "x"), *args])
    assert result.exit_code == 2 and message in result.output, result.output
