"""The CPU cost of the extraction rules alone: `extract_article` over real articles
parsed once, so the model's time does not drown a change of the rules.

    taskset -c 1 .venv/bin/python benchmarks/rules_cost.py                  # the working tree
    PYTHONPATH=/tmp/old taskset -c 1 .venv/bin/python benchmarks/rules_cost.py   # an older copy

(An older copy: `mkdir -p /tmp/old/newsevents && git archive COMMIT | tar -x -C
/tmp/old/newsevents`.) Run the two versions in turns, several processes each, and
compare the medians: one process's rounds move by a tenth with the machine's load.
Prints the extractor version and the CPU seconds of each round after a warm-up round.
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import time
from pathlib import Path

DEFAULT_CORPUS = Path(__file__).resolve().parents[1].parent / "shared" / "eval" / "fakes_syria_news.jsonl"


def read_articles(path: Path, limit: int) -> list[dict]:
    articles = []
    with path.open(encoding="utf-8") as lines:
        for line in lines:
            if len(articles) >= limit:
                break
            record = json.loads(line)
            published = dt.datetime.fromisoformat(record["published_at"][:10]).replace(tzinfo=dt.timezone.utc)
            articles.append({"article_id": str(len(articles)), "published_at": published,
                             "title": record.get("title"), "text": record["text"]})
    return articles


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS, help="JSON Lines of articles")
    parser.add_argument("--articles", type=int, default=400, help="the first N articles")
    parser.add_argument("--rounds", type=int, default=3, help="timed rounds after the warm-up")
    args = parser.parse_args()

    # Imported here so that PYTHONPATH decides which copy of the rules is timed.
    from newsevents.transforms.extraction.article import extract_article
    from newsevents.transforms.extraction.parsing import parse_texts
    from newsevents.transforms.extraction.resources import build_resources
    from newsevents.transforms.extraction.version import EXTRACTOR_VERSION

    articles = read_articles(args.corpus, args.articles)
    resources = build_resources()
    docs = list(parse_texts(resources.nlp, [article["text"] for article in articles]))

    def one_round() -> float:
        started = time.process_time()
        for doc, article in zip(docs, articles):
            extract_article(doc, article, resources)
        return time.process_time() - started

    one_round()
    print(EXTRACTOR_VERSION, " ".join(f"{one_round():.2f}" for _ in range(args.rounds)))


if __name__ == "__main__":
    main()
