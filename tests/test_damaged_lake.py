"""A damaged lake: every command names the damaged file and works with the rest;
`newsevents check` finds what is wrong and `--repair` quarantines it, after which the
next run over the same inputs restores every row."""
import json
import random
import shutil

import pyarrow.parquet as pq
import pytest
from click.testing import CliRunner

from newsevents.pipelines.cli import cli
from newsevents.transforms.storage.lake_files import read_lake_state
from newsevents.transforms.storage.query import connect_lake

pytestmark = [pytest.mark.slow, pytest.mark.model]

SENTENCES = ["Gunmen attacked a police post in {town} on Monday, killing {n} officers, officials said.",
             "Police arrested {n} protesters in {town} on Tuesday after a march against fuel prices.",
             "An airstrike hit a market near {town} on Wednesday, killing {n} civilians."]
TOWNS = ["Kano", "Mosul", "Goma"]


def article(n: int, day: str) -> dict:
    rng = random.Random(n)
    text = " ".join(s.format(town=rng.choice(TOWNS), n=rng.randint(2, 30)) for s in rng.sample(SENTENCES, 2))
    return {"id": f"a{n}", "published_at": day, "source": f"wire {n % 3}", "text": f"{text} Report {n}."}


def invoke(*args):
    return CliRunner().invoke(cli, [str(a) for a in args], catch_exceptions=False)


def snapshot(lake) -> dict:
    con = connect_lake(str(lake))
    queries = {
        "articles": "select article_id, duplicate_of, num_events, dt from articles",
        "events": "select event_id, event_type, fatalities, incident_id from events",
        "places": "select article_id, start, name from places",
        "rejects": "select regexp_extract(input, '[^/]+$'), position, reason from rejects",
        "incidents": "select incident_id, num_mentions, num_articles, num_sources from incidents",
    }
    return {name: sorted(con.execute(q).fetchall(), key=repr) for name, q in queries.items()}


@pytest.fixture(scope="module")
def two_runs(tmp_path_factory):
    """A lake of two runs over two inputs (the second adds reports to the first's
    incidents), and what queries see in it."""
    root = tmp_path_factory.mktemp("damage")
    inputs = [root / "in1", root / "in2"]
    for number, folder in enumerate(inputs):
        folder.mkdir()
        records = [article(n, f"2024-03-0{4 + number}") for n in range(number * 6, number * 6 + 6)]
        (folder / "a.jsonl").write_text("".join(json.dumps(r) + "\n" for r in records)
                                        + json.dumps({"id": f"bad{number}"}) + "\n")
    lake = root / "lake"
    for number in (1, 2):
        assert invoke("run", *[x for folder in inputs[:number] for x in ("-i", folder)], "-o", lake).exit_code == 0
    return {"lake": lake, "inputs": inputs, "snapshot": snapshot(lake)}


def last_run_file(lake, table: str):
    state = read_lake_state(str(lake), warn=False)
    last = max(state.manifests, key=lambda m: m["started_at"])
    return sorted(p for p in lake.glob(f"{table}/dt=*/*.parquet") if last["run_id"] in p.name)[0]


def empty_an_events_file(lake):
    path = last_run_file(lake, "events")
    path.write_bytes(b"")
    return path


def flip_bytes_of_an_articles_file(lake):
    """Same size, other bytes: only the checksum tells."""
    path = last_run_file(lake, "articles")
    data = bytearray(path.read_bytes())
    middle = len(data) // 2
    data[middle:middle + 64] = bytes(64)
    path.write_bytes(bytes(data))
    return path


def empty_the_last_manifest(lake):
    path = last_run_file(lake, "runs")
    path.write_bytes(b"")
    return path


def foreign_parquet_in_runs(lake):
    source = next(lake.glob("places/dt=*/*.parquet"))
    path = next(lake.glob("runs/dt=*")) / "exported.parquet"
    shutil.copyfile(source, path)
    return path


def wrong_schema_named_like_a_part(lake):
    rejects = next(lake.glob("rejects/dt=*/*.parquet"))
    articles = last_run_file(lake, "articles")
    path = articles.with_name(articles.name.replace("-0.parquet", "-7.parquet"))
    shutil.copyfile(rejects, path)
    return path


DAMAGE = {
    "empty events file": (empty_an_events_file, "damaged: 0 bytes"),
    "flipped bytes": (flip_bytes_of_an_articles_file, "checksum"),
    "empty manifest": (empty_the_last_manifest, "unreadable manifest"),
    "foreign file in runs": (foreign_parquet_in_runs, "not a manifest of this lake"),
    "wrong schema named like a part": (wrong_schema_named_like_a_part, "not written by run"),
}


@pytest.mark.parametrize("damage", sorted(DAMAGE))
def test_a_damaged_lake_is_queried_checked_repaired_and_restored(two_runs, tmp_path, damage):
    lake = tmp_path / "lake"
    shutil.copytree(two_runs["lake"], lake)
    make_damage, problem = DAMAGE[damage]
    damaged = make_damage(lake)
    # every command works with the rest, naming the file it skips
    for command in (["sql", "select count(*) from articles, events", "-l", lake], ["runs", "-l", lake]):
        result = CliRunner().invoke(cli, [str(a) for a in command])
        assert result.exit_code == 0, (command, result.output, result.stderr)
        assert f"skipping {damaged}" in result.stderr
    found = invoke("check", "-l", lake, "--format", "json")
    assert found.exit_code == 5
    findings = json.loads(found.output.splitlines()[0])["findings"]
    assert [f["path"] for f in findings if problem in f["problem"]] == [str(damaged)], findings
    repaired = invoke("check", "-l", lake, "--repair")
    assert repaired.exit_code == 0, repaired.output
    assert not damaged.exists() and list((lake / "_quarantine").glob(f"*/**/{damaged.name}"))
    assert invoke("check", "-l", lake).exit_code == 0
    # the next scheduled run over the same inputs restores every row
    again = invoke("run", *[x for folder in two_runs["inputs"] for x in ("-i", folder)], "-o", lake)
    assert again.exit_code == 0, again.output
    assert snapshot(lake) == two_runs["snapshot"]
    assert invoke("check", "-l", lake).exit_code == 0
    # and the run after it reads nothing again (and says so, committing nothing)
    last = invoke("run", *[x for folder in two_runs["inputs"] for x in ("-i", folder)], "-o", lake)
    assert last.exit_code == 0 and "nothing new: 2 input file(s) unchanged" in last.output


def test_commands_warn_about_the_file_they_skip(two_runs, tmp_path, caplog):
    lake = tmp_path / "lake"
    shutil.copytree(two_runs["lake"], lake)
    damaged = empty_an_events_file(lake)
    with caplog.at_level("WARNING"):
        count = connect_lake(str(lake)).execute("select count(*) from events").fetchone()[0]
    assert 0 < count < len(two_runs["snapshot"]["events"])
    assert any(str(damaged) in r.getMessage() and "damaged" in r.getMessage() for r in caplog.records)


def as_written_before_schema_1_5(lake):
    """Manifests without written_files, as versions before schema 1.5 wrote them."""
    for path in lake.glob("runs/dt=*/*.parquet"):
        pq.write_table(pq.read_table(path).drop(["written_files"]), path)


@pytest.mark.parametrize("legacy", [False, True], ids=["recorded", "before-1.5"])
def test_a_run_before_the_repair_works_around_a_foreign_part(two_runs, tmp_path, legacy):
    """The next run used to crash in dedupe on a file of another schema."""
    lake = tmp_path / "lake"
    shutil.copytree(two_runs["lake"], lake)
    if legacy:
        as_written_before_schema_1_5(lake)
    damaged = wrong_schema_named_like_a_part(lake)
    inbox = tmp_path / "in3"
    inbox.mkdir()
    (inbox / "a.jsonl").write_text("".join(json.dumps(article(n, "2024-03-06")) + "\n" for n in (40, 41)))
    result = CliRunner().invoke(cli, ["run", "-i", str(inbox), "-o", str(lake)])
    assert result.exit_code == 0, (result.output, result.stderr)
    assert f"skipping {damaged}" in result.stderr
    articles = connect_lake(str(lake)).execute("select count(*) from articles").fetchone()[0]
    assert articles == len(two_runs["snapshot"]["articles"]) + 2
