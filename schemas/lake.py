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


def files_view_sql(files: list[str], table: str | None = None) -> str:
    # union_by_name: files written before a column was added lack it; and DuckDB reads
    # every footer to bind the view, which is how a damaged one is found and skipped
    # (transforms/storage/query.py) before any query runs.
    listed = ", ".join("'" + f.replace("'", "''") + "'" for f in files)
    sql = (f"SELECT * FROM read_parquet([{listed}], hive_partitioning = true, "
           f"union_by_name = true)")
    if table == "runs":
        # A run's row can be in two runs files while a manifest fold is unfinished
        # (transforms/storage/manifest_checkpoint.py): one row per run.
        sql += f" {ONE_ROW_PER_RUN}"
    return sql


ONE_ROW_PER_RUN = "QUALIFY row_number() OVER (PARTITION BY run_id ORDER BY dt) = 1"
