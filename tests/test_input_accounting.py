"""Accounting without gaps: directory inputs with links, loops and unreadable
sub-directories; every reject written once however often its file is read; and a
reprocessing that leaves a plain run's incidents exactly as they were."""
import json
import os

import apache_beam as beam
import pytest
from apache_beam.testing.test_pipeline import TestPipeline
from apache_beam.testing.util import assert_that, equal_to
from click.testing import CliRunner

from newsevents.pipelines.cli import cli
from newsevents.schemas.tables import to_arrow_table
from newsevents.transforms.dedupe_rejects import DedupeRejects
from newsevents.transforms.read_articles import expand_input
from newsevents.transforms.routing import reject_row
from newsevents.transforms.storage.lake_files import write_parquet
from newsevents.transforms.storage.query import connect_lake
from tests.conftest import ROOT


def names(files, root):
    return sorted(os.path.relpath(path, root) for path, _, _ in files)


def test_links_to_directories_are_followed_and_loops_rejected(tmp_path):
    root = tmp_path / "crawl"
    (root / "2024-03-04").mkdir(parents=True)
    (root / "2024-03-04" / "a.jsonl").write_text("{}\n")
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    (outside / "b.jsonl").write_text("{}\n")
    (root / "linked").symlink_to(outside)               # followed
    (root / "today").symlink_to(root / "2024-03-04")    # the same directory again: listed once
    (root / "2024-03-04" / "up").symlink_to(root)       # a loop
    (root / "gone.jsonl").symlink_to(tmp_path / "nothing.jsonl")
    files, problems = expand_input(str(root))
    assert names(files, root) == ["2024-03-04/a.jsonl", "linked/b.jsonl"]
    assert [(os.path.relpath(p, root), reason.split(":")[0] + ":" + reason.split(":")[1][:12])
            for p, reason in problems] == [
        ("2024-03-04/up", "unreadable input: a link loop"),
        ("gone.jsonl", "unreadable input: a link to a"),
    ]


def test_an_unreadable_sub_directory_is_a_problem_not_a_silent_gap(tmp_path, monkeypatch):
    """Root reads every directory, so the refusal is simulated at the listing."""
    root = tmp_path / "crawl"
    (root / "locked").mkdir(parents=True)
    (root / "locked" / "hidden.jsonl").write_text("{}\n")
    (root / "open.jsonl").write_text("{}\n")
    real_scandir = os.scandir

    def scandir(path):
        if str(path).endswith("locked"):
            raise PermissionError(13, "Permission denied", str(path))
        return real_scandir(path)

    monkeypatch.setattr(os, "scandir", scandir)
    files, problems = expand_input(str(root))
    assert names(files, root) == ["open.jsonl"]
    assert problems == [(str(root / "locked"), "unreadable directory: Permission denied")]


@pytest.mark.parametrize("name", ["in[1]", "in*", "what?", "with space", "données-日本", "a]b"])
def test_input_paths_are_taken_literally(tmp_path, name):
    folder = tmp_path / name
    folder.mkdir()
    (folder / "a.jsonl").write_text("{}\n")
    (tmp_path / "in1").mkdir()  # what "in[1]" would match as a glob
    (tmp_path / "in1" / "other.jsonl").write_text("{}\n")
    files, problems = expand_input(str(folder))
    assert (names(files, tmp_path), problems) == ([f"{name}/a.jsonl"], [])
    single, _ = expand_input(str(folder / "a.jsonl"))
    assert names(single, tmp_path) == [f"{name}/a.jsonl"]


def test_a_glob_that_matches_directories_reads_their_files(tmp_path):
    for day in ("2024-03-04", "2024-03-05"):
        (tmp_path / day).mkdir()
        (tmp_path / day / "a.jsonl").write_text("{}\n")
    files, problems = expand_input(str(tmp_path / "2024-*"))
    assert names(files, tmp_path) == ["2024-03-04/a.jsonl", "2024-03-05/a.jsonl"] and problems == []


def test_rejects_already_in_the_lake_or_the_run_are_written_once(tmp_path, local_runner):
    stored = reject_row("crawl/a.jsonl", 2, "read", "bad JSON: ...", b"{not json")
    write_parquet(str(tmp_path / "rejects.parquet"), to_arrow_table("rejects", [dict(stored, run_id="R0")]))
    again = reject_row("crawl/a.jsonl", 2, "read", "bad JSON: ...", b"{not json")
    changed = reject_row("crawl/a.jsonl", 2, "read", "bad JSON: ...", b"{other")  # the line was rewritten
    twice = reject_row("crawl/b.jsonl", 0, "read", "input does not exist")
    with TestPipeline(runner=local_runner) as p:
        result = (p | beam.Create([again, changed, twice, dict(twice)])
                  | DedupeRejects([str(tmp_path / "rejects.parquet")]))
        assert_that(result["rejects"] | "New" >> beam.Map(lambda r: (r["input"], r["raw"])),
                    equal_to([("crawl/a.jsonl", "{other"), ("crawl/b.jsonl", "")]), label="new")
        assert_that(result["known"] | "Known" >> beam.Map(lambda r: r["input"]),
                    equal_to(["crawl/a.jsonl", "crawl/b.jsonl"]), label="known")


def invoke(*args):
    result = CliRunner().invoke(cli, [str(a) for a in args], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result


@pytest.mark.model
@pytest.mark.slow
def test_rereading_a_file_writes_no_reject_twice(tmp_path):
    inbox, lake = tmp_path / "inbox", tmp_path / "lake"
    inbox.mkdir()
    good = {"id": "g1", "published_at": "2024-03-04", "text": "Police arrested two men in Kano on Monday."}
    (inbox / "a.jsonl").write_text(json.dumps(good) + "\n{bad json\n" + '{"id": "no text"}\n')
    # Most of this file's records are bad on purpose: no reject rate is too high here.
    invoke("run", "-i", inbox, "-o", lake, "--max-reject-rate", "1")
    with open(inbox / "a.jsonl", "a") as handle:  # the crawler appends: the file is read again
        handle.write('{"id": "still no text"}\n')
    invoke("run", "-i", inbox, "-o", lake, "--max-reject-rate", "1")
    invoke("run", "-i", inbox, "-o", lake, "--full", "--max-reject-rate", "1")
    con = connect_lake(str(lake))
    assert con.execute("select position from rejects order by 1").fetchall() == [(2,), (3,), (4,)]
    assert con.execute("select counts.rejected, counts.rejects_known, accounting_ok from runs "
                       "order by started_at").fetchall() == [(2, 0, True), (3, 2, True), (3, 3, True)]


INCIDENT_COUNTS = ("select incident_id, created_run_id = (select min(run_id) from runs), num_mentions, "
                   "num_articles, num_sources, fatalities, "
                   "list_sort([r.article_id || ':' || r.mentions for r in reports]) from incidents")


@pytest.mark.model
@pytest.mark.slow
def test_reprocessing_leaves_a_plain_runs_incidents_as_they_were(tmp_path):
    lake = tmp_path / "lake"
    invoke("run", "-i", ROOT / "tests" / "incidents" / "corpus.jsonl", "-o", lake)
    plain = sorted(connect_lake(str(lake)).execute(INCIDENT_COUNTS).fetchall())
    invoke("run", "--reprocess", "-o", lake, "--since", "2024-05-01", "--until", "2024-05-31")
    assert sorted(connect_lake(str(lake)).execute(INCIDENT_COUNTS).fetchall()) == plain
    # a part of the range: every mention counted once, in the incident its event names
    invoke("run", "--reprocess", "-o", lake, "--since", "2024-05-07", "--until", "2024-05-08")
    con = connect_lake(str(lake))
    assert con.execute("select sum(num_mentions) from incidents").fetchone()[0] == con.execute(
        "select count(*) from events where incident_id is not null").fetchone()[0]
    assert con.execute(
        "select count(*) from (select incident_id, unnest(reports) r from incidents) i "
        "where r.mentions > 0 and not exists (select 1 from events e where e.article_id = "
        "r.article_id and e.incident_id = i.incident_id)").fetchone()[0] == 0
