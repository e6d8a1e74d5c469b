"""A lake any DuckDB opens: the views on every lake (empty tables too), from any folder,
in the duckdb shell; a folder that is not a lake is an error; read-only queries reach
nothing but the lake's files."""
import datetime as dt
import os
import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest
from click.testing import CliRunner

from newsevents.pipelines.cli import cli
from newsevents.pipelines.commits import LakeOperation, build_manifest, commit
from newsevents.schemas.tables import ROW_TABLES, to_arrow_table
from newsevents.transforms.storage.lake_files import LakeState, staged_path, write_parquet
from newsevents.transforms.storage.query import connect_lake, init_script
from tests.conftest import ROOT

UTC = dt.timezone.utc
DUCKDB_SHELL = Path(sys.executable).parent / "duckdb"  # from the duckdb-cli package


def make_lake(lake: Path) -> Path:
    """A lake of one committed run with two articles and one event, and no rejects,
    places or incidents: written through the commit path, without the pipeline."""
    started = dt.datetime(2024, 3, 1, 12, tzinfo=UTC)
    operation = LakeOperation("20240301T120000Z-0badcafe", started, LakeState())
    staged = []
    for table, rows in (
            ("articles", [{"article_id": "a1", "text": "x", "run_id": operation.run_id},
                          {"article_id": "a2", "text": "y", "run_id": operation.run_id}]),
            ("events", [{"event_id": "e1", "article_id": "a1", "event_type": "ASSAULT",
                         "fatalities": 3, "run_id": operation.run_id}])):
        path = staged_path(str(lake), operation.run_id, table, "2024-03-01", 0)
        write_parquet(path, to_arrow_table(table, rows))
        staged.append(path)
    counts = {"read": 2, "stored": 2}
    commit(operation, str(lake), build_manifest(operation, "run", options="{}", counts=counts), staged)
    return lake


@pytest.fixture
def lake(tmp_path):
    return make_lake(tmp_path / "lake")


def test_every_table_has_a_file_from_the_first_commit(lake):
    for table in ROW_TABLES:
        assert list((lake / table).rglob("*.parquet")), table
    con = connect_lake(str(lake))
    assert con.execute("select count(*) from rejects").fetchone()[0] == 0
    assert con.execute("select count(*) from articles").fetchone()[0] == 2


def test_views_sql_works_in_plain_duckdb_on_a_lake_with_empty_tables(lake):
    con = duckdb.connect()
    con.execute("SET file_search_path = ?", [str(lake)])
    con.execute((ROOT / "schemas" / "views.sql").read_text())
    counts = {table: con.execute(f"select count(*) from {table}").fetchone()[0]
              for table in ("articles", "events", "places", "rejects", "incidents", "runs")}
    assert counts == {"articles": 2, "events": 1, "places": 0, "rejects": 0, "incidents": 0, "runs": 1}
    # the empty tables still have their columns, typed
    assert ("reason", "VARCHAR") in con.execute("select column_name, column_type from "
                                                "(describe rejects)").fetchall()


def test_init_script_opens_the_lake_from_any_folder(lake, tmp_path, monkeypatch):
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    con = duckdb.connect()
    con.execute(init_script(str(lake)))
    assert con.execute("select event_type, fatalities from events").fetchall() == [("ASSAULT", 3)]


def test_init_script_types_the_empty_tables_of_an_older_lake(lake):
    shutil.rmtree(lake / "rejects")  # lakes before 0.6 had no file in a table without rows
    con = duckdb.connect()
    con.execute(init_script(str(lake)))
    assert con.execute("select count(*) from rejects").fetchone()[0] == 0
    assert con.execute("select count(*) from articles").fetchone()[0] == 2


def test_the_duckdb_shell_outside_the_repository(lake, tmp_path):
    """As the README says: pip install duckdb-cli, write the init script, start duckdb."""
    script = tmp_path / "lake.sql"
    result = CliRunner().invoke(cli, ["sql", "--init-script", "--lake", str(lake)])
    assert result.exit_code == 0, result.output
    script.write_text(result.output)
    outside = tmp_path / "somewhere-else"
    outside.mkdir()
    shell = subprocess.run([str(DUCKDB_SHELL), "-init", str(script), "-csv", "-c",
                            "select count(*) as n, sum(fatalities) as killed from events"],
                           cwd=outside, capture_output=True, text=True, timeout=60, check=True)
    assert shell.stdout.strip().splitlines()[-2:] == ["n,killed", "1,3"]
    assert not str(outside).startswith(str(ROOT))


@pytest.mark.parametrize("make_folder, message", [
    (lambda tmp: tmp / "missing", "no lake at"),
    (lambda tmp: ROOT / "examples", "is not a newsevents lake"),
    (lambda tmp: (tmp / "empty").mkdir() or tmp / "empty", "is not a newsevents lake"),
])
def test_a_folder_that_is_not_a_lake_is_an_error(tmp_path, make_folder, message):
    folder = make_folder(tmp_path)
    for args in (["sql", "select 1", "--lake", str(folder)], ["sql", "--init-script", "-l", str(folder)]):
        result = CliRunner().invoke(cli, args)
        assert result.exit_code == 1 and message in result.output, result.output


@pytest.mark.parametrize("query", [
    "select * from read_text('/etc/passwd')",
    "select * from read_csv('{outside}/data.csv')",
    "copy (select 1 as x) to '{outside}/out.csv'",
    "copy (select 1 as x) to '{lake}/events/dt=2024-03-01/part-X-0.parquet' (format parquet)",
    "attach '{outside}/other.duckdb' as other",
    "install spatial",
    "load httpfs",
    "set enable_external_access = true",
])
def test_read_only_reaches_nothing_but_the_lake(lake, tmp_path, query):
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "data.csv").write_text("a\n1\n")
    query = query.format(outside=outside, lake=lake)
    result = CliRunner().invoke(cli, ["sql", query, "--lake", str(lake), "--read-only"])
    assert result.exit_code == 1 and "SQL error" in result.output, result.output
    assert sorted(os.listdir(outside)) == ["data.csv"]
    assert not (lake / "events" / "dt=2024-03-01" / "part-X-0.parquet").exists()
    # the lake itself stays readable
    ok = CliRunner().invoke(cli, ["sql", "select count(*) from events", "-l", str(lake), "--read-only"])
    assert ok.exit_code == 0 and "\n1 row" in ok.output


def test_without_read_only_sql_reads_other_files(lake, tmp_path):
    (tmp_path / "data.csv").write_text("a\n1\n")
    result = CliRunner().invoke(cli, ["sql", f"select a from read_csv('{tmp_path}/data.csv')",
                                      "-l", str(lake), "-f", "csv"])
    assert result.exit_code == 0 and result.output == "a\n1\n"


def test_sql_help_names_every_view():
    text = CliRunner().invoke(cli, ["sql", "--help"]).output
    for view in ("articles", "events", "places", "incidents", "event_windows", "rejects", "runs"):
        assert view in text, view
