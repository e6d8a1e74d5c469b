import gzip
import json

import pytest

from pipelines.chunks import count_lines, file_specs, plan_chunks, plan_ranges


def jsonl(path, n, compress=False):
    data = "".join(json.dumps({"id": i, "text": "x" * 50}) + "\n" for i in range(n)).encode()
    if compress:
        path.write_bytes(gzip.compress(data))
    else:
        path.write_bytes(data)
    return (str(path), path.stat().st_size, 1.0)


@pytest.mark.parametrize("compress", [False, True])
def test_large_jsonl_files_are_split_into_line_ranges(tmp_path, compress):
    spec = jsonl(tmp_path / ("big.jsonl.gz" if compress else "big.jsonl"), 25, compress)
    assert count_lines(spec[0]) == 25
    ranges = [s[3:] for s, _ in file_specs(*spec, max_records=10)]
    assert ranges == [(1, 10), (11, 20), (21, None)]  # the last range runs to the end


def test_small_files_stay_whole_and_are_grouped(tmp_path):
    small = [jsonl(tmp_path / f"s{i}.jsonl", 2) for i in range(3)]
    texts = [(str(tmp_path / f"t{i}.txt"), 10, 1.0) for i in range(4)]
    chunks = plan_chunks(small + texts, max_records=3)
    assert all(len(spec) == 3 for chunk in chunks for spec in chunk)
    assert sum(len(chunk) for chunk in chunks) == 7
    assert max(len(chunk) for chunk in chunks) <= 3


def test_an_empty_input_is_one_empty_chunk():
    assert plan_chunks([]) == [[]]


def test_ranges_for_dask_spread_one_large_file_over_parts(tmp_path):
    big = jsonl(tmp_path / "big.jsonl", 400)  # ~28 KB: estimated at 70 records of 400 bytes
    text = (str(tmp_path / "a.txt"), 10, 1.0)
    specs = plan_ranges([big, text], parts=4, min_records=10)
    ranges = [s[3:] for s in specs if s[0] == big[0]]
    assert len(ranges) >= 4 and ranges[0] == (1, ranges[0][1]) and ranges[-1][1] is None
    assert specs[-1] == text
    # Never below min_records a range: a small input stays whole.
    assert plan_ranges([jsonl(tmp_path / "s.jsonl", 20)], parts=8, min_records=50) == [
        (str(tmp_path / "s.jsonl"), (tmp_path / "s.jsonl").stat().st_size, 1.0)]
