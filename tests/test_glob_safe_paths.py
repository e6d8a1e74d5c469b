"""Lake paths are taken literally wherever the lake is listed, matched or deleted:
``[``, ``]``, ``*``, ``?``, spaces and non-ASCII in its name change nothing (Beam's
match and delete read them as a pattern: ``lake[1]`` meant ``lake1``)."""
import json

import pytest
from click.testing import CliRunner

from newsevents.pipelines.cli import cli
from newsevents.transforms.storage import durable
from newsevents.transforms.storage.commit import clean_leftovers
from newsevents.transforms.storage.lake_files import read_lake_state, staged_runs, table_files
from newsevents.transforms.storage.query import connect_lake

NAMES = ["lake[1]", "lake]", "lake*", "lake?", "my lake", "données-湖", "a[b]*c? d"]


@pytest.mark.parametrize("name", NAMES)
def test_listing_and_deleting_take_the_lake_path_literally(tmp_path, name):
    lake, decoy = tmp_path / name, tmp_path / "lake1"
    for root in (lake, decoy):
        (root / "events" / "dt=2024-03-04").mkdir(parents=True)
        (root / "events" / "dt=2024-03-04" / "part-R1-0.parquet").write_bytes(b"x")
        (root / "_staging" / "R2" / "events").mkdir(parents=True)
        (root / "_staging" / "R2" / "events" / "part-R2-0.parquet").write_bytes(b"x")
    assert table_files(str(lake), "events") == [str(lake / "events" / "dt=2024-03-04" / "part-R1-0.parquet")]
    assert staged_runs(str(lake)) == {"R2"}
    assert [f.path for f in durable.match_files(str(lake), "**")] == sorted(
        str(p) for p in lake.rglob("*") if p.is_file())
    # the run R1 never committed: cleaning removes its file and R2's staging, in this lake only
    removed = clean_leftovers(str(lake), read_lake_state(str(lake), warn=False))
    assert removed == {"staging": 1, "orphans": 1, "replaced": 0}
    assert not list(lake.rglob("*.parquet")) and len(list(decoy.rglob("*.parquet"))) == 2


@pytest.mark.model
@pytest.mark.slow
def test_a_lake_named_with_glob_characters_commits_compacts_checks_and_unlocks(tmp_path):
    inbox, lake = tmp_path / "in [x]", tmp_path / "a[b]*c? d-湖"
    (tmp_path / "abc d-湖").mkdir()  # what the name matches as a pattern
    inbox.mkdir()
    (inbox / "a.jsonl").write_text("".join(
        json.dumps({"id": f"a{n}", "published_at": "2024-03-04",
                    "text": f"Police arrested {n + 2} protesters in Kano on Tuesday. Report {n}."}) + "\n"
        for n in range(3)) + '{"id": "bad"}\n')
    for _ in range(2):  # the second run reads a changed file: two files per partition
        with open(inbox / "a.jsonl", "a") as handle:
            handle.write(json.dumps({"id": f"b{_}", "published_at": "2024-03-04",
                                     "text": f"Police arrested {_ + 9} men in Kano on Monday."}) + "\n")
        result = CliRunner().invoke(cli, ["run", "-i", str(inbox), "-o", str(lake)], catch_exceptions=False)
        assert result.exit_code == 0, result.output
    assert not (lake / "_lock").exists() and not list((lake / "_staging").glob("*"))
    con = connect_lake(str(lake))
    assert con.execute("select count(*) from articles").fetchone()[0] == 5
    assert con.execute("select count(*) from rejects").fetchone()[0] == 1
    before = sorted(con.execute("select article_id from articles").fetchall())
    assert CliRunner().invoke(cli, ["compact", "--lake", str(lake)]).exit_code == 0
    assert sorted(connect_lake(str(lake)).execute("select article_id from articles").fetchall()) == before
    assert len(list(lake.glob("articles/dt=*/*.parquet"))) == 1  # the replaced files were deleted
    assert CliRunner().invoke(cli, ["check", "--lake", str(lake)]).exit_code == 0
    (lake / "_lock").write_text("garbage")
    assert CliRunner().invoke(cli, ["unlock", "--lake", str(lake)]).exit_code == 0
    assert not (lake / "_lock").exists()
    assert not list((tmp_path / "abc d-湖").iterdir())
