"""Exit codes a scheduler can trust: usage errors before any work, "nothing new" fast
and without a model, too many rejects a failure with the reasons on stderr."""
import datetime as dt
import json
import re
import subprocess
import sys

import pytest
from click.testing import CliRunner

from newsevents.pipelines.cli import aligned_table, cli
from newsevents.pipelines.commits import LakeOperation, build_manifest, commit
from newsevents.pipelines.preflight import glob_root, missing_inputs
from newsevents.pipelines.run_summary import group_rejects, judge_run, reason_kind
from newsevents.transforms.storage.lake_files import LakeState

UTC = dt.timezone.utc


def invoke(*args):
    return CliRunner().invoke(cli, list(args))


def committed_lake(lake, input_files=()):
    """A lake with one committed run that read ``input_files`` completely (no pipeline)."""
    started = dt.datetime(2024, 3, 1, tzinfo=UTC)
    operation = LakeOperation("20240301T000000Z-feedbeef", started, LakeState())
    files = [(str(p), p.stat().st_size, p.stat().st_mtime) for p in input_files]
    commit(operation, str(lake), build_manifest(operation, "run", options="{}", input_files=files), [])


@pytest.mark.parametrize("inputs, missing", [
    (["{tmp}/nope"], ["{tmp}/nope"]),
    (["{tmp}/nope/*.jsonl"], ["{tmp}/nope/*.jsonl"]),
    (["{tmp}/*.jsonl"], []),  # the folder exists: nothing matched is "nothing to read"
    (["{tmp}"], []),
    (["gs://bucket/crawl/"], []),  # object stores are listed by the pipeline
])
def test_missing_inputs(tmp_path, inputs, missing):
    fill = lambda items: [i.format(tmp=tmp_path) for i in items]  # noqa: E731
    assert missing_inputs(fill(inputs)) == fill(missing)


@pytest.mark.parametrize("pattern, root", [
    ("feeds/2024-*.jsonl.gz", "feeds"), ("a/b/**/*.txt", "a/b"), ("*.jsonl", "."), ("/x/[ab]/c", "/x"),
])
def test_glob_root(pattern, root):
    assert glob_root(pattern) == root


def test_a_missing_input_is_a_usage_error_before_any_work(tmp_path):
    result = invoke("--log-format", "json", "run", "-i", str(tmp_path / "missing"), "-o", str(tmp_path / "lake"))
    assert result.exit_code == 2
    assert "no such input" in result.output and str(tmp_path / "missing") in result.output
    assert not (tmp_path / "lake").exists()  # no lock, no lake: nothing was started
    summary = json.loads(next(line for line in result.output.splitlines() if line.startswith("{")))
    assert (summary["event"], summary["exit_code"]) == ("run_failed", 2)


def run_cli_in_fresh_python(*args) -> subprocess.CompletedProcess:
    """The command in a new interpreter, reporting whether Beam's runner or spaCy was loaded."""
    code = ("import sys\nfrom newsevents.pipelines.cli import cli\n"
            "try:\n    cli(sys.argv[1:], prog_name='newsevents')\n"
            "except SystemExit as stop:\n    code = stop.code\n"
            "loaded = [m for m in ('spacy', 'apache_beam.runners.portability.fn_api_runner') if m in sys.modules]\n"
            "print('LOADED', loaded, file=sys.stderr)\nsys.exit(code)\n")
    return subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True)


@pytest.mark.parametrize("mode", ["--incremental", "--full"])
def test_an_empty_input_folder_is_nothing_to_read(tmp_path, mode):
    (tmp_path / "inbox").mkdir()
    result = run_cli_in_fresh_python("run", "-i", str(tmp_path / "inbox"), "-o",
                                              str(tmp_path / "lake"), mode)
    assert result.returncode == 0, result.stderr
    assert "nothing to read" in result.stderr and "LOADED []" in result.stderr
    assert not (tmp_path / "lake").exists()


def test_nothing_new_exits_0_loads_no_model_and_logs_its_summary(tmp_path):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    (inbox / "a.jsonl").write_text('{"text": "x", "published_at": "2024-03-01"}\n')
    committed_lake(tmp_path / "lake", [inbox / "a.jsonl"])
    result = run_cli_in_fresh_python("--log-format", "json", "run", "-i", str(inbox),
                                              "-o", str(tmp_path / "lake"))
    assert result.returncode == 0, result.stderr
    assert "nothing new: 1 input file(s) unchanged since run 20240301T000000Z-feedbeef" in result.stderr
    # Neither Beam's runner nor spaCy loaded is what keeps it fast; a wall-clock bound
    # here failed under a loaded machine (timings belong in benchmarks/).
    assert "LOADED []" in result.stderr
    summary = json.loads(next(line for line in result.stderr.splitlines() if line.startswith("{")))
    assert (summary["event"], summary["exit_code"], summary["skipped_files"]) == ("run_skipped", 0, 1)
    # the lake is untouched: still one run
    assert len(list((tmp_path / "lake" / "runs").rglob("*.parquet"))) == 1


@pytest.mark.parametrize("counts, accounting_ok, rate, code", [
    (dict(read=38, rejected=10), True, 0.5, 0),
    (dict(read=5, rejected=4), True, 0.5, 5),
    (dict(read=5, rejected=4), True, 0.9, 0),
    (dict(read=2, rejected=2), True, 1.0, 5),  # all rejected fails whatever the rate
    (dict(read=10, rejected=1), True, 0.0, 5),
    (dict(read=0, rejected=0), True, 0.0, 0),
    (dict(read=3, rejected=0), False, 0.5, 3),
])
def test_judge_run(counts, accounting_ok, rate, code):
    verdict = judge_run(counts, accounting_ok, rate)
    assert verdict.exit_code == code
    assert (verdict.message is None) == (code == 0)


@pytest.mark.parametrize("reason, kind", [
    ("bad JSON: Invalid control character at at column 78", "bad JSON"),
    ("invalid UTF-8 at byte 69", "invalid UTF-8 at byte …"),
    ("unparseable published_at 'yesterday-ish' (expected ISO 8601)",
     "unparseable published_at … (expected ISO …)"),
    ("no publication date", "no publication date"),
])
def test_reason_kind(reason, kind):
    assert reason_kind(reason) == kind


def test_rejects_grouped_by_reason_name_the_first_file_and_line():
    groups = group_rejects([("b.jsonl", 3, "bad JSON: x"), ("a.jsonl", 9, "bad JSON: y"),
                            ("a.jsonl", 2, "bad JSON: z"), ("c.txt", 0, "no publication date")])
    assert [(g.reason, g.count, g.input, g.position) for g in groups] == [
        ("bad JSON", 3, "a.jsonl", 2), ("no publication date", 1, "c.txt", 0)]


@pytest.mark.parametrize("args, message", [
    (("stream", "-i", "{tmp}", "-o", "{tmp}/lake", "--window", "15"), "give a unit"),
    (("run", "-i", "{tmp}", "-o", "{tmp}/lake", "--max-reject-rate", "1.5"), "--max-reject-rate"),
])
def test_option_errors(tmp_path, args, message):
    result = invoke(*[a.format(tmp=tmp_path) for a in args])
    assert result.exit_code != 0 and message in result.output, result.output


def test_tables_never_cut_ids():
    long_id = "inc-20240506-1e3c00d9fe78" * 12
    text = aligned_table(["incident_id", "n"], [[long_id, "7"], ["x", "12"]])
    assert long_id in text
    header, first, second = text.splitlines()
    assert first.endswith(" 7") and second.endswith("12")  # numbers right-aligned


def test_help_and_operations_doc_list_every_exit_code():
    from tests.conftest import ROOT

    help_text = invoke("run", "--help").output
    doc = (ROOT / "docs" / "operations.md").read_text()
    for code in ("0", "1", "2", "3", "5", "75"):
        assert re.search(rf"^ +{code} +\w", help_text, re.M), code
        assert f"| {code} |" in doc, code


@pytest.mark.slow
@pytest.mark.model
def test_most_records_rejected_exits_5_with_reasons_on_stderr(tmp_path):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    for i in range(4):  # no date, and no --default-published-at
        (inbox / f"undated-{i}.txt").write_text(f"Gunmen killed {i + 2} people in Goma.\n")
    (inbox / "dated.txt").write_text("date 2024-03-01\nGunmen killed 9 people in Goma.\n")
    result = CliRunner().invoke(
        cli, ["--log-format", "json", "run", "-i", str(inbox), "-o", str(tmp_path / "lake")])
    assert result.exit_code == 5, result.output
    assert "committed" in result.stdout and "stored            1" in result.stdout
    assert "4 of 5 records rejected (80%)" in result.stderr
    assert f"4  no publication date  [{inbox / 'undated-0.txt'} (whole file)]" in result.stderr
    summary = json.loads(next(line for line in result.stderr.splitlines() if '"run_finished"' in line))
    assert summary["exit_code"] == 5 and summary["counts"]["rejected"] == 4
    assert summary["rejects_by_reason"] == [{"reason": "no publication date", "count": 4,
                                             "first_input": str(inbox / "undated-0.txt"),
                                             "first_position": 0}]


@pytest.mark.slow
@pytest.mark.model
def test_two_workers_and_verbose_logs_are_not_beams_chatter(tmp_path):
    from tests.conftest import EXAMPLES

    quiet = subprocess.run([sys.executable, "-m", "newsevents.pipelines.cli", "run", "-i",
                            str(EXAMPLES / "wire.jsonl"), "-o", str(tmp_path / "lake"), "--workers", "2"],
                           capture_output=True, text=True)
    assert quiet.returncode == 0, quiet.stderr
    assert quiet.stderr == ""  # Beam's workers printed 40 lines here
    verbose = subprocess.run([sys.executable, "-m", "newsevents.pipelines.cli", "-v", "run", "-i",
                              str(EXAMPLES / "wire-2.jsonl.gz"), "-o", str(tmp_path / "lake"), "--workers", "2"],
                             capture_output=True, text=True)
    assert verbose.returncode == 0, verbose.stderr
    lines = verbose.stderr.splitlines()
    assert lines and all(" newsevents." in line for line in lines), lines  # only our own lines


@pytest.mark.parametrize("leftover", ["_lock", "_staging/20240302T000000Z-deadbeef/events/dt=2024-03-02/part-x-0.parquet",
                                      "events/dt=2024-03-02/part-20240302T000000Z-deadbeef-0.parquet"])
def test_what_a_crashed_run_left_makes_the_run_go_ahead(tmp_path, leftover):
    """Nothing new to read, but a lock, staging or an orphan file to clean: the run takes
    the lock and cleans up instead of exiting at once."""
    from newsevents.pipelines.preflight import plan_inputs

    inbox = tmp_path / "inbox"
    inbox.mkdir()
    (inbox / "a.jsonl").write_text('{"text": "x", "published_at": "2024-03-01"}\n')
    committed_lake(tmp_path / "lake", [inbox / "a.jsonl"])
    assert plan_inputs([str(inbox)], str(tmp_path / "lake"), incremental=True).idle
    (tmp_path / "lake" / leftover).parent.mkdir(parents=True, exist_ok=True)
    (tmp_path / "lake" / leftover).write_text("")
    plan = plan_inputs([str(inbox)], str(tmp_path / "lake"), incremental=True)
    assert plan.leftovers and not plan.idle
