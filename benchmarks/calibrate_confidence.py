"""Fit the confidence model (transforms/lexicons/confidence.json) on the gold set.

    .venv/bin/python benchmarks/calibrate_confidence.py            # fit, report, write
    .venv/bin/python benchmarks/calibrate_confidence.py --dry-run  # fit and report only
    .venv/bin/python benchmarks/calibrate_confidence.py --check-sheet tests/judged/fakes_syria_before.jsonl \
        --check-lake /tmp/fakes-lake                               # AUC on events judged by hand

Training data: every asserted event the extractor finds in the project's own gold set
(tests/gold/*.jsonl, written for the project; not the holdout, not ../shared/eval),
labelled right when it matches a gold event of its type (the alignment of
``newsevents eval``). The model: L2-regularized logistic regression over the evidence
features of ``transforms/extraction/confidence.py``, fitted by Newton's method. The
``not_asserted`` weight is kept as it is (the training events are all asserted).

The check on a judged sheet matches the sheet's events to the lake's by article and
trigger offsets and scores the lake's confidence against the judge's lenient verdict
(a real, specific event of the right type): events judged by a person, from real news
the model never saw.
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]

from newsevents.pipelines.evaluate import align, ranking_auc  # noqa: E402
from newsevents.pipelines.gold import load_gold  # noqa: E402
from newsevents.transforms.extraction.article import extract_article  # noqa: E402
from newsevents.transforms.extraction.confidence import FEATURES, evidence_features  # noqa: E402
from newsevents.transforms.extraction.parsing import parse_texts  # noqa: E402
from newsevents.transforms.extraction.resources import build_resources, build_sentence_filter  # noqa: E402

FIXED = ("not_asserted",)
WEIGHTS_FILE = ROOT / "transforms" / "lexicons" / "confidence.json"


def gold_examples(gold_dir: Path) -> tuple[np.ndarray, np.ndarray]:
    """(features, labels) of the asserted events the extractor finds in the gold set."""
    _, docs = load_gold(str(gold_dir))
    res = build_resources()
    sentence_filter = build_sentence_filter(res)
    rows, labels = [], []
    for doc in docs:
        parsed = next(parse_texts(res.nlp, [doc.text], 32, sentence_filter))
        published = dt.datetime.fromisoformat(doc.published_at[:10]).replace(tzinfo=dt.timezone.utc)
        events, _ = extract_article(parsed, {"article_id": doc.id, "published_at": published}, res,
                                    keep_private=True)
        for gi, ei in align(doc.events, events):
            if ei is None or events[ei]["modality"] != "asserted":
                continue
            gold = doc.events[gi] if gi is not None else None
            right = gold is not None and gold.counted and gold.event_type == events[ei]["event_type"]
            features = evidence_features(events[ei])
            rows.append([features[name] for name in FEATURES])
            labels.append(float(right))
    return np.array(rows), np.array(labels)


def fit(x: np.ndarray, y: np.ndarray, start: dict[str, float], l2: float) -> dict[str, float]:
    """Newton's method on the L2-penalized log-likelihood (the bias unpenalized)."""
    free = [i for i, name in enumerate(FEATURES) if name not in FIXED]
    fixed = np.array([start[name] if name in FIXED else 0.0 for name in FEATURES])
    offset = x @ fixed
    xf = x[:, free]
    w = np.array([start[FEATURES[i]] for i in free])
    penalty = np.array([0.0 if FEATURES[i] == "bias" else l2 for i in free])
    for _ in range(50):
        p = 1 / (1 + np.exp(-(xf @ w + offset)))
        gradient = xf.T @ (p - y) + penalty * w
        hessian = (xf * (p * (1 - p))[:, None]).T @ xf + np.diag(penalty + 1e-9)
        step = np.linalg.solve(hessian, gradient)
        w -= step
        if np.abs(step).max() < 1e-8:
            break
    weights = {name: float(fixed[i]) for i, name in enumerate(FEATURES)}
    weights.update({FEATURES[i]: round(float(v), 4) for i, v in zip(free, w)})
    return weights


def auc(x: np.ndarray, y: np.ndarray, weights: dict[str, float]) -> float | None:
    scores = x @ np.array([weights[name] for name in FEATURES])
    return ranking_auc(list(zip(scores.tolist(), (y > 0.5).tolist())))


def cross_validated_auc(x, y, start, l2, folds=5, seed=1) -> float | None:
    order = np.random.default_rng(seed).permutation(len(y))
    scores = np.empty(len(y))
    for k in range(folds):
        test = order[k::folds]
        train = np.setdiff1d(order, test)
        weights = fit(x[train], y[train], start, l2)
        scores[test] = x[test] @ np.array([weights[name] for name in FEATURES])
    return ranking_auc(list(zip(scores.tolist(), (y > 0.5).tolist())))


def check_sheet(sheet: Path, lake: str) -> dict:
    """The lake's confidence against a judged sheet's lenient verdicts."""
    from newsevents.transforms.storage.query import connect_lake

    rows = [json.loads(line) for line in sheet.read_text(encoding="utf-8").splitlines()[1:] if line.strip()]
    con = connect_lake(lake)
    found = {(a, s): (c, t) for a, s, c, t in con.execute(
        "select a.external_id, e.trigger_start, e.confidence, e.event_type from events e "
        "join articles a using (article_id) where e.modality = 'asserted'").fetchall()}
    ranked = []
    for row in rows:
        hit = found.get((row["external_id"], row["trigger_start"]))
        if hit is None or hit[1] != row["event_type"]:
            continue
        right = row["real"] == "yes" and row["specific"] == "yes" and row["type_ok"] == "yes"
        ranked.append((hit[0], right))
    return {"matched": len(ranked), "of": len(rows), "auc": ranking_auc(ranked)}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--gold", default=str(ROOT / "tests" / "gold"))
    parser.add_argument("--l2", type=float, default=1.0, help="L2 penalty of the weights")
    parser.add_argument("--dry-run", action="store_true", help="report only; write nothing")
    parser.add_argument("--check-sheet", help="a judged sheet (tests/judged/*.jsonl)")
    parser.add_argument("--check-lake", help="the lake the sheet's articles were run into")
    args = parser.parse_args(argv)
    start = json.loads(WEIGHTS_FILE.read_text(encoding="utf-8"))["weights"]
    if args.check_sheet:
        print(json.dumps(check_sheet(Path(args.check_sheet), args.check_lake)))
        return 0
    x, y = gold_examples(Path(args.gold))
    weights = fit(x, y, start, args.l2)
    report = {"events": int(len(y)), "right": int(y.sum()), "l2": args.l2,
              "auc_before": auc(x, y, start), "auc_fitted": auc(x, y, weights),
              "auc_cross_validated": cross_validated_auc(x, y, start, args.l2)}
    print(json.dumps(report, indent=2))
    print(json.dumps(weights, indent=2))
    if not args.dry_run:
        WEIGHTS_FILE.write_text(json.dumps({
            "about": "Logistic weights of the event confidence (transforms/extraction/confidence.py), "
                     "fitted by benchmarks/calibrate_confidence.py on the asserted events the "
                     "extractor finds in tests/gold/ (right: they match a gold event of their type).",
            "fitted": report, "weights": weights}, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
