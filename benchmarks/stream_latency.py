"""Stream latency: time from a file landing in the followed directory to its articles
being queryable in the lake, at a steady arrival rate.

    .venv/bin/python benchmarks/stream_latency.py --windows 10s,60s --minutes 4

For each window size: start `newsevents stream` on an empty directory and lake, drop
one file of N wire-style articles (published "now") every `--every` seconds, and
watch the lake through DuckDB (`connect_lake`, as `newsevents sql` does) every half
second. A file's latency is the time from its rename into the directory to the first
moment all its articles are rows of the `articles` view. Reported: p50 / p90 / max
latency, and the mean time a pane's run took (from the `runs` table).

Expected: about half a window (waiting for the window to end) + the max delay + the
poll interval + one run (model load included: each pane is a batch run).
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from throughput import make_corpus  # noqa: E402

from newsevents.transforms.storage.query import connect_lake  # noqa: E402


def visible_ids(lake: Path) -> set[str]:
    if not (lake / "runs").exists():
        return set()
    try:
        con = connect_lake(str(lake))
        return {r[0] for r in con.execute("SELECT external_id FROM articles").fetchall()}
    except Exception:  # a commit in progress: look again next time
        return set()


def measure(window: str, args, articles: list[dict]) -> dict:
    work = Path(tempfile.mkdtemp(prefix="stream-latency-"))
    inbox, lake = work / "inbox", work / "lake"
    inbox.mkdir()
    stream = subprocess.Popen(
        [sys.executable, "-m", "newsevents.pipelines.cli", "stream", "-i", str(inbox), "-o", str(lake),
         "--window", window, "--allowed-lateness", "1h", "--max-delay", args.max_delay,
         "--poll", args.poll, "--settle", "0s"],
        cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    landed: dict[int, tuple[float, set[str]]] = {}
    seen_at: dict[int, float] = {}
    next_drop, n, cursor = time.time(), 0, 0
    stop_dropping = time.time() + args.minutes * 60
    try:
        while True:
            now = time.time()
            if now >= next_drop and now < stop_dropping:
                batch = []
                for _ in range(args.per_file):
                    record = dict(articles[cursor % len(articles)], id=f"w{window}-{cursor}",
                                  published_at=dt.datetime.now(dt.timezone.utc).isoformat())
                    batch.append(record)
                    cursor += 1
                part = inbox / f".f{n}.part"
                part.write_text("".join(json.dumps(r) + "\n" for r in batch))
                part.rename(inbox / f"f{n:05d}.jsonl")
                landed[n] = (time.time(), {r["id"] for r in batch})
                n += 1
                next_drop += args.every
            waiting = [k for k in landed if k not in seen_at]
            if waiting:
                ids = visible_ids(lake)
                for k in waiting:
                    if landed[k][1] <= ids:
                        seen_at[k] = time.time()
            if now >= stop_dropping and len(seen_at) == len(landed):
                break
            if now >= stop_dropping + args.drain_seconds:
                break
            time.sleep(0.5)
    finally:
        stream.send_signal(signal.SIGTERM)
        stream.communicate(timeout=300)
    latencies = sorted(seen_at[k] - landed[k][0] for k in seen_at)
    con = connect_lake(str(lake))
    runs = con.execute("SELECT count(*), avg(epoch(finished_at) - epoch(started_at)) "
                       "FROM runs WHERE kind = 'stream'").fetchone()
    quantile = lambda q: latencies[min(len(latencies) - 1, int(q * len(latencies)))]  # noqa: E731
    return {"window": window, "files": len(landed), "seen": len(seen_at),
            "articles": cursor, "p50": quantile(0.5), "p90": quantile(0.9),
            "max": latencies[-1], "runs": runs[0], "run_seconds": runs[1]}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--windows", default="10s,60s", help="window sizes to compare")
    parser.add_argument("--minutes", type=float, default=4.0, help="how long files arrive")
    parser.add_argument("--every", type=float, default=5.0, help="seconds between files")
    parser.add_argument("--per-file", type=int, default=3, help="articles a file")
    parser.add_argument("--max-delay", default="2s")
    parser.add_argument("--poll", default="1s")
    parser.add_argument("--drain-seconds", type=float, default=300.0)
    args = parser.parse_args()
    corpus = Path(tempfile.mkdtemp()) / "corpus.jsonl"
    make_corpus(corpus, 200, seed=11)
    articles = [json.loads(line) for line in corpus.read_text().splitlines()]
    random.Random(3).shuffle(articles)
    print(f"one file of {args.per_file} articles every {args.every:g} s for "
          f"{args.minutes:g} min; max delay {args.max_delay}, poll {args.poll}")
    print("| window | files | articles | p50 s | p90 s | max s | runs | s per run |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for window in args.windows.split(","):
        r = measure(window.strip(), args, articles)
        print(f"| {r['window']} | {r['seen']}/{r['files']} | {r['articles']} | {r['p50']:.1f} | "
              f"{r['p90']:.1f} | {r['max']:.1f} | {r['runs']} | {r['run_seconds']:.1f} |",
              flush=True)


if __name__ == "__main__":
    os.environ.setdefault("PYTHONWARNINGS", "ignore")
    main()
