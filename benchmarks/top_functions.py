"""The top functions of a py-spy profile in raw (collapsed stack) form.

    taskset -c 1 .venv/bin/py-spy record -f raw -r 200 -o run.txt -- \\
        .venv/bin/newsevents run -i ../shared/eval/fakes_syria_news.jsonl -o /tmp/lake
    .venv/bin/python benchmarks/top_functions.py run.txt --top 30

Prints each function's share of the samples with what it calls ("inclusive") and
without ("own"). Line numbers are dropped, so a function counts once per stack.
"""
from __future__ import annotations

import argparse
import re
from collections import Counter

LINE = re.compile(r":\d+\)")


def read_stacks(path: str) -> tuple[Counter, Counter, int]:
    inclusive, own, total = Counter(), Counter(), 0
    with open(path, encoding="utf-8") as lines:
        for line in lines:
            stack, _, count = line.rstrip("\n").rpartition(" ")
            if not stack:
                continue
            samples = int(count)
            total += samples
            frames = [LINE.sub(")", frame) for frame in stack.split(";")]
            for frame in set(frames):
                inclusive[frame] += samples
            own[frames[-1]] += samples
    return inclusive, own, total


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("profile", help="py-spy record -f raw output")
    parser.add_argument("--top", type=int, default=25)
    parser.add_argument("--match", default="", help="only functions whose name or file contains this")
    args = parser.parse_args()
    inclusive, own, total = read_stacks(args.profile)
    print(f"{total:,} samples")
    for title, counts in (("inclusive", inclusive), ("own", own)):
        print(f"\n{title:>9}  function (file)")
        shown = [(f, n) for f, n in counts.most_common() if args.match in f][:args.top]
        for frame, samples in shown:
            print(f"{samples / total:9.1%}  {frame[:140]}")


if __name__ == "__main__":
    main()
