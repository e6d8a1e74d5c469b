"""Table files: zstd always, dictionary pages only for files with many rows, and the
rows read back as written; reading them starts no Arrow thread pool."""
import os
import subprocess
import sys

import pyarrow.parquet as pq
import pytest

from newsevents.schemas.tables import to_arrow_table
from newsevents.transforms.storage.lake_files import DICTIONARY_MIN_ROWS, read_parquet_file, write_parquet


def place_rows(n: int) -> list[dict]:
    return [{"article_id": f"a{i % 7}", "text": "Aleppo", "start": i, "end": i + 6, "name": "Aleppo",
             "geonameid": 170063, "latitude": 36.2, "longitude": 37.16, "country_iso3": "SYR",
             "feature_type": "city", "geo_precision": 1, "run_id": "R1"} for i in range(n)]


@pytest.mark.parametrize("rows, dictionary", [
    (1, False),                        # one day's event: most files of a run
    (DICTIONARY_MIN_ROWS - 1, False),
    (DICTIONARY_MIN_ROWS, True),       # a busy day: repeated names and ids
    (3 * DICTIONARY_MIN_ROWS, True),
])
def test_dictionary_pages_only_for_many_rows(tmp_path, rows, dictionary):
    path = str(tmp_path / "places" / "dt=2016-05-01" / "part-R1-0.parquet")
    table = to_arrow_table("places", place_rows(rows))
    write_parquet(path, table)
    metadata = pq.read_metadata(path)
    columns = [metadata.row_group(0).column(i) for i in range(metadata.num_columns)]
    assert {column.compression for column in columns} == {"ZSTD"}
    names = [c for c in columns if c.path_in_schema == "name"]
    assert ("RLE_DICTIONARY" in names[0].encodings) is dictionary
    assert read_parquet_file(path).equals(table)


READ_AND_COUNT_THREADS = """
import os, sys
from newsevents.transforms.storage.lake_files import (
    file_facts, read_parquet_columns, read_parquet_file, verify_file)
threads = lambda: len(os.listdir("/proc/self/task"))
before = threads()
path = sys.argv[1]
read_parquet_file(path); read_parquet_columns(path, ["name", "no_such_column"])
facts = file_facts(path); problem = verify_file(path, "places", None)
print(before, threads(), facts["rows"], problem)
"""


@pytest.mark.skipif(not os.path.isdir("/proc/self/task"), reason="counts threads through Linux's /proc")
def test_reading_lake_files_starts_no_arrow_pool_thread(tmp_path):
    # An Arrow pool thread alive at exit makes the process abort now and then
    # (exit -6 after a run that had finished): the CLI reads lake files without one.
    path = str(tmp_path / "places" / "dt=2016-05-01" / "part-R1-0.parquet")
    write_parquet(path, to_arrow_table("places", place_rows(DICTIONARY_MIN_ROWS)))
    result = subprocess.run([sys.executable, "-c", READ_AND_COUNT_THREADS, path],
                            capture_output=True, text=True, check=True)
    before, after, rows, problem = result.stdout.split()
    assert (after, rows, problem) == (before, str(DICTIONARY_MIN_ROWS), "None")
