"""Score a lake's tolls against the review of rules-0.4.16's draft on the FA-KES articles.

Every asserted event whose death or injury toll changed between rules-0.4.15 and the
first draft of rules-0.4.16 was read in its article by a reviewer
(``tests/judged/fakes_syria_rules0416_toll_review.tsv``): verdict O (the rules-0.4.15
tolls were right), N (the draft's were right), B (both wrong) or S (no toll either way,
or the same toll moved). For the O and N events this prints how many events of a lake
of the same articles carry the right (fatalities, injured); an event the right answer
says does not exist (no toll on either side) counts right when absent.

    newsevents run -i ../shared/eval/fakes_syria_news.jsonl -o /tmp/fakes-lake
    .venv/bin/python benchmarks/toll_review.py /tmp/fakes-lake
"""
from __future__ import annotations

import argparse
import csv
from pathlib import Path

import duckdb

REVIEW = Path(__file__).resolve().parent.parent / "tests" / "judged" / "fakes_syria_rules0416_toll_review.tsv"


def count(value: str) -> int | None:
    return None if value in ("", "None") else int(value)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("lake", help="a lake of ../shared/eval/fakes_syria_news.jsonl")
    parser.add_argument("--show", action="store_true", help="list the events whose tolls are wrong")
    args = parser.parse_args()
    events = f"read_parquet('{args.lake}/events/*/*.parquet', hive_partitioning=true, union_by_name=true)"
    tolls = {row[0]: (row[1], row[2]) for row in duckdb.connect().execute(
        f"select event_id, fatalities, injured from {events} where modality = 'asserted'").fetchall()}
    right = judged = 0
    for row in csv.DictReader(REVIEW.open(encoding="utf-8"), delimiter="\t"):
        if row["verdict"] not in ("O", "N"):
            continue
        side = "0415" if row["verdict"] == "O" else "draft"
        expected = (count(row[f"fatalities_{side}"]), count(row[f"injured_{side}"]))
        found = tolls.get(row["event_id"])
        ok = found == expected or (found is None and expected == (None, None))
        judged += 1
        right += ok
        if args.show and not ok:
            print(f"{row['event_id']}  expected {expected}  found {found}  ({row['note']})")
    print(f"{right} of {judged} reviewed events carry the right tolls")


if __name__ == "__main__":
    main()
