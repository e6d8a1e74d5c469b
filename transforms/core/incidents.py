"""Incidents: event mentions from many sentences, articles, outlets and runs that
describe one real-world event. Pure functions; the Beam stage is ``link_incidents``.

    link_mentions(mentions, known)   -> each mention's incident id, clusters
    reports_of(mentions)             -> one report per (incident, article)
    summarize(incident_id, reports)  -> the incident's row with its best estimates

A mention can join an incident when (the rules, in ``compatible``):
- the PLOVER type and the country are the same (the blocking key), and the ACLED event
  types do not differ (a "Suicide bomb" and a "Remote explosive" report of one blast
  agree; an "Armed clash" and a "Suicide bomb" the same day in one city do not);
- the dates overlap, each widened to what its precision allows (a "week" is seven
  days, a date that is only the publication date covers the two days before it) plus
  one day of slack for time zones and late reporting;
- the places agree: within ``SAME_PLACE_KM`` when both are towns, in the same admin1
  region when one is a region, anywhere in the country when one names only the country;
  a mention with no place joins only an incident with the same named attacker;
- named actors do not conflict (a missing name, or an unidentified group, agrees with
  any).
Among compatible incidents the closest in time, then the same sub-event type, then the
closest in space wins. A mention whose sentence names no place is linked at the place
its article names most (``article_place``). Incidents never
merge after the fact, so an ``incident_id`` never changes once given.

An incident keeps its reports (one per article, copies included) and every estimate is
derived from them, so a later run only adds reports: counts and estimates update and
the id stays. The magnitude rule: each report's figure is the largest stated in that
article for the incident; the incident's figure is the lowest among the reports
published within ``LATEST_REPORTS_HOURS`` of the newest report that states one (later
reports supersede earlier tolls; among concurrent, conflicting reports the most
conservative wins, as ACLED codes), and ``*_min`` / ``*_max`` keep the range reported.
"""
from __future__ import annotations

import datetime as dt
import hashlib
from collections import Counter
from urllib.parse import urlsplit

from newsevents.transforms.extraction.gazetteer import haversine_km

SAME_PLACE_KM = 10.0
REGION_KM = 75.0
DATE_SLACK_DAYS = 1
LATEST_REPORTS_HOURS = 6
MAGNITUDES = ("fatalities", "injured", "displaced", "detained")
# Finest first: a date of finer precision is the better estimate.
DATE_PRECISIONS = ("day", "week", "published", "month", "year")
GENERIC_ACTORS = {"unidentified armed group", "unidentified gunmen", "unknown"}

REPORT_FIELDS = (
    "event_mode", "acled_event_type", "acled_sub_event_type", "cameo_root", "quad_class",
    "actor1_name", "actor1_country", "actor1_sector", "actor2_name", "actor2_country",
    "actor2_sector", "actor1_group", "actor2_group", "inter1", "inter2", "interaction", "location_name", "geonameid", "country_iso3", "admin1", "latitude",
    "longitude", "geo_precision", "event_date", "date_precision")


def as_date(value) -> dt.date | None:
    if value is None or isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value
    if isinstance(value, dt.datetime):
        return value.date()
    return dt.date.fromisoformat(str(value)[:10])


def date_interval(day, precision: str | None) -> tuple[dt.date, dt.date] | None:
    """The days a date of this precision may mean."""
    day = as_date(day)
    if day is None:
        return None
    if precision == "week":
        return day, day + dt.timedelta(days=6)
    if precision == "month":
        first = day.replace(day=1)
        following = (first + dt.timedelta(days=32)).replace(day=1)
        return first, following - dt.timedelta(days=1)
    if precision == "year":
        return day.replace(month=1, day=1), day.replace(month=12, day=31)
    if precision == "published":
        return day - dt.timedelta(days=2), day
    return day, day


def date_gap(a: dict, b: dict) -> int | None:
    """Days between two mentions' date intervals (0 when they overlap); None if undated."""
    first, second = date_interval(a.get("event_date"), a.get("date_precision")), \
        date_interval(b.get("event_date"), b.get("date_precision"))
    if first is None or second is None:
        return None
    if first[1] < second[0]:
        return (second[0] - first[1]).days
    if second[1] < first[0]:
        return (first[0] - second[1]).days
    return 0


def place_distance(a: dict, b: dict) -> float | None:
    """Kilometres between two mentions' places when they can be the same place, else None."""
    if a.get("country_iso3") is None or b.get("country_iso3") is None:
        return None
    level_a, level_b = a.get("geo_precision") or 3, b.get("geo_precision") or 3
    if a.get("geonameid") is not None and a.get("geonameid") == b.get("geonameid"):
        return 0.0
    has_points = None not in (a.get("latitude"), a.get("longitude"), b.get("latitude"), b.get("longitude"))
    km = haversine_km(a["latitude"], a["longitude"], b["latitude"], b["longitude"]) if has_points else None
    if max(level_a, level_b) >= 3:
        return km if km is not None else 0.0  # country level: anywhere in the country
    if level_a == 1 and level_b == 1:
        return km if km is not None and km <= SAME_PLACE_KM else None
    # one or both only a region
    if a.get("admin1") and b.get("admin1"):
        return (km or 0.0) if a["admin1"] == b["admin1"] else None
    return km if km is not None and km <= REGION_KM else None


def named(actor: str | None) -> str | None:
    return None if actor is None or actor.lower() in GENERIC_ACTORS else actor


def actors_agree(a: dict, b: dict) -> bool:
    for role in ("actor1_name", "actor2_name"):
        first, second = named(a.get(role)), named(b.get(role))
        if first and second and first != second:
            return False
    return True


def compatible(mention: dict, incident: dict) -> tuple | None:
    """A sort key (closer is smaller) when the mention can belong to the incident."""
    if mention.get("event_type") != incident.get("event_type"):
        return None
    kind_a, kind_b = mention.get("acled_event_type"), incident.get("acled_event_type")
    if kind_a and kind_b and kind_a != kind_b:
        return None
    sub_a, sub_b = mention.get("acled_sub_event_type"), incident.get("acled_sub_event_type")
    other_kind = int(bool(sub_a and sub_b and sub_a != sub_b))
    gap = date_gap(mention, incident)
    if gap is None or gap > DATE_SLACK_DAYS:
        return None
    if not actors_agree(mention, incident):
        return None
    if mention.get("country_iso3") is None or incident.get("country_iso3") is None:
        # Unplaced: only the same named attacker on the same dates ties it to an incident.
        attacker = named(mention.get("actor1_name"))
        if not attacker or attacker != named(incident.get("actor1_name")) \
                or mention.get("country_iso3") != incident.get("country_iso3"):
            return None
        return gap, other_kind, 0.0
    km = place_distance(mention, incident)
    if km is None:
        return None
    return gap, other_kind, km


def incident_day(mention: dict) -> str:
    """The partition day of a new incident: its first mention's date."""
    day = as_date(mention.get("event_date")) or as_date(mention.get("published_at"))
    return day.isoformat()


def new_incident_id(mention: dict) -> str:
    """``inc-YYYYMMDD-<12 hex>``: the day names the incident's partition for good."""
    digest = hashlib.sha1(mention["event_id"].encode("utf-8")).hexdigest()[:12]
    return f"inc-{incident_day(mention).replace('-', '')}-{digest}"


def incident_partition(incident_id: str) -> str:
    day = incident_id.split("-")[1]
    return f"{day[:4]}-{day[4:6]}-{day[6:]}"


def precision_rank(precision: str | None) -> int:
    return DATE_PRECISIONS.index(precision) if precision in DATE_PRECISIONS else len(DATE_PRECISIONS)


def refine(incident: dict, mention: dict) -> None:
    """Sharpen a cluster's matching fields with a more precise mention (in place)."""
    if precision_rank(mention.get("date_precision")) < precision_rank(incident.get("date_precision")):
        incident["event_date"], incident["date_precision"] = mention.get("event_date"), mention.get("date_precision")
    if (mention.get("geo_precision") or 9) < (incident.get("geo_precision") or 9):
        for name in ("location_name", "geonameid", "admin1", "latitude", "longitude", "geo_precision"):
            incident[name] = mention.get(name)
    for name in ("actor1_name", "actor2_name", "acled_event_type", "acled_sub_event_type"):
        if not named(incident.get(name)) and named(mention.get(name)):
            incident[name] = mention[name]


PLACE_FIELDS = ("location_name", "geonameid", "country_iso3", "admin1", "latitude",
                "longitude", "geo_precision")
FEATURE_PRECISION = {"city": 1, "admin1": 2, "region": 2, "country": 3}


def article_place(events: list[dict], places: list[dict]) -> dict | None:
    """The place an article is about: the one its located events name most (ties: the
    first), else the most mentioned of its geoparsed places, towns before regions."""
    located = [e for e in events if e.get("country_iso3")]
    if located:
        best = most_common(located, lambda e: e.get("geonameid") or e.get("location_name"))
        return {name: best.get(name) for name in PLACE_FIELDS}
    known = [p for p in places if p.get("country_iso3")]
    if not known:
        return None
    finest = min(FEATURE_PRECISION.get(p.get("feature_type"), 2) for p in known)
    best = most_common([p for p in known if FEATURE_PRECISION.get(p.get("feature_type"), 2) == finest],
                       lambda p: p.get("geonameid") or p.get("name"))
    return {"location_name": best.get("name"), "geonameid": best.get("geonameid"),
            "country_iso3": best["country_iso3"], "admin1": best.get("admin1"),
            "latitude": best.get("latitude"), "longitude": best.get("longitude"),
            "geo_precision": finest}


def linking_view(event: dict, place: dict | None) -> dict:
    """What the linker compares: the mention, placed at its article's place when its
    own sentence names none."""
    if event.get("country_iso3") or place is None:
        return event
    return dict(event, **place)


def mention_order(mention: dict):
    return (str(mention.get("published_at")), mention.get("article_id") or "",
            mention.get("sentence_index") or 0, mention.get("event_id") or "")


class ClusterDays:
    """Clusters by the days their dates may mean, so a mention is compared only with the
    clusters near its date: linking stays linear in the mentions of a block. Dates
    wider than a month (month or year precision) are compared with every mention."""

    WIDE_DAYS = 31

    def __init__(self):
        self.by_day: dict[int, list[int]] = {}
        self.wide: list[int] = []

    def add(self, position: int, cluster: dict) -> None:
        interval = date_interval(cluster.get("event_date"), cluster.get("date_precision"))
        if interval is None or (interval[1] - interval[0]).days > self.WIDE_DAYS:
            self.wide.append(position)
            return
        first, last = interval[0].toordinal(), interval[1].toordinal()
        for day in range(first - DATE_SLACK_DAYS, last + DATE_SLACK_DAYS + 1):
            self.by_day.setdefault(day, []).append(position)

    def near(self, mention: dict) -> list[int]:
        interval = date_interval(mention.get("event_date"), mention.get("date_precision"))
        if interval is None:
            return []
        found = set(self.wide)
        for day in range(interval[0].toordinal(), interval[1].toordinal() + 1):
            found.update(self.by_day.get(day, ()))
        return sorted(found)


def link_mentions(mentions: list[dict], known: list[dict]) -> tuple[dict[str, str], list[dict]]:
    """Event id -> incident id for mentions of one block (same type and country),
    against the block's known incidents; also the clusters (known and new).

    Mentions are taken in publication order, so the same input links the same way."""
    clusters = [dict(incident, _new=False) for incident in known]
    days = ClusterDays()
    for position, cluster in enumerate(clusters):
        days.add(position, cluster)
    assigned = {}
    for mention in sorted(mentions, key=mention_order):
        scored = [(key, n) for n in days.near(mention)
                  if (key := compatible(mention, clusters[n])) is not None]
        if scored:
            _, best = min(scored)
        else:
            incident = {name: mention.get(name) for name in REPORT_FIELDS}
            incident.update(event_type=mention["event_type"], incident_id=new_incident_id(mention),
                            _new=True)
            clusters.append(incident)
            best = len(clusters) - 1
        before = (clusters[best].get("event_date"), clusters[best].get("date_precision"))
        refine(clusters[best], mention)
        if not scored or before != (clusters[best].get("event_date"),
                                                     clusters[best].get("date_precision")):
            days.add(best, clusters[best])  # new, or its date sharpened
        assigned[mention["event_id"]] = clusters[best]["incident_id"]
    return assigned, clusters


def source_key(report: dict) -> str:
    """Who reported it: the source, else the URL's host, else the article itself."""
    if report.get("source"):
        return report["source"].strip().lower()
    if report.get("url"):
        host = urlsplit(report["url"]).netloc.lower()
        if host:
            return host.removeprefix("www.")
    return "article:" + report["article_id"]


def reports_of(mentions: list[dict], run_id: str) -> list[tuple[str, dict]]:
    """(incident id, report) for each article among linked mentions: fields from its
    first mention (gaps filled by later ones), magnitudes the largest it states."""
    grouped: dict[tuple[str, str], list[dict]] = {}
    for mention in sorted(mentions, key=mention_order):
        grouped.setdefault((mention["incident_id"], mention["article_id"]), []).append(mention)
    out = []
    for (incident_id, article_id), group in grouped.items():
        report = {"article_id": article_id, "source": group[0].get("source"),
                  "url": group[0].get("url"), "published_at": group[0].get("published_at"),
                  "mentions": len(group), "copy_of": None, "run_id": run_id}
        for name in REPORT_FIELDS:
            report[name] = next((m.get(name) for m in group if m.get(name) is not None), None)
        for name in MAGNITUDES:
            values = [m[name] for m in group if m.get(name) is not None]
            report[name] = max(values) if values else None
        out.append((incident_id, report))
    return out


def copy_report(original: dict | None, copy: dict, run_id: str) -> dict:
    """A duplicate article's report: what its original says, from its own source."""
    report = dict(original or {}, article_id=copy["article_id"], source=copy.get("source"),
                  url=copy.get("url"), published_at=copy.get("published_at"), mentions=0,
                  copy_of=copy["duplicate_of"], run_id=run_id)
    for name in REPORT_FIELDS + MAGNITUDES:
        report.setdefault(name, None)
    return report


def merge_reports(reports: list[dict], new: list[dict]) -> list[dict]:
    """Reports by article: a report of the same article from the same run adds its
    mentions (two blocks of one run); from another run (reprocessing) it replaces."""
    merged = {r["article_id"]: dict(r) for r in reports}
    for report in new:
        old = merged.get(report["article_id"])
        if old is None or old.get("run_id") != report.get("run_id"):
            merged[report["article_id"]] = dict(report)
            continue
        old["mentions"] = (old.get("mentions") or 0) + (report.get("mentions") or 0)
        for name in REPORT_FIELDS:
            if old.get(name) is None:
                old[name] = report.get(name)
        for name in MAGNITUDES:
            values = [v for v in (old.get(name), report.get(name)) if v is not None]
            old[name] = max(values) if values else None
    return sorted(merged.values(), key=lambda r: (str(r.get("published_at")), r["article_id"]))


def most_common(reports: list[dict], key) -> dict | None:
    """The report carrying the most frequent value of ``key`` (ties: earliest report)."""
    values = [key(r) for r in reports]
    counts = Counter(v for v in values if v is not None)
    if not counts:
        return None
    top = max(counts.values())
    return next(r for r, v in zip(reports, values) if v is not None and counts[v] == top)


def best_figure(reports: list[dict], name: str) -> int | None:
    stated = [r for r in reports if r.get(name) is not None and r.get("published_at") is not None]
    if not stated:
        return None
    newest = max(r["published_at"] for r in stated)
    recent = [r[name] for r in stated
              if newest - r["published_at"] <= dt.timedelta(hours=LATEST_REPORTS_HOURS)]
    return min(recent)


def summarize(incident_id: str, event_type: str, reports: list[dict], created_run_id: str,
              run_id: str) -> dict:
    """The incident row: best estimates and counts, all derived from its reports."""
    reports = sorted(reports, key=lambda r: (str(r.get("published_at")), r["article_id"]))
    row = {"incident_id": incident_id, "event_type": event_type}
    kind = most_common(reports, lambda r: r.get("acled_sub_event_type")) or \
        most_common(reports, lambda r: r.get("event_mode")) or reports[0]
    for name in ("event_mode", "acled_event_type", "acled_sub_event_type", "cameo_root", "quad_class",
                 "inter1", "inter2", "interaction"):
        row[name] = kind.get(name)
    finest = min((precision_rank(r.get("date_precision")) for r in reports if r.get("event_date")),
                 default=None)
    dated = [r for r in reports if r.get("event_date") and precision_rank(r.get("date_precision")) == finest]
    when = most_common(dated, lambda r: as_date(r["event_date"])) if dated else None
    row["event_date"] = as_date(when["event_date"]) if when else None
    row["date_precision"] = when.get("date_precision") if when else None
    placed = [r for r in reports if r.get("country_iso3")]
    sharpest = min((r.get("geo_precision") or 3 for r in placed), default=None)
    where = most_common([r for r in placed if (r.get("geo_precision") or 3) == sharpest],
                        lambda r: r.get("geonameid") or r.get("location_name")) if placed else None
    for name in ("location_name", "geonameid", "country_iso3", "admin1", "latitude", "longitude", "geo_precision"):
        row[name] = where.get(name) if where else None
    for role in ("actor1", "actor2"):
        who = most_common(reports, lambda r, role=role: named(r.get(f"{role}_name")))
        who = who or most_common(reports, lambda r, role=role: r.get(f"{role}_name"))
        for suffix in ("name", "country", "sector", "group"):
            row[f"{role}_{suffix}"] = who.get(f"{role}_{suffix}") if who else None
    for name in MAGNITUDES:
        values = [r[name] for r in reports if r.get(name) is not None]
        row[name] = best_figure(reports, name)
        row[f"{name}_min"] = min(values) if values else None
        row[f"{name}_max"] = max(values) if values else None
    seen = [r["published_at"] for r in reports if r.get("published_at") is not None]
    row.update(
        num_mentions=sum(r.get("mentions") or 0 for r in reports),
        num_articles=len({r["article_id"] for r in reports}),
        num_sources=len({source_key(r) for r in reports}),
        first_seen=min(seen) if seen else None, last_seen=max(seen) if seen else None,
        reports=reports, created_run_id=created_run_id, run_id=run_id)
    return row
