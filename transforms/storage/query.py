"""DuckDB over a lake: one view per table over its visible files.

    con = connect_lake("lake/")
    con.sql("select event_type, count(*) from events group by all").fetchall()

The views list the visible files explicitly (files of committed runs that no later run
replaced), so queries pay nothing for the commit protocol. A file that cannot be read
is left out with a warning that names it, and the views are bound over the others:
one damaged file never stops every query.
"""
from __future__ import annotations

import logging
import os

import duckdb

from newsevents.schemas.lake import empty_view_sql, files_view_sql
from newsevents.schemas.tables import TABLES
from newsevents.transforms.storage import durable
from newsevents.transforms.storage.lake_files import probe_file, read_lake_state, visible_files

LOG = logging.getLogger(__name__)


def connect_lake(lake: str, database: str = ":memory:", state=None) -> duckdb.DuckDBPyConnection:
    """A DuckDB connection with one view per lake table."""
    if durable.is_local(lake) and not os.path.isdir(lake):
        raise FileNotFoundError(f"no lake at {lake!r} (run `newsevents run --output {lake}` first)")
    # Files of runs committed before manifests recorded them have their footers read
    # here too: union_by_name would take a foreign file's rows without a word.
    state = state if state is not None else read_lake_state(lake, probe_unrecorded=True)
    con = duckdb.connect(database)
    for table in TABLES:
        bind_view(con, lake, table, visible_files(lake, table, state))
    return con


def bind_view(con: duckdb.DuckDBPyConnection, lake: str, table: str, files: list[str]) -> None:
    """``CREATE VIEW table`` over ``files``. DuckDB reads every file's footer to bind
    it; if that fails, the files that are not readable Parquet of this table are left
    out (each named in a warning) and the view bound again over the rest."""
    try:
        con.execute(f"CREATE OR REPLACE VIEW {table} AS "
                    f"{files_view_sql(files) if files else empty_view_sql(table)}")
        return
    except duckdb.Error as err:
        failure = err
    readable = []
    for path in files:
        problem = probe_file(path, table) if table != "runs" else None
        if problem:
            LOG.warning("skipping %s: %s (`newsevents check --lake %s --repair` deals with it)",
                        path, problem, lake)
        else:
            readable.append(path)
    if len(readable) == len(files):
        raise failure
    con.execute(f"CREATE OR REPLACE VIEW {table} AS "
                f"{files_view_sql(readable) if readable else empty_view_sql(table)}")
