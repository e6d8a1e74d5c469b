"""DedupeArticles: every story stored once, its other copies counted and linked.

    exact copies (same normalized text)      -> grouped by content hash
    near-duplicates (syndicated copies, light -> MinHash of word 3-shingles, candidates
    rewrites: estimated Jaccard >= threshold)    through LSH band keys, then verified
    copies of articles stored by earlier runs -> looked up in ``StoredArticles``, built
                                                 in ``DoFn.setup`` from the lake's files

Every group of copies (connected through verified pairs) keeps one canonical article: a
stored one if the group has any, else the earliest published (ties: smallest id). Each
other copy gets ``duplicate_of`` (the canonical id), ``duplicate_similarity``, and no
text; it is still an ``articles`` row, so its source counts as a source of the story.
A copy with the very same ``article_id`` as its canonical (the same record read twice)
is counted as a duplicate but gets no row of its own (``is_stored_copy``), so
``article_id`` stays unique.

Near-duplicates must also agree on their key terms, and a copy may state no number its
original lacks (``near_duplicates.may_copy``); each copy is checked against its group's
canonical article, so a chain of small edits never merges texts that differ on both sides.
A near-duplicate published more than ``near_duplicates.COPY_WINDOW_HOURS`` from its
original is a new report in the same words, not a copy (``near_duplicates.published_close``);
the very same text is a copy whenever it was published.
Texts of fewer than ``MIN_SHINGLES`` word 3-shingles get no signature: short notices
("Markets closed on Monday.") are only ever exact duplicates.
"""
from __future__ import annotations

import hashlib

import apache_beam as beam
import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
from apache_beam.metrics import Metrics

from newsevents.transforms.core import near_duplicates as nd
from newsevents.transforms.storage.lake_files import read_parquet_columns
from newsevents.transforms.routing import RouteByTag

DUPLICATES = "duplicates"
ARTICLES = "articles"
MIN_SHINGLES = 8
# Members of one LSH bucket each compared with at most this many earlier members: a
# bucket of hundreds of look-alike notices stays linear, and union-find still links
# every member to the group through the first ones.
MAX_BUCKET_COMPARISONS = 32
STORED = "stored:"  # node names of stored articles in the pair graph
STORED_COLUMNS = ["article_id", "content_hash", "duplicate_of", "minhash", "key_terms",
                  "published_at", "published_at_source"]
# A publication time the run's --default-published-at filled in is a guess, not the
# article's: it neither keeps copies apart nor together.
GUESSED_TIME = "default"
# Carried by an article with exact copies until its copies are resolved (not a column):
# the publication hour of its last copy. The group is a near-copy of another article
# only if all of it was published within the window of that article; otherwise a copy
# published days after the other would be merged into it through its twin.
COPIES_UNTIL = "exact_copies_until"


def is_stored_copy(row: dict) -> bool:
    """Whether a duplicate gets its own articles row (it has an id of its own)."""
    return row["article_id"] != row["duplicate_of"]


def canonical_order(row: dict):
    """Sort key choosing which copy is the original: earliest, then smallest id."""
    return (row["published_at"], row["article_id"])


def node_order(node: str, published_at: str = "") -> tuple:
    """Stored articles come before any article of this run."""
    return (0, "", node) if node.startswith(STORED) else (1, published_at, node)


def split_copies(rows: list[dict]) -> tuple[dict, list[dict]]:
    """The canonical row (with COPIES_UNTIL when it has copies) and the duplicate rows
    (text dropped, ``duplicate_of`` set)."""
    ordered = sorted(rows, key=canonical_order)
    canonical, copies = ordered[0], []
    for row in ordered[1:]:
        copies.append(dict(row, text=None, minhash=None, key_terms=None,
                           duplicate_of=canonical["article_id"],
                           duplicate_similarity=1.0))
    hours = [hour_of(row) for row in copies]
    if copies and None not in hours:
        canonical = dict(canonical, **{COPIES_UNTIL: max(hours)})
    return canonical, copies


def hash64(value: str) -> int:
    """A stable 64-bit key of an id or a content hash (the first 8 bytes of its SHA-1)."""
    return int.from_bytes(hashlib.sha1(value.encode("utf-8")).digest()[:8], "little")


def add_signature(row: dict) -> dict:
    """The row with ``minhash`` and ``key_terms`` (bytes; None for a short text)."""
    text = row.get("text") or ""
    if len(nd.shingles(text)) < MIN_SHINGLES:
        return dict(row, minhash=None, key_terms=None)
    return dict(row, minhash=nd.to_bytes(nd.signature(text)),
                key_terms=nd.to_bytes(nd.key_terms(text)))


def terms_of(row: dict) -> np.ndarray:
    return nd.from_bytes(row.get("key_terms") or b"")


def hour_of(row: dict) -> nd.Published:
    """The row's publication hour, None where unknown or guessed; for an article with
    exact copies, the span from its hour to its last copy's (``split_copies``)."""
    if row.get("published_at_source") == GUESSED_TIME:
        return None
    hour = nd.published_hour(row.get("published_at"))
    last = row.get(COPIES_UNTIL)
    return (hour, max(hour, last)) if hour is not None and last is not None else hour


def published_hours(table: pa.Table) -> np.ndarray:
    """Stored rows' publication hours (nd.UNKNOWN_HOUR where null, guessed or absent:
    files written before a column are read as nulls)."""
    times = table.column("published_at").combine_chunks()
    if not pa.types.is_timestamp(times.type):
        return np.full(len(times), nd.UNKNOWN_HOUR, np.int64)
    micros = pc.cast(times.cast(pa.timestamp("us", tz="UTC")), pa.int64())
    hours = np.floor_divide(pc.fill_null(micros, 0).to_numpy(zero_copy_only=False), 3_600_000_000)
    hours[pc.is_null(micros).to_numpy(zero_copy_only=False)] = nd.UNKNOWN_HOUR
    sources = table.column("published_at_source").combine_chunks()
    if pa.types.is_string(sources.type):
        guessed = pc.fill_null(pc.equal(sources, GUESSED_TIME), False)
        hours[guessed.to_numpy(zero_copy_only=False)] = nd.UNKNOWN_HOUR
    return hours.astype(np.int64)


def binary_values(column) -> tuple[np.ndarray, np.ndarray]:
    """A binary Arrow column as (all bytes, offsets): no Python object per value."""
    array = column.combine_chunks() if hasattr(column, "combine_chunks") else column
    if len(array) == 0:
        return np.empty(0, np.uint8), np.zeros(1, np.int64)
    array = pc.fill_null(array, b"")
    offsets = np.frombuffer(array.buffers()[1], dtype=np.int32)[array.offset:array.offset + len(array) + 1]
    data = np.frombuffer(array.buffers()[2], dtype=np.uint8) if array.buffers()[2] else np.empty(0, np.uint8)
    return data, offsets.astype(np.int64)


def hash64_all(values) -> np.ndarray:
    return np.fromiter((hash64(v or "") for v in values.to_pylist()), dtype=np.uint64, count=len(values))


class StoredArticles:
    """Articles of the lake (and of earlier chunks of this run) as compact arrays: exact
    lookups by article id and by content hash, near-duplicate search by signature.

    Loaded column by column, a file at a time, with no Python object per article but
    its id; a million stored articles take about 0.6 GB (benchmarks/README.md)."""

    def __init__(self, id_keys: np.ndarray, content_keys: np.ndarray, content_ids,
                 index: nd.SignatureIndex, content_hours: np.ndarray | None = None):
        self.id_keys = np.sort(id_keys)
        order = np.argsort(content_keys, kind="stable")
        self.content_keys, self.content_ids = content_keys[order], content_ids.take(pa.array(order))
        # The publication hour of each stored original, in content_keys' order: a text
        # that copies one exactly takes its hour into the copy groups, so a near-copy of
        # that text published days later is not merged into the stored original.
        self.content_hours = (np.full(len(order), nd.UNKNOWN_HOUR, np.int64) if content_hours is None
                              else np.asarray(content_hours, np.int64)[order])
        self.index = index

    @classmethod
    def from_files(cls, paths: list[str]) -> "StoredArticles":
        return cls.from_tables(read_parquet_columns(path, STORED_COLUMNS) for path in paths)

    @classmethod
    def from_tables(cls, tables) -> "StoredArticles":
        id_keys, content_keys, content_ids, content_hours = [], [], [], []
        signed_ids, sigs, terms, term_counts, hours = [], [], [], [], []
        for table in tables:
            table = table.select(STORED_COLUMNS)
            id_keys.append(hash64_all(table.column("article_id")))
            kept = table.filter(pc.is_null(table.column("duplicate_of")))
            content_keys.append(hash64_all(kept.column("content_hash")))
            content_ids.append(kept.column("article_id"))
            kept_hours = published_hours(kept)
            content_hours.append(kept_hours)
            is_signed = pc.is_valid(kept.column("minhash"))
            signed = kept.filter(is_signed)
            hours.append(kept_hours[is_signed.to_numpy(zero_copy_only=False)])
            signed_ids.append(signed.column("article_id"))
            data, _ = binary_values(signed.column("minhash"))
            # copies, so each file's Arrow buffers are freed before the next is read
            sigs.append(data.view("<u4").reshape(-1, nd.NUM_PERM).copy())
            data, offsets = binary_values(signed.column("key_terms"))
            terms.append(data.view("<u4").copy())
            term_counts.append(np.diff(offsets) // 4)
        counts = np.concatenate(term_counts) if term_counts else np.empty(0, np.int64)
        offsets = np.zeros(len(counts) + 1, np.int64)
        np.cumsum(counts, out=offsets[1:])
        index = nd.SignatureIndex(
            pa.chunked_array(signed_ids, pa.string()),
            np.concatenate(sigs) if sigs else np.empty((0, nd.NUM_PERM), np.uint32),
            (np.concatenate(terms).astype(np.uint32) if terms else np.empty(0, np.uint32), offsets),
            np.concatenate(hours) if hours else np.empty(0, np.int64))
        return cls(np.concatenate(id_keys) if id_keys else np.empty(0, np.uint64),
                   np.concatenate(content_keys) if content_keys else np.empty(0, np.uint64),
                   pa.chunked_array(content_ids, pa.string()), index,
                   np.concatenate(content_hours) if content_hours else np.empty(0, np.int64))

    def __len__(self) -> int:
        return len(self.id_keys)

    @property
    def nbytes(self) -> int:
        return (self.id_keys.nbytes + self.content_keys.nbytes + self.content_ids.nbytes
                + self.content_hours.nbytes
                + self.index.nbytes + self.index.article_ids.nbytes)

    @staticmethod
    def _find(keys: np.ndarray, value: str) -> int | None:
        key = np.uint64(hash64(value))
        at = int(np.searchsorted(keys, key))
        return at if at < len(keys) and keys[at] == key else None

    def match(self, row: dict, threshold: float,
              window: int = nd.COPY_WINDOW_HOURS) -> nd.Match | None:
        """The stored article this one copies: itself (the same id read again), one
        with the same text, or a near-duplicate published within ``window`` hours."""
        if self._find(self.id_keys, row["article_id"]) is not None:
            return nd.Match(row["article_id"], 1.0)
        at = self._find(self.content_keys, row["content_hash"] or "")
        if at is not None:
            return nd.Match(self.content_ids[at].as_py(), 1.0,
                            published=nd.known_hour(self.content_hours[at]))
        if row.get("minhash"):
            return self.index.best_match(nd.from_bytes(row["minhash"]), threshold, terms_of(row),
                                         hour_of(row), window)
        return None


class SplitCopiesFn(beam.DoFn):
    """One group of exact copies -> the canonical article and its tagged copies."""

    def process(self, keyed):
        _, rows = keyed
        canonical, copies = split_copies(list(rows))
        yield ARTICLES, canonical
        for copy in copies:
            yield DUPLICATES, copy


class MatchStoredFn(beam.DoFn):
    """Pairs (article, stored article) for articles that copy one already stored."""

    def __init__(self, stored_files: list[str], threshold: float, window: int):
        self.stored_files = list(stored_files)
        self.threshold = threshold
        self.window = window
        self.stored = None

    def setup(self):
        # The lake's articles, loaded once per worker like a model.
        self.stored = StoredArticles.from_files(self.stored_files)

    def process(self, row: dict):
        match = self.stored.match(row, self.threshold, self.window) if len(self.stored) else None
        if match:
            own = row.get("key_terms") or b""
            # An exact copy's original has the copy's own key terms.
            stored = own if match.terms is None else nd.to_bytes(match.terms)
            yield (row["article_id"], node_order(row["article_id"], str(row["published_at"])),
                   STORED + match.article_id, node_order(STORED + match.article_id),
                   match.similarity, own, stored, hour_of(row), match.published,
                   match.terms is None)  # the same record or text: a copy at any time


def bucket_entries(row: dict):
    """(band key, (article id, order, signature, key terms, publication hour)) for each
    band of a signed article."""
    if not row.get("minhash"):
        return
    sig = nd.from_bytes(row["minhash"])
    entry = (row["article_id"], node_order(row["article_id"], str(row["published_at"])),
             row["minhash"], row.get("key_terms") or b"", hour_of(row))
    for key in nd.band_keys(sig).tolist():
        yield key, entry


def verify_bucket(keyed, threshold: float, window: int = nd.COPY_WINDOW_HOURS):
    """Verified near-duplicate pairs among the articles sharing one band key: the later
    article may be a copy of the earlier one (``near_duplicates.may_copy``, published
    within ``window`` hours of it)."""
    _, entries = keyed
    members = sorted(entries, key=lambda e: e[1])
    for i, (node, order, sig, terms, hour) in enumerate(members):
        for other, other_order, other_sig, other_terms, other_hour in \
                members[max(0, i - MAX_BUCKET_COMPARISONS):i]:
            score = nd.similarity(nd.from_bytes(sig), nd.from_bytes(other_sig))
            if score >= threshold and nd.published_close(hour, other_hour, window) \
                    and nd.may_copy(nd.from_bytes(terms), nd.from_bytes(other_terms)):
                yield other, other_order, node, order, score, other_terms, terms, other_hour, hour, False


def copy_groups(pairs: list[tuple], window: int = nd.COPY_WINDOW_HOURS) -> dict[str, tuple[str, float]]:
    """Article id -> (canonical id, similarity) for every article that is a copy: each
    checked against its canonical, not only against the neighbour that linked it."""
    order, edges, terms, hours, exact = {}, [], {}, {}, set()
    for a, order_a, b, order_b, score, terms_a, terms_b, hour_a, hour_b, same_text in pairs:
        if same_text:
            exact.add(frozenset((a, b)))
        order[a], order[b] = tuple(order_a), tuple(order_b)
        for node, hour in ((a, hour_a), (b, hour_b)):
            if hour is not None or node not in hours:  # a stored node's hour may be unknown in one pair
                hours[node] = hour
        for node, node_terms in ((a, terms_a), (b, terms_b)):
            if node_terms or node not in terms:  # exact copies travel without key terms
                terms[node] = nd.from_bytes(node_terms)
        edges.append((a, b, score))
    return {member: (match.article_id.removeprefix(STORED), match.similarity)
            for member, match in nd.cluster_pairs(edges, order, terms, hours, window, exact).items()
            if not member.startswith(STORED)}


def resolve_copy(tag: str, row: dict, found: tuple[str, float] | None) -> tuple[str, dict]:
    """A row kept or marked as a copy, given its group's (canonical id, similarity)."""
    row = {key: value for key, value in row.items() if key != COPIES_UNTIL}
    if tag == ARTICLES:
        if found is None:
            return ARTICLES, row
        canonical, score = found
        return DUPLICATES, dict(row, text=None, minhash=None, key_terms=None,
                                duplicate_of=canonical, duplicate_similarity=score)
    return DUPLICATES, row if found is None else dict(row, duplicate_of=found[0])


class ResolveCopiesFn(beam.DoFn):
    """(article id, {"rows": [(tag, row)], "groups": [(canonical, score)]}) -> each row
    kept or tagged as a copy of its group's canonical article.

    An exact copy whose own id is in no group follows its original's group: it is sent
    on, keyed by ``duplicate_of``, to ``FollowOriginalFn``. A join instead of the copy
    groups as a side input: Beam's DaskRunner computes a side input again inside every
    task that reads it."""

    FOLLOW = "follow"

    def __init__(self):
        self.near = Metrics.counter("dedupe", "near_duplicates")
        self.duplicates = Metrics.counter("dedupe", "duplicates")

    def process(self, joined):
        _, sides = joined
        found = next(iter(sides["groups"]), None)
        for tag, row in sides["rows"]:
            if tag == DUPLICATES and found is None:
                yield self.FOLLOW, (row["duplicate_of"], row)
                continue
            tag_out, row_out = resolve_copy(tag, row, found)
            if tag_out == DUPLICATES:
                self.duplicates.inc()
                if tag == ARTICLES and row_out["duplicate_similarity"] < 1.0:
                    self.near.inc()
            yield tag_out, row_out


class FollowOriginalFn(beam.DoFn):
    """(original id, {"rows": [copy rows], "groups": [(canonical, score)]}) -> copies."""

    def __init__(self):
        self.duplicates = Metrics.counter("dedupe", "duplicates")

    def process(self, joined):
        _, sides = joined
        found = next(iter(sides["groups"]), None)
        for row in sides["rows"]:
            self.duplicates.inc()
            yield resolve_copy(DUPLICATES, row, found)[1]


class DedupeArticles(beam.PTransform):
    """Article rows -> {"articles": kept rows (with ``minhash``), "duplicates": copies}.

    ``stored_files`` are the articles files already in the lake (and staged by earlier
    chunks of this run); ``threshold`` the estimated Jaccard similarity from which two
    texts are near-duplicates (``near_duplicates.DEFAULT_THRESHOLD``); ``window`` the
    hours within which a near-duplicate must have been published to be a copy
    (``near_duplicates.COPY_WINDOW_HOURS``).
    """

    def __init__(self, stored_files: list[str] | None = None,
                 threshold: float = nd.DEFAULT_THRESHOLD, window: int = nd.COPY_WINDOW_HOURS):
        super().__init__()
        self.stored_files = list(stored_files or [])
        self.threshold = threshold
        self.window = window

    def expand(self, articles):
        exact = (articles
                 | "KeyByContent" >> beam.Map(lambda row: (row["content_hash"], row))
                 | "GroupExactCopies" >> beam.GroupByKey()
                 | "SplitExactCopies" >> beam.ParDo(SplitCopiesFn()))
        split = exact | "RouteExactCopies" >> RouteByTag((ARTICLES, DUPLICATES))
        signed = split[ARTICLES] | "AddSignature" >> beam.Map(add_signature)
        stored_pairs = ((signed, split[DUPLICATES]) | "KeptAndCopies" >> beam.Flatten()
                        | "MatchStored" >> beam.ParDo(MatchStoredFn(self.stored_files, self.threshold, self.window)))
        run_pairs = (signed
                     | "KeyByBand" >> beam.FlatMap(bucket_entries)
                     | "GroupByBand" >> beam.GroupByKey()
                     | "VerifyBuckets" >> beam.FlatMap(verify_bucket, self.threshold, self.window))
        groups = ((stored_pairs, run_pairs)
                  | "AllPairs" >> beam.Flatten()
                  # without_defaults: see pipelines.batch.count (no pairs, no groups)
                  | "CollectPairs" >> beam.CombineGlobally(
                      beam.combiners.ToListCombineFn()).without_defaults()
                  | "CopyGroups" >> beam.FlatMap(lambda pairs, window: copy_groups(pairs, window).items(),
                                              self.window))
        rows = ((signed | "TagKept" >> beam.Map(lambda row: (row["article_id"], (ARTICLES, row))),
                 split[DUPLICATES] | "TagCopies" >> beam.Map(
                     lambda row: (row["article_id"], (DUPLICATES, row))))
                | "AllRows" >> beam.Flatten())
        resolved = ({"rows": rows, "groups": groups} | "JoinGroups" >> beam.CoGroupByKey()
                    | "ResolveCopies" >> beam.ParDo(ResolveCopiesFn())
                    | "RouteResolved" >> RouteByTag((ARTICLES, DUPLICATES, ResolveCopiesFn.FOLLOW)))
        followed = ({"rows": resolved[ResolveCopiesFn.FOLLOW], "groups": groups}
                    | "JoinOriginals" >> beam.CoGroupByKey()
                    | "FollowOriginals" >> beam.ParDo(FollowOriginalFn()))
        duplicates = ((resolved[DUPLICATES], followed) | "AllCopies" >> beam.Flatten())
        return {ARTICLES: resolved[ARTICLES], DUPLICATES: duplicates}
