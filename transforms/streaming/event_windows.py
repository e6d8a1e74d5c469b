"""The stream's windowed aggregates: the rows of the panes publication-time windows fire,
staged with a stream commit (table ``event_windows``).

A pane is a window and how it fired (EARLY, ON_TIME, LATE: ``windows.pane_timing`` in
the directory stream, Beam's triggers in the Pub/Sub pipeline). Its rows count, per event
type and country, the events of the articles published in the window, over everything
the lake holds when it fires, this commit's staged files included: panes accumulate,
so a window's latest pane is its current count, refined as late reports arrive. The
query is ``schemas/window_panes.sql``.

    panes = [WindowPane(start, start + 900, "EARLY", watermark=1_700_000_000.0)]
    staged = stage_window_panes("lake/", run_id, events_files, event_windows_files, panes,
                                fired_at)
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from importlib import resources

import duckdb
import pyarrow as pa

from newsevents.schemas.tables import EVENT_WINDOWS
from newsevents.transforms.storage.lake_files import read_parquet_columns, staged_path, write_parquet
from newsevents.transforms.streaming.windows import WindowSpec, to_datetime

EVENT_COLUMNS = ["event_type", "country_iso3", "article_id", "incident_id", "modality",
                 "fatalities", "published_at"]
PANES_SCHEMA = pa.schema([("window_start", pa.timestamp("us", tz="UTC")),
                          ("window_end", pa.timestamp("us", tz="UTC")),
                          ("pane_timing", pa.string()), ("pane_index", pa.int32()),
                          ("watermark", pa.timestamp("us", tz="UTC")),
                          ("fired_at", pa.timestamp("us", tz="UTC"))])


@dataclass(frozen=True)
class WindowPane:
    """One pane to fire: ``index`` as Beam numbered it (Pub/Sub), or None for the next
    one of the window in the lake."""
    window_start: float
    window_end: float
    timing: str
    index: int | None = None
    watermark: float | None = None


def window_starts(event_files: list[str], spec: WindowSpec) -> set[float]:
    """The windows the events in these files were published in."""
    starts = set()
    for path in event_files:
        for value in read_parquet_columns(path, ["published_at"]).column("published_at").to_pylist():
            if value is not None:
                starts.add(spec.start(value.timestamp()))
    return starts


def panes_table(panes: list[WindowPane], fired_at: dt.datetime) -> pa.Table:
    return pa.Table.from_pylist([
        {"window_start": to_datetime(p.window_start), "window_end": to_datetime(p.window_end),
         "pane_timing": p.timing, "pane_index": p.index,
         "watermark": to_datetime(p.watermark) if p.watermark is not None else None,
         "fired_at": fired_at} for p in panes], schema=PANES_SCHEMA)


def window_pane_rows(event_files: list[str], earlier_files: list[str], panes: list[WindowPane],
                     fired_at: dt.datetime) -> pa.Table:
    """The ``event_windows`` rows (without run_id) of these panes."""
    con = duckdb.connect()
    pane_rows = panes_table(panes, fired_at)
    con.register("panes", pane_rows)
    low = min(p.window_start for p in panes)
    high = max(p.window_end for p in panes)
    if event_files:
        # Only the columns the counts need, and only the rows of the panes' span: the
        # files' statistics let DuckDB skip the rest.
        con.register("window_events", as_arrow(con.sql(
            f"SELECT {', '.join(EVENT_COLUMNS)} FROM read_parquet(?, union_by_name = true) "
            f"WHERE published_at >= ? AND published_at < ?",
            params=[event_files, to_datetime(low), to_datetime(high)])))
    else:
        con.execute("CREATE VIEW window_events AS SELECT NULL::VARCHAR AS event_type, "
                    "NULL::VARCHAR AS country_iso3, NULL::VARCHAR AS article_id, "
                    "NULL::VARCHAR AS incident_id, NULL::VARCHAR AS modality, "
                    "NULL::INTEGER AS fatalities, NULL::TIMESTAMPTZ AS published_at WHERE false")
    if earlier_files:
        con.register("earlier_panes", as_arrow(con.sql(
            "SELECT window_start, pane_index FROM read_parquet(?, union_by_name = true) "
            "WHERE window_start >= ? AND window_start <= ?",
            params=[earlier_files, to_datetime(low), to_datetime(high)])))
    else:
        con.execute("CREATE VIEW earlier_panes AS SELECT NULL::TIMESTAMPTZ AS window_start, "
                    "NULL::INTEGER AS pane_index WHERE false")
    sql = resources.files("newsevents.schemas").joinpath("window_panes.sql").read_text(encoding="utf-8")
    return as_arrow(con.sql(sql))


def as_arrow(relation) -> pa.Table:
    """A DuckDB relation as an Arrow table (``to_arrow_table`` in newer DuckDB,
    ``arrow`` in older)."""
    fetch = getattr(relation, "to_arrow_table", None) or relation.arrow
    return fetch()


def stage_window_panes(lake: str, run_id: str, event_files: list[str], earlier_files: list[str],
                       panes: list[WindowPane], fired_at: dt.datetime, part: int) -> list[str]:
    """Stage the panes' rows under the run, one file per day of window starts; the
    paths staged (none when the windows hold no events)."""
    if not panes:
        return []
    rows = window_pane_rows(event_files, earlier_files, panes, fired_at)
    if not rows.num_rows:
        return []
    rows = rows.append_column("run_id", pa.array([run_id] * rows.num_rows, pa.string()))
    rows = rows.cast(pa.schema([EVENT_WINDOWS.field(name) for name in rows.column_names]))
    by_day: dict[str, list[int]] = {}
    for index, start in enumerate(rows.column("window_start").to_pylist()):
        by_day.setdefault(start.date().isoformat(), []).append(index)
    staged = []
    for offset, (day, indices) in enumerate(sorted(by_day.items())):
        path = staged_path(lake, run_id, "event_windows", day, part + offset)
        write_parquet(path, rows.take(indices).select(EVENT_WINDOWS.names))
        staged.append(path)
    return staged
