"""TestPipeline tests for each stage, on the FnApiRunner (never Prism)."""
import datetime as dt
import gzip
import json

import apache_beam as beam
import pyarrow.parquet as pq
import pytest
from apache_beam.testing.test_pipeline import TestPipeline
from apache_beam.testing.util import assert_that, equal_to, is_not_empty

from newsevents.transforms.normalize import NormalizeArticles
from newsevents.transforms.read_articles import ReadArticles
from newsevents.transforms.storage.lake_files import (
    file_facts, final_path, read_lake_state, staged_path, visible_files)
from newsevents.transforms.storage.commit import commit_run, read_pending
from newsevents.transforms.write_tables import WriteTables

UTC = dt.timezone.utc
NOW = dt.datetime(2024, 6, 1, tzinfo=UTC)
BODY = "Police arrested two men in Kano on Monday, a spokesman said."


def pipeline(runner):
    return TestPipeline(runner=runner)


def write_inputs(tmp_path):
    (tmp_path / "a.jsonl").write_text(
        json.dumps({"id": "1", "published_at": "2024-03-04", "text": BODY}) + "\n"
        + "not json\n"
        + "\n"  # blank lines are not records
        + json.dumps({"id": "3", "published_at": "2024-03-05", "text": 7}) + "\n")
    with gzip.open(tmp_path / "b.jsonl.gz", "wt") as handle:
        handle.write(json.dumps({"id": "4", "text": BODY}) + "\n")
    sub = tmp_path / "sub"
    sub.mkdir()
    (sub / "c.txt").write_text("date 2024-03-06\n" + BODY)
    (sub / "notes.csv").write_text("a,b\n")


def test_read_articles_routes_every_record(tmp_path, local_runner):
    write_inputs(tmp_path)
    with pipeline(local_runner) as p:
        result = p | ReadArticles([str(tmp_path), str(tmp_path / "missing-*.jsonl")],
                                  default_published_at=dt.datetime(2024, 1, 1, tzinfo=UTC), now=NOW)
        ids = result["articles"] | beam.Map(lambda r: (r["external_id"], r["published_at"].date().isoformat(),
                                                       r["published_at_source"]))
        reasons = result["rejects"] | beam.Map(lambda r: (r["input"].rsplit("/", 1)[-1], r["position"],
                                                          r["reason"].split(":")[0].split(" (")[0]))
        assert_that(ids, equal_to([("1", "2024-03-04", "input"), ("4", "2024-01-01", "default"),
                                   (None, "2024-03-06", "date_line")]), label="articles")
        assert_that(reasons, equal_to([
            ("a.jsonl", 2, "bad JSON"), ("a.jsonl", 4, "field 'text' must be a string, got int"),
            ("notes.csv", 0, "unsupported file type"), ("missing-*.jsonl", 0, "input pattern matched no files"),
        ]), label="rejects-without-gzip")


def test_truncated_gzip_keeps_lines_read_and_rejects_the_rest(tmp_path, local_runner):
    data = "".join(json.dumps({"id": str(n), "text": f"{BODY} Record {n * 7919 % 100003}.",
                               "published_at": "2024-03-01"}) + "\n" for n in range(20000)).encode()
    packed = gzip.compress(data)
    (tmp_path / "cut.jsonl.gz").write_bytes(packed[: len(packed) // 2])
    with pipeline(local_runner) as p:
        result = p | ReadArticles([str(tmp_path / "cut.jsonl.gz")], now=NOW)
        rejects = result["rejects"] | beam.Map(lambda r: r["reason"].split(" after")[0])
        assert_that(rejects, equal_to(["unreadable input"]), label="rejects")
        assert_that(result["articles"], is_not_empty(), label="articles")


def raw(text, **extra):
    record = {"external_id": "x", "url": None, "title": None, "source": "S", "language": None,
              "published_at": dt.datetime(2024, 3, 4, 10, tzinfo=UTC), "published_at_source": "input",
              "dateline_place": None, "text": text, "input": "in.jsonl", "position": 1,
              "input_format": "jsonl"}
    record.update(extra)
    return record


def test_normalize_articles(local_runner):
    french = ("Les ministres des affaires étrangères se sont réunis à Dakar jeudi pour discuter "
              "de la sécurité au Sahel et de la coopération entre les armées.")
    with pipeline(local_runner) as p:
        result = p | beam.Create([
            raw(BODY + "\nRead More: unrelated story\nPlease enter your comment!"),
            raw(french, external_id="fr"),
            raw("Read More: only a link\nPlease enter your name here", external_id="empty"),
        ]) | NormalizeArticles()
        rows = result["articles"] | beam.Map(lambda r: (r["external_id"], r["language"], r["text"], r["dt"]))
        assert_that(rows, equal_to([("x", "en", BODY, "2024-03-04"), ("fr", "fr", french, "2024-03-04")]),
                    label="articles")
        reasons = result["rejects"] | beam.Map(lambda r: (r["stage"], r["reason"]))
        assert_that(reasons, equal_to([("normalize", "empty body once boilerplate is removed")]),
                    label="rejects")


@pytest.fixture(scope="module")
def normalize_fn():
    from newsevents.transforms.normalize import NormalizeArticleFn

    fn = NormalizeArticleFn()
    fn.setup()
    return fn


@pytest.mark.parametrize("text, language", [
    # Too few function words to be plainly English: the quick detector settles briefs.
    ("Police arrest 12 in Lagos raid", "en"),
    ("University of Zambia workers go on strike over payment of June salaries.", "en"),
    # Not sure enough, or not English: the full detector decides.
    ("Gunmen kill 3 in Zamfara", "en"),
    ("Des manifestants ont bloqué la route nationale à Bamako lundi.", "fr"),
    ("Waandamanaji walifunga barabara mjini Nairobi siku ya Jumatatu.", "sw"),
    ("Demonstranten blockierten am Montag die Straße in Berlin.", "de"),
    # Names are no evidence of a language: a brief dense with Somali names is English by
    # its other words (the whole text read as Somali).
    ("AMISOM troops clash with al Shabaab, retake Buulo Gaduud. Two al Shabaab dead.", "en"),
    # ... nor is a quoted slogan: a headline whose lowercase words are only that is read whole
    ("Crowd Chanting 'azadi azadi hum leke rahenge azadi' Dispersed By Police In Srinagar", "en"),
])
def test_language_of_short_texts(normalize_fn, text, language):
    assert normalize_fn.detect_language(text) == language


def test_the_full_detector_is_not_loaded_for_english_briefs():
    from newsevents.transforms.normalize import NormalizeArticleFn

    fn = NormalizeArticleFn()
    fn.setup()
    assert fn.detect_language("Police arrest 12 in Lagos raid") == "en"
    assert fn.detectors == {}
    assert fn.detect_language("Des manifestants ont bloqué la route nationale à Bamako lundi.") == "fr"
    (candidates,) = fn.detectors
    assert len(candidates) <= 4 and {c.name for c in candidates} >= {"ENGLISH", "FRENCH"}


@pytest.mark.parametrize("staged, final", [
    (staged_path("/lake", "R1", "events", "2024-03-04", 0), "/lake/events/dt=2024-03-04/part-R1-0.parquet"),
    (staged_path("/lake", "R1", "runs", "2024-06-01", 0), "/lake/runs/dt=2024-06-01/part-R1-0.parquet"),
])
def test_staged_files_land_outside_staging(staged, final):
    assert "/_staging/R1/" in staged
    assert final_path("/lake", staged) == final


def test_write_tables_stages_and_the_driver_commits(tmp_path, local_runner):
    lake = str(tmp_path / "lake")
    rejects = [{"input": "x", "position": 1, "stage": "read", "reason": "bad JSON", "raw": "{"}]
    places = [{"article_id": "a", "text": "Kano", "start": 0, "end": 4, "name": "Kano", "geonameid": 1,
               "latitude": 12.0, "longitude": 8.5, "country_iso3": "NGA", "admin1": "Kano",
               "feature_type": "city", "dt": "2024-03-04"},
              dict({"article_id": "b", "text": "Kano", "start": 0, "end": 4, "name": "Kano"}, dt="2024-03-05")]
    counts_in = {"read": 3, "stored": 2, "duplicates": 0, "rejected": 1, "events": 0, "places": 2,
                 "extraction_errors": 0, "skipped_files": 0, "out_of_range": 0}
    with pipeline(local_runner) as p:
        tables = {"rejects": p | "R" >> beam.Create(rejects), "places": p | "P" >> beam.Create(places)}
        counts = {name: p | f"C{name}" >> beam.Create([n]) for name, n in counts_in.items()}
        files = p | "F" >> beam.Create([("in.jsonl", 10, 1.5)])
        pending = (tables, counts, files) | WriteTables(lake, "R1", "2024-06-01", chunk=0)
        assert_that(pending | beam.Map(lambda d: (len(d["files"]), d["counts"]["read"])), equal_to([(3, 3)]))
    root = tmp_path / "lake"
    # staged only: nothing visible yet
    assert not list(root.glob("places/**/*.parquet"))
    assert read_lake_state(lake).committed == set()
    pending = read_pending(lake, "R1", "pending-0")
    assert pending["input_files"] == [["in.jsonl", 10, 1.5]]
    # the writers recorded what the manifest keeps of each file they staged (and synced it)
    on_disk = {path: file_facts(path) for path in pending["files"]}
    assert {path: {key: facts[key] for key in on_disk[path]} for path, facts in pending["staged_facts"].items()} \
        == on_disk
    started = dt.datetime(2024, 6, 1, 12, tzinfo=UTC)
    manifest = {"run_id": "R1", "kind": "run", "started_at": started, "status": "committed",
                "inputs": ["x"], "counts": pending["counts"], "accounting_ok": True, "files": [],
                "replaced_files": [], "metrics": {}, "code_version": "t", "schema_version": "t",
                "extractor_version": "t", "options": "{}"}
    committed = commit_run(lake, manifest, pending["files"], pending["staged_facts"])
    assert sorted(f["path"] for f in committed["written_files"]) == [
        "places/dt=2024-03-04/part-R1-0.parquet", "places/dt=2024-03-05/part-R1-0.parquet",
        "rejects/dt=2024-06-01/part-R1-0.parquet"]
    assert sorted(str(p.relative_to(root)) for p in root.rglob("*.parquet")) == [
        "places/dt=2024-03-04/part-R1-0.parquet", "places/dt=2024-03-05/part-R1-0.parquet",
        "rejects/dt=2024-06-01/part-R1-0.parquet", "runs/dt=2024-06-01/part-R1-0.parquet"]
    assert not (root / "_staging" / "R1").exists()
    assert len(visible_files(lake, "places", read_lake_state(lake))) == 2
    table = pq.read_table(root / "places/dt=2024-03-04/part-R1-0.parquet")
    assert "dt" not in table.column_names and table.column("run_id").to_pylist() == ["R1"]
    meta = pq.ParquetFile(root / "places/dt=2024-03-04/part-R1-0.parquet").metadata
    assert meta.row_group(0).column(0).compression == "ZSTD"
