"""Poison records: one bad line becomes a reject with its reason, never a crash, in a
batch run and in the stream's reading path alike; the good article beside it is stored.
A file that cannot be read at all is rejected whole and not read again until it changes."""
import gzip
import json
import random

import pytest
from click.testing import CliRunner

from newsevents.pipelines.chunks import count_lines
from newsevents.pipelines.cli import cli
from newsevents.pipelines.options import make_run_options, make_stream_options
from newsevents.pipelines.stream import StreamPaths, StreamState, poll_directory, read_pane_file
from newsevents.transforms.core.article_formats import RecordError, parse_jsonl_line
from newsevents.transforms.storage.query import connect_lake
from newsevents.transforms.streaming.pane_files import decode_pane_line

TEXT = '"text": "Gunmen attacked a police post in Kano on Monday, killing 4 officers, officials said."'
# name -> (poison line, the start of its reject reason)
POISON = {
    "far_future_offset": ('{"published_at": "9999-12-31T23:59:59-12:00", %s}' % TEXT,
                          "published_at 9999-12-31T23:59:59-12:00 is out of range"),
    "year_one_offset": ('{"published_at": "0001-01-01T00:00:00+01:00", %s}' % TEXT,
                        "published_at 0001-01-01T00:00:00+01:00 is out of range"),
    "huge_integer_id": ('{"id": %s, "published_at": "2024-03-04", %s}' % ("9" * 5000, TEXT),
                        "bad JSON: Exceeds the limit (4300 digits)"),
    "deep_nesting": ("[" * 200_000, "bad JSON: nested too deeply"),
    "lone_surrogate": ('{"title": "\\ud800", "published_at": "2024-03-04", %s}' % TEXT,
                       "field 'title' is not valid Unicode"),
    "surrogate_text": ('{"published_at": "2024-03-04", "text": "Gunmen \\udfff attacked a post in Kano."}',
                       "field 'text' is not valid Unicode"),
}


def good_article(n: int) -> str:
    return json.dumps({"id": f"good-{n}", "published_at": "2024-03-04", "source": "wire",
                       "text": f"Gunmen attacked a police post in Kano on Monday, killing {n + 2} "
                               f"officers, officials said. Report {n}."})


def random_gzip() -> bytes:
    """A valid gzip header followed by random bytes."""
    noise = random.Random(7)
    return gzip.compress(b"")[:10] + bytes(noise.randrange(256) for _ in range(5000))


def poison_corpus(folder):
    """One file per poison line, each with a good article before it; a gzip whose
    body is noise; and one clean file."""
    folder.mkdir(parents=True)
    for n, (name, (line, _)) in enumerate(sorted(POISON.items())):
        (folder / f"{name}.jsonl").write_text(good_article(n) + "\n" + line + "\n")
    (folder / "noise.jsonl.gz").write_bytes(random_gzip())
    (folder / "clean.jsonl").write_text(good_article(99) + "\n")


@pytest.mark.parametrize("name", sorted(POISON))
def test_a_poison_line_is_a_record_error(name):
    line, reason = POISON[name]
    with pytest.raises(RecordError) as caught:
        parse_jsonl_line(line.encode("utf-8"))
    assert str(caught.value).startswith(reason)


def test_counting_lines_of_a_gzip_of_noise_does_not_fail(tmp_path):
    path = tmp_path / "noise.jsonl.gz"
    path.write_bytes(random_gzip())
    assert count_lines(str(path)) == 0


def test_the_stream_reads_past_poison_lines(tmp_path):
    """The stream's reading path (the reader batch runs use) turns each poison line
    into a reject line and puts the good articles into pending pane files."""
    inbox, lake = tmp_path / "inbox", tmp_path / "lake"
    poison_corpus(inbox)
    options = make_stream_options(make_run_options([str(inbox)], str(lake)), input_dir=str(inbox),
                                  settle="0s")
    paths, state = StreamPaths.of(str(lake)), StreamState.new(options)
    polled = poll_directory(options, paths, state, now=4e9)
    assert polled.files == len(POISON) + 2
    lines = [decode_pane_line(line) for segment in state.pending for line in read_pane_file(segment.path)]
    stored = [record["external_id"] for tag, record in lines if tag == "articles"]
    assert sorted(stored) == sorted(f"good-{n}" for n in list(range(len(POISON))) + [99])
    rejects = [record for tag, record in lines if tag == "rejects"]
    reasons = {row["input"].rsplit("/", 1)[-1].split(".")[0]: row["reason"] for row in rejects}
    for name, (_, reason) in POISON.items():
        assert reasons[name].startswith(reason), name
    assert reasons["noise"].startswith("unreadable input after line 0")
    assert polled.rejected == len(rejects)


@pytest.mark.model
@pytest.mark.slow
def test_a_batch_run_stores_the_good_articles_beside_poison_lines(tmp_path):
    inbox, lake = tmp_path / "inbox", tmp_path / "lake"
    poison_corpus(inbox)
    result = CliRunner().invoke(cli, ["run", "-i", str(inbox), "-o", str(lake)], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    con = connect_lake(str(lake))
    stored = sorted(r[0] for r in con.execute("select external_id from articles").fetchall())
    assert stored == sorted(f"good-{n}" for n in list(range(len(POISON))) + [99])
    reasons = dict(con.execute("select regexp_extract(input, '([^/]+?)\\.jsonl', 1), reason "
                               "from rejects").fetchall())
    for name, (_, reason) in POISON.items():
        assert reasons[name].startswith(reason), name
    assert "damaged" in reasons["noise"]
    assert con.execute("select counts.read, counts.stored, counts.rejected, accounting_ok from runs"
                       ).fetchone() == (2 * len(POISON) + 2, len(POISON) + 1, len(POISON) + 1, True)
    # every file is marked as read, the gzip of noise too: the next run reads none of them
    again = CliRunner().invoke(cli, ["run", "-i", str(inbox), "-o", str(lake)], catch_exceptions=False)
    assert again.exit_code == 0 and "nothing new: 8 input file(s) unchanged" in again.output
