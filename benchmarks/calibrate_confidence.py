"""Fit the confidence model (transforms/lexicons/confidence.json) on events judged right or wrong.

    # the lakes the judged sheets were drawn from (the default settings)
    newsevents run -i ../shared/eval/geovirus.jsonl -o /tmp/geovirus-lake
    newsevents run -i ../shared/eval/fakes_syria_news.jsonl -o /tmp/fakes-lake
    # fit on the gold set and the GeoVirus sheet, check on the FA-KES sheets; write
    .venv/bin/python benchmarks/calibrate_confidence.py \\
        --train tests/judged/geovirus_rules044_all.jsonl=/tmp/geovirus-lake \\
        --check 'tests/judged/fakes_syria_*.jsonl=/tmp/fakes-lake'
    .venv/bin/python benchmarks/calibrate_confidence.py ... --dry-run   # report only

Training data, all of it the project's to fit on:
- every asserted event the extractor finds in the project's own gold set (tests/gold/,
  written for the project; not the holdout), right when it matches a gold event of its
  type (the alignment of ``newsevents eval``);
- the events of judged sheets (``--train``) whose articles' licence lets the project ship
  what is fitted on them: GeoVirus is WikiNews text under CC BY 2.5. Right is the
  judge's lenient verdict (a real, specific event of the right type).

FA-KES (and the ACLED notes) are for evaluation only: their sheets are ``--check``ed,
never fitted on. A judged event is found again by re-extracting its article from the
lake with the current extractor and matching article, trigger offset and event type;
events the extractor no longer finds are counted and left out.

The report's ``auc_before`` scores the weights the file held before this run, so that a
refit shows what it changes; cross-validation folds are drawn over events.

The model: L2-regularized logistic regression over the evidence features of
``transforms/extraction/confidence.py``, fitted by Newton's method. The
``not_asserted`` weight is kept as it is (the training events are all asserted).
"""
from __future__ import annotations

import argparse
import datetime as dt
import glob
import json
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]

from newsevents.pipelines.evaluate import align, ranking_auc  # noqa: E402
from newsevents.pipelines.gold import load_gold  # noqa: E402
from newsevents.transforms.extract_events import mask_dateline  # noqa: E402
from newsevents.transforms.extraction.article import extract_article  # noqa: E402
from newsevents.transforms.extraction.confidence import FEATURES, evidence_features  # noqa: E402
from newsevents.transforms.extraction.parsing import parse_texts  # noqa: E402
from newsevents.transforms.extraction.resources import build_resources, build_sentence_filter  # noqa: E402

FIXED = ("not_asserted",)
# Real sets whose licence allows evaluation only (../shared/eval/README.md): never fitted on.
EVALUATION_ONLY = ("fakes_syria_news", "acled_notes_")
WEIGHTS_FILE = ROOT / "transforms" / "lexicons" / "confidence.json"


class Extractor:
    """The model and rules, loaded once for all the examples."""

    def __init__(self):
        self.res = build_resources()
        self.sentence_filter = build_sentence_filter(self.res)

    def events(self, text: str, article: dict) -> list[dict]:
        parsed = next(parse_texts(self.res.nlp, [mask_dateline(text)], 32, self.sentence_filter))
        events, _ = extract_article(parsed, article, self.res, keep_private=True)
        return events


def gold_examples(gold_dir: Path, extractor: Extractor) -> tuple[list[list[float]], list[float]]:
    """(features, labels) of the asserted events the extractor finds in the gold set."""
    _, docs = load_gold(str(gold_dir))
    rows, labels = [], []
    for doc in docs:
        published = dt.datetime.fromisoformat(doc.published_at[:10]).replace(tzinfo=dt.timezone.utc)
        events = extractor.events(doc.text, {"article_id": doc.id, "published_at": published})
        for gi, ei in align(doc.events, events):
            if ei is None or events[ei]["modality"] != "asserted":
                continue
            gold = doc.events[gi] if gi is not None else None
            right = gold is not None and gold.counted and gold.event_type == events[ei]["event_type"]
            features = evidence_features(events[ei])
            rows.append([features[name] for name in FEATURES])
            labels.append(float(right))
    return rows, labels


def read_sheet(path: str) -> tuple[dict, dict[tuple, bool]]:
    """A judged sheet's header and its lenient verdicts by (article, trigger offset, type)."""
    lines = [line for line in Path(path).read_text(encoding="utf-8").splitlines() if line.strip()]
    verdicts = {}
    for line in lines[1:]:
        row = json.loads(line)
        if not row.get("real"):
            raise SystemExit(f"{path}: event {row.get('event_id')} is not judged yet")
        right = row["real"] == "yes" and row["specific"] == "yes" and row["type_ok"] == "yes"
        verdicts[(row["external_id"], row["trigger_start"], row["event_type"])] = right
    return json.loads(lines[0]), verdicts


def sheet_examples(sheets: list[str], lake: str, extractor: Extractor) -> tuple[list, list, list, int]:
    """(features, labels, seeds drawn with, verdicts not found again) of judged sheets,
    by re-extracting their articles from the lake. An event judged on several sheets (a
    sheet and one carried from it) counts once, with the last sheet's verdict."""
    from newsevents.transforms.storage.query import connect_lake

    verdicts, source = {}, {}
    for sheet in sheets:
        header, found = read_sheet(sheet)
        verdicts.update(found)
        source.update({key: f"seed {header.get('seed')}" for key in found})
    con = connect_lake(lake)
    articles = con.execute(
        "select article_id, external_id, text, published_at, dateline_place from articles "
        "where text is not null and external_id in (select unnest(?))",
        [sorted({key[0] for key in verdicts})]).fetchall()
    rows, labels, names, matched = [], [], [], set()
    for article_id, external_id, text, published, dateline in articles:
        if published.tzinfo is None:
            published = published.replace(tzinfo=dt.timezone.utc)
        for event in extractor.events(text, {"article_id": article_id, "published_at": published,
                                             "dateline_place": dateline}):
            key = (external_id, event["trigger_start"], event["event_type"])
            if event["modality"] != "asserted" or key not in verdicts or key in matched:
                continue
            matched.add(key)
            features = evidence_features(event)
            rows.append([features[name] for name in FEATURES])
            labels.append(float(verdicts[key]))
            names.append(source[key])
    return rows, labels, names, len(verdicts) - len(matched)


def fit(x: np.ndarray, y: np.ndarray, start: dict[str, float], l2: float,
        only: tuple[str, ...] | None = None) -> dict[str, float]:
    """Newton's method on the L2-penalized log-likelihood (the bias unpenalized). With
    ``only``, just those weights are fitted and the others kept as ``start`` holds them."""
    held = FIXED if only is None else tuple(name for name in FEATURES if name not in only)
    free = [i for i, name in enumerate(FEATURES) if name not in held]
    fixed = np.array([start.get(name, 0.0) if name in held else 0.0 for name in FEATURES])
    offset = x @ fixed
    xf = x[:, free]
    w = np.zeros(len(free))
    penalty = np.array([0.0 if FEATURES[i] == "bias" else l2 for i in free])
    for _ in range(100):
        p = 1 / (1 + np.exp(-np.clip(xf @ w + offset, -30, 30)))
        gradient = xf.T @ (p - y) + penalty * w
        hessian = (xf * (p * (1 - p))[:, None]).T @ xf + np.diag(penalty + 1e-6)
        step = np.linalg.solve(hessian, gradient)
        w -= step
        if np.abs(step).max() < 1e-8:
            break
    weights = {name: float(fixed[i]) for i, name in enumerate(FEATURES)}
    weights.update({FEATURES[i]: round(float(v), 4) for i, v in zip(free, w)})
    return weights


def auc(x: np.ndarray, y: np.ndarray, weights: dict[str, float]) -> float | None:
    if len(y) == 0:
        return None
    scores = x @ np.array([weights[name] for name in FEATURES])
    value = ranking_auc(list(zip(scores.tolist(), (y > 0.5).tolist())))
    return None if value is None else round(value, 3)


def cross_validated_auc(x, y, start, l2, folds=5, seed=1, only=None) -> float | None:
    order = np.random.default_rng(seed).permutation(len(y))
    scores = np.empty(len(y))
    for k in range(folds):
        test = order[k::folds]
        train = np.setdiff1d(order, test)
        weights = fit(x[train], y[train], start, l2, only)
        scores[test] = x[test] @ np.array([weights[name] for name in FEATURES])
    return round(ranking_auc(list(zip(scores.tolist(), (y > 0.5).tolist()))), 3)


def sheet_lake_pairs(values: list[str]) -> list[tuple[list[str], str]]:
    """``SHEETS=LAKE`` arguments (SHEETS may be a glob) as (sheet files, lake)."""
    pairs = []
    for value in values:
        if "=" not in value:
            raise SystemExit(f"{value}: give SHEET=LAKE (the lake the sheet's articles were run into)")
        pattern, lake = value.rsplit("=", 1)
        sheets = sorted(glob.glob(pattern))
        if not sheets:
            raise SystemExit(f"{pattern}: no judged sheet there")
        pairs.append((sheets, lake))
    return pairs


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--gold", default=str(ROOT / "tests" / "gold"))
    parser.add_argument("--train", action="append", default=[], metavar="SHEET=LAKE",
                        help="judged sheets to fit on, whose articles may be fitted on (repeatable)")
    parser.add_argument("--check", action="append", default=[], metavar="SHEETS=LAKE",
                        help="judged sheets (a glob) to score the weights on, never fitted on (repeatable)")
    parser.add_argument("--l2", type=float, default=1.0, help="L2 penalty of the weights")
    parser.add_argument("--only", metavar="NAMES",
                        help="fit just these weights (comma-separated, e.g. bias,past: a new feature "
                             "added to a fitted model, its weight first set to 0 in confidence.json) "
                             "and keep the others as the file holds them")
    parser.add_argument("--dry-run", action="store_true", help="report only; write nothing")
    args = parser.parse_args(argv)
    start = json.loads(WEIGHTS_FILE.read_text(encoding="utf-8"))["weights"]
    only = None
    if args.only is not None:
        only = tuple(name.strip() for name in args.only.split(",") if name.strip())
        unknown = sorted(set(only) - set(FEATURES))
        if unknown:
            raise SystemExit(f"--only: no such feature {unknown}; the features are {FEATURES}")
        if not only or set(only) & set(FIXED):
            raise SystemExit(f"--only: name one feature or more, not {', '.join(FIXED)} (kept as it is: "
                             "every training event is asserted)")
    train_pairs, check_pairs = sheet_lake_pairs(args.train), sheet_lake_pairs(args.check)
    for sheet in (sheet for sheets, _ in train_pairs for sheet in sheets):
        inputs = " ".join(read_sheet(sheet)[0].get("inputs") or [])
        if any(name in inputs for name in EVALUATION_ONLY):
            raise SystemExit(f"{sheet}: its articles ({inputs}) are for evaluation only; give it to --check")
    extractor = Extractor()
    gold_x, gold_y = gold_examples(Path(args.gold), extractor)
    train_x, train_y = list(gold_x), list(gold_y)
    report = {"gold_events": len(gold_y), "gold_right": int(sum(gold_y)), "train_sheets": {}, "l2": args.l2}
    for sheets, lake in train_pairs:
        x, y, _, lost = sheet_examples(sheets, lake, extractor)
        train_x += x
        train_y += y
        report["train_sheets"][", ".join(Path(s).name for s in sheets)] = {
            "events": len(y), "right": int(sum(y)), "not_found_again": lost}
    x, y = np.array(train_x), np.array(train_y)
    weights = fit(x, y, start, args.l2, only)
    if only is not None:
        report["fitted_only"] = list(only)
    report.update({"events": len(y), "right": int(y.sum()), "auc_before": auc(x, y, start),
                   "auc_fitted": auc(x, y, weights),
                   "auc_cross_validated": cross_validated_auc(x, y, start, args.l2, only=only)})
    checks = {}
    for sheets, lake in check_pairs:
        cx, cy, names, lost = sheet_examples(sheets, lake, extractor)
        cx, cy, names = np.array(cx), np.array(cy), np.array(names)
        checks[", ".join(Path(s).name for s in sheets)] = {
            "events": len(cy), "not_found_again": lost,
            "auc_before": auc(cx, cy, start), "auc_fitted": auc(cx, cy, weights)}
        for name in sorted(set(names.tolist())):
            mask = names == name
            checks[f"  drawn with {name}"] = {"events": int(mask.sum()),
                                              "auc_before": auc(cx[mask], cy[mask], start),
                                              "auc_fitted": auc(cx[mask], cy[mask], weights)}
    report["checked_on"] = checks
    print(json.dumps(report, indent=2))
    print(json.dumps(weights, indent=2))
    if not args.dry_run:
        WEIGHTS_FILE.write_text(json.dumps({
            "about": "Logistic weights of the event confidence (transforms/extraction/confidence.py), "
                     "fitted by benchmarks/calibrate_confidence.py on the asserted events the "
                     "extractor finds in tests/gold/ (right: they match a gold event of their type)"
                     + "".join(f" and in the judged sheet {name} (right: the judge's lenient verdict)"
                               for name in report["train_sheets"])
                     + (f"; only {', '.join(only)} fitted, the other weights kept from the fit before"
                        if only is not None else "") + ".",
            "fitted": report, "weights": weights}, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
