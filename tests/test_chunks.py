import gzip
import json

import pytest

from newsevents.pipelines.chunks import count_lines, file_specs, plan_chunks, split_specs


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
    ranges = [s[3:] for s, _, _ in file_specs(*spec, max_records=10)]
    assert ranges == [(1, 10), (11, 20), (21, None)]  # the last range runs to the end


def test_small_files_stay_whole_and_are_grouped(tmp_path):
    small = [jsonl(tmp_path / f"s{i}.jsonl", 2) for i in range(3)]
    texts = [(str(tmp_path / f"t{i}.txt"), 10, 1.0) for i in range(4)]
    chunks = plan_chunks(small + texts, max_records=3)
    assert all(len(spec) == 3 for chunk in chunks for spec in chunk)
    assert sum(len(chunk) for chunk in chunks) == 7
    assert max(len(chunk) for chunk in chunks) <= 3


def test_an_empty_input_is_one_empty_chunk():
    assert plan_chunks([], max_records=10) == [[]]


def test_specs_are_split_for_workers_to_share(tmp_path):
    big = jsonl(tmp_path / "big.jsonl", 400)
    text = (str(tmp_path / "a.txt"), 10, 1.0)
    specs = split_specs([big, text], parts=4, min_records=10)
    assert [s[3:] for s in specs if s[0] == big[0]] == [(1, 100), (101, 200), (201, 300), (301, None)]
    assert specs[-1] == text
    # A line range (a chunk of a larger file) is split within its bounds.
    ranged = split_specs([big + (101, 300)], parts=2, min_records=10)
    assert [s[3:] for s in ranged] == [(101, 200), (201, 300)]
    # Never below min_records a range: a small input stays whole.
    small = jsonl(tmp_path / "s.jsonl", 20)
    assert split_specs([small], parts=8, min_records=50) == [small]


def test_chunks_are_bounded_by_text_size_too(tmp_path):
    # 400 lines, 29,490 bytes: with 7,400 bytes a chunk, 100 lines a chunk.
    big = jsonl(tmp_path / "big.jsonl", 400)
    chunks = plan_chunks([big], max_records=10_000, max_bytes=7_400)
    assert len(chunks) == 4 and all(len(chunk) == 1 for chunk in chunks)
    assert chunks[0][0][3:] == (1, 100) and chunks[-1][0][4] is None
    texts = [(str(tmp_path / f"t{i}.txt"), 3_000, 1.0) for i in range(5)]
    assert [len(c) for c in plan_chunks(texts, max_records=100, max_bytes=7_000)] == [2, 2, 1]
