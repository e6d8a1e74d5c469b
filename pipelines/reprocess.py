"""Reprocessing: extract the stored articles of a publication-date range again with the
current extractor and replace their rows atomically.

    reprocess(options)   # options.output is the lake; options.since / until the range

The articles files of the range, and every events / places file holding rows of those
articles, are replaced: the pipeline writes the new article, event and place rows; the
driver rewrites the rows of other articles that shared a replaced file; one manifest
(kind "reprocess") commits it all and lists the replaced files.
"""
from __future__ import annotations

import datetime as dt
import logging

import apache_beam as beam
import duckdb

from newsevents.pipelines.batch import beam_counters, count_all, run_pipeline
from newsevents.pipelines.commits import build_manifest, commit, lake_operation
from newsevents.pipelines.options import RunOptions
from newsevents.transforms.dedupe_rejects import DedupeRejects
from newsevents.transforms.extract_events import ExtractEvents
from newsevents.transforms.link_incidents import LinkIncidents, strip_reports
from newsevents.transforms.storage.commit import part_number, read_pending
from newsevents.transforms.storage.faults import fault_point
from newsevents.transforms.storage.lake_files import (
    TABLE_FILE, read_parquet_file, relative_path, staged_path, visible_files, write_parquet)
from newsevents.transforms.write_tables import WriteTables

LOG = logging.getLogger(__name__)


class ReadArticleFileFn(beam.DoFn):
    """One articles file of the lake to its rows, with their partition restored."""

    def process(self, path: str):
        day = TABLE_FILE.search(path).group("day")
        for row in read_parquet_file(path).to_pylist():
            row["dt"] = day
            yield row


def files_in_range(paths: list[str], since: dt.date | None, until: dt.date | None) -> list[str]:
    chosen = []
    for path in paths:
        day = dt.date.fromisoformat(TABLE_FILE.search(path).group("day"))
        if (since is None or day >= since) and (until is None or day <= until):
            chosen.append(path)
    return chosen


def rewrite_kept_rows(lake: str, run_id: str, table: str, files: list[str],
                      article_ids: set[str]) -> list[str]:
    """Rows of other articles in replaced files, staged again under this run."""
    staged = []
    for n, path in enumerate(files):
        rows = read_parquet_file(path)
        keep = [i for i, a in enumerate(rows.column("article_id").to_pylist()) if a not in article_ids]
        if not keep:
            continue
        day = TABLE_FILE.search(path).group("day")
        target = staged_path(lake, run_id, table, day, part_number("kept_rows", 0, n))
        write_parquet(target, rows.take(keep))
        staged.append(target)
    return staged


def affected_files(files: list[str], article_ids: set[str]) -> list[str]:
    """The files that hold a row of one of these articles."""
    if not files or not article_ids:
        return []
    con = duckdb.connect()
    con.execute("create table ids as select unnest(?) as article_id", [sorted(article_ids)])
    found = con.execute("select distinct filename from read_parquet(?, filename = true) "
                        "where article_id in (select article_id from ids)", [files]).fetchall()
    return sorted(f for (f,) in found)


def build_reprocess(pipeline, options: RunOptions, run_id: str, started: dt.datetime,
                    article_files: list[str], incident_files: list[str], events_files: list[str],
                    rejects_files: list[str] = (), created_before: dict[str, str] | None = None):
    """Article files -> re-extracted articles, events, places -> staged tables; the new
    mentions are linked to incidents as a run's are (their reports replace the old ones)."""
    lake = options.output
    rows = (pipeline | "ArticleFiles" >> beam.Create(article_files)
            | "ReshuffleFiles" >> beam.Reshuffle()
            | "ReadArticleFiles" >> beam.ParDo(ReadArticleFileFn()))
    canonical = rows | "Canonical" >> beam.Filter(lambda r: r["duplicate_of"] is None)
    copies = rows | "Copies" >> beam.Filter(lambda r: r["duplicate_of"] is not None)
    extracted = canonical | "ExtractEvents" >> ExtractEvents(options.model, options.batch_size,
                                                              (lake, run_id), options.prefilter)

    linked = ({"events": extracted["events"], "places": extracted["places"], "duplicates": copies,
               "kept": extracted["articles"]}
              | "LinkIncidents" >> LinkIncidents(lake, run_id, incident_files, events_files,
                                                 created_before=created_before))
    zero = pipeline | "Zero" >> beam.Create([0])
    rejects = extracted["rejects"] | "DedupeRejects" >> DedupeRejects(list(rejects_files))
    counts = count_all({"read": rows, "stored": extracted["articles"], "duplicates": copies,
                        "events": extracted["events"], "places": extracted["places"],
                        "extraction_errors": extracted["rejects"],
                        "incidents_new": linked["created"], "incidents_updated": linked["updated"],
                        "rejects_known": rejects["known"]})
    counts.update(rejected=zero, skipped_files=zero, out_of_range=zero, near_duplicates=zero)
    tables = {"articles": (extracted["articles"], copies) | "AllArticles" >> beam.Flatten(),
              "events": linked["events"], "places": extracted["places"],
              "rejects": rejects["rejects"]}
    no_files = pipeline | "NoInputFiles" >> beam.Create([])
    rewritten = {"files": linked["files"], "replaced": linked["replaced"]}
    return (tables, counts, no_files, rewritten) | "WriteTables" >> WriteTables(
        lake, run_id, started.date().isoformat())


def reprocess(options: RunOptions) -> dict:
    lake = options.output
    with lake_operation(lake, options.lock_wait) as operation:
        run_id, started, state = operation.run_id, operation.started, operation.state
        article_files = files_in_range(visible_files(lake, "articles", state), options.since, options.until)
        ids: set[str] = set()
        for path in article_files:
            ids.update(read_parquet_file(path).column("article_id").to_pylist())
        events_files = visible_files(lake, "events", state)
        replaced_events = affected_files(events_files, ids)
        replaced_places = affected_files(visible_files(lake, "places", state), ids)
        # The articles' old reports leave their incidents before the articles are linked
        # again, so that none is counted twice (in its old incident and a new one).
        incident_files = visible_files(lake, "incidents", state)
        stripped, stripped_from, created_before = strip_reports(
            lake, run_id, incident_files, ids, part_number("kept_rows", 1))
        incident_files = [f for f in incident_files if f not in stripped_from] + stripped
        result = run_pipeline(options, lambda pipeline: build_reprocess(
            pipeline, options, run_id, started, article_files, incident_files, events_files,
            visible_files(lake, "rejects", state), created_before))
        fault_point("before_commit")
        pending = read_pending(lake, run_id, "pending-0")
        kept = (rewrite_kept_rows(lake, run_id, "events", replaced_events, ids)
                + rewrite_kept_rows(lake, run_id, "places", replaced_places, ids))
        rewritten = set(pending.get("replaced", []))
        manifest = build_manifest(
            operation, "reprocess", options=options.describe(), counts=pending["counts"],
            metrics=beam_counters(result),
            replaced_files=[relative_path(p) for p in article_files + replaced_events
                            + replaced_places + stripped_from
                            + [r for r in rewritten if r not in stripped]])
        return commit(operation, lake, manifest, pending["files"] + kept
                      + [f for f in stripped if f not in rewritten], pending.get("staged_facts"))
