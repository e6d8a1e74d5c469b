"""Scoring duplicate detection and incident clustering against a ground-truth corpus.

The corpus (``tests/incidents/corpus.jsonl``) is JSON Lines, one article a line: a
valid pipeline input (``id``, ``text``, ``published_at``, ``source``, ...) plus

* ``story``: articles sharing a story are copies of one another (syndicated, lightly
  edited); every other article has a story of its own;
* ``incident``: the real-world incident the article reports, or null;
* ``run``: 1 or 2, the scheduled run that reads the article. The second run brings
  later reports (rising tolls, follow-ups, copies of articles stored by the first).

Scores:
* duplicates: pairwise precision / recall of "these two articles are copies"
  (predicted groups: an article and every copy whose ``duplicate_of`` points to it);
* incidents: B-cubed and pairwise precision / recall over the articles that report an
  incident, each article taken to report the incident most of its mentions link to
  (ties: the one mentioned first; a copy: its original's);
* id stability: the share of first-run articles whose incident id is unchanged after
  the second run; and the incident counts (``num_articles``, ``num_sources``) of each
  gold incident against the truth.
"""
from __future__ import annotations

import json
import tempfile
from collections import Counter, defaultdict
from dataclasses import dataclass
from itertools import combinations
from pathlib import Path

from newsevents.pipelines.batch import run
from newsevents.pipelines.evaluate import FieldScore, read_floors_file
from newsevents.pipelines.options import make_run_options
from newsevents.pipelines.gold import GoldError
from newsevents.transforms.storage.query import connect_lake

INPUT_KEYS = {"id", "text", "published_at", "source", "url", "title"}
FLOOR_NAMES = ("duplicates_precision", "duplicates_recall", "bcubed_precision", "bcubed_recall",
               "pairwise_precision", "pairwise_recall", "id_stability")


@dataclass
class CorpusArticle:
    id: str
    record: dict
    story: str
    incident: str | None
    run: int


def load_corpus(path: str) -> list[CorpusArticle]:
    """The corpus, validated: clear errors naming the line."""
    try:
        lines = Path(path).read_text(encoding="utf-8").splitlines()
    except OSError as err:
        raise GoldError(f"{path}: cannot read: {err}") from None
    articles, seen = [], set()
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        where = f"{path}:{number}"
        try:
            raw = json.loads(line)
        except json.JSONDecodeError as err:
            raise GoldError(f"{where}: not JSON: {err}") from None
        if not isinstance(raw, dict):
            raise GoldError(f"{where}: expected an object")
        unknown = set(raw) - INPUT_KEYS - {"story", "incident", "run"}
        if unknown:
            raise GoldError(f"{where}: unknown keys {sorted(unknown)}")
        for key in ("id", "text", "published_at", "story"):
            if not isinstance(raw.get(key), str) or not raw[key].strip():
                raise GoldError(f"{where}: {key!r} must be a non-empty string")
        if raw["id"] in seen:
            raise GoldError(f"{where}: duplicate id {raw['id']!r}")
        seen.add(raw["id"])
        if raw.get("incident") is not None and not isinstance(raw["incident"], str):
            raise GoldError(f"{where}: 'incident' must be a string or null")
        if raw.get("run", 1) not in (1, 2):
            raise GoldError(f"{where}: 'run' must be 1 or 2")
        articles.append(CorpusArticle(raw["id"], {k: v for k, v in raw.items() if k in INPUT_KEYS},
                                      raw["story"], raw.get("incident"), raw.get("run", 1)))
    if not articles:
        raise GoldError(f"{path}: no articles")
    return articles


# -- scores ---------------------------------------------------------------------------
def ratio(part: int, whole: int) -> float | None:
    return part / whole if whole else None


def f1(precision: float | None, recall: float | None) -> float | None:
    if not precision or not recall:
        return 0.0 if precision is not None and recall is not None else None
    return 2 * precision * recall / (precision + recall)


def same_label_pairs(labels: dict[str, str | None]) -> set[frozenset]:
    """Pairs of items with the same (non-null) label."""
    groups = defaultdict(list)
    for item, label in labels.items():
        if label is not None:
            groups[label].append(item)
    return {frozenset(pair) for members in groups.values() for pair in combinations(sorted(members), 2)}


def pairwise(gold: dict[str, str | None], predicted: dict[str, str | None]) -> dict:
    gold_pairs, predicted_pairs = same_label_pairs(gold), same_label_pairs(predicted)
    score = FieldScore(predicted=len(predicted_pairs), gold=len(gold_pairs),
                       correct=len(gold_pairs & predicted_pairs))
    return {"precision": score.precision, "recall": score.recall, "f1": score.f1,
            "correct": score.correct, "predicted": score.predicted, "gold": score.gold}


def bcubed(gold: dict[str, str], predicted: dict[str, str | None]) -> dict:
    """B-cubed precision / recall over the gold items; an item with no predicted
    cluster is a cluster of its own."""
    items = sorted(gold)
    labels = {i: predicted.get(i) or f"(none:{i})" for i in items}
    by_gold, by_predicted = defaultdict(set), defaultdict(set)
    for item in items:
        by_gold[gold[item]].add(item)
        by_predicted[labels[item]].add(item)
    precision = recall = 0.0
    for item in items:
        overlap = len(by_gold[gold[item]] & by_predicted[labels[item]])
        precision += overlap / len(by_predicted[labels[item]])
        recall += overlap / len(by_gold[gold[item]])
    n = len(items)
    precision, recall = (precision / n, recall / n) if n else (None, None)
    return {"precision": precision, "recall": recall, "f1": f1(precision, recall)}


# -- predictions from a lake ----------------------------------------------------------
def predictions(lake: str) -> dict:
    """External id -> (duplicate group, main incident id) and the incidents table."""
    con = connect_lake(lake)
    articles = con.execute("select external_id, article_id, duplicate_of from articles").fetchall()
    by_id = {article_id: external for external, article_id, _ in articles}
    linked = con.execute(
        "select article_id, incident_id, count(*) as n, min(sentence_index) as first "
        "from events where incident_id is not null "
        "group by all order by article_id, n desc, first, incident_id").fetchall()
    main = {}
    for article_id, incident_id, _, _ in linked:
        main.setdefault(article_id, incident_id)
    group, incident = {}, {}
    for external, article_id, duplicate_of in articles:
        original = duplicate_of or article_id
        group[external] = by_id.get(original, original)
        incident[external] = main.get(original)
    rows = con.execute("select incident_id, num_mentions, num_articles, num_sources, fatalities, "
                       "fatalities_min, fatalities_max, created_run_id, run_id from incidents").fetchall()
    columns = ("incident_id", "num_mentions", "num_articles", "num_sources", "fatalities",
               "fatalities_min", "fatalities_max", "created_run_id", "run_id")
    return {"group": group, "incident": incident,
            "incidents": {r[0]: dict(zip(columns, r)) for r in rows}}


def score(corpus: list[CorpusArticle], predicted: dict, first_run: dict | None = None) -> dict:
    """The report of one lake's predictions against the corpus."""
    missing = [a.id for a in corpus if a.id not in predicted["group"]]
    if missing:
        raise ValueError(f"corpus articles not in the lake: {', '.join(missing[:10])}")
    duplicates = pairwise({a.id: a.story for a in corpus}, predicted["group"])
    reporting = {a.id: a.incident for a in corpus if a.incident}
    found = {i: predicted["incident"].get(i) for i in reporting}
    clusters = {**bcubed(reporting, found)}
    pairs = pairwise(reporting, found)
    per_incident = []
    for gold_id in sorted(set(reporting.values())):
        members = [a for a in corpus if a.incident == gold_id]
        ids = Counter(found[a.id] for a in members if found.get(a.id))
        main_id = ids.most_common(1)[0][0] if ids else None
        row = predicted["incidents"].get(main_id, {})
        per_incident.append({
            "incident": gold_id, "incident_id": main_id, "split_into": len(ids),
            "articles": len(members), "num_articles": row.get("num_articles"),
            "sources": len({a.record.get("source") for a in members}),
            "num_sources": row.get("num_sources"), "fatalities": row.get("fatalities"),
            "fatalities_range": [row.get("fatalities_min"), row.get("fatalities_max")]})
    report = {
        "articles": len(corpus), "gold_incidents": len(set(reporting.values())),
        "predicted_incidents": len({v for v in found.values() if v}),
        "incidents_in_lake": len(predicted["incidents"]),
        "duplicates": duplicates, "bcubed": clusters, "pairwise": pairs,
        "per_incident": per_incident,
    }
    if first_run is not None:
        earlier = {a.id: first_run["incident"].get(a.id) for a in corpus if a.run == 1 and a.incident}
        kept = sum(1 for i, v in earlier.items() if v and predicted["incident"].get(i) == v)
        report["id_stability"] = ratio(kept, sum(1 for v in earlier.values() if v))
    return report


def check_floors(report: dict, floors: dict) -> list[str]:
    values = {
        "duplicates_precision": report["duplicates"]["precision"],
        "duplicates_recall": report["duplicates"]["recall"],
        "bcubed_precision": report["bcubed"]["precision"], "bcubed_recall": report["bcubed"]["recall"],
        "pairwise_precision": report["pairwise"]["precision"],
        "pairwise_recall": report["pairwise"]["recall"],
        "id_stability": report.get("id_stability"),
    }
    failures = []
    for name, floor in floors.items():
        if name not in values:
            failures.append(f"{name}: not a score (known: {', '.join(FLOOR_NAMES)})")
        elif values[name] is None or values[name] < floor:
            failures.append(f"{name} {values[name] if values[name] is None else round(values[name], 4)} < {floor}")
    return failures


def load_floors(path: str) -> dict:
    floors = read_floors_file(path)
    if not isinstance(floors, dict) or set(floors) - set(FLOOR_NAMES) or \
            not all(isinstance(v, (int, float)) for v in floors.values()):
        raise ValueError(f"{path}: floors must be a JSON object of score -> minimum; "
                         f"scores: {', '.join(FLOOR_NAMES)}")
    return floors


def evaluate_fresh(corpus: list[CorpusArticle], model: str, threshold: float,
                   workers: int = 1) -> dict:
    """Run the corpus through the pipeline in two scheduled runs into a scratch lake."""
    with tempfile.TemporaryDirectory(prefix="newsevents-incidents-") as scratch:
        lake, first = str(Path(scratch) / "lake"), None
        manifests = []
        for number in (1, 2):
            batch = [a for a in corpus if a.run == number]
            if not batch:
                continue
            path = Path(scratch) / f"run{number}.jsonl"
            path.write_text("".join(json.dumps(a.record, ensure_ascii=False) + "\n" for a in batch),
                            encoding="utf-8")
            options = make_run_options([str(path)], lake, model=model, workers=workers,
                                       progress=False, near_duplicate_threshold=threshold)
            manifests.append(run(options)["counts"])
            if number == 1:
                first = predictions(lake)
                first_ids = {a.id for a in batch}
                first = {"incident": {k: v for k, v in first["incident"].items() if k in first_ids}}
        report = score(corpus, predictions(lake), first)
        report["runs"] = [{name: counts.get(name) for name in
                           ("read", "stored", "duplicates", "near_duplicates", "events",
                            "incidents_new", "incidents_updated")} for counts in manifests]
        return report
