"""The SQL side of the schemas: canned queries and the view bodies DuckDB runs over a
lake's files (``transforms.storage.query.connect_lake`` binds them to the visible
files). ``views.sql`` gives the same views for a plain duckdb shell, with the
visibility rule written as a filter.
"""
from __future__ import annotations

from importlib import resources
from pathlib import Path

import duckdb
import pyarrow as pa

from newsevents.schemas.tables import TABLES


def canned_queries() -> dict[str, str]:
    """Name -> SQL of the queries in ``schemas/queries/``."""
    folder = resources.files("newsevents.schemas").joinpath("queries")
    return {Path(entry.name).stem: entry.read_text(encoding="utf-8")
            for entry in folder.iterdir() if entry.name.endswith(".sql")}


def duckdb_type(arrow_type: pa.DataType) -> str:
    """The DuckDB type DuckDB itself gives an Arrow column of this type."""
    empty = pa.table({"c": pa.array([], type=arrow_type)})
    return str(duckdb.from_arrow(empty).types[0])


def empty_view_sql(table: str) -> str:
    """A typed, empty stand-in for a table that has no visible files yet."""
    columns = ", ".join(
        f"CAST(NULL AS {duckdb_type(field.type)}) AS \"{field.name}\"" for field in TABLES[table])
    return f"SELECT {columns}, CAST(NULL AS VARCHAR) AS dt WHERE false"


def files_view_sql(files: list[str]) -> str:
    listed = ", ".join("'" + f.replace("'", "''") + "'" for f in files)
    return (f"SELECT * FROM read_parquet([{listed}], hive_partitioning = true, "
            f"union_by_name = true)")
