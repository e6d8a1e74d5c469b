"""How the near-duplicate threshold was chosen: similarity of copies vs distinct articles.

    .venv/bin/python benchmarks/dedupe_threshold.py

Articles: the project's own texts (tests/gold/*.jsonl, tests/incidents/corpus.jsonl and
examples/wire.jsonl), none of them copies of another outside the corpus's stories.
Copies are made of each one the way feeds make them:
    wrapped   a dateline before and a credit line after
    trimmed   the last sentence dropped (texts of 3+ sentences)
    reworded  every 10th word replaced
    wrapped+trimmed
and updates that are *not* copies: the first number changed (a new toll).
For each threshold it prints the share of copies found (recall), the updates wrongly
taken as copies, and the articles wrongly taken as copies of another story. Copies are
looked up exactly as the pipeline does: through the LSH index (``SignatureIndex``),
verified by signature and by the key-term guard.
"""
from __future__ import annotations

import glob
import json
import re
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from newsevents.transforms.core import near_duplicates as nd  # noqa: E402
from newsevents.transforms.dedupe import MIN_SHINGLES  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
THRESHOLDS = (0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9)
SENTENCE = re.compile(r"(?<=[.!?])\s+")


def texts() -> list[tuple[str, str]]:
    """(story, text) of every article; the corpus's stories group its copies."""
    found = []
    for path in sorted(glob.glob(str(ROOT / "tests/gold/**/*.jsonl"), recursive=True)) + \
            [str(ROOT / "examples/wire.jsonl")]:
        for n, line in enumerate(Path(path).read_text(encoding="utf-8").splitlines()):
            record = json.loads(line) if line.strip() else {}
            if record.get("text"):
                found.append((f"{path}:{n}", record["text"]))
    for line in (ROOT / "tests/incidents/corpus.jsonl").read_text(encoding="utf-8").splitlines():
        record = json.loads(line)
        found.append(("corpus:" + record["story"], record["text"]))
    return [(story, text) for story, text in found if len(nd.shingles(text)) >= MIN_SHINGLES]


def variants(text: str) -> dict[str, str]:
    sentences = SENTENCE.split(text)
    words = text.split(" ")
    out = {"wrapped": "KANO, Nigeria (Wire) - " + text + " (Reporting by the wire desk.)",
           "reworded": " ".join("also" if i % 10 == 9 else w for i, w in enumerate(words))}
    if len(sentences) >= 3:
        out["trimmed"] = " ".join(sentences[:-1])
        out["wrapped+trimmed"] = "KANO, Nigeria (Wire) - " + out["trimmed"] + " (Reporting by the wire desk.)"
    number = re.search(r"\b\d+\b", text)
    if number:
        out["update"] = text[:number.start()] + str(int(number.group()) + 7) + text[number.end():]
    return out


def main() -> None:
    articles = texts()
    sigs = np.stack([nd.signature(t) for _, t in articles])
    terms = [nd.key_terms(t) for _, t in articles]
    ids = [str(n) for n in range(len(articles))]
    made = [(n, kind, variant) for n, (_, text) in enumerate(articles)
            for kind, variant in variants(text).items()]
    kinds = list(dict.fromkeys(kind for _, kind, _ in made))
    print(f"{len(articles)} articles ({len(articles) * (len(articles) - 1) // 2} pairs); copies "
          "made: " + ", ".join(f"{k} {sum(1 for _, kind, _ in made if kind == k)}" for k in kinds))
    print(" | ".join(["threshold"] + [f"{k} found" if k != "update" else "updates taken" for k in kinds]
                     + ["articles taken for another story"]))
    for threshold in THRESHOLDS:
        row = [f"{threshold:.1f}"]
        for kind in kinds:
            # each copy looked up among the originals, its own original excluded for
            # nothing: finding it is the point
            index = nd.SignatureIndex(ids, sigs, terms)
            chosen = [(n, v) for n, k, v in made if k == kind]
            found = sum(1 for n, v in chosen
                        if (m := index.best_match(nd.signature(v), threshold, nd.key_terms(v)))
                        and m.article_id == str(n))
            row.append(f"{found}/{len(chosen)}" if kind == "update" else f"{found / len(chosen):.3f}")
        wrong = 0
        for n, (story, _) in enumerate(articles):
            others = [i for i in range(len(articles)) if articles[i][0] != story]
            index = nd.SignatureIndex([ids[i] for i in others], sigs[others], [terms[i] for i in others])
            wrong += index.best_match(sigs[n], threshold, terms[n]) is not None
        row.append(str(wrong))
        print(" | ".join(row))


if __name__ == "__main__":
    main()
