"""Commits on processing time, window panes on publication time: the pure rules
(newsevents.transforms.streaming.windows) and the Pub/Sub pipeline's Beam triggers
(newsevents.transforms.streaming.window_panes) driven by a TestStream on the streaming
DirectRunner."""
import datetime as dt
import json
from pathlib import Path

import apache_beam as beam
import pytest
from apache_beam.options.pipeline_options import PipelineOptions, StandardOptions
from apache_beam.testing.test_pipeline import TestPipeline
from apache_beam.testing.test_stream import TestStream
from apache_beam.testing.util import assert_that, equal_to
from apache_beam.transforms.window import TimestampedValue

from newsevents.transforms.routing import reject_row
from newsevents.transforms.streaming.pane_files import (
    decode_pane_line, encode_article, encode_reject, read_pane_file)
from newsevents.transforms.streaming.window_panes import (
    CommitBatches, FireWindowPanes, WriteCommitBatchFn)
from newsevents.transforms.streaming.windows import (
    EARLY, LATE, ON_TIME, WindowSpec, arrival_time, arrival_watermark, event_watermark,
    pane_timing, parse_duration)

UTC = dt.timezone.utc
SPEC = WindowSpec(size=60, allowed_lateness=30)


@pytest.mark.parametrize("text, seconds", [
    ("90", 90.0), ("90s", 90.0), ("15m", 900.0), ("15min", 900.0), ("1h", 3600.0),
    ("2d", 172800.0), ("2.5s", 2.5), ("500ms", 0.5), (" 1H ", 3600.0),
])
def test_parse_duration(text, seconds):
    assert parse_duration(text) == seconds


@pytest.mark.parametrize("text", ["", "soon", "-5m", "1 week", "15 m m"])
def test_parse_duration_rejects(text):
    with pytest.raises(ValueError, match="duration"):
        parse_duration(text)


@pytest.mark.parametrize("published, watermark, awaiting, expected", [
    (10, 0, False, EARLY),       # window [0, 60) still open
    (10, 59.9, False, EARLY),
    (10, 60, True, ON_TIME),     # the watermark reached the end of a window that fired early
    (10, 60, False, LATE),       # ... of one that did not: its first pane is late
    (10, 89.9, False, LATE),     # within the 30 s of allowed lateness
    (10, 90, False, None),       # closed: no more panes (the article is stored all the same)
    (10, 500, True, ON_TIME),    # a stream that was down: the on-time pane still fires once
    (70, 90, False, EARLY),      # the next window
    (-5, 0, False, LATE),        # [-60, 0)
    (10, None, False, EARLY),    # no watermark yet
])
def test_pane_timing(published, watermark, awaiting, expected):
    start = SPEC.start(published)
    assert pane_timing(SPEC, start, watermark, {start} if awaiting else set()) == expected


def test_due_windows():
    assert SPEC.due([0, 60, 120, 60], 120) == [0, 60]


def test_window_spec_checks():
    with pytest.raises(ValueError):
        WindowSpec(0, 10)
    with pytest.raises(ValueError):
        WindowSpec(60, -1)


@pytest.mark.parametrize("mtime, previous_poll, now, arrived", [
    (103.0, 100.0, 105.0, 103.0),   # landed between two polls (while a commit ran)
    (50.0, 100.0, 105.0, 100.0),    # an old modification time: since the previous poll
    (109.0, 100.0, 105.0, 105.0),   # a clock ahead: not in the future
    (103.0, None, 105.0, 105.0),    # the first poll knows nothing earlier
])
def test_arrival_time(mtime, previous_poll, now, arrived):
    assert arrival_time(mtime, previous_poll, now) == arrived


@pytest.mark.parametrize("previous, now, newest, arrival, event", [
    (0, 100, 90, 95, 85),
    (200, 100, 90, 200, 200),  # never moves back
    (0, 100, None, 95, 0),
])
def test_watermarks(previous, now, newest, arrival, event):
    assert arrival_watermark(previous, now, max_delay=5) == arrival
    assert event_watermark(previous, newest, max_delay=5) == event


def record(name: str, seconds: float) -> dict:
    published = dt.datetime.fromtimestamp(seconds, UTC)
    return {"external_id": name, "url": None, "title": None, "source": "wire", "language": "en",
            "published_at": published, "published_at_source": "input", "dateline_place": None,
            "text": f"Article {name}.", "input": "crawl/a.jsonl", "position": 1,
            "input_format": "jsonl"}


def at(name: str, seconds: float):
    return TimestampedValue(record(name, seconds), seconds)


def streaming_options() -> PipelineOptions:
    options = PipelineOptions()
    options.view_as(StandardOptions).streaming = True
    return options


# Articles of window [0, 60) arriving early, on time and late, one of 1970 long closed,
# and one of the next window. Processing time moves in steps of 6 s; the triggers fire
# every 5 s of it. The TestStream ends at a finite watermark, with processing time moved
# on, before the jump to infinity: on the DirectRunner, panes fired by that last jump
# reach a ParDo but not assert_that's GroupByKey, and a processing-time timer still
# pending then stalls the pipeline.
def arrivals() -> TestStream:
    return (TestStream()
            .add_elements([at("a", 10), at("b", 20)])
            .advance_processing_time(6)          # early pane of [0, 60): a, b
            .add_elements([at("c", 30)])
            .advance_watermark_to(65)            # on-time pane: a, b, c
            .add_elements([at("late", 15)])      # late pane: four of them
            .advance_processing_time(6)
            .add_elements([at("closed", -1_000_000), at("next", 70)])
            .advance_processing_time(6)          # early pane of [60, 120); "closed" dropped
            .advance_watermark_to(200)           # on-time pane of [60, 120)
            .advance_processing_time(6)
            .advance_watermark_to_infinity())


def test_window_panes_fire_early_on_time_and_late_and_accumulate():
    with TestPipeline(runner="DirectRunner", options=streaming_options()) as pipeline:
        panes = (pipeline | arrivals()
                 | FireWindowPanes(60, early_every=5, allowed_lateness_seconds=120)
                 | beam.Map(lambda p: (int(p["window_start"]), p["timing"], p["index"], p["articles"])))
        assert_that(panes, equal_to([
            (0, EARLY, 0, 2), (0, ON_TIME, 1, 3), (0, LATE, 2, 4),
            (60, EARLY, 0, 1), (60, ON_TIME, 1, 1)]))


def commit_batches(events: TestStream, directory: Path, commit_articles: int) -> list[tuple]:
    """The names in each pane file CommitBatches + WriteCommitBatchFn wrote, by firing
    and part.

    Read back from the files: on the DirectRunner, what the global window fires at the
    final jump of the watermark reaches a ParDo but not assert_that's GroupByKey."""
    with TestPipeline(runner="DirectRunner", options=streaming_options()) as pipeline:
        _ = (pipeline | events
             | beam.Map(encode_article)
             | CommitBatches(commit_every=5, commit_articles=commit_articles)
             | beam.ParDo(WriteCommitBatchFn(str(directory), job="test")))
    return [tuple(sorted(decode_pane_line(line)[1]["external_id"] for line in read_pane_file(str(path))))
            for path in sorted(directory.iterdir())]


def test_commits_take_every_article_of_any_date_on_processing_time(tmp_path):
    # The article of 1970 is committed with the others: nothing is too late.
    assert commit_batches(arrivals(), tmp_path, 100) == [("a", "b"), ("c", "late"), ("closed", "next")]


def test_a_big_firing_is_split_into_commits_of_at_most_commit_articles(tmp_path):
    events = (TestStream()
              .add_elements([at(f"n{i}", 10) for i in range(3)])
              .add_elements([at("m", 11)])
              .advance_processing_time(6)
              .advance_watermark_to_infinity())
    assert commit_batches(events, tmp_path, 3) == [("m", "n0", "n1"), ("n2",)]


def test_pane_lines_round_trip():
    article = record("x", 1_700_000_000)
    tag, back = decode_pane_line(encode_article(article).strip())
    assert tag == "articles" and back == article
    reject = reject_row("a.jsonl", 3, "read", "bad JSON", b"{")  # its reject_id travels too
    assert decode_pane_line(encode_reject(reject)) == ("rejects", reject)


@pytest.mark.parametrize("line, reason", [
    (b"not json", "bad pane line"),
    (b'{"other": 1}', "expected"),
    (b'{"article": {"text": "x"}}', "published_at"),
    (b'{"article": {"published_at": "2024-01-01T00:00:00+00:00", "text": " "}}', "no text"),
])
def test_bad_pane_lines(line, reason):
    from newsevents.transforms.core.article_formats import RecordError
    with pytest.raises(RecordError, match=reason):
        decode_pane_line(line)


# --- the Pub/Sub path: messages -> articles -> panes and late files ------------------

@pytest.mark.parametrize("data, attributes, expected", [
    (b'{"text": "Gunmen attacked a village.", "url": "https://x.org/1"}',
     {"published_at": "2024-03-01T09:14:00Z", "id": "w-1"},
     {"external_id": "w-1", "published_at": dt.datetime(2024, 3, 1, 9, 14, tzinfo=UTC),
      "published_at_source": "attribute"}),
    (b'{"text": "Gunmen attacked a village.", "id": "body-id", "published_at": "2024-03-02"}',
     {"published_at": "2024-03-01T09:14:00Z", "id": "w-1"},
     {"external_id": "body-id", "published_at": dt.datetime(2024, 3, 2, tzinfo=UTC),
      "published_at_source": "input"}),  # the body wins; attributes only fill gaps
])
def test_record_from_message(data, attributes, expected):
    from newsevents.transforms.streaming.read_pubsub import record_from_message
    record = record_from_message(data, attributes, "7731", "pubsub:projects/p/subscriptions/s")
    assert {k: record[k] for k in expected} == expected
    assert (record["input"], record["position"], record["input_format"]) == (
        "pubsub:projects/p/subscriptions/s", 7731, "pubsub")


@pytest.mark.parametrize("data, attributes, reason", [
    (b"not json", {}, "bad JSON"),
    (b'{"text": "Gunmen attacked a village."}', {}, "no publication date"),
    (b'{"text": "Gunmen attacked a village."}', {"published_at": "yesterday"}, "unparseable published_at"),
    (b'{"title": "no body"}', {"published_at": "2024-03-01"}, "missing text"),
])
def test_bad_messages_are_rejected_with_a_reason(data, attributes, reason):
    from newsevents.transforms.core.article_formats import RecordError
    from newsevents.transforms.streaming.read_pubsub import record_from_message
    with pytest.raises(RecordError, match=reason):
        record_from_message(data, attributes, "1", "pubsub:s")


def test_pubsub_messages_become_commit_files_and_window_pane_records(tmp_path):
    """The streaming pipeline minus ReadFromPubSub, on the streaming DirectRunner: every
    message lands in a pending pane file (late or not), and the windows' panes are
    recorded for the local process's next commit."""
    from apache_beam.io.gcp.pubsub import PubsubMessage

    from newsevents.pipelines.options import make_run_options, make_stream_options
    from newsevents.pipelines.stream import StreamPaths, StreamState, adopt_pubsub_files, build_pubsub_outputs, read_pane_records
    from newsevents.transforms.streaming.read_pubsub import ParsePubsubMessages

    def message(name, seconds, body=None):
        stamp = dt.datetime.fromtimestamp(seconds, UTC).isoformat()
        data = body or ('{"text": "Article %s about a protest in Kano."}' % name).encode()
        return TimestampedValue(PubsubMessage(data, {"published_at": stamp, "id": name},
                                              message_id=str(int(seconds))), seconds)

    base = 1_700_000_040  # a window start for 60 s windows
    events = (TestStream()
              .add_elements([message("a", base + 1), message("b", base + 2),
                             message("bad", base + 3, b"{oops")])
              .advance_processing_time(6)          # a commit; [base, base+60) fires early
              .advance_watermark_to(base + 95)     # ... and on time
              .add_elements([message("late", base + 5), message("c", base + 100)])
              .advance_processing_time(6)          # a commit; late pane; [base+60, ...) early
              .advance_watermark_to(base + 200)
              .advance_processing_time(6)
              .advance_watermark_to_infinity())
    options = make_stream_options(make_run_options(["-"], str(tmp_path / "lake")),
                                  subscription="projects/p/subscriptions/s", window="60s",
                                  commit_every="5s")
    paths = StreamPaths.of(options.lake)
    with TestPipeline(runner="DirectRunner", options=streaming_options()) as pipeline:
        read = pipeline | events | ParsePubsubMessages("pubsub:s")
        build_pubsub_outputs(read, options, paths)

    state = StreamState(input=None)
    assert adopt_pubsub_files(paths, state) == 2
    lines = [decode_pane_line(line) for segment in state.pending for line in read_pane_file(segment.path)]
    assert sorted(value.get("external_id") or tag for tag, value in lines) == ["a", "b", "c", "late", "rejects"]
    assert sorted((s.articles, s.rejects) for s in state.pending) == [(2, 0), (2, 1)]
    records = [json.loads(p.read_text()) for p in Path(paths.windows).glob("*.window.json")]
    assert sorted((int(r["window_start"]) - base, r["timing"], r["index"], r["articles"]) for r in records) == [
        (0, EARLY, 0, 2), (0, LATE, 2, 3), (0, ON_TIME, 1, 2), (60, EARLY, 0, 1), (60, ON_TIME, 1, 1)]
    # The next commit fires each window's latest pane.
    files, latest = read_pane_records(paths)
    assert len(files) == 5
    assert [(int(r["window_start"]) - base, r["timing"]) for r in latest] == [(0, LATE), (60, ON_TIME)]
