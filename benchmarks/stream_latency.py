"""Stream latency and the cost of many small commits.

    taskset -c 1 .venv/bin/python benchmarks/stream_latency.py                    # both parts
    taskset -c 1 .venv/bin/python benchmarks/stream_latency.py --part latency
    taskset -c 1 .venv/bin/python benchmarks/stream_latency.py --part scaling --runs 10000

**Latency** (the scenario of issue 17): start `newsevents stream` with the default
flags on an empty directory and lake, then move in ``--files`` files of ``--per-file``
real news articles (FA-KES, ``../shared/eval/fakes_syria_news.jsonl``; articles whose
text is empty once boilerplate is removed are left out), ``--every`` seconds apart.
Twice, each time in a fresh lake:

- *old*: the articles keep their publication dates (2011-2018), as in a back-fill or a
  slow source;
- *recent*: other articles, published the moment before they land, as in a live feed.

An article's latency is the time from its file's rename into the directory to the first
moment it is a row of the ``articles`` view, read through DuckDB as ``newsevents sql``
reads it (``connect_lake``) each time the lake's ``runs`` folder changes (looked at every
0.2 s: querying every half second would take the stream's core from it). Reported per variant: articles queryable,
within 60 s, p50 / p90 / max latency, commits, seconds a commit's run took and seconds
the oldest article waited for its commit (from the ``runs`` table).

**Scaling**: a lake of ``--runs`` small committed runs (one article and two events
each, published over 30 days), written through the ordinary commit path (lock, state
read, leftovers cleaned, files and manifest committed, manifests folded into the
checkpoint) with the stream's compaction of small files once its commits wrote
``--compact-files`` table files. At each of ``--checkpoints``: the time of a commit (median of the next few),
of reading the lake's state, of a query (connect + ``events_by_type_and_country``, as
``newsevents sql --query`` runs it) on the lake as the stream leaves it and on a copy
compacted whole; the files under ``runs/`` and the live table files. Then one real
stream commit (five FA-KES articles, model loaded) on an empty lake and on the lake of
``--runs`` runs. Also the time reading every manifest takes at the end: what each
commit and each query paid before the manifest checkpoint.
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

FAKES = ROOT.parent / "shared" / "eval" / "fakes_syria_news.jsonl"
UTC = dt.timezone.utc


def real_articles() -> list[dict]:
    """FA-KES articles a run stores (not empty once boilerplate is removed), in file order."""
    from newsevents.transforms.core.text_cleanup import clean_article_text
    from newsevents.transforms.normalize import MIN_CLEAN_CHARS, load_boilerplate_patterns

    patterns = load_boilerplate_patterns("boilerplate.jsonl")
    kept = []
    for line in FAKES.read_text(encoding="utf-8").splitlines():
        record = json.loads(line)
        record.pop("gold", None)
        if len(clean_article_text(record["text"], patterns)) >= MIN_CLEAN_CHARS:
            kept.append(record)
    return kept


def visible_ids(lake: Path) -> set[str]:
    from newsevents.transforms.storage.query import connect_lake

    if not (lake / "runs").exists():
        return set()
    try:
        con = connect_lake(str(lake))
        return {r[0] for r in con.execute("SELECT external_id FROM articles").fetchall()}
    except Exception:  # a commit in progress: look again next time
        return set()


def runs_marker(lake: Path) -> tuple:
    """What changes when a run commits (or a fold rewrites the checkpoint)."""
    runs = lake / "runs"
    try:
        return tuple(sorted((p.name, p.stat().st_mtime_ns) for p in runs.rglob("*") if p.is_file()))
    except FileNotFoundError:  # a fold deleting manifests: look again
        return (time.time(),)


def quantile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def measure_latency(variant: str, articles: list[dict], args) -> dict:
    work = Path(tempfile.mkdtemp(prefix=f"stream-latency-{variant}-"))
    inbox, lake = work / "inbox", work / "lake"
    inbox.mkdir()
    stream = subprocess.Popen(
        [sys.executable, "-m", "newsevents.pipelines.cli", "stream", "-i", str(inbox), "-o", str(lake)],
        cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    # As a person would: start it, then move the files in once it runs.
    checkpoint = lake / "_stream" / "checkpoint.json"
    while not checkpoint.exists() and stream.poll() is None:
        time.sleep(0.2)
    time.sleep(args.startup)
    landed: dict[str, float] = {}
    seen: dict[str, float] = {}
    batches = [articles[i * args.per_file:(i + 1) * args.per_file] for i in range(args.files)]
    next_drop = time.time()
    last_marker = None
    try:
        while True:
            now = time.time()
            if batches and now >= next_drop:
                batch = batches.pop(0)
                if variant == "recent":
                    stamp = dt.datetime.now(UTC) - dt.timedelta(seconds=30)
                    batch = [dict(r, published_at=stamp.isoformat()) for r in batch]
                number = args.files - len(batches)
                part = inbox / f".f{number}.part"
                part.write_text("".join(json.dumps(r) + "\n" for r in batch))
                part.rename(inbox / f"f{number:03d}.jsonl")
                landed.update({r["id"]: time.time() for r in batch})
                next_drop += args.every
            waiting = set(landed) - set(seen)
            marker = runs_marker(lake)
            if waiting and marker != last_marker:
                last_marker = marker
                ids = visible_ids(lake)
                for name in waiting & ids:
                    seen[name] = time.time()
            if not batches and len(seen) == len(landed):
                break
            if not batches and now >= next_drop - args.every + args.drain_seconds:
                break
            time.sleep(0.2)
    finally:
        stream.send_signal(signal.SIGTERM)
        stream.communicate(timeout=300)
    latencies = [seen[name] - landed[name] for name in seen]
    from newsevents.transforms.storage.query import connect_lake

    con = connect_lake(str(lake))
    commits, run_seconds, waited = con.execute(
        "SELECT count(*), avg(epoch(finished_at) - epoch(started_at)), "
        "avg(map_extract(metrics, 'stream:waited_ms')[1]) / 1000 FROM runs "
        "WHERE kind = 'stream' AND counts.read > 0").fetchone()
    shutil.rmtree(work, ignore_errors=True)
    return {"variant": variant, "articles": len(landed), "seen": len(seen),
            "within_60": sum(1 for x in latencies if x <= 60), "p50": quantile(latencies, 0.5),
            "p90": quantile(latencies, 0.9), "max": max(latencies), "commits": commits,
            "run_seconds": run_seconds, "waited": waited}


def latency(args) -> None:
    articles = real_articles()
    need = args.files * args.per_file
    print(f"{args.files} files of {args.per_file} real articles (FA-KES), {args.every:g} s apart; "
          f"`newsevents stream` with its default flags\n")
    print("| articles | queryable | within 60 s | p50 s | p90 s | max s | commits | s per commit "
          "| s waited | load before |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for number, variant in enumerate(("old", "recent")):
        # The machine's load average: other processes on the stream's core slow its runs.
        load = os.getloadavg()[0]
        r = measure_latency(variant, articles[number * need:(number + 1) * need], args)
        label = "published 2011-2018" if variant == "old" else "published as they land"
        print(f"| {label} | {r['seen']}/{r['articles']} | {r['within_60']} | {r['p50']:.1f} | "
              f"{r['p90']:.1f} | {r['max']:.1f} | {r['commits']} | {r['run_seconds']:.1f} | "
              f"{r['waited']:.1f} | {load:.2f} |", flush=True)


# --- scaling ----------------------------------------------------------------------

def synthetic_commit(lake: str, n: int, rng: random.Random) -> None:
    """One small committed run, as a stream commit of one article: an articles row (with
    its signature, for dedupe), two events and a place, published on one of 30 days."""
    from newsevents.pipelines.commits import build_manifest, commit, lake_operation
    from newsevents.schemas.tables import to_arrow_table
    from newsevents.transforms.dedupe import add_signature
    from newsevents.transforms.storage.lake_files import staged_path, write_parquet

    published = dt.datetime(2024, 3, 1, tzinfo=UTC) + dt.timedelta(days=rng.randrange(30),
                                                                    seconds=rng.randrange(86400))
    text = (f"Gunmen attacked a police post in Kano on Monday, killing {n % 40} officers, "
            f"officials said. Report {n} from the wire, on the {rng.randrange(1000)}th patrol.")
    with lake_operation(lake, 60.0) as operation:
        article = add_signature({"article_id": f"art-{n}", "external_id": f"x{n}", "url": f"https://x.org/{n}",
                                 "source": "wire", "published_at": published, "language": "en",
                                 "text": text, "content_hash": f"h{n}", "run_id": operation.run_id})
        events = [{"event_id": f"ev-{n}-{k}", "article_id": f"art-{n}", "event_type": "ASSAULT",
                   "country_iso3": "NGA", "modality": "asserted", "published_at": published,
                   "event_date": published.date(), "fatalities": n % 40, "incident_id": f"inc-{n}",
                   "sentence": text, "run_id": operation.run_id} for k in range(2)]
        places = [{"article_id": f"art-{n}", "text": "Kano", "name": "Kano", "country_iso3": "NGA",
                   "run_id": operation.run_id}]
        day = published.date().isoformat()
        staged = []
        for table, rows in (("articles", [article]), ("events", events), ("places", places)):
            path = staged_path(lake, operation.run_id, table, day, 0)
            write_parquet(path, to_arrow_table(table, rows))
            staged.append(path)
        counts = {"read": 1, "stored": 1, "duplicates": 0, "rejected": 0, "events": 2}
        commit(operation, lake, build_manifest(operation, "stream", options="{}", counts=counts), staged)


FILES_A_COMMIT = 3  # articles, events, places


def query_seconds(lake: str, repeat: int = 7) -> float:
    from newsevents.schemas.lake import canned_queries
    from newsevents.transforms.storage.query import connect_lake

    sql = canned_queries()["events_by_type_and_country"]
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        connect_lake(lake).execute(sql).fetchall()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def state_seconds(lake: str, full: bool = False, repeat: int = 5) -> float:
    from newsevents.transforms.storage.lake_files import read_lake_state

    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        read_lake_state(lake, warn=False, full=full)
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def compacted_copy_query(lake: str) -> float:
    from newsevents.pipelines.maintenance import compact

    copy = tempfile.mkdtemp(prefix="compacted-") + "/lake"
    shutil.copytree(lake, copy)
    compact(copy, fold=True)
    seconds = query_seconds(copy)
    shutil.rmtree(Path(copy).parent, ignore_errors=True)
    return seconds


def live_files(lake: str) -> tuple[int, int]:
    runs = len(list(Path(lake).glob("runs/dt=*/*.parquet")))
    tables = sum(1 for p in Path(lake).glob("*/dt=*/*.parquet") if not p.parts[-3] == "runs")
    return runs, tables


def real_commit_seconds(lake: str, pane: Path, model_handle) -> float:
    from newsevents.pipelines.batch import run
    from newsevents.pipelines.options import make_run_options

    options = make_run_options([str(pane)], lake, progress=False)
    started = time.perf_counter()
    run(options, kind="stream", model_handle=model_handle)
    return time.perf_counter() - started


def scaling(args) -> None:
    from apache_beam.utils import shared

    from newsevents.pipelines.maintenance import compact
    from newsevents.transforms.defaults import SMALL_FILE_BYTES

    work = Path(tempfile.mkdtemp(prefix="stream-scaling-"))
    lake = str(work / "lake")
    rng = random.Random(17)
    checkpoints = {int(x) for x in args.checkpoints.split(",")}
    print(f"a lake of {args.runs:,} small stream commits (1 article, 2 events, 1 place each; "
          f"30 publication days), small files compacted once commits wrote {args.compact_files}; "
          f"commit ms: median of the last five commits (the first alone for 1)\n")
    print("| runs | commit ms | state read ms | query ms | query compacted ms | ratio | runs files | table files | last compaction s |")
    print("| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    synthetic_commit(str(work / "warm-up"), 0, random.Random(0))  # imports and caches, not the lake
    commit_times: list[float] = []
    compaction, written = 0.0, 0
    for n in range(1, args.runs + 1):
        started = time.perf_counter()
        synthetic_commit(lake, n, rng)
        commit_times.append(time.perf_counter() - started)
        if n in checkpoints:
            # Measured before this commit's compaction: the lake with the most small
            # files the stream leaves.
            query = query_seconds(lake)
            compacted = compacted_copy_query(lake)
            runs_files, table_files = live_files(lake)
            recent = commit_times[-5:] if n > 1 else commit_times[-1:]
            print(f"| {n:,} | {statistics.median(recent) * 1000:.0f} | "
                  f"{state_seconds(lake) * 1000:.0f} | {query * 1000:.0f} | {compacted * 1000:.0f} | "
                  f"{query / compacted:.2f} | {runs_files} | {table_files} | {compaction:.2f} |", flush=True)
        written += FILES_A_COMMIT
        if args.compact_files and written >= args.compact_files:
            started = time.perf_counter()
            compact(lake, min_files=2, small_file_bytes=SMALL_FILE_BYTES, skip_empty=True)
            compaction = time.perf_counter() - started
            written = 0
    n = args.runs
    print(f"\nreading every manifest and history file at {n:,} runs (what every commit and "
          f"query did before the checkpoint): {state_seconds(lake, full=True) * 1000:.0f} ms")

    # One real stream commit, as the stream makes it, on an empty lake and on this one.
    from newsevents.transforms.extract_events import LoadedExtraction
    from newsevents.transforms.streaming.pane_files import encode_article, write_pane_file
    from newsevents.pipelines.stream import read_file

    handle = shared.Shared()
    keep = handle.acquire(lambda: LoadedExtraction(args.model, True), tag=(args.model, True))  # noqa: F841
    articles = real_articles()[:15]
    crawl = work / "crawl.jsonl"
    results = []
    for label, target, chunk in (("warm-up", str(work / "warm"), articles[:5]),
                                 ("empty lake", str(work / "empty"), articles[5:10]),
                                 (f"{n:,} runs", lake, articles[10:15])):
        crawl.write_text("".join(json.dumps(dict(r, published_at=dt.datetime.now(UTC).isoformat())) + "\n"
                                 for r in chunk))
        stat = crawl.stat()
        records, _ = read_file(str(crawl), stat.st_size, stat.st_mtime, _limits(), dt.datetime.now(UTC))
        pane = work / f"pane-{label.split()[0]}.pane.jsonl"
        write_pane_file(str(pane), [encode_article(r) for r in records])
        results.append((label, real_commit_seconds(target, pane, handle)))
    print("\none stream commit of 5 real articles (model loaded):")
    for label, seconds in results[1:]:
        print(f"  on {label}: {seconds:.2f} s")
    shutil.rmtree(work, ignore_errors=True)


def _limits():
    from newsevents.transforms.core.article_formats import ReadLimits

    return ReadLimits()


def main() -> None:
    from newsevents.pipelines.options import StreamOptions, default_of
    from newsevents.transforms.defaults import DEFAULT_MODEL

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--part", choices=("latency", "scaling", "all"), default="all")
    parser.add_argument("--files", type=int, default=5)
    parser.add_argument("--per-file", type=int, default=20)
    parser.add_argument("--every", type=float, default=5.0, help="seconds between files")
    parser.add_argument("--startup", type=float, default=5.0,
                        help="seconds between the stream's start and the first file")
    parser.add_argument("--drain-seconds", type=float, default=180.0)
    parser.add_argument("--runs", type=int, default=10_000)
    parser.add_argument("--checkpoints", default="1,10,100,1000,10000")
    parser.add_argument("--compact-files", type=int, default=default_of(StreamOptions, "compact_files"),
                        help="the stream's own default")
    parser.add_argument("--model", default=DEFAULT_MODEL)
    args = parser.parse_args()
    args.checkpoints = ",".join(c for c in args.checkpoints.split(",") if int(c) <= args.runs)
    if args.part in ("latency", "all"):
        latency(args)
        print()
    if args.part in ("scaling", "all"):
        scaling(args)


if __name__ == "__main__":
    os.environ.setdefault("PYTHONWARNINGS", "ignore")
    main()
