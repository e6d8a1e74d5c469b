"""Publication-time windows: the pure rules (newsevents.transforms.streaming.windows) and the Beam transform
(newsevents.transforms.streaming.window_panes) driven by a TestStream on the streaming DirectRunner."""
import datetime as dt

import apache_beam as beam
import pytest
from apache_beam.options.pipeline_options import PipelineOptions, StandardOptions
from apache_beam.testing.test_pipeline import TestPipeline
from apache_beam.testing.test_stream import TestStream
from apache_beam.testing.util import assert_that, equal_to
from apache_beam.transforms.window import TimestampedValue

from newsevents.transforms.routing import reject_row
from newsevents.transforms.streaming.pane_files import decode_pane_line, encode_article, encode_reject
from newsevents.transforms.streaming.window_panes import FormWindowPanes, pane_file_name
from newsevents.transforms.streaming.windows import (
    LATE, ON_TIME, TOO_LATE, WindowSpec, arrival_watermark, event_watermark, parse_duration)

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


@pytest.mark.parametrize("published, watermark, expected", [
    (10, 0, ON_TIME),      # window [0, 60) still open
    (10, 59.9, ON_TIME),
    (10, 60, LATE),        # the watermark reached the window's end
    (10, 89.9, LATE),      # within the 30 s of allowed lateness
    (10, 90, TOO_LATE),    # expired
    (70, 90, ON_TIME),     # the next window
    (-5, 0, LATE),         # [-60, 0)
])
def test_classify(published, watermark, expected):
    assert SPEC.classify(SPEC.start(published), watermark) == expected


def test_due_and_expired():
    assert SPEC.due([0, 60, 120, 60], 120) == [0, 60]
    assert SPEC.expired([0, 60], 120) == [0]


def test_window_spec_checks():
    with pytest.raises(ValueError):
        WindowSpec(0, 10)
    with pytest.raises(ValueError):
        WindowSpec(60, -1)


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


def run_stream(events: TestStream):
    """Panes as (window start seconds, index, timing, sorted names) and too-late names."""
    options = PipelineOptions()
    options.view_as(StandardOptions).streaming = True
    with TestPipeline(runner="DirectRunner", options=options) as pipeline:
        out = pipeline | events | FormWindowPanes(60, 30)
        panes = out["panes"] | "Describe" >> beam.Map(lambda p: (
            int(p["window_start"].timestamp()), p["index"], p["timing"],
            tuple(sorted(r["external_id"] for r in p["records"]))))
        late = out["too_late"] | "Names" >> beam.Map(lambda r: r["external_id"])
        yield panes, late


def check(events: TestStream, panes: list, too_late: list):
    for got_panes, got_late in run_stream(events):
        assert_that(got_panes, equal_to(panes), label="Panes")
        assert_that(got_late, equal_to(too_late), label="TooLate")


def test_on_time_articles_fire_one_pane_per_window_when_the_watermark_passes():
    events = (TestStream()
              .add_elements([at("a", 10), at("b", 20), at("c", 70)])
              .advance_watermark_to(65)
              .advance_watermark_to(125)
              .advance_watermark_to_infinity())
    check(events, [(0, 0, ON_TIME, ("a", "b")), (60, 0, ON_TIME, ("c",))], [])


def test_late_but_allowed_articles_fire_late_panes_and_too_late_ones_are_routed():
    events = (TestStream()
              .add_elements([at("a", 10), at("b", 20)])
              .advance_watermark_to(65)           # window [0, 60) fires on time
              .add_elements([at("late", 30)])     # 65 < 0 + 60 + 30: a late pane
              .advance_watermark_to(70)
              .add_elements([at("late2", 40), at("next", 75)])
              .advance_watermark_to(95)           # [0, 60) expired at 90
              .add_elements([at("too_late", 50)])
              # Panes fired by the final jump to infinity reach a ParDo but not
              # assert_that's GroupByKey on the DirectRunner: end at a finite time first.
              .advance_watermark_to(200)
              .advance_watermark_to_infinity())
    check(events,
          [(0, 0, ON_TIME, ("a", "b")), (0, 1, LATE, ("late",)), (0, 2, LATE, ("late2",)),
           (60, 0, ON_TIME, ("next",))],
          ["too_late"])


def test_watermark_advances_fire_windows_in_order_and_nothing_is_lost():
    events = TestStream()
    names = []
    for minute in range(5):
        batch = [at(f"m{minute}-{i}", minute * 60 + i * 10) for i in range(3)]
        names += [r.value["external_id"] for r in batch]
        events = events.add_elements(batch).advance_watermark_to(minute * 60 + 61)
    events = events.advance_watermark_to_infinity()
    check(events, [(m * 60, 0, ON_TIME, tuple(f"m{m}-{i}" for i in range(3))) for m in range(5)], [])


def test_an_expired_window_never_seen_before_is_processed_not_lost():
    # The DoFn has no expiry mark for a window it never saw: the article fires a pane
    # of its own (lenient) instead of being routed; either way it is not dropped.
    events = (TestStream()
              .add_elements([at("a", 130)])
              .advance_watermark_to(200)
              .add_elements([at("unseen", 10)])
              .advance_watermark_to(300)
              .advance_watermark_to_infinity())
    check(events, [(120, 0, ON_TIME, ("a",)), (0, 0, ON_TIME, ("unseen",))], [])


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


def test_pane_file_names_sort_by_window_then_index():
    early = dt.datetime(2024, 3, 1, 9, 0, tzinfo=UTC)
    later = dt.datetime(2024, 3, 1, 9, 15, tzinfo=UTC)
    names = [pane_file_name(later, 0), pane_file_name(early, 1), pane_file_name(early, 0)]
    assert sorted(names) == [pane_file_name(early, 0), pane_file_name(early, 1),
                             pane_file_name(later, 0)]
    assert names[0] == "20240301T091500Z-000.pane.jsonl"


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


def test_pubsub_messages_become_pane_files_late_files_and_rejects(tmp_path):
    """The streaming pipeline minus ReadFromPubSub, on the streaming DirectRunner."""
    from apache_beam.io.gcp.pubsub import PubsubMessage

    from newsevents.transforms.streaming.read_pubsub import ParsePubsubMessages
    from newsevents.transforms.streaming.window_panes import WriteLateFileFn, WritePaneFileFn, WriteRejectFileFn

    def message(name, seconds, body=None):
        stamp = dt.datetime.fromtimestamp(seconds, UTC).isoformat()
        data = body or ('{"text": "Article %s about a protest in Kano."}' % name).encode()
        return TimestampedValue(PubsubMessage(data, {"published_at": stamp, "id": name},
                                              message_id=str(int(seconds))), seconds)

    base = 1_700_000_040  # a window start for 60 s windows
    events = (TestStream()
              .add_elements([message("a", base + 1), message("b", base + 2),
                             message("bad", base + 3, b"{oops")])
              .advance_watermark_to(base + 95)     # [base, base+60) fired and expired
              .add_elements([message("late", base + 5), message("c", base + 100)])
              .advance_watermark_to(base + 200)
              .advance_watermark_to_infinity())
    panes, late = tmp_path / "panes", tmp_path / "late"
    options = PipelineOptions()
    options.view_as(StandardOptions).streaming = True
    with TestPipeline(runner="DirectRunner", options=options) as pipeline:
        read = pipeline | events | ParsePubsubMessages("pubsub:s")
        out = read["articles"] | FormWindowPanes(60, 30)
        _ = out["panes"] | "Panes" >> beam.ParDo(WritePaneFileFn(str(panes)))
        _ = out["too_late"] | "Late" >> beam.ParDo(WriteLateFileFn(str(late)))
        _ = read["rejects"] | "Rejects" >> beam.ParDo(WriteRejectFileFn(str(panes)))

    def names(path):
        return sorted(decode_pane_line(line)[1].get("external_id") or decode_pane_line(line)[0]
                      for line in path.read_bytes().splitlines())

    files = {p.name: names(p) for p in panes.iterdir()}
    first = dt.datetime.fromtimestamp(base, UTC).strftime("%Y%m%dT%H%M%SZ")
    second = dt.datetime.fromtimestamp(base + 60, UTC).strftime("%Y%m%dT%H%M%SZ")
    assert files.pop(f"{first}-000.pane.jsonl") == ["a", "b"]
    [reject_file] = [n for n in files if n.startswith("rejects-")]
    assert files.pop(reject_file) == ["rejects"]
    assert files == {f"{second}-000.pane.jsonl": ["c"]}  # c's own window
    [late_file] = list(late.iterdir())
    assert names(late_file) == ["late"]
