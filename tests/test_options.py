"""Settings: one default each, checked values, clear errors."""
import dataclasses
import datetime as dt

import pytest
from click.testing import CliRunner

from newsevents.pipelines.cli import cli
from newsevents.pipelines.options import (
    OptionsError, RunOptions, StreamOptions, default_of, make_run_options, make_stream_options)
from newsevents.transforms.streaming.windows import format_duration, parse_duration


def test_run_settings_are_keywords_with_their_defaults():
    options = make_run_options(["in/"], "lake/", since="2024-01-01", workers=2)
    assert options.inputs == ("in/",) and options.since == dt.date(2024, 1, 1)
    assert options.workers == 2 and options.model == default_of(RunOptions, "model")
    with pytest.raises(TypeError, match="unknown run settings: wokers"):
        make_run_options(["in/"], "lake/", wokers=2)


@pytest.mark.parametrize("settings, message", [
    (dict(inputs=()), "at least one --input"),
    (dict(workers=0), "--workers must be at least 1"),
    (dict(since="2024-02-01", until="2024-01-01"), "--since must not be after --until"),
    (dict(since="yesterday"), "expected a date like 2024-03-01"),
    (dict(default_published_at="soon"), "--default-published-at"),
    (dict(near_duplicate_threshold=0.0), "--near-duplicate-threshold"),
    (dict(copy_window_hours=-1), "--copy-window-hours"),
    (dict(model="no_such_pipeline_xyz"), "is not installed"),
])
def test_run_setting_errors(settings, message):
    inputs = settings.pop("inputs", ("in/",))
    with pytest.raises(OptionsError, match=message):
        make_run_options(inputs, "lake/", **settings)


def test_a_changed_copy_is_checked_again():
    options = make_run_options(["in/"], "lake/")
    with pytest.raises(OptionsError, match="--workers"):
        dataclasses.replace(options, workers=0)


def test_the_cli_shows_the_defaults_the_options_define():
    run_help = CliRunner().invoke(cli, ["run", "--help"]).output
    stream_help = CliRunner().invoke(cli, ["stream", "--help"]).output
    assert f"[default: {default_of(RunOptions, 'model')}]" in run_help
    assert f"[default: {default_of(RunOptions, 'max_records_per_chunk')}]" in run_help
    assert "[default: 15m]" in stream_help and default_of(StreamOptions, "window") == 900.0
    compact_help = CliRunner().invoke(cli, ["compact", "--help"]).output
    assert "incidents" in compact_help and "all four" not in compact_help


@pytest.mark.parametrize("seconds", [0.5, 2, 90, 900, 3600, 86400, 5400])
def test_durations_round_trip(seconds):
    assert parse_duration(format_duration(seconds)) == seconds


def test_stream_durations_are_read_once_into_seconds(tmp_path):
    run = make_run_options([str(tmp_path)], str(tmp_path / "lake"))
    options = make_stream_options(run, input_dir=str(tmp_path), window="90s", poll=2)
    assert (options.window, options.poll, options.lake) == (90.0, 2.0, str(tmp_path / "lake"))
    assert options.window_spec.size == 90.0
