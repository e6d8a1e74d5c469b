"""Every sample output in the README is what the commands print today (run ids and
timings aside). The score tables are held by tests/test_quality.py and
tests/test_incident_quality.py the same way."""
import re

import pytest
from click.testing import CliRunner

from newsevents.pipelines.cli import cli
from tests.conftest import ROOT
from tests.readme import README, cells, sample

pytestmark = [pytest.mark.slow, pytest.mark.model]
RUN_LINE = re.compile(r"^run \S+: committed in [0-9.]+s$")


def normalize(line: str) -> str:
    return "run RUN: committed in Ns" if RUN_LINE.match(line) else line.rstrip()


def test_the_readme_commands_are_the_ones_tested():
    text = README.read_text(encoding="utf-8")
    for command in (".venv/bin/newsevents run --input examples/ --output lake/",
                    ".venv/bin/newsevents run -i tests/incidents/corpus.jsonl -o corpus-lake/",
                    ".venv/bin/newsevents sql --query most_reported_incidents --lake corpus-lake/"):
        assert command in text, command


def test_run_over_the_examples_prints_what_the_readme_shows(tmp_path, monkeypatch):
    monkeypatch.chdir(ROOT)  # the README's relative paths
    result = CliRunner().invoke(cli, ["run", "--input", "examples/", "--output", str(tmp_path / "lake")])
    assert result.exit_code == 0, result.output
    assert [normalize(line) for line in result.output.splitlines()] == \
        [normalize(line) for line in sample("run-examples")]


def test_most_reported_incidents_prints_what_the_readme_shows(tmp_path):
    lake = str(tmp_path / "corpus-lake")
    run = CliRunner().invoke(cli, ["run", "-i", str(ROOT / "tests" / "incidents" / "corpus.jsonl"), "-o", lake])
    assert run.exit_code == 0, run.output
    query = CliRunner().invoke(cli, ["sql", "--query", "most_reported_incidents", "--lake", lake])
    assert query.exit_code == 0, query.output
    shown = sample("most-reported-incidents")
    printed = query.output.splitlines()
    head = [line for line in shown if line != "..."][:-1]
    assert [cells(line) for line in printed[:len(head)]] == [cells(line) for line in head]
    assert printed[-1] == shown[-1]  # "20 rows"
