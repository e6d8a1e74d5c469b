"""DuckDB over a lake: one view per table over its visible files.

    con = connect_lake("lake/")
    con.sql("select event_type, count(*) from events group by all").fetchall()

The views list the visible files explicitly (files of committed runs that no later run
replaced), so queries pay nothing for the commit protocol.
"""
from __future__ import annotations

from pathlib import Path

import duckdb

from newsevents.schemas.lake import empty_view_sql, files_view_sql
from newsevents.schemas.tables import TABLES
from newsevents.transforms.storage.lake_files import read_lake_state, visible_files


def connect_lake(lake: str, database: str = ":memory:", state=None) -> duckdb.DuckDBPyConnection:
    """A DuckDB connection with one view per lake table."""
    if "://" not in lake and not Path(lake).is_dir():
        raise FileNotFoundError(f"no lake at {lake!r} (run `newsevents run --output {lake}` first)")
    state = state if state is not None else read_lake_state(lake)
    con = duckdb.connect(database)
    for table in TABLES:
        files = visible_files(lake, table, state)
        body = files_view_sql(files) if files else empty_view_sql(table)
        con.execute(f"CREATE OR REPLACE VIEW {table} AS {body}")
    return con
