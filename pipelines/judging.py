"""``newsevents eval --judge``: the precision of asserted events, judged by a person.

    header, rows = sample_lake("lake/", size=120, seed=20)   # a judging sheet
    write_sheet("before.jsonl", header, rows)
    ... a person fills the verdicts by the rules of docs/judging.md ...
    report = score_sheet(*read_sheet("before.jsonl"))

A sheet is JSON Lines: a header object (key ``sheet``) and then one object a sampled
event: its identity (event id, article id, external id, trigger offsets into
``articles.text``), the extracted fields, and the verdict fields, empty until judged.
It holds no article text beyond the short spans the event itself stores (trigger,
actor, place and date text): the reviewer reads the article by external id and
offsets, or in the review file written beside the sheet (never committed).

The sample is uniform over the lake's asserted events, and stable: each event is ranked
by a hash of the seed, its article and its trigger offsets, and the N lowest ranks are
taken. Sampling a lake written by another extractor with the same seed therefore draws
again every event that is still there, so a later sheet takes over the verdicts of the
events that did not change (``carry_verdicts``) and only new or changed ones are judged.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import json
import math
import os
from collections import Counter
from pathlib import Path

SHEET_FORMAT = 1
SHEET_KIND = "newsevents judging sheet"

# What a sheet row holds of an event, in this order.
IDENTITY_FIELDS = ("event_id", "article_id", "external_id", "published_at", "sentence_index",
                   "trigger_text", "trigger_start", "trigger_end")
EXTRACTED_FIELDS = (
    "event_type", "event_mode", "acled_event_type", "acled_sub_event_type",
    "actor1_text", "actor1_name", "actor1_country", "actor1_sector",
    "actor2_text", "actor2_name", "actor2_country", "actor2_sector",
    "location_text", "location_name", "country_iso3", "admin1", "geo_precision",
    "event_date", "date_text", "date_precision",
    "fatalities", "injured", "displaced", "detained",
    "modality", "attributed_to", "confidence", "extractor_version")
# Columns a later schema may add; copied when the lake has them.
OPTIONAL_FIELDS = ("report_kind", "event_count")
EVENT_FIELDS = IDENTITY_FIELDS + EXTRACTED_FIELDS
# Fields whose change makes an earlier verdict stale. Not compared: the event id (its
# recipe may change), the sentence index (sentence splitting may change) and what the
# verdicts do not judge (confidence, the extractor's version).
COMPARED_FIELDS = tuple(f for f in EVENT_FIELDS + OPTIONAL_FIELDS
                        if f not in ("event_id", "sentence_index", "confidence", "extractor_version"))

NA = "n.a."
ACTOR_VALUES = ("ok", "partial", "wrong", "missing", NA)
# verdict field -> the values it takes (docs/judging.md defines each).
VERDICTS = {
    "real": ("yes", "no"),
    "specific": ("yes", "generic-habitual", "aggregate", "hypothetical-plan", "negated",
                 "word-sense", "not-an-event"),
    "type_ok": ("yes", "no", NA),
    "acled": ("ok", "wrong", "missing", NA),
    "actor1": ACTOR_VALUES,
    "actor2": ACTOR_VALUES,
    "place": ("ok", "coarse", "wrong", "missing", NA),
    "date": ("ok", "wrong", "published-but-text-gives-date", NA),
    "toll": ("ok", "wrong", "missing", NA),
    "error_class": None,  # ERROR_CLASSES, checked against the other verdicts
    "reason": None,       # free text, one line
}
VERDICT_FIELDS = tuple(VERDICTS)
NOT_SPECIFIC = VERDICTS["specific"][1:]
NOT_REAL = ("hypothetical-plan", "negated", "word-sense", "not-an-event")
# The fields strict precision asks to be right (where the text gives them).
STRICT_FIELDS = ("actor1", "actor2", "place", "date", "toll")
FIELD_ERRORS = {
    ("actor1", "missing"): "actor-missing", ("actor2", "missing"): "actor-missing",
    ("actor1", "partial"): "actor-partial", ("actor2", "partial"): "actor-partial",
    ("actor1", "wrong"): "actor-wrong", ("actor2", "wrong"): "actor-wrong",
    ("place", "missing"): "place-missing", ("place", "coarse"): "place-coarse",
    ("place", "wrong"): "place-wrong",
    ("date", "published-but-text-gives-date"): "date-published", ("date", "wrong"): "date-wrong",
    ("toll", "missing"): "toll-missing", ("toll", "wrong"): "toll-wrong",
}
# In the order the main error of an event is chosen (docs/judging.md): what did not
# happen, then wrong values (they mislead), then what is missing, then what is incomplete.
ERROR_CLASSES = ("none", *NOT_SPECIFIC, "wrong-type", "actor-wrong", "place-wrong", "date-wrong",
                 "toll-wrong", "place-missing", "actor-missing", "toll-missing", "date-published",
                 "actor-partial", "place-coarse")
assert set(ERROR_CLASSES) >= set(FIELD_ERRORS.values())
SHEET_EXTRA_FIELDS = ("carried_from",)
ROW_FIELDS = EVENT_FIELDS + OPTIONAL_FIELDS + VERDICT_FIELDS + SHEET_EXTRA_FIELDS
CONFIDENCE_THRESHOLDS = (0.3, 0.5, 0.7)


class SheetError(ValueError):
    """A sheet that cannot be read or scored; the message names the file and line."""


# -- sampling ------------------------------------------------------------------------
def sample_key(seed: int, event: dict) -> str:
    """The event's rank in the sample of ``seed``: a hash of what identifies the mention
    whatever the extractor's version (article, trigger offsets), the event id last to
    order two events of one trigger."""
    key = f"{seed}|{event['article_id']}|{event['trigger_start']}|{event['trigger_end']}"
    return hashlib.sha256(key.encode("utf-8")).hexdigest() + "|" + str(event["event_id"])


def sample_events(events: list[dict], size: int, seed: int) -> list[dict]:
    """``size`` asserted events drawn uniformly (all of them when there are fewer), in
    article and trigger order: ``sample_events(lake_events("lake/"), 120, seed=20)``."""
    if size < 1:
        raise ValueError("--events must be at least 1")
    # Tallies ("17 attacks in March") are kept as aggregate rows, not single events.
    asserted = [e for e in events if e.get("modality") == "asserted"
                and e.get("report_kind") != "aggregate"]
    chosen = sorted(asserted, key=lambda e: sample_key(seed, e))[:size]
    return sorted(chosen, key=lambda e: (str(e.get("external_id")), e["trigger_start"], e["event_id"]))


def plain(value):
    """A JSON value: dates as ISO strings, confidences to 3 decimals."""
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float):
        return round(value, 3)
    return value


def sheet_row(event: dict) -> dict:
    """A sheet row of an event: its fields and empty verdicts."""
    row = {name: plain(event.get(name)) for name in EVENT_FIELDS}
    row.update({name: plain(event[name]) for name in OPTIONAL_FIELDS if name in event})
    row.update({name: "" for name in VERDICT_FIELDS})
    row["carried_from"] = None
    return row


# -- the lake ------------------------------------------------------------------------
def lake_events(lake: str) -> list[dict]:
    """The lake's asserted events, with their article's external id and publication time."""
    from newsevents.transforms.storage.query import connect_lake

    cursor = connect_lake(lake).execute(
        "SELECT e.* EXCLUDE (published_at, sentence), a.external_id, a.published_at "
        "FROM events e JOIN articles a USING (article_id) WHERE e.modality = 'asserted'")
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row)) for row in cursor.fetchall()]


def lake_figures(lake: str) -> dict:
    """Whole-lake figures: asserted events, per extracted article, shares without a
    country and without actor 1 (``schemas/queries/asserted_events_coverage.sql``)."""
    from newsevents.schemas.lake import canned_queries
    from newsevents.transforms.storage.query import connect_lake

    cursor = connect_lake(lake).execute(canned_queries()["asserted_events_coverage"])
    names = [d[0] for d in cursor.description]
    return dict(zip(names, cursor.fetchone()))


def lake_provenance(lake: str) -> dict:
    """What the lake's runs read and which code wrote them (where a sheet comes from)."""
    from newsevents.transforms.storage.query import connect_lake

    con = connect_lake(lake)
    inputs = con.execute("SELECT DISTINCT unnest(inputs) FROM runs WHERE kind = 'run' "
                         "ORDER BY 1").fetchall()
    versions = con.execute("SELECT DISTINCT code_version FROM runs ORDER BY 1").fetchall()
    return {"inputs": [r[0] for r in inputs], "code_versions": [r[0] for r in versions]}


def sample_lake(lake: str, size: int, seed: int) -> tuple[dict, list[dict]]:
    """(header, rows) of a new sheet: ``size`` asserted events of the lake."""
    events = lake_events(lake)
    if not events:
        raise ValueError(f"the lake {lake} holds no asserted events to sample")
    rows = [sheet_row(e) for e in sample_events(events, size, seed)]
    versions = sorted({e.get("extractor_version") for e in events if e.get("extractor_version")})
    header = {"sheet": SHEET_KIND, "format": SHEET_FORMAT, "seed": seed, "events": len(rows),
              "asserted_events": len(events), **lake_provenance(lake),
              "extractor_versions": versions, "lake_figures": lake_figures(lake),
              "sampled_at": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
              "rules": "docs/judging.md"}
    return header, rows


# -- reading and writing sheets ------------------------------------------------------
def write_sheet(path: str, header: dict, rows: list[dict]) -> None:
    """The sheet, written whole to a temporary file and renamed (never half a sheet)."""
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(target.name + ".partial")
    with partial.open("w", encoding="utf-8") as out:
        out.write(json.dumps(header, ensure_ascii=False) + "\n")
        for row in rows:
            out.write(json.dumps({k: row.get(k) for k in ROW_FIELDS if k in row},
                                 ensure_ascii=False) + "\n")
    os.replace(partial, target)


def read_sheet(path: str) -> tuple[dict, list[dict]]:
    """(header, rows) of a sheet, every verdict checked; a bad line is a SheetError that
    names it (``before.jsonl line 7: place: 'fine' is not one of ok, coarse, ...``)."""
    try:
        lines = Path(path).read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as err:
        raise SheetError(f"cannot read the sheet {path}: {err}") from None
    header, rows, seen = {}, [], set()
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        where = f"{path} line {number}"
        try:
            record = json.loads(line)
        except json.JSONDecodeError as err:
            raise SheetError(f"{where}: not JSON: {err.msg}") from None
        if not isinstance(record, dict):
            raise SheetError(f"{where}: expected a JSON object")
        if "sheet" in record:
            if rows or header:
                raise SheetError(f"{where}: a header line must come first, and only once")
            if record.get("format") != SHEET_FORMAT:
                raise SheetError(f"{where}: sheet format {record.get('format')!r}; this version "
                                 f"reads format {SHEET_FORMAT}")
            header = record
            continue
        check_row(record, where)
        if record["event_id"] in seen:
            raise SheetError(f"{where}: event {record['event_id']} is in the sheet twice")
        seen.add(record["event_id"])
        rows.append(record)
    if not rows:
        raise SheetError(f"{path}: no events in the sheet")
    return header, rows


def is_judged(row: dict) -> bool:
    return any(row.get(name) not in ("", None) for name in VERDICT_FIELDS)


def verdict(row: dict, name: str) -> str:
    """A verdict with an empty field read as n.a. (fields of events not judged further)."""
    value = row.get(name)
    return NA if value in ("", None) else value


def check_row(row: dict, where: str) -> None:
    """A row's fields and verdicts, consistent with each other (docs/judging.md)."""
    unknown = set(row) - set(ROW_FIELDS)
    if unknown:
        raise SheetError(f"{where}: unknown fields {sorted(unknown)} (verdicts are "
                         f"{', '.join(VERDICT_FIELDS)})")
    missing = [n for n in ("event_id", "article_id", "trigger_start", "trigger_end") if row.get(n) is None]
    if missing:
        raise SheetError(f"{where}: no {', '.join(missing)}")
    for name, values in VERDICTS.items():
        value = row.get(name, "")
        if value is None:
            continue
        if not isinstance(value, str):
            raise SheetError(f"{where}: {name}: expected a string, got {value!r}")
        if values and value and value not in values:
            raise SheetError(f"{where}: {name}: {value!r} is not one of {', '.join(values)}")
    if not is_judged(row):
        return
    for name in ("real", "specific", "error_class"):
        if not row.get(name):
            raise SheetError(f"{where}: judged in part: {name} is empty")
    if "\n" in (row.get("reason") or ""):
        raise SheetError(f"{where}: reason: one line, please")
    specific = row["specific"]
    if specific == "yes" and row["real"] != "yes":
        raise SheetError(f"{where}: a specific event is real (real: yes)")
    if specific in NOT_REAL and row["real"] != "no":
        raise SheetError(f"{where}: specific {specific!r} means it did not happen (real: no)")
    if specific == "yes":
        empty = [n for n in ("type_ok", "acled", *STRICT_FIELDS) if not row.get(n)]
        if empty:
            raise SheetError(f"{where}: a real, specific event has every field judged; "
                             f"empty: {', '.join(empty)}")
        if row["type_ok"] == NA:
            raise SheetError(f"{where}: type_ok of a real, specific event is yes or no")
    else:
        judged = [n for n in ("acled", *STRICT_FIELDS) if verdict(row, n) != NA]
        if judged:
            raise SheetError(f"{where}: fields are judged only on real, specific events; "
                             f"set {', '.join(judged)} to n.a.")
        if row["real"] == "no" and verdict(row, "type_ok") != NA:
            raise SheetError(f"{where}: type_ok is n.a. when nothing happened")
    errors = row_errors(row)
    error_class = row["error_class"]
    if error_class not in ERROR_CLASSES:
        raise SheetError(f"{where}: error_class: {error_class!r} is not one of "
                         f"{', '.join(ERROR_CLASSES)}")
    if errors and error_class not in errors:
        raise SheetError(f"{where}: error_class {error_class!r} is not among this event's "
                         f"errors ({', '.join(errors)})")
    if not errors and error_class != "none":
        raise SheetError(f"{where}: error_class {error_class!r}, but every verdict is right "
                         "(error_class: none)")


def row_errors(row: dict) -> list[str]:
    """The error classes a judged row shows, in the order of ERROR_CLASSES."""
    if row["specific"] != "yes":
        return [row["specific"]]
    errors = ["wrong-type"] if row["type_ok"] == "no" else []
    errors += [FIELD_ERRORS[(n, row[n])] for n in STRICT_FIELDS if (n, row[n]) in FIELD_ERRORS]
    return sorted(set(errors), key=ERROR_CLASSES.index)


def lenient_right(row: dict) -> bool:
    """A real, specific event of the right PLOVER type."""
    return row["real"] == "yes" and row["specific"] == "yes" and row["type_ok"] == "yes"


def strict_right(row: dict, accept=()) -> bool:
    """Also every field the text gives found and right (``accept``: verdicts forgiven,
    such as partial actors)."""
    return lenient_right(row) and all(row[n] in ("ok", NA, *accept) for n in STRICT_FIELDS)


# -- carrying verdicts over ------------------------------------------------------------
def mention_key(row: dict) -> tuple:
    return (row["article_id"], row["trigger_start"], row["trigger_end"])


def changed_fields(new: dict, old: dict) -> list[str]:
    return [name for name in COMPARED_FIELDS if plain(new.get(name)) != plain(old.get(name))]


def carry_verdicts(rows: list[dict], earlier: list[dict], source: str) -> tuple[list[dict], dict]:
    """Rows with the verdicts of an earlier sheet's unchanged events (same article,
    same trigger offsets, same fields), marked ``carried_from``; rows already judged
    keep their own verdicts. Returns (rows, counts)."""
    judged_before: dict[tuple, list[dict]] = {}
    for old in earlier:
        if is_judged(old):
            judged_before.setdefault(mention_key(old), []).append(old)
    counts = Counter()
    result = []
    for row in rows:
        row = dict(row)
        if is_judged(row):
            counts["already_judged"] += 1
        else:
            same = [old for old in judged_before.get(mention_key(row), [])
                    if not changed_fields(row, old)]
            if same:
                row.update({name: same[0][name] for name in VERDICT_FIELDS if name in same[0]})
                row["carried_from"] = source
                counts["carried"] += 1
            elif judged_before.get(mention_key(row)):
                counts["changed"] += 1
            else:
                counts["new"] += 1
        result.append(row)
    return result, {k: counts[k] for k in ("carried", "changed", "new", "already_judged")}


# -- scoring ---------------------------------------------------------------------------
def share(count: int, total: int) -> dict:
    """A share with its 95% Wilson interval (small samples: 120 events give +-8 points)."""
    if not total:
        return {"count": count, "of": total, "share": None, "low": None, "high": None}
    z, p = 1.959964, count / total
    centre = (p + z * z / (2 * total)) / (1 + z * z / total)
    half = z * math.sqrt(p * (1 - p) / total + z * z / (4 * total * total)) / (1 + z * z / total)
    return {"count": count, "of": total, "share": round(p, 4), "low": round(max(0.0, centre - half), 4),
            "high": round(min(1.0, centre + half), 4)}


def score_sheet(header: dict, rows: list[dict], lake_figures_now: dict | None = None) -> dict:
    """The scores of a judged sheet (rows not yet judged are counted, not scored)."""
    from newsevents.pipelines.evaluate import ranking_auc

    judged = [r for r in rows if is_judged(r)]
    n = len(judged)
    real_specific = [r for r in judged if r["specific"] == "yes"]
    fields = {}
    for name in ("type_ok", "acled", *STRICT_FIELDS):
        pool = real_specific if name != "type_ok" else [r for r in judged if r["real"] == "yes"]
        values = Counter(verdict(r, name) for r in pool)
        scored = sum(c for v, c in values.items() if v != NA)
        right = values.get("ok", 0) + values.get("yes", 0)
        fields[name] = dict(share(right, scored), values=dict(values.most_common()))
    ranked = [(float(r["confidence"]), lenient_right(r)) for r in judged if r.get("confidence") is not None]
    right_conf = [c for c, ok in ranked if ok]
    wrong_conf = [c for c, ok in ranked if not ok]
    thresholds = []
    for threshold in CONFIDENCE_THRESHOLDS:
        kept = [ok for c, ok in ranked if c >= threshold]
        thresholds.append({"threshold": threshold, "kept": share(len(kept), len(ranked)),
                           "lenient_precision_kept": share(sum(kept), len(kept))})
    every_error = Counter(e for r in judged for e in row_errors(r))
    return {
        "sheet": {k: header.get(k) for k in ("seed", "events", "asserted_events", "inputs",
                                             "code_versions", "extractor_versions", "sampled_at")},
        "events": len(rows), "judged": n,
        "carried": sum(1 for r in judged if r.get("carried_from")),
        "lenient_precision": share(sum(map(lenient_right, judged)), n),
        "strict_precision": share(sum(strict_right(r) for r in judged), n),
        "strict_precision_partial_accepted": share(
            sum(strict_right(r, accept=("partial", "coarse")) for r in judged), n),
        "not_specific": share(sum(r["specific"] != "yes" for r in judged), n),
        "not_specific_kinds": dict(Counter(r["specific"] for r in judged
                                           if r["specific"] != "yes").most_common()),
        "real_wrong_type": share(sum(r["specific"] == "yes" and r["type_ok"] == "no" for r in judged), n),
        "fields": fields,
        # These two need no verdict: over every sampled event.
        "without_country": share(sum(r.get("country_iso3") is None for r in rows), len(rows)),
        "without_actor1": share(sum(not (r.get("actor1_text") or r.get("actor1_name")) for r in rows),
                                len(rows)),
        "without_actor1_text_names_one": share(sum(r["actor1"] == "missing" for r in judged), n),
        "confidence": {"auc_lenient": None if ranking_auc(ranked) is None else round(ranking_auc(ranked), 4),
                       "mean_right": round(sum(right_conf) / len(right_conf), 4) if right_conf else None,
                       "mean_wrong": round(sum(wrong_conf) / len(wrong_conf), 4) if wrong_conf else None,
                       "thresholds": thresholds},
        "error_classes": dict(Counter(r["error_class"] for r in judged).most_common()),
        "errors_any": dict(every_error.most_common()),
        "lake_figures": header.get("lake_figures"),
        "lake_figures_now": lake_figures_now,
    }
