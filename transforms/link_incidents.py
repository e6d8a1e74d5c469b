"""LinkIncidents: each asserted event mention joined to a real-world incident.

    events (this run)          -> blocked by (event_type, country) -> linked against the
                                  block's incidents already in the lake and each other
    duplicates (this run)      -> their original's incidents gain a report from their source
    touched incidents by day   -> each incidents/dt=DAY partition rewritten whole, its old
                                  files listed as replaced (committed with the run)

Returns {"events": events with ``incident_id``, "files": staged incident files (what
``stage_parquet`` recorded of each), "replaced": files they supersede, "created": ids
of new incidents, "updated": ids of incidents that existed}. The rules are in
``newsevents.transforms.core.incidents``.
"""
from __future__ import annotations

import datetime as dt
from collections import defaultdict

import apache_beam as beam
import duckdb
import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
from apache_beam.metrics import Metrics

from newsevents.schemas.tables import INCIDENTS, REPORT, to_arrow_table
from newsevents.transforms.core import incidents as inc
from newsevents.transforms.storage.commit import part_number
from newsevents.transforms.storage.lake_files import (
    TABLE_FILE, read_parquet_columns, stage_parquet, staged_path, write_parquet)
from newsevents.transforms.routing import RouteByTag

INDEX_COLUMNS = ["incident_id", "event_type", "country_iso3", "acled_sub_event_type",
                 "event_date", "date_precision", "location_name", "geonameid", "admin1",
                 "latitude", "longitude", "geo_precision", "actor1_name", "actor2_name"]
REPORT_NAMES = [field.name for field in REPORT]


def is_linkable(event: dict) -> bool:
    """Only asserted, typed mentions of one event are evidence that an incident
    happened (a tally of many, "17 attacks in March", is kept but links to none)."""
    return (event.get("modality") == "asserted" and bool(event.get("event_type"))
            and event.get("report_kind") != "aggregate")


def block_key(event: dict) -> tuple[str, str]:
    return event["event_type"], event.get("country_iso3") or ""


def file_day(path: str) -> str:
    return TABLE_FILE.search(path).group("day")


class IncidentIndex:
    """The lake's incidents, only their matching columns, grouped by block."""

    def __init__(self, table: pa.Table):
        self.table = table
        self.blocks: dict[tuple[str, str], np.ndarray] = {}
        if len(table):
            types = table.column("event_type").to_pylist()
            countries = table.column("country_iso3").to_pylist()
            grouped = defaultdict(list)
            for row, key in enumerate(zip(types, countries)):
                grouped[(key[0], key[1] or "")].append(row)
            self.blocks = {key: np.array(rows, dtype=np.uint32) for key, rows in grouped.items()}

    @classmethod
    def from_files(cls, paths: list[str]) -> "IncidentIndex":
        tables = [read_parquet_columns(path, INDEX_COLUMNS) for path in paths]
        return cls(pa.concat_tables(tables) if tables else pa.table(
            {name: pa.array([], INCIDENTS.field(name).type) for name in INDEX_COLUMNS}))

    def __len__(self) -> int:
        return len(self.table)

    def candidates(self, block: tuple[str, str], first: str, last: str) -> list[dict]:
        """The block's incidents dated near [first, last] (ISO days)."""
        rows = self.blocks.get(block)
        if rows is None:
            return []
        found = self.table.take(rows)
        dates = found.column("event_date")
        lo = pa.scalar(inc.as_date(first) - dt.timedelta(days=400), pa.date32())
        hi = pa.scalar(inc.as_date(last) + dt.timedelta(days=400), pa.date32())
        # A generous prefilter; ``compatible`` decides.
        keep = pc.or_(pc.is_null(dates), pc.and_(pc.greater_equal(dates, lo), pc.less_equal(dates, hi)))
        return found.filter(keep).to_pylist()


def place_mentions(keyed):
    """One article's events and places -> its linkable events as linking views, each
    carrying the event row it came from."""
    _, grouped = keyed
    events, places = list(grouped["events"]), list(grouped["places"])
    place = inc.article_place(events, places)
    for event in events:
        yield dict(inc.linking_view(event, place), _event=event)


class LinkBlockFn(beam.DoFn):
    """The mentions of one (type, country) block -> events with ids, and reports."""

    def __init__(self, incident_files: list[str], run_id: str):
        self.incident_files = list(incident_files)
        self.run_id = run_id
        self.index = None
        self.linked = Metrics.counter("incidents", "linked_mentions")

    def setup(self):
        self.index = IncidentIndex.from_files(self.incident_files)

    def process(self, keyed):
        block, mentions = keyed
        mentions = list(mentions)
        days = [str(inc.as_date(m.get("event_date") or m.get("published_at"))) for m in mentions]
        known = self.index.candidates(block, min(days), max(days))
        assigned, clusters = inc.link_mentions(mentions, known)
        types = {c["incident_id"]: c["event_type"] for c in clusters}
        linked = []
        for mention in mentions:
            incident_id = assigned[mention["event_id"]]
            self.linked.inc()
            linked.append(dict(mention, incident_id=incident_id))
            yield "events", dict(mention["_event"], incident_id=incident_id)
        for incident_id, report in inc.reports_of(linked, self.run_id):
            yield "reports", (inc.incident_partition(incident_id),
                              (incident_id, types[incident_id], clean_report(report)))


def clean_report(report: dict) -> dict:
    return {name: report.get(name) for name in REPORT_NAMES}


def copy_refs(keyed):
    """For one original article: ("run", ref) per incident of its copies found in this
    run, or ("stored", copy) for copies of an article stored by an earlier run."""
    _, grouped = keyed
    copies, incidents, kept = grouped["copies"], list(grouped["incidents"]), list(grouped["kept"])
    for copy in copies:
        if kept:
            for incident_id, event_type in sorted(set(incidents)):
                yield "run", (inc.incident_partition(incident_id),
                              (incident_id, event_type, {"copy": copy_summary(copy)}))
        else:
            yield "stored", copy_summary(copy)


def copy_summary(copy: dict) -> dict:
    return {"article_id": copy["article_id"], "source": copy.get("source"), "url": copy.get("url"),
            "published_at": copy.get("published_at"), "duplicate_of": copy["duplicate_of"]}


class StoredCopyRefsFn(beam.DoFn):
    """Copies of articles stored earlier -> refs to the incidents of those articles,
    looked up in the lake's events files."""

    def __init__(self, events_files: list[str]):
        self.events_files = list(events_files)

    def process(self, copies: list[dict]):
        if not copies:
            return
        wanted = {c["duplicate_of"] for c in copies}
        incidents = defaultdict(set)
        for path in self.events_files:
            table = read_parquet_columns(path, ["article_id", "incident_id", "event_type"])
            table = table.filter(pc.and_(pc.is_in(table.column("article_id"), pa.array(sorted(wanted))),
                                         pc.is_valid(table.column("incident_id"))))
            for row in table.to_pylist():
                incidents[row["article_id"]].add((row["incident_id"], row["event_type"]))
        for copy in copies:
            for incident_id, event_type in sorted(incidents.get(copy["duplicate_of"], ())):
                yield (inc.incident_partition(incident_id), (incident_id, event_type, {"copy": copy}))


def files_reporting(files: list[str], article_ids: set[str]) -> list[str]:
    """The incidents files with a report of one of these articles."""
    if not files or not article_ids:
        return []
    con = duckdb.connect()
    con.execute("create table ids as select unnest(?) as article_id", [sorted(article_ids)])
    found = con.execute(
        "select distinct filename from (select filename, unnest(reports).article_id as article_id "
        "from read_parquet(?, filename = true)) where article_id in (select article_id from ids)",
        [files]).fetchall()
    return sorted(f for (f,) in found)


def strip_reports(lake: str, run_id: str, files: list[str], article_ids: set[str],
                  part: int) -> tuple[list[str], list[str], dict[str, str]]:
    """The reports of these articles taken out of every incident: each incidents file
    holding one is staged again under ``run_id`` without them (an incident left with
    no report is dropped; the others summarized anew).

    Reprocessing (and a repair) link those articles again from scratch: an article
    that then joins another incident is counted there only, and reprocessing the whole
    lake gives the incidents of a plain run. Returns (staged files, the files they
    replace, incident id -> created_run_id of every incident touched).
    """
    staged, replaced, created = [], [], {}
    for n, path in enumerate(files_reporting(files, article_ids)):
        rows = []
        for row in read_parquet_columns(path, INCIDENTS.names).to_pylist():
            reports = [r for r in row["reports"] or [] if r["article_id"] not in article_ids]
            if len(reports) == len(row["reports"] or []):
                rows.append(row)
                continue
            created[row["incident_id"]] = row["created_run_id"]
            if reports:
                rows.append(inc.summarize(row["incident_id"], row["event_type"], reports,
                                          created_run_id=row["created_run_id"], run_id=run_id))
        replaced.append(path)
        if rows:
            target = staged_path(lake, run_id, "incidents", file_day(path), part + n)
            write_parquet(target, to_arrow_table("incidents", rows))
            staged.append(target)
    return staged, replaced, created


class RewritePartitionFn(beam.DoFn):
    """One incidents partition: its stored rows plus this run's reports, written whole."""

    def __init__(self, lake: str, run_id: str, files_by_day: dict[str, list[str]], part: int,
                 created_before: dict[str, str] | None = None):
        self.lake = lake
        self.run_id = run_id
        self.files_by_day = {day: list(paths) for day, paths in files_by_day.items()}
        self.part = part
        # Incidents that strip_reports emptied keep the run that first created them.
        self.created_before = dict(created_before or {})

    def process(self, keyed):
        day, items = keyed
        old_files = self.files_by_day.get(day, [])
        rows = {}
        for path in old_files:
            for row in read_parquet_columns(path, INCIDENTS.names).to_pylist():
                rows[row["incident_id"]] = row
        reports, copies, types = defaultdict(list), defaultdict(list), {}
        for incident_id, event_type, item in sorted(items, key=lambda i: (i[0], str(i[2]))):
            types[incident_id] = event_type
            (copies if "copy" in item else reports)[incident_id].append(item.get("copy", item))
        touched = sorted(set(reports) | set(copies))
        for incident_id in touched:
            old = rows.get(incident_id)
            merged = inc.merge_reports(old["reports"] if old else [], reports[incident_id])
            by_article = {r["article_id"]: r for r in merged}
            extra = [clean_report(inc.copy_report(by_article.get(c["duplicate_of"]), c, self.run_id))
                     for c in copies[incident_id]]
            merged = inc.merge_reports(merged, extra)
            rows[incident_id] = inc.summarize(
                incident_id, old["event_type"] if old else types[incident_id], merged,
                created_run_id=old["created_run_id"] if old else self.created_before.get(
                    incident_id, self.run_id), run_id=self.run_id)
            yield ("updated" if old else "created"), incident_id
        path = staged_path(self.lake, self.run_id, "incidents", day, self.part)
        yield "files", stage_parquet(path, to_arrow_table("incidents", [rows[i] for i in sorted(rows)]))
        for old in old_files:
            yield "replaced", old


class LinkIncidents(beam.PTransform):
    """{"events", "places", "duplicates", "kept"} of one run -> linked events and
    incident files.

    ``incident_files`` / ``events_files``: the incidents and events files visible to
    this run (the lake's, plus those staged by earlier chunks); ``chunk`` keeps the
    staged file names of chunks apart.
    """

    def __init__(self, lake: str, run_id: str, incident_files: list[str],
                 events_files: list[str], chunk: int = 0,
                 created_before: dict[str, str] | None = None):
        super().__init__()
        self.lake = lake
        self.run_id = run_id
        self.incident_files = list(incident_files)
        self.events_files = list(events_files)
        self.part = part_number("incidents", chunk)
        self.created_before = dict(created_before or {})

    def expand(self, inputs):
        events, duplicates, kept = inputs["events"], inputs["duplicates"], inputs["kept"]
        split = events | "SplitLinkable" >> beam.Map(
            lambda e: ("link" if is_linkable(e) else "other", e)) | "RouteLinkable" >> RouteByTag(("link", "other"))
        placed = ({"events": split["link"] | "EventsByArticle" >> beam.Map(lambda e: (e["article_id"], e)),
                   "places": inputs["places"] | "PlacesByArticle" >> beam.Map(lambda p: (p["article_id"], p))}
                  | "JoinArticlePlaces" >> beam.CoGroupByKey()
                  | "PlaceMentions" >> beam.FlatMap(place_mentions))
        linked = (placed
                  | "KeyByBlock" >> beam.Map(lambda e: (block_key(e), e))
                  | "GroupBlocks" >> beam.GroupByKey()
                  | "LinkBlocks" >> beam.ParDo(LinkBlockFn(self.incident_files, self.run_id))
                  | "RouteLinked" >> RouteByTag(("events", "reports")))
        unlinked = split["other"] | "NoIncident" >> beam.Map(lambda e: dict(e, incident_id=None))
        article_incidents = (linked["events"]
                             | "ArticleIncident" >> beam.Map(
                                 lambda e: (e["article_id"], (e["incident_id"], e["event_type"])))
                             | "DistinctArticleIncidents" >> beam.Distinct())
        refs = ({"copies": duplicates | "KeyByOriginal" >> beam.Map(lambda r: (r["duplicate_of"], r)),
                 "incidents": article_incidents,
                 "kept": kept | "KeyKept" >> beam.Map(lambda r: (r["article_id"], True))}
                | "JoinCopies" >> beam.CoGroupByKey()
                | "CopyRefs" >> beam.FlatMap(copy_refs)
                | "RouteCopyRefs" >> RouteByTag(("run", "stored")))
        stored_refs = (refs["stored"]
                       # without_defaults: see pipelines.batch.count (no copies, no refs)
                       | "CollectStoredCopies" >> beam.CombineGlobally(
                           beam.combiners.ToListCombineFn()).without_defaults()
                       | "StoredCopyRefs" >> beam.ParDo(StoredCopyRefsFn(self.events_files)))
        files_by_day = defaultdict(list)
        for path in self.incident_files:
            files_by_day[file_day(path)].append(path)
        rewritten = ((linked["reports"], refs["run"], stored_refs)
                     | "AllReports" >> beam.Flatten()
                     | "GroupByPartition" >> beam.GroupByKey()
                     | "RewritePartitions" >> beam.ParDo(
                         RewritePartitionFn(self.lake, self.run_id, dict(files_by_day), self.part,
                                            self.created_before))
                     | "RouteRewritten" >> RouteByTag(("files", "replaced", "created", "updated")))
        return {"events": (linked["events"], unlinked) | "AllEvents" >> beam.Flatten(),
                **rewritten}
