"""DuckDB over a lake: the views of ``views.sql`` and the canned queries.

    con = connect_lake("lake/")
    con.sql("select event_type, count(*) from events group by all").fetchall()
"""
from __future__ import annotations

import re
from importlib import resources
from pathlib import Path

import duckdb
import pyarrow as pa

from schemas.tables import TABLES

VIEW = re.compile(r"^CREATE OR REPLACE VIEW (\w+) AS\s+(.*?);", re.S | re.M)


def views_sql() -> str:
    return resources.files("schemas").joinpath("views.sql").read_text(encoding="utf-8")


def canned_queries() -> dict[str, str]:
    """Name -> SQL of the queries in ``schemas/queries/``."""
    folder = resources.files("schemas").joinpath("queries")
    return {Path(entry.name).stem: entry.read_text(encoding="utf-8")
            for entry in folder.iterdir() if entry.name.endswith(".sql")}


def empty_view_sql(table: str) -> str:
    """A typed, empty stand-in for a table that has no files yet."""
    columns = ", ".join(
        f"CAST(NULL AS {duckdb_type(field.type)}) AS \"{field.name}\"" for field in TABLES[table])
    return f"SELECT {columns}, CAST(NULL AS VARCHAR) AS dt WHERE false"


def duckdb_type(arrow_type: pa.DataType) -> str:
    """The DuckDB type DuckDB itself gives an Arrow column of this type."""
    empty = pa.table({"c": pa.array([], type=arrow_type)})
    return str(duckdb.from_arrow(empty).types[0])


def connect_lake(lake: str, database: str = ":memory:") -> duckdb.DuckDBPyConnection:
    """A DuckDB connection with one view per lake table."""
    lake_path = Path(lake)
    if "://" not in lake and not lake_path.is_dir():
        raise FileNotFoundError(f"no lake at {lake!r} (run `newsevents run --output {lake}` first)")
    con = duckdb.connect(database)
    con.execute("SET file_search_path = ?", [str(lake_path.resolve()) if "://" not in lake else lake])
    for table, select in VIEW.findall(views_sql()):
        has_files = "://" in lake or any((lake_path / table).glob("dt=*/*.parquet"))
        body = select if has_files else empty_view_sql(table)
        con.execute(f"CREATE OR REPLACE VIEW {table} AS {body}")
    return con
