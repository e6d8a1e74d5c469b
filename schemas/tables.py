"""The lake's table schemas: the one source of truth for every writer and reader.

Each table is Hive-partitioned by ``dt`` (a ``YYYY-MM-DD`` string); ``dt`` is a
directory level, never a column inside the Parquet files.  Columns named in
DESIGN.md are a contract with other tools: add columns freely, never rename.
"""
from __future__ import annotations

import pyarrow as pa

SCHEMA_VERSION = "1.6.0"
PARTITION_COLUMN = "dt"

ARTICLES = pa.schema([
    ("article_id", pa.string()),
    ("external_id", pa.string()),
    ("url", pa.string()),
    ("source", pa.string()),
    ("title", pa.string()),
    ("published_at", pa.timestamp("us", tz="UTC")),
    ("published_at_source", pa.string()),  # input, date_line, default
    ("language", pa.string()),
    ("text", pa.string()),
    ("content_hash", pa.string()),
    ("duplicate_of", pa.string()),
    ("duplicate_similarity", pa.float32()),  # estimated Jaccard to the original (1 = exact)
    ("minhash", pa.binary()),  # MinHash signature (64 little-endian uint32) of a kept article
    ("key_terms", pa.binary()),  # CRC-32s of its numbers and names (near-duplicate guard)
    ("input", pa.string()),
    ("position", pa.int64()),
    ("input_format", pa.string()),
    ("dateline_place", pa.string()),
    ("num_chars", pa.int64()),
    ("num_events", pa.int32()),
    ("extracted", pa.bool_()),
    ("run_id", pa.string()),
])

EVENTS = pa.schema([
    ("event_id", pa.string()),
    ("article_id", pa.string()),
    ("sentence_index", pa.int32()),
    ("sentence", pa.string()),
    ("trigger_text", pa.string()),
    ("trigger_start", pa.int32()),
    ("trigger_end", pa.int32()),
    ("event_type", pa.string()),
    ("event_mode", pa.string()),
    ("acled_event_type", pa.string()),
    ("acled_sub_event_type", pa.string()),
    ("cameo_root", pa.string()),
    ("quad_class", pa.int8()),
    ("actor1_text", pa.string()),
    ("actor1_name", pa.string()),
    ("actor1_country", pa.string()),
    ("actor1_sector", pa.string()),
    ("actor2_text", pa.string()),
    ("actor2_name", pa.string()),
    ("actor2_country", pa.string()),
    ("actor2_sector", pa.string()),
    # The parent organisation of a listed actor ("Islamic State" for its provinces), so
    # one filter finds a movement and its branches; the actor itself when it has none.
    ("actor1_group", pa.string()),
    ("actor2_group", pa.string()),
    # ACLED's actor kinds: 1 state forces, 2 rebels, 3 political militias, 4 identity
    # militias, 5 rioters, 6 protesters, 7 civilians, 8 external forces; interaction is
    # the two codes, lower first ("17"), or one code and 0 for a lone actor ("60").
    ("inter1", pa.int8()),
    ("inter2", pa.int8()),
    ("interaction", pa.string()),
    # single: one event; aggregate: a tally of several ("17 attacks in March"), kept for
    # analysts but left out of incidents and the default aggregates.
    ("report_kind", pa.string()),
    ("event_count", pa.int32()),
    ("location_text", pa.string()),
    ("location_name", pa.string()),
    ("geonameid", pa.int64()),
    ("country_iso3", pa.string()),
    ("admin1", pa.string()),
    ("latitude", pa.float64()),
    ("longitude", pa.float64()),
    ("geo_precision", pa.int8()),
    ("event_date", pa.date32()),
    ("date_text", pa.string()),
    ("date_precision", pa.string()),
    ("fatalities", pa.int32()),
    ("injured", pa.int32()),
    ("displaced", pa.int32()),
    ("detained", pa.int32()),
    ("modality", pa.string()),
    ("attributed_to", pa.string()),
    ("confidence", pa.float32()),
    ("published_at", pa.timestamp("us", tz="UTC")),
    ("source", pa.string()),
    ("extractor_version", pa.string()),
    ("incident_id", pa.string()),  # null for negated, hypothetical and future mentions
    ("run_id", pa.string()),
])

def event_fields(*names: str) -> list[pa.Field]:
    """Columns of ``events`` by name, with their types: tables that summarize events
    keep the same types."""
    return [EVENTS.field(name) for name in names]


# What one article says of an incident (the incident's `reports` list).
REPORT = pa.struct(
    [("article_id", pa.string()),
     ("source", pa.string()),
     ("url", pa.string()),
     ("published_at", pa.timestamp("us", tz="UTC")),
     ("mentions", pa.int32()),
     ("copy_of", pa.string()),  # a duplicate article: the original it copies
     ("run_id", pa.string())]
    + event_fields("event_mode", "acled_event_type", "acled_sub_event_type", "cameo_root",
                   "quad_class", "actor1_name", "actor1_country", "actor1_sector", "actor2_name",
                   "actor2_country", "actor2_sector", "actor1_group", "actor2_group", "inter1",
                   "inter2", "interaction", "location_name", "geonameid",
                   "country_iso3", "admin1", "latitude", "longitude", "geo_precision",
                   "event_date", "date_precision", "fatalities", "injured", "displaced",
                   "detained"))

# One row per real-world incident; dt = the day of its first mention, kept for good
# (it is part of incident_id). Every other column is derived from `reports`.
INCIDENTS = pa.schema(
    [("incident_id", pa.string())]
    + event_fields("event_type", "event_mode", "acled_event_type", "acled_sub_event_type",
                   "cameo_root", "quad_class", "event_date", "date_precision", "location_name",
                   "geonameid", "country_iso3", "admin1", "latitude", "longitude",
                   "geo_precision", "actor1_name", "actor1_country", "actor1_sector",
                   "actor2_name", "actor2_country", "actor2_sector", "actor1_group",
                   "actor2_group", "inter1", "inter2", "interaction")
    + [(f"{name}{suffix}", pa.int32()) for name in ("fatalities", "injured", "displaced", "detained")
       for suffix in ("", "_min", "_max")]
    + [("num_mentions", pa.int32()),
       ("num_articles", pa.int32()),
       ("num_sources", pa.int32()),
       ("first_seen", pa.timestamp("us", tz="UTC")),
       ("last_seen", pa.timestamp("us", tz="UTC")),
       ("reports", pa.list_(REPORT)),
       ("created_run_id", pa.string()),
       ("run_id", pa.string())])

PLACES = pa.schema([
    ("article_id", pa.string()),
    ("text", pa.string()),
    ("start", pa.int32()),
    ("end", pa.int32()),
    ("name", pa.string()),
    ("geonameid", pa.int64()),
    ("latitude", pa.float64()),
    ("longitude", pa.float64()),
    ("country_iso3", pa.string()),
    ("admin1", pa.string()),
    ("feature_type", pa.string()),
    # Turn-4 additions: the district a town lies in, and 1 town, 2 region or district,
    # 3 country (as events.geo_precision).
    ("admin2", pa.string()),
    ("geo_precision", pa.int8()),
    ("run_id", pa.string()),
])

REJECTS = pa.schema([
    ("run_id", pa.string()),
    ("input", pa.string()),
    ("position", pa.int64()),
    ("stage", pa.string()),  # read, normalize, extract
    ("reason", pa.string()),
    ("raw", pa.string()),
    # SHA-256 of the whole rejected record (raw is cut short), and a key of input,
    # position, stage and that hash: a record rejected again is not written again.
    ("raw_sha256", pa.string()),
    ("reject_id", pa.string()),
])

COUNTS = pa.struct([
    ("read", pa.int64()),
    ("stored", pa.int64()),
    ("duplicates", pa.int64()),
    ("rejected", pa.int64()),
    ("events", pa.int64()),
    ("places", pa.int64()),
    ("extraction_errors", pa.int64()),
    ("skipped_files", pa.int64()),  # unchanged input files an earlier run read
    ("out_of_range", pa.int64()),  # records outside --since / --until, not stored
    ("near_duplicates", pa.int64()),  # of the duplicates, those that are not exact copies
    ("incidents_new", pa.int64()),
    ("incidents_updated", pa.int64()),
    # Stream runs before schema 1.6: articles too late for their window, routed to
    # LAKE/_stream/late/. Since 1.6 no article is too late to be stored: always 0.
    ("late_routed", pa.int64()),
    # Of the rejected, those already in the rejects table (the same input, position
    # and content): counted, not written again.
    ("rejects_known", pa.int64()),
])

# What a manifest records of each file its run committed, for `newsevents check`.
WRITTEN_FILE = pa.struct([
    ("path", pa.string()),  # relative, e.g. events/dt=2024-03-04/part-R1-0.parquet
    ("size", pa.int64()),
    ("rows", pa.int64()),
    ("schema", pa.string()),  # fingerprint of the file's Arrow schema
    ("sha256", pa.string()),
])

RUNS = pa.schema([
    ("run_id", pa.string()),
    ("kind", pa.string()),  # run, stream, reprocess, compact, repair
    ("started_at", pa.timestamp("us", tz="UTC")),
    ("finished_at", pa.timestamp("us", tz="UTC")),
    ("status", pa.string()),
    ("inputs", pa.list_(pa.string())),
    ("counts", COUNTS),
    # Input files read completely (for incremental runs) and table files this run
    # supersedes (relative paths, e.g. events/dt=2024-03-04/part-R1-0.parquet).
    ("files", pa.list_(pa.struct([("path", pa.string()), ("size", pa.int64()),
                                  ("mtime", pa.float64())]))),
    ("replaced_files", pa.list_(pa.string())),
    ("written_files", pa.list_(WRITTEN_FILE)),  # null before schema 1.5
    # Input files to read again although an earlier run read them (set by a repair
    # that quarantined rows read from them).
    ("reread_files", pa.list_(pa.string())),
    ("metrics", pa.map_(pa.string(), pa.int64())),  # Beam counters, "namespace:name"
    ("accounting_ok", pa.bool_()),
    ("code_version", pa.string()),
    ("schema_version", pa.string()),
    ("extractor_version", pa.string()),
    ("options", pa.string()),  # JSON of the run's settings
])

# The stream's windowed aggregates: one row per pane a publication-time window fired
# and event type and country; panes accumulate (each counts everything the lake holds of
# its window), so a window's latest pane is its current count. dt = the window's start.
EVENT_WINDOWS = pa.schema(
    [("window_start", pa.timestamp("us", tz="UTC")),
     ("window_end", pa.timestamp("us", tz="UTC"))]
    + event_fields("event_type", "country_iso3")
    + [("events", pa.int64()),  # event mentions in articles published in the window
       ("asserted", pa.int64()),  # of them, asserted (not negated, hypothetical, future)
       ("articles", pa.int64()),
       ("incidents", pa.int64()),
       # the largest toll each incident's mentions in the window report, summed
       ("fatalities", pa.int64()),
       ("pane_timing", pa.string()),  # EARLY, ON_TIME, LATE (Beam's PaneInfoTiming)
       ("pane_index", pa.int32()),  # panes the window fired before this one
       ("watermark", pa.timestamp("us", tz="UTC")),  # the stream's, when the pane fired
       ("fired_at", pa.timestamp("us", tz="UTC")),
       ("run_id", pa.string())])

TABLES: dict[str, pa.Schema] = {
    "articles": ARTICLES,
    "events": EVENTS,
    "places": PLACES,
    "rejects": REJECTS,
    "incidents": INCIDENTS,
    "event_windows": EVENT_WINDOWS,
    "runs": RUNS,
}

# Tables whose rows are written by the pipeline's workers; `runs` is written once
# by the commit step.
ROW_TABLES = ("articles", "events", "places", "rejects", "incidents", "event_windows")


def schema_for(table: str) -> pa.Schema:
    """The schema of a lake table; a clear error for an unknown name."""
    try:
        return TABLES[table]
    except KeyError:
        raise KeyError(f"unknown table {table!r}; known: {', '.join(TABLES)}") from None


def to_arrow_table(table: str, rows: list[dict]) -> pa.Table:
    """Rows (dicts) to an Arrow table with the table's exact schema.

    Missing keys become nulls; keys that are not columns are an error, so a typo in a
    producer fails loudly instead of silently losing a field.
    """
    schema = schema_for(table)
    names = set(schema.names)
    for row in rows:
        extra = set(row) - names - {PARTITION_COLUMN}
        if extra:
            raise ValueError(f"{table}: unknown columns {sorted(extra)}")
    columns = {name: [row.get(name) for row in rows] for name in schema.names}
    return pa.Table.from_pydict(columns, schema=schema)
