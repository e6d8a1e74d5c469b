"""DuckDB over a lake: one view per table over its visible files.

    con = connect_lake("lake/")
    con.sql("select event_type, count(*) from events group by all").fetchall()
    con = connect_lake("lake/", read_only=True)   # no file access beyond the lake's files

The views list the visible files explicitly (files of committed runs that no later run
replaced), so queries pay nothing for the commit protocol. A file that cannot be read
is left out with a warning that names it, and the views are bound over the others:
one damaged file never stops every query. ``init_script`` gives the same views for a
plain duckdb shell started anywhere (``schemas/views.sql`` with the lake's absolute
paths).
"""
from __future__ import annotations

import logging
import os
import re
from importlib import resources
from pathlib import Path

import duckdb

from newsevents.schemas.lake import empty_view_sql, files_view_sql
from newsevents.schemas.tables import TABLES
from newsevents.transforms.storage.lake_files import (
    is_local, join, probe_file, read_lake_state, table_files, visible_files)

LOG = logging.getLogger(__name__)

# The table globs of views.sql, relative to the lake: 'events/dt=*/*.parquet'.
RELATIVE_GLOB = re.compile(r"'(?P<table>[a-z_]+)/dt=\*/\*\.parquet'")


VIEW_STATEMENT = re.compile(r"CREATE OR REPLACE VIEW (?P<table>[a-z_]+) AS\n.*?;", re.S)


class NotALake(FileNotFoundError):
    """A path that holds no newsevents lake."""


def check_lake(lake: str) -> None:
    """Fail with a clear message unless ``lake`` holds a committed run."""
    if is_local(lake) and not Path(lake).is_dir():
        raise NotALake(f"no lake at {lake!r} (run `newsevents run --output {lake}` first)")
    if not table_files(lake, "runs"):
        raise NotALake(f"{lake!r} is not a newsevents lake: it has no committed run "
                       f"(runs/dt=*/*.parquet); give the folder `newsevents run --output` wrote")


def connect_lake(lake: str, database: str = ":memory:", state=None,
                 read_only: bool = False) -> duckdb.DuckDBPyConnection:
    """A DuckDB connection with one view per lake table.

    ``read_only``: once the views are bound, the connection reads the lake's visible
    files and nothing else: no other file (``read_text('/etc/passwd')``), no writes
    (``COPY ... TO``), no ``ATTACH``, no extension installed or loaded; and the settings
    are locked. For commands that run SQL on behalf of others.
    """
    check_lake(lake)
    # Files of runs committed before manifests recorded them have their footers read
    # here too: union_by_name would take a foreign file's rows without a word.
    state = state if state is not None else read_lake_state(lake, probe_unrecorded=True)
    con = duckdb.connect(database)
    readable = []
    for table in TABLES:
        readable.extend(bind_view(con, lake, table, visible_files(lake, table, state)))
    if read_only:
        lock_down(con, readable)
    return con


def bind_view(con: duckdb.DuckDBPyConnection, lake: str, table: str, files: list[str]) -> list[str]:
    """``CREATE VIEW table`` over ``files``; returns the files it reads. DuckDB reads
    every file's footer to bind it; if that fails, the files that are not readable
    Parquet of this table are left out (each named in a warning) and the view bound
    again over the rest."""
    try:
        con.execute(f"CREATE OR REPLACE VIEW {table} AS "
                    f"{files_view_sql(files, table) if files else empty_view_sql(table)}")
        return list(files)
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
                f"{files_view_sql(readable, table) if readable else empty_view_sql(table)}")
    return readable


def lock_down(con: duckdb.DuckDBPyConnection, readable: list[str]) -> None:
    """Only these files stay readable; nothing else is reachable, for good."""
    con.execute("SET autoinstall_known_extensions = false")
    con.execute("SET autoload_known_extensions = false")
    con.execute("SET allowed_paths = ?", [readable])
    con.execute("SET enable_external_access = false")
    con.execute("SET lock_configuration = true")


def init_script(lake: str) -> str:
    """``schemas/views.sql`` with the lake's absolute paths: a duckdb shell started in any
    folder (``duckdb -init lake.sql``) gets the views."""
    check_lake(lake)
    root = os.path.abspath(lake) if is_local(lake) else lake.rstrip("/")
    text = resources.files("newsevents.schemas").joinpath("views.sql").read_text(encoding="utf-8")

    def absolute(match):
        path = join(root, match.group("table"), "dt=*", "*.parquet")
        return "'" + path.replace("'", "''") + "'"

    # The usage notes of views.sql (cd LAKE ...) do not apply to this copy.
    body = RELATIVE_GLOB.sub(absolute, text[text.index("-- A file is visible"):])

    def typed_if_empty(match):
        # A lake written before 0.6 has no file in a table that never had a row, and
        # DuckDB fails on a glob that matches nothing: such a view is typed and empty.
        table = match.group("table")
        if table_files(lake, table):
            return match.group(0)
        return f"CREATE OR REPLACE VIEW {table} AS\n{empty_view_sql(table)};"

    body = VIEW_STATEMENT.sub(typed_if_empty, body)
    header = (f"-- Views over the newsevents lake {root}, for a plain duckdb shell:\n"
              f"--     duckdb -init THIS_FILE\n"
              f"-- Written by `newsevents sql --init-script --lake {lake}`.\n")
    return header + body
