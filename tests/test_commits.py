"""The one commit path: manifests built in one place, named part-number ranges."""
import datetime as dt

import pytest

from newsevents.pipelines.commits import LakeOperation, accounting_holds, build_manifest
from newsevents.transforms.storage.commit import PART_RANGES, part_number
from newsevents.transforms.storage.lake_files import LakeState

OPERATION = LakeOperation("20240101T000000Z-abcd1234", dt.datetime(2024, 1, 1, tzinfo=dt.timezone.utc),
                          LakeState())


@pytest.mark.parametrize("counts, holds", [
    (dict(read=10, stored=7, duplicates=2, rejected=1), True),
    (dict(read=10, stored=7, duplicates=2, rejected=0), False),
    ({}, True),  # compaction reads nothing
])
def test_manifest_status_follows_the_accounting(counts, holds):
    manifest = build_manifest(OPERATION, "run", options="{}", counts=counts)
    assert accounting_holds(manifest["counts"]) is holds
    assert manifest["accounting_ok"] is holds
    assert manifest["status"] == ("committed" if holds else "committed_with_accounting_error")
    assert manifest["counts"]["events"] == 0  # counts an operation has not are zero


def test_manifest_lists_inputs_read_and_files_replaced():
    manifest = build_manifest(OPERATION, "reprocess", options="{}", inputs=("a/",),
                              input_files=[("a/x.jsonl", 10, 1.5)],
                              replaced_files=["events/dt=2024-01-02/b.parquet",
                                              "events/dt=2024-01-01/a.parquet"])
    assert manifest["files"] == [{"path": "a/x.jsonl", "size": 10, "mtime": 1.5}]
    assert manifest["replaced_files"] == sorted(manifest["replaced_files"])
    assert manifest["kind"] == "reprocess" and manifest["run_id"] == OPERATION.run_id


def test_part_number_ranges_never_overlap():
    seen = {}
    for writer in PART_RANGES:
        for chunk in (0, 1, 9_999):
            for index in (0, 9_999):
                number = part_number(writer, chunk, index)
                assert number not in seen, (writer, chunk, index, seen.get(number))
                seen[number] = (writer, chunk, index)
    with pytest.raises(ValueError):
        part_number("tables", 0, 10_000)
