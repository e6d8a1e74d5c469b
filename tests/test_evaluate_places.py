"""Toponym scores: gold loading (GeoVirus offsets), offset matching, the 161 km figures,
floors and the eval command's dispatch. Pure, no model."""
import json

import pytest

from newsevents.pipelines.evaluate_places import check_place_floors, evaluate_places, match_rows
from newsevents.pipelines.gold import GoldError, GoldToponym, load_gold

TEXT = "Pigs died in Pandi, Bulacan and in Kenya."


def write(tmp_path, records):
    path = tmp_path / "toponyms.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in records))
    return str(path)


def record(toponyms, text=TEXT, id_="t1"):
    return {"id": id_, "published_at": "2010-01-01", "text": text, "toponyms": toponyms}


def test_loads_toponyms_and_reads_offsets_counted_from_one(tmp_path):
    path = write(tmp_path, [record([
        {"name": "Pandi", "start": 13, "end": 18, "latitude": 14.87, "longitude": 120.95},
        {"name": "Kenya", "start": 36, "end": 41, "latitude": 1.0, "longitude": 38.0},  # from 1
    ])])
    fmt, docs = load_gold(path)
    assert fmt == "toponyms"
    assert [(t.name, t.start, t.end) for t in docs[0].toponyms] == [("Pandi", 13, 18), ("Kenya", 35, 40)]
    assert docs[0].offsets_moved == 1


@pytest.mark.parametrize("toponym, message", [
    ({"name": "Pandi", "start": 2, "end": 7, "latitude": 1, "longitude": 1}, "is not at 2-7"),
    ({"name": "Pandi", "start": 13, "end": 18}, "needs name, start, end"),
    ({"name": "Pandi", "start": 13, "end": 18, "latitude": 99, "longitude": 1}, "no valid point"),
])
def test_bad_toponyms_are_named(tmp_path, toponym, message):
    with pytest.raises(GoldError, match=message):
        load_gold(write(tmp_path, [record([toponym])]))


def row(text, start, lat, lon, feature="city"):
    return {"text": text, "start": start, "end": start + len(text), "latitude": lat, "longitude": lon,
            "name": text, "feature_type": feature, "country_iso3": "PHL", "admin1": None}


def test_match_by_overlap_largest_first_each_used_once():
    gold = [GoldToponym("Pandi", 13, 18, 0, 0), GoldToponym("Bulacan", 20, 27, 0, 0)]
    rows = [row("Pandi, Bulacan", 13, 0, 0), row("Bulacan", 20, 0, 0)]
    assert sorted(match_rows(gold, rows)) == [(0, 0), (1, 1)]


def test_scores_precision_recall_and_161_km():
    from newsevents.pipelines.gold import GoldDoc

    doc = GoldDoc("t1", TEXT, "2010-01-01", toponyms=[
        GoldToponym("Pandi", 13, 18, 14.87, 120.95), GoldToponym("Bulacan", 20, 27, 15.0, 121.08),
        GoldToponym("Kenya", 35, 40, 1.0, 38.0)])
    rows = [row("Pandi", 13, 14.86, 120.96),            # right
            row("Bulacan", 20, 6.57, 125.42),           # found, placed 950 km off
            row("Pigs", 0, 10.0, 10.0)]                 # spurious
    report = evaluate_places([doc], {"t1": rows})
    scores = report.scores()
    assert scores["precision"] == pytest.approx(2 / 3) and scores["recall"] == pytest.approx(2 / 3)
    assert scores["accuracy_161km"] == pytest.approx(1 / 2) and scores["recall_161km"] == pytest.approx(1 / 3)
    result = report.as_dict()
    assert result["worst_errors"][0]["name"] == "Bulacan" and result["worst_errors"][0]["km"] > 900
    assert result["most_missed"][0]["name"] == "Kenya"
    assert result["most_spurious"][0]["text"] == "Pigs"
    assert check_place_floors(report, {"recall_161km": 0.5, "precision": 0.5}) == ["recall_161km 0.333 < 0.5"]
    with pytest.raises(ValueError, match="unknown toponym floors"):
        check_place_floors(report, {"f1": 0.5})


def test_eval_command_scores_a_lake_of_places(tmp_path):
    from click.testing import CliRunner

    from newsevents.pipelines.cli import cli

    gold = write(tmp_path, [record([{"name": "Kenya", "start": 35, "end": 40, "latitude": 1.0,
                                     "longitude": 38.0}])])
    result = CliRunner().invoke(cli, ["eval", "--gold", gold, "--lake", str(tmp_path / "no-lake"),
                                      "--format", "json"])
    assert result.exit_code == 1 and "Traceback" not in result.output
