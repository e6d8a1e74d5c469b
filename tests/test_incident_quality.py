"""Duplicates and incidents scored on the ground-truth corpus, over two runs (model)."""
import json

import pytest
from click.testing import CliRunner

from newsevents.pipelines.batch import run
from newsevents.pipelines.cli import cli
from newsevents.pipelines.evaluate_incidents import load_corpus
from newsevents.pipelines.options import make_run_options
from newsevents.transforms.storage.query import connect_lake
from tests.conftest import ROOT
from tests.readme import README, score_rows

CORPUS = ROOT / "tests" / "incidents" / "corpus.jsonl"
FLOORS = ROOT / "tests" / "incidents" / "floors.json"

pytestmark = [pytest.mark.model, pytest.mark.slow]


def test_scores_stay_above_the_floors(tmp_path):
    report_path = tmp_path / "report.json"
    result = CliRunner().invoke(cli, ["eval-incidents", "--corpus", str(CORPUS), "--floors", str(FLOORS),
                                      "--report", str(report_path)])
    assert result.exit_code == 0, result.output
    report = json.loads(report_path.read_text())
    assert report["gold_incidents"] == 10 and report["id_stability"] == 1.0
    assert "incidents (B-cubed)" in result.output
    # The README's table is what eval-incidents prints.
    shown = score_rows("newsevents eval-incidents --floors")
    for name, key in (("duplicates (pairwise)", "duplicates"), ("incidents (B-cubed)", "bcubed"),
                      ("incidents (pairwise)", "pairwise")):
        assert shown[name] == tuple(f"{report[key][k]:.3f}" for k in ("precision", "recall", "f1")), name
    assert f"Incident ids kept by the second run: {report['id_stability']:.3f}." in README.read_text()


def write_run(path, articles):
    path.write_text("".join(json.dumps(a.record) + "\n" for a in articles))
    return str(path)


def incident_of(con, external_id):
    return con.execute(
        "select e.incident_id from events e join articles a using (article_id) "
        "where a.external_id = ? and e.incident_id is not null "
        "group by all order by count(*) desc, min(e.sentence_index) limit 1", [external_id]).fetchone()[0]


def incidents_of(con, external_id):
    return {i for (i,) in con.execute(
        "select e.incident_id from events e join articles a using (article_id) "
        "where a.external_id = ? and e.incident_id is not null", [external_id]).fetchall()}


def test_a_second_run_adds_reports_to_the_same_incidents(tmp_path):
    corpus = load_corpus(str(CORPUS))
    lake = str(tmp_path / "lake")
    first = run(make_run_options([write_run(tmp_path / "r1.jsonl", [a for a in corpus if a.run == 1])],
                                 lake, progress=False))
    con = connect_lake(lake)
    bombing = incident_of(con, "a01")
    articles, sources, most, run_id = con.execute(
        "select num_articles, num_sources, fatalities_max, run_id from incidents "
        "where incident_id = ?", [bombing]).fetchone()
    # run 1: the first report, its two syndicated copies, the second report and its
    # rewrite, the toll update (and a clash report the extractor wrongly takes for it)
    assert articles >= 6 and sources == 6 and most == 12 and run_id == first["run_id"]
    assert first["counts"]["near_duplicates"] == 3 and first["counts"]["incidents_updated"] == 0

    second = run(make_run_options([write_run(tmp_path / "r2.jsonl", [a for a in corpus if a.run == 2])],
                                  lake, progress=False))
    con = connect_lake(lake)
    after = con.execute("select num_articles, num_sources, fatalities, fatalities_max, run_id, "
                        "created_run_id from incidents where incident_id = ?", [bombing]).fetchone()
    # run 2 adds a toll update from a new outlet and a follow-up from a known one; the
    # newest reports say 19
    assert after[:4] == (articles + 2, sources + 1, 19, 19)
    assert after[4:] == (second["run_id"], first["run_id"])
    assert incident_of(con, "a04") == bombing
    assert bombing in incidents_of(con, "a08")  # "victims of Monday's bombing" four days on
    assert second["counts"]["incidents_updated"] >= 2
    # one row per incident, and the first run's incident files are superseded, not added to
    assert con.execute("select count(*) = count(distinct incident_id) from incidents").fetchone()[0]
    assert con.execute("select count(*) from incidents where incident_id = ?", [bombing]).fetchone()[0] == 1


def test_a_run_in_chunks_links_as_one_run(tmp_path):
    """Chunks of one run see the incidents earlier chunks staged; the partitions they
    rewrite again are committed once."""
    corpus = sorted(load_corpus(str(CORPUS)), key=lambda a: a.record["published_at"])
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    for n in range(3):  # three files of ten, oldest first: one chunk each
        write_run(inbox / f"part{n}.jsonl", corpus[n * 10:(n + 1) * 10])
    whole, chunked = str(tmp_path / "whole"), str(tmp_path / "chunked")
    run(make_run_options([str(inbox)], whole, progress=False))
    manifest = run(make_run_options([str(inbox)], chunked, progress=False, max_records_per_chunk=10))
    query = ("select event_type, event_date, location_name, num_mentions, num_articles, "
             "num_sources, fatalities from incidents order by all")
    assert connect_lake(whole).execute(query).fetchall() == connect_lake(chunked).execute(query).fetchall()
    assert manifest["counts"]["incidents_updated"] > 0
    files = list((tmp_path / "chunked" / "incidents").rglob("*.parquet"))
    partitions = {f.parent.name for f in files}
    assert len(files) == len(partitions)  # one file a partition: earlier chunks' were superseded
