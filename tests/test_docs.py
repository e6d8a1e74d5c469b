"""Every command explains itself with an example; the README shows the two commands."""
import click
import pytest
from click.testing import CliRunner

from newsevents.pipelines.cli import cli
from tests.conftest import EXAMPLES

COMMANDS = [[]] + [[name] for name in cli.commands]


@pytest.mark.parametrize("path", COMMANDS, ids=lambda p: " ".join(p) or "newsevents")
def test_help_has_text_and_an_example(path):
    result = CliRunner().invoke(cli, path + ["--help"])
    assert result.exit_code == 0
    assert "Example" in result.output
    command = cli if not path else cli.commands[path[0]]
    assert command.help and len(command.help) > 40
    for param in command.params:
        if isinstance(param, click.Option) and param.name not in ("help", "version"):
            assert param.help, f"{' '.join(path)} --{param.name} has no help"


def test_readme_leads_with_the_two_commands():
    readme = (EXAMPLES.parent / "README.md").read_text()
    assert readme.index("make demo") < readme.index("make test") < readme.index("newsevents run")


def test_ci_runs_the_readme_test_command():
    assert "make test" in (EXAMPLES.parent / ".ci" / "run").read_text()


@pytest.mark.parametrize("path", COMMANDS, ids=lambda p: " ".join(p) or "newsevents")
def test_files_named_in_help_examples_exist(path):
    """A help example that names a file of the project names one that is there."""
    import re

    text = CliRunner().invoke(cli, path + ["--help"]).output
    for name in re.findall(r"(?<![\w/.])((?:tests|examples|schemas|benchmarks)/[\w./-]*)", text):
        assert (EXAMPLES.parent / name).exists(), f"{' '.join(path)} --help names {name}"
