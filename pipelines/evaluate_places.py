"""Toponym scores: the ``places`` table against gold toponyms with offsets and points
(GeoVirus: ``../shared/eval/geovirus.jsonl``).

    report = evaluate_places(docs, places_by_doc)
    report.as_dict()["scores"]  -> {"precision": 0.91, "recall": 0.88, "accuracy_161km": ...}

A place row and a gold toponym match when their character offsets overlap (each used
once, the largest overlap first). Then:

* precision: matched rows / rows; recall: matched toponyms / toponyms (recognition);
* accuracy within 161 km: of the matched toponyms, those placed within 161 km (100
  miles, the usual threshold of geoparsing evaluations) of the gold point;
* recall within 161 km: toponyms found *and* placed within 161 km / toponyms, the one
  figure for the whole task;
* the worst errors (largest distances) with their sentence, the names most often
  missed and the rows most often spurious, and accuracy by the rows' feature type.
"""
from __future__ import annotations

import statistics
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from newsevents.pipelines.evaluate import rounded, scratch_lake
from newsevents.pipelines.gold import GoldDoc, GoldToponym
from newsevents.transforms.extraction.gazetteer import haversine_km
from newsevents.transforms.storage.query import connect_lake

RADIUS_KM = 161.0
FLOOR_NAMES = ("precision", "recall", "accuracy_161km", "recall_161km", "precision_161km")


@dataclass
class PlacesReport:
    toponyms: int = 0
    rows: int = 0
    matched: int = 0
    within: int = 0
    distances: list[float] = field(default_factory=list)
    by_feature: dict[str, list[int]] = field(default_factory=lambda: defaultdict(lambda: [0, 0]))
    errors: list[dict] = field(default_factory=list)  # matched, beyond the radius
    missed: Counter = field(default_factory=Counter)
    spurious: Counter = field(default_factory=Counter)
    examples: dict[str, str] = field(default_factory=dict)  # name -> a sentence it stands in
    articles: int = 0
    articles_stored: int = 0
    offsets_moved: int = 0

    def scores(self) -> dict[str, float | None]:
        def ratio(a, b):
            return a / b if b else None
        return {"precision": ratio(self.matched, self.rows), "recall": ratio(self.matched, self.toponyms),
                "accuracy_161km": ratio(self.within, self.matched),
                "recall_161km": ratio(self.within, self.toponyms),
                "precision_161km": ratio(self.within, self.rows)}

    def as_dict(self, examples: int = 15) -> dict:
        by_feature = {name: {"matched": n, "within_161km": w, "accuracy_161km": rounded(w / n if n else None)}
                      for name, (n, w) in sorted(self.by_feature.items(), key=lambda kv: -kv[1][0])}
        worst = sorted(self.errors, key=lambda e: -e["km"])[:examples]
        return {
            "articles": self.articles, "articles_stored": self.articles_stored,
            "toponyms": self.toponyms, "rows": self.rows, "matched": self.matched,
            "within_161km": self.within, "offsets_moved": self.offsets_moved,
            "scores": {name: rounded(value) for name, value in self.scores().items()},
            "median_error_km": rounded(statistics.median(self.distances)) if self.distances else None,
            "by_feature_type": by_feature,
            "worst_errors": worst,
            "most_missed": [{"name": n, "count": c, "example": self.examples.get("missed:" + n)}
                            for n, c in self.missed.most_common(examples)],
            "most_spurious": [{"text": n, "count": c, "example": self.examples.get("spurious:" + n)}
                              for n, c in self.spurious.most_common(examples)],
        }


def sentence_around(text: str, start: int, end: int, width: int = 90) -> str:
    left = max(0, start - width)
    right = min(len(text), end + width)
    return (text[left:start] + "[" + text[start:end] + "]" + text[end:right]).replace("\n", " ")


def match_rows(toponyms: list[GoldToponym], rows: list[dict]) -> list[tuple[int, int]]:
    """(gold index, row index) pairs whose offsets overlap, largest overlap first, each
    used once."""
    overlaps = []
    for g, gold in enumerate(toponyms):
        for r, row in enumerate(rows):
            overlap = min(gold.end, row["end"]) - max(gold.start, row["start"])
            if overlap > 0:
                overlaps.append((overlap, g, r))
    used_gold, used_rows, pairs = set(), set(), []
    for _, g, r in sorted(overlaps, reverse=True):
        if g not in used_gold and r not in used_rows:
            used_gold.add(g)
            used_rows.add(r)
            pairs.append((g, r))
    return pairs


def evaluate_places(docs: list[GoldDoc], places_by_doc: dict[str, list[dict]] | None,
                    stored: set[str] | None = None) -> PlacesReport:
    report = PlacesReport(articles=len(docs))
    places_by_doc = places_by_doc or {}
    for doc in docs:
        report.offsets_moved += doc.offsets_moved
        if stored is None or doc.id in stored:
            report.articles_stored += 1
        rows = places_by_doc.get(doc.id, [])
        report.toponyms += len(doc.toponyms)
        report.rows += len(rows)
        pairs = match_rows(doc.toponyms, rows)
        matched_gold = {g for g, _ in pairs}
        matched_rows = {r for _, r in pairs}
        for g, r in pairs:
            gold, row = doc.toponyms[g], rows[r]
            report.matched += 1
            feature = row.get("feature_type") or "unknown"
            report.by_feature[feature][0] += 1
            if row.get("latitude") is None:
                km = float("inf")
            else:
                km = haversine_km(gold.latitude, gold.longitude, row["latitude"], row["longitude"])
                report.distances.append(km)
            if km <= RADIUS_KM:
                report.within += 1
                report.by_feature[feature][1] += 1
            else:
                report.errors.append({
                    "id": doc.id, "name": gold.name, "km": round(km, 1) if km != float("inf") else None,
                    "gold": [gold.latitude, gold.longitude],
                    "found": {"name": row.get("name"), "feature_type": feature,
                              "country_iso3": row.get("country_iso3"), "admin1": row.get("admin1"),
                              "point": [row.get("latitude"), row.get("longitude")]},
                    "context": sentence_around(doc.text, gold.start, gold.end)})
        for g, gold in enumerate(doc.toponyms):
            if g not in matched_gold:
                report.missed[gold.name] += 1
                report.examples.setdefault("missed:" + gold.name, sentence_around(doc.text, gold.start, gold.end))
        for r, row in enumerate(rows):
            if r not in matched_rows:
                report.spurious[row["text"]] += 1
                report.examples.setdefault("spurious:" + row["text"],
                                           sentence_around(doc.text, row["start"], row["end"]))
    return report


def check_place_floors(report: PlacesReport, floors: dict) -> list[str]:
    """The scores below their floor, as messages."""
    unknown = set(floors) - set(FLOOR_NAMES)
    if unknown:
        raise ValueError(f"unknown toponym floors {sorted(unknown)}; use {', '.join(FLOOR_NAMES)}")
    scores = report.scores()
    return [f"{name} {scores[name]:.3f} < {minimum}" for name, minimum in floors.items()
            if scores[name] is None or scores[name] < minimum]


def places_from_lake(lake: str) -> tuple[dict[str, list[dict]], set[str]]:
    """(external id -> place rows in text order, external ids of the stored articles)."""
    con = connect_lake(lake)
    stored = {row[0] for row in con.execute("SELECT external_id FROM articles").fetchall()}
    cursor = con.execute("SELECT a.external_id, p.* FROM places p JOIN articles a USING (article_id) "
                         "ORDER BY a.external_id, p.start")
    names = [d[0] for d in cursor.description]
    by_doc: dict[str, list[dict]] = {}
    for row in cursor.fetchall():
        record = dict(zip(names, row))
        by_doc.setdefault(record["external_id"], []).append(record)
    return by_doc, stored


def places_from_fresh_run(docs: list[GoldDoc], model: str, workers: int = 1):
    """Run the pipeline over the gold texts (toponyms left out) into a scratch lake and
    read its places."""
    with scratch_lake(docs, model, workers, near_duplicate_threshold=1.0) as (lake, _manifest):
        return places_from_lake(lake)


def score_places(docs: list[GoldDoc], model: str, workers: int, lake: str | None) -> PlacesReport:
    places, stored = places_from_lake(lake) if lake else places_from_fresh_run(docs, model, workers)
    return evaluate_places(docs, places, stored)
