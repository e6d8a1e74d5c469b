"""DuckDB over a big lake: the analysts' aggregates on 10 million event rows.

    .venv/bin/python benchmarks/duckdb_queries.py                  # 10M rows, 3 years
    .venv/bin/python benchmarks/duckdb_queries.py --rows 1000000   # a quicker look

Writes synthetic event rows in the lake layout (events/dt=DAY/part-RUN-N.parquet with a
committed manifest, so ``connect_lake`` and ``newsevents sql`` read it as any lake) in
two layouts, then times each aggregate through ``connect_lake`` (best of 3, after one
warm-up) and shows with EXPLAIN ANALYZE that a date-range filter on ``dt`` reads only
the matching partitions:

    runs       as ``runs`` leave it: 10 runs, so up to 10 files a day
    compacted  after ``newsevents compact``: one file a day

and, for the compacted layout, Parquet row groups of 16k, 64k (the lake's) and 256k rows.
"""
from __future__ import annotations

import argparse
import datetime as dt
import re
import shutil
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from newsevents.transforms.storage.query import connect_lake  # noqa: E402
from newsevents.schemas.tables import EVENTS, to_arrow_table  # noqa: E402
from newsevents.transforms.storage.lake_files import COMPRESSION  # noqa: E402

START = dt.date(2022, 1, 1)
DAYS = 3 * 365
COUNTRIES = ["SYR", "UKR", "SDN", "MMR", "NGA", "COD", "MLI", "BFA", "SOM", "IRQ", "YEM", "AFG",
             "ETH", "MEX", "COL", "PAK", "IND", "LBY", "MOZ", "CMR", "HTI", "ISR", "PSE", "NER",
             "KEN", "SSD", "CAF", "TCD", "LBN", "TUR"]
TYPES = ["ASSAULT", "PROTEST", "COERCE", "CONSULT", "ACCUSE", "THREATEN", "MOBILIZE", "SANCTION",
         "AGREE", "SUPPORT", "COOPERATE", "AID", "REQUEST", "REJECT", "RETREAT", "CONCEDE"]
RUNS = 10

QUERIES = {
    "events per month by country and type": """
        select date_trunc('month', event_date) as month, country_iso3, event_type,
               count(*) as events, sum(fatalities) as fatalities
        from events where modality = 'asserted'
        group by all order by all""",
    "top actors in a country and year": """
        select actor1_name, count(*) as events, sum(fatalities) as fatalities
        from events
        where dt between '2023-01-01' and '2023-12-31' and country_iso3 = 'SDN'
          and modality = 'asserted' and actor1_name is not null
        group by all order by events desc limit 20""",
    "fatalities by admin1 over a date range": """
        select country_iso3, admin1, sum(fatalities) as fatalities, count(*) as events
        from events
        where dt between '2024-03-01' and '2024-05-31' and modality = 'asserted'
        group by all order by fatalities desc nulls last limit 50""",
}
PRUNING = ("select count(*), sum(fatalities) from events "
           "where dt between '2024-03-01' and '2024-03-31'")


def synthetic_events(rows: int, seed: int) -> pa.Table:
    """Event rows with the lake's schema; skewed like real data (a few countries,
    types and actors dominate)."""
    rng = np.random.default_rng(seed)
    day = rng.integers(0, DAYS, rows)
    dates = np.datetime64(START.isoformat()) + day.astype("timedelta64[D]")
    country = rng.zipf(1.6, rows) % len(COUNTRIES)
    kind = rng.zipf(1.8, rows) % len(TYPES)
    actor = rng.zipf(1.4, rows) % 2000
    admin = rng.integers(0, 12, rows)
    fatalities = np.where(rng.random(rows) < 0.3, rng.poisson(4, rows), -1)
    modality = np.where(rng.random(rows) < 0.9, "asserted", "negated")
    countries = np.array(COUNTRIES)[country]
    columns = {
        "event_id": pa.array(np.char.add("e", np.arange(rows).astype(str))),
        "article_id": pa.array(np.char.add("a", (np.arange(rows) // 3).astype(str))),
        "sentence_index": pa.array(rng.integers(0, 30, rows), pa.int32()),
        "sentence": pa.array(np.char.add("Synthetic evidence sentence number ", (day % 97).astype(str))),
        "event_type": pa.array(np.array(TYPES)[kind]),
        "country_iso3": pa.array(countries),
        "admin1": pa.array(np.char.add(np.char.add(countries, "-"), admin.astype(str))),
        "actor1_name": pa.array(np.char.add("Actor ", actor.astype(str))),
        "event_date": pa.array(dates, pa.date32()),
        "date_precision": pa.array(np.full(rows, "day")),
        "fatalities": pa.array(np.where(fatalities < 0, 0, fatalities), pa.int32(),
                               mask=fatalities < 0),
        "modality": pa.array(modality),
        "confidence": pa.array(rng.random(rows).astype(np.float32)),
        "extractor_version": pa.array(np.full(rows, "synthetic")),
        "dt": pa.array(dates.astype(str)),
    }
    table = pa.table(columns)
    missing = [f for f in EVENTS if f.name not in table.column_names]
    for field in missing:
        table = table.append_column(field, pa.nulls(rows, field.type))
    return table


def write_layout(lake: Path, table: pa.Table, files_per_day: int, row_group: int) -> int:
    """Write the rows as ``files_per_day`` runs would, and a committed manifest for each."""
    table = table.sort_by([("dt", "ascending"), ("event_id", "ascending")])
    run_of = np.arange(len(table)) % files_per_day
    days = table.column("dt").to_numpy(zero_copy_only=False)
    bounds = np.flatnonzero(days[1:] != days[:-1]) + 1
    starts, ends = np.r_[0, bounds], np.r_[bounds, len(table)]
    columns = [f.name for f in EVENTS]
    files = 0
    for start, end in zip(starts, ends):
        day_rows = table.slice(start, end - start)
        folder = lake / "events" / f"dt={days[start]}"
        folder.mkdir(parents=True, exist_ok=True)
        runs = run_of[start:end]
        for run in range(files_per_day):
            part = day_rows.filter(pa.array(runs == run)).select(columns)
            if len(part):
                pq.write_table(part, folder / f"part-BENCH{run}-0.parquet",
                               compression=COMPRESSION, row_group_size=row_group)
                files += 1
    now = dt.datetime.now(dt.timezone.utc)
    for run in range(files_per_day):
        manifest = {"run_id": f"BENCH{run}", "kind": "run", "started_at": now, "finished_at": now,
                    "status": "committed", "inputs": [], "counts": {}, "files": [],
                    "replaced_files": [], "accounting_ok": True, "options": "{}"}
        folder = lake / "runs" / f"dt={now.date().isoformat()}"
        folder.mkdir(parents=True, exist_ok=True)
        pq.write_table(to_arrow_table("runs", [manifest]), folder / f"part-BENCH{run}-0.parquet")
    return files


def best_of(con, sql: str, repeats: int = 3) -> float:
    con.execute(sql).fetchall()  # warm-up: file metadata into the OS cache
    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        con.execute(sql).fetchall()
        times.append(time.perf_counter() - started)
    return min(times)


def files_read(con, sql: str) -> str:
    """What EXPLAIN ANALYZE says the scan read."""
    plan = "\n".join(row[1] for row in con.execute("explain analyze " + sql).fetchall())
    found = re.findall(r"(?:Total Files Read|Files Read)[^\d]*(\d+)", plan)
    return found[0] if found else "(not reported)"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=10_000_000)
    parser.add_argument("--keep", metavar="DIR", help="write the lakes here and keep them")
    args = parser.parse_args()
    root = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="duckdb-bench-"))
    started = time.perf_counter()
    table = synthetic_events(args.rows, seed=1)
    print(f"{args.rows:,} synthetic event rows over {DAYS} days made in "
          f"{time.perf_counter() - started:.1f}s", flush=True)
    layouts = [("runs", RUNS, 64_000), ("compacted", 1, 16_000), ("compacted", 1, 64_000),
               ("compacted", 1, 256_000)]
    results = []
    try:
        for name, files_per_day, row_group in layouts:
            lake = root / f"{name}-{row_group}"
            shutil.rmtree(lake, ignore_errors=True)
            started = time.perf_counter()
            files = write_layout(lake, table, files_per_day, row_group)
            size = sum(p.stat().st_size for p in (lake / "events").rglob("*.parquet"))
            con = connect_lake(str(lake))
            timings = {q: best_of(con, sql) for q, sql in QUERIES.items()}
            pruned = files_read(con, PRUNING)
            results.append((name, row_group, files, size, timings, pruned))
            print(f"{name} (row groups {row_group:,}): {files} files, {size / 2**20:.0f} MiB, "
                  f"written in {time.perf_counter() - started:.0f}s; "
                  + "; ".join(f"{q}: {t:.3f}s" for q, t in timings.items())
                  + f"; one month of dt reads {pruned} files", flush=True)
        lake = root / "compacted-64000"
        print("\nEXPLAIN ANALYZE of a one-month dt filter (compacted, 64k row groups), its scan:")
        plan = connect_lake(str(lake)).execute("explain analyze " + PRUNING).fetchall()
        wanted = ("Total Time", "Data Read", "Function:", "File Filters", "dt BETWEEN",
                  "Scanning Files", "Total Files Read", "Row Groups Scanned")
        for line in "\n".join(row[1] for row in plan).splitlines():
            text = line.strip("│╭╮╰╯ ─┃").strip()
            if text.startswith(wanted):
                print("  " + text)
    finally:
        if not args.keep:
            shutil.rmtree(root, ignore_errors=True)
    print("\nlayout | row group | files | MiB | " + " | ".join(QUERIES) + " | files read for one month")
    for name, row_group, files, size, timings, pruned in results:
        print(f"{name} | {row_group:,} | {files:,} | {size / 2**20:.0f} | "
              + " | ".join(f"{t:.3f}s" for t in timings.values()) + f" | {pruned}")


if __name__ == "__main__":
    main()
