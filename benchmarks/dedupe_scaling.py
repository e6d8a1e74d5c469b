"""Deduplication cost as the lake grows: 10k, 100k and 1M stored articles.

    .venv/bin/python benchmarks/dedupe_scaling.py                 # 10k, 100k, 1M
    .venv/bin/python benchmarks/dedupe_scaling.py --stored 10000  # one size

For each size, in a fresh process (so peak memory is that size's alone):
1. writes that many stored articles as lake files (100k rows a file) with what the
   pipeline stores for them: id, content hash, MinHash signature and key terms. The
   signatures are uniformly random (what MinHash gives unrelated texts), except for 200
   articles whose signatures come from real texts;
2. loads them as the pipeline's workers do (``StoredArticles.from_files``, in
   ``DoFn.setup``): time and peak memory;
3. looks up 2,000 new articles: 200 syndicated copies of the real texts (each must be
   found) and 1,800 unrelated texts (none may be): lookups per second.

Prints one row per size and the ratios to the smallest, to show the cost grows
linearly with the stored articles (build, memory) and stays flat per lookup.
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

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from newsevents.schemas.tables import to_arrow_table  # noqa: E402
from newsevents.transforms.core import near_duplicates as nd  # noqa: E402
from newsevents.transforms.dedupe import StoredArticles, add_signature  # noqa: E402
from newsevents.transforms.storage.lake_files import write_parquet  # noqa: E402

SIZES = (10_000, 100_000, 1_000_000)
ROWS_PER_FILE = 100_000
REAL = 200
QUERIES = 2_000
WORDS = ("the police army said on monday tuesday killed wounded people village town market "
         "attack gunmen soldiers rebels government minister talks protest crowd fire "
         "officials reported residents fled district province border road bridge hospital "
         "statement group claimed responsibility security forces several hundreds dozens "
         "night morning earlier later region north south east west capital city").split()
NAMES = ("Kano Jos Gao Goma Mosul Kabul Aleppo Mogadishu Bamako Niamey Juba Tripoli Sanaa "
         "Idlib Kharkiv Kherson Donetsk Herat Kandahar Quetta").split()


def story(rng: random.Random) -> str:
    sentences = []
    for _ in range(rng.randint(6, 12)):
        words = [rng.choice(WORDS) for _ in range(rng.randint(10, 22))]
        words.insert(rng.randrange(len(words)), rng.choice(NAMES))
        words.insert(rng.randrange(len(words)), str(rng.randint(2, 400)))
        sentences.append(" ".join(words).capitalize() + ".")
    return " ".join(sentences)


def article_row(n: int, signature: bytes, terms: bytes) -> dict:
    return {"article_id": f"s{n:08d}", "content_hash": f"{n:064x}", "duplicate_of": None,
            "minhash": signature, "key_terms": terms, "text": None}


def measure(stored: int) -> dict:
    rng = random.Random(7)
    np_rng = np.random.default_rng(7)
    real_texts = [story(rng) for _ in range(REAL)]
    real_rows = [add_signature({"text": t}) for t in real_texts]
    with tempfile.TemporaryDirectory(prefix="dedupe-scaling-") as lake:
        paths = []
        for start in range(0, stored, ROWS_PER_FILE):
            count = min(ROWS_PER_FILE, stored - start)
            sigs = np_rng.integers(0, 2**32, size=(count, nd.NUM_PERM), dtype=np.uint32)
            terms = np_rng.integers(0, 2**32, size=(count, 12), dtype=np.uint32)
            rows = [article_row(start + i, nd.to_bytes(sigs[i]), nd.to_bytes(np.sort(terms[i])))
                    for i in range(count)]
            if start == 0:  # the real texts among the first stored articles
                for i, real in enumerate(real_rows):
                    rows[i] = article_row(i, real["minhash"], real["key_terms"])
            path = f"{lake}/articles/dt=2024-01-01/part-R{start // ROWS_PER_FILE}-0.parquet"
            write_parquet(path, to_arrow_table("articles", rows))
            paths.append(path)
        before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        started = time.perf_counter()
        index = StoredArticles.from_files(paths)
        build = time.perf_counter() - started
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        copies = [add_signature({"article_id": f"c{i}", "content_hash": f"c{i}",
                                 "text": "KANO, Nigeria (Wire) - " + t + " (Reporting by the desk.)"})
                  for i, t in enumerate(real_texts)]
        others = [add_signature({"article_id": f"n{i}", "content_hash": f"n{i}", "text": story(rng)})
                  for i in range(QUERIES - REAL)]
        started = time.perf_counter()
        found = sum(1 for i, c in enumerate(copies)
                    if (m := index.match(c, nd.DEFAULT_THRESHOLD)) and m.article_id == f"s{i:08d}")
        wrong = sum(1 for o in others if index.match(o, nd.DEFAULT_THRESHOLD))
        lookup = time.perf_counter() - started
    return {"stored": stored, "build_s": round(build, 2),
            "index_mb": round(index.nbytes / 2**20, 1),
            "load_peak_mb": round((peak - before) / 1024, 1),
            "process_peak_mb": round(peak / 1024, 1),
            "lookups_per_s": round(QUERIES / lookup), "copies_found": f"{found}/{REAL}",
            "unrelated_taken": wrong}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--stored", type=int, action="append", help="stored articles (repeatable)")
    parser.add_argument("--one", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        print(json.dumps(measure(args.stored[0])))
        return
    results = []
    for size in args.stored or SIZES:
        out = subprocess.run([sys.executable, __file__, "--one", "--stored", str(size)],
                             check=True, capture_output=True, text=True).stdout
        results.append(json.loads(out.strip().splitlines()[-1]))
        print(json.dumps(results[-1]), flush=True)
    base = results[0]
    print("\nstored | build s | index MB | load peak MB | process peak MB | lookups/s | "
          "copies found | unrelated taken | build x | memory x")
    for r in results:
        print(f"{r['stored']:>9,} | {r['build_s']} | {r['index_mb']} | {r['load_peak_mb']} | "
              f"{r['process_peak_mb']} | {r['lookups_per_s']:,} | {r['copies_found']} | "
              f"{r['unrelated_taken']} | {r['build_s'] / base['build_s']:.1f} | "
              f"{r['load_peak_mb'] / max(base['load_peak_mb'], 1):.1f}")


if __name__ == "__main__":
    main()
