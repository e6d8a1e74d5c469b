"""Near-duplicate articles: MinHash signatures, LSH band keys and a compact index.

    signature("Gunmen killed five people in ...")   -> 64 uint32 MinHash values
    band_keys(sig)                                    -> 16 uint64 keys, one per band
    similarity(sig_a, sig_b)                          -> estimated Jaccard of the shingles

Two articles are near-duplicates when the estimated Jaccard similarity of their word
3-shingles reaches ``DEFAULT_THRESHOLD`` (0.5) and their key terms agree (``terms_agree``):
they state the same numbers (in digits or words: "four" is "4"), and their capitalized
names differ on one side only, by at most two. The guard keeps apart what shingles alone would merge: templated
briefs that differ in the toll ("Gunmen killed 5 in Kano" / "... 7 in Kano"), in the
place or the day ("... looted crops in Tal Baydar" / "... in Rihaniya"), and an update
that raises a toll, which is a new report, not a copy. A copy that adds a dateline or
a credit line, or drops a sentence, still agrees; the names of a dateline and of a
closing credit line are not key terms, so outlets crediting themselves differently do
not tell copies apart. A copy is a re-publication: an edited text published more than
``COPY_WINDOW_HOURS`` from the other is a new report in the same words (ACLED writes a
note a day from one template; a paper re-runs a brief as a follow-up), so it is stored
and its events are extracted (``published_close``); only the very same text is a copy
whenever it was published. Candidates are found only through shared LSH
band keys, never by comparing all pairs: 21 bands of 3 rows, so a pair at 0.5
similarity shares a band with probability 0.94, at 0.6 with 0.99, and unrelated
articles (0.05) with 0.003.

``SignatureIndex`` holds the stored articles' band keys, signatures and key terms as
numpy arrays: about 0.6 KB an article (see benchmarks/README.md), where a dict of band
keys would take several times that. No Beam here.
"""
from __future__ import annotations

import datetime as dt
import re
import zlib
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from newsevents.transforms.core.article_formats import DATELINE
from newsevents.transforms.defaults import (DEFAULT_COPY_WINDOW_HOURS,
                                            DEFAULT_NEAR_DUPLICATE_THRESHOLD)
from newsevents.transforms.lexicons.loader import read_csv, read_words

NUM_PERM = 64
BANDS = 21
ROWS_PER_BAND = 3  # 21 bands of 3 rows use 63 of the 64 values
SHINGLE_WORDS = 3
SEED = 1
# Chosen by benchmarks/dedupe_threshold.py: at 0.5 the index finds nearly every wrapped,
# trimmed or reworded copy and takes no distinct pair (numbers in docs/incidents.md).
DEFAULT_THRESHOLD = DEFAULT_NEAR_DUPLICATE_THRESHOLD

WORD = re.compile(r"\w+", re.UNICODE)
WORD_SPLIT = re.compile(r"[^\W\d_]+")
# A closing parenthesis may be missing where a copy was cut inside the credit line. A
# credit names someone and states no number: a closing "(27/01)" or "(6-10 March)" is
# the story's date, not a credit, and stays a key term.
CREDIT_LINE = re.compile(r"\s*\([^()\d]{2,120}(?:\)\s*)?$")
# A closing copyright notice ("Copyright Wire Agency 2024.", "(c) 2024 Wire") that the
# normalizer left inside a line: the outlet's, not the story's.
COPYRIGHT_LINE = re.compile(r"(?:^|(?<=[.!?\s]))\s*(?:©|\(c\)|copyright\b)[^.!?]{0,120}[.!?]?\s*$",
                            re.IGNORECASE)
TOKEN = re.compile(r"[\w'.,-]+")
SENTENCE_ENDS = ".!?"
CLOSING_MARKS = "'\")"
# datasketch 2.0 made another permutation scheme its default: signatures of the same text
# differ from those of 1.x, so a lake's stored signatures would no longer match new ones
# (copies across runs missed) and the copy thresholds were measured on these. "legacy"
# keeps 1.x's values bit for bit.
MINHASH_SCHEME = "legacy"
MAX_KEY_TERMS = 128
MAX_NAME_CHANGES = 2
# Briefs (this many distinct content words or fewer) are compared word by word: written
# from templates, they differ by one word when they report another day, place or act.
BRIEF_WORDS = 40
KEY_SLICE = 50_000
# 36 hours keeps dates one calendar day apart together and parts those two apart.
# Counted on the real ACLED notes: 37 of the 69 Asian notes stored as copies of a
# different text were published two days or more after it.
COPY_WINDOW_HOURS = DEFAULT_COPY_WINDOW_HOURS
UNKNOWN_HOUR = np.iinfo(np.int64).min  # a stored article's publication hour, unknown
_BAND_MULTIPLIERS = np.array([0x9E3779B97F4A7C15, 0xC2B2AE3D27D4EB4F,
                              0x165667B19E3779F9, 0x27D4EB2F165667C5], dtype=np.uint64)


def shingles(text: str, size: int = SHINGLE_WORDS) -> set[bytes]:
    """Lower-cased word n-grams of a text (the whole text when it is shorter)."""
    words = WORD.findall(text.lower())
    if len(words) <= size:
        return {" ".join(words).encode("utf-8")} if words else set()
    return {" ".join(words[i:i + size]).encode("utf-8") for i in range(len(words) - size + 1)}


def signature(text: str) -> np.ndarray:
    """The MinHash signature (NUM_PERM uint32) of a text's shingles."""
    # Imported where it is used: datasketch brings scipy (0.25 s), which a driver that
    # only builds the pipeline does not need.
    from datasketch import MinHash

    minhash = MinHash(num_perm=NUM_PERM, seed=SEED, scheme=MINHASH_SCHEME)
    minhash.update_batch(list(shingles(text)))
    return minhash.hashvalues.astype(np.uint32)


def story_body(text: str) -> str:
    """The text without leading datelines ("KANO, Nigeria (Wire) - "), closing credit
    lines in parentheses ("(Reporting by the wire desk.)") and closing copyright notices;
    a copy may add its own to the original's."""
    body = text.strip()
    while (dateline := DATELINE.match(body)) is not None:
        body = body[dateline.end():].lstrip()
    while True:
        closing = CREDIT_LINE.search(body) or COPYRIGHT_LINE.search(body)
        if closing is None or closing.start() == 0:
            break
        body = body[:closing.start()]
    return body


@lru_cache(maxsize=1)
def function_words() -> frozenset[str]:
    return frozenset(read_words("function_words.txt"))


@lru_cache(maxsize=1)
def number_words() -> dict[str, str]:
    """"sixteen" -> "16": a number written out is the same key term as in digits
    ("a" and "an" are left out: they are articles far more often than numbers)."""
    rows = read_csv("quantities.csv", ("word", "value")) + read_csv("ordinals.csv", ("word", "value"))
    return {row["word"].lower(): row["value"] for row in rows if row["word"].lower() not in ("a", "an")}


# A key term's class, in its two lowest bits: a name, a number, a content word or a year
# (a number too, but one a copy may add: copyright and credit lines carry one).
TERM_NAME, TERM_NUMBER, TERM_WORD, TERM_YEAR = 0, 1, 2, 3
CLASS_BITS = np.uint32(3)
YEAR = re.compile(r"(?:19|20)\d\d")


def term(value: str, kind: int) -> int:
    return (zlib.crc32(value.encode("utf-8")) & ~3) | kind


def key_terms(text: str) -> np.ndarray:
    """Sorted CRC-32s of the key terms of a text's body, the two lowest bits telling
    their class: numbers (words with a digit, and number words as their value) and
    capitalized words that do not start a sentence (names), at most MAX_KEY_TERMS of
    each, and a sample of its content words (all words but function words and numbers:
    the MAX_KEY_TERMS smallest, so a short text keeps all of them)."""
    names, numbers, words = set(), set(), set()
    seen: dict[str, int] = {}
    text = story_body(text)
    number_values, skipped = number_words(), function_words()
    for match in TOKEN.finditer(text):
        word = match.group(0).strip(".,'-")
        if not word:
            continue
        lower = word.lower()
        if lower in number_values:
            word = number_values[lower]
        if any(c.isdigit() for c in word):
            # Each occurrence its own term: a toll changed to a number the text states
            # elsewhere still changes what it states.
            seen[word] = seen.get(word, 0) + 1
            numbers.add(term(word if seen[word] == 1 else f"{word}#{seen[word]}",
                             TERM_YEAR if YEAR.fullmatch(word) else TERM_NUMBER))
        elif lower not in skipped:
            words.update(term(w, TERM_WORD) for w in WORD_SPLIT.findall(lower))
            if word[0].isupper() and not opens_sentence(text, match.start()):
                names.add(term(word, TERM_NAME))
    kept = [v for group in (names, numbers, words) for v in sorted(group)[:MAX_KEY_TERMS]]
    return np.array(sorted(kept), dtype=np.uint32)


def opens_sentence(text: str, start: int) -> bool:
    """Whether a word at ``start`` opens the text or a sentence: only blanks before it, or
    a full stop, "!" or "?" (and a closing quote or bracket) then blanks. Read backwards
    from the word, not by a regular expression over all the text before it (quadratic in
    a long article)."""
    i = start - 1
    while i >= 0 and text[i].isspace():
        i -= 1
    if i > 0 and text[i] in CLOSING_MARKS and text[i - 1] in SENTENCE_ENDS:
        return True
    return i < 0 or text[i] in SENTENCE_ENDS


def of_class(terms: np.ndarray, kind: int) -> np.ndarray:
    return terms[(terms & CLASS_BITS) == kind]


def numbers_of(terms: np.ndarray, years: bool = True) -> np.ndarray:
    """A text's numbers (with its years, or without), class bits cleared: lakes stored
    before years had a class of their own compare equal."""
    kinds = terms & CLASS_BITS
    found = terms[(kinds == TERM_NUMBER) | ((kinds == TERM_YEAR) if years else False)]
    return found & ~CLASS_BITS


def terms_agree(a: np.ndarray, b: np.ndarray) -> bool:
    """Whether two texts can be copies by their key terms:

    - one's numbers are all among the other's (a copy may drop a sentence, or add a
      credit line with a year; a toll that changes is an update, not a copy);
    - their names differ on one side only, by at most MAX_NAME_CHANGES;
    - their content words differ on one side only. A copy adds, drops or blanks out
      words; two texts that each have a word the other lacks ("began" / "continued"
      a strike, the "second" / "third" day, "in Nawabshah" / "locally") report
      different things. Long texts are compared on their samples of words, below the
      larger of the two samples' largest values, so one edited word in a long article
      is seldom seen, while a short brief is compared whole.

    Texts stored before words were key terms are judged by numbers and names alone."""
    a_numbers, b_numbers = numbers_of(a), numbers_of(b)
    if not (np.isin(a_numbers, b_numbers).all() or np.isin(b_numbers, a_numbers).all()):
        return False
    a_names, b_names = of_class(a, TERM_NAME), of_class(b, TERM_NAME)
    only_a = int((~np.isin(a_names, b_names)).sum())
    only_b = int((~np.isin(b_names, a_names)).sum())
    if min(only_a, only_b) > 0 or max(only_a, only_b) > MAX_NAME_CHANGES:
        return False
    a_words, b_words = of_class(a, TERM_WORD), of_class(b, TERM_WORD)
    if not len(a_words) or not len(b_words) or min(len(a_words), len(b_words)) > BRIEF_WORDS:
        return True
    return not (np.isin(a_words, b_words, invert=True).any()
                and np.isin(b_words, a_words, invert=True).any())


def may_copy(copy: np.ndarray, original: np.ndarray) -> bool:
    """Whether ``copy`` may be stored as a copy of ``original``: their key terms agree
    (``terms_agree``) and the copy tells nothing the original does not. A copy may drop
    sentences and gain a dateline, a credit line or a copyright year, but a later text
    that adds a number ("for the fifth day", a toll, a date) or, in a brief, any word
    ("in Gazipur", "Wednesday", "Parents ... began to protest") reports more, and marking
    it a copy would drop that from the lake. Long texts are not compared word by word
    (light rewording is normal between copies), and may add up to MAX_NAME_CHANGES
    names (an outlet crediting itself: "Global News Network could not verify the toll").
    An original stored without key terms is judged by ``terms_agree`` alone."""
    if not terms_agree(copy, original):
        return False
    if not len(original):
        return True
    if not np.isin(numbers_of(copy, years=False), numbers_of(original)).all():
        return False
    copy_words, original_words = of_class(copy, TERM_WORD), of_class(original, TERM_WORD)
    if max(len(copy_words), len(original_words)) > BRIEF_WORDS:
        return True
    return bool(np.isin(copy_words, original_words).all())


def published_hour(value) -> int | None:
    """Hours since the epoch of a publication time (an aware datetime or an ISO
    string); None when unknown."""
    if value is None or value == "":
        return None
    if isinstance(value, str):
        value = dt.datetime.fromisoformat(value)
    if value.tzinfo is None:
        value = value.replace(tzinfo=dt.timezone.utc)
    return int(value.timestamp() // 3600)


Published = int | tuple[int, int] | None  # an hour, a span of hours (first, last), unknown


def known_hour(hour) -> int | None:
    """A stored publication hour, None for UNKNOWN_HOUR."""
    return None if int(hour) == UNKNOWN_HOUR else int(hour)


def published_close(copy: Published, original: Published,
                    window: int = COPY_WINDOW_HOURS) -> bool:
    """Whether a text published at ``copy`` may be a copy of one published at
    ``original``: within ``window`` hours of it, or either time unknown. A span stands
    for a text and its exact copies, published from its first hour to its last: as a
    copy, the group follows its original only as a whole (all of it within the
    window); as an original, its own (first) hour counts."""
    if copy is None or original is None:
        return True
    first, last = (copy, copy) if isinstance(copy, int) else copy
    hour = original if isinstance(original, int) else original[0]
    return max(last, hour) - min(first, hour) <= window


def to_bytes(sig: np.ndarray) -> bytes:
    return np.asarray(sig, dtype="<u4").tobytes()


def from_bytes(data: bytes) -> np.ndarray:
    return np.frombuffer(data, dtype="<u4")


def band_keys(signatures: np.ndarray) -> np.ndarray:
    """uint64 keys of each band, shape (n, BANDS) for signatures of shape (n, NUM_PERM)
    (a single signature gives shape (BANDS,)). The band number is mixed in, so equal
    values in different bands never collide."""
    sigs = np.atleast_2d(np.asarray(signatures, dtype=np.uint64))
    bands = sigs[:, :BANDS * ROWS_PER_BAND].reshape(len(sigs), BANDS, ROWS_PER_BAND)
    with np.errstate(over="ignore"):
        keys = (bands * _BAND_MULTIPLIERS[:ROWS_PER_BAND]).sum(axis=2, dtype=np.uint64)
        keys ^= np.arange(BANDS, dtype=np.uint64) * np.uint64(0xFF51AFD7ED558CCD)
        keys ^= keys >> np.uint64(29)
    return keys[0] if np.ndim(signatures) == 1 else keys


def similarity(a: np.ndarray, b: np.ndarray) -> float:
    """Estimated Jaccard similarity: the share of equal MinHash values."""
    return float(np.count_nonzero(np.asarray(a) == np.asarray(b))) / NUM_PERM


@dataclass
class Match:
    article_id: str
    similarity: float
    terms: np.ndarray | None = None  # the matched article's key terms, where known
    published: Published = None  # the matched article's publication hour, where known


class SignatureIndex:
    """Stored articles' signatures, searchable by band key.

    Built once from (ids, signatures, key terms, publication hours); ``best_match(sig)``
    looks each of the query's band keys up by binary search and verifies the candidates
    by their signatures, key terms and publication hours.
    """

    def __init__(self, article_ids, signatures: np.ndarray,
                 terms: list[np.ndarray] | tuple[np.ndarray, np.ndarray] | None = None,
                 published: np.ndarray | None = None):
        # ids: a list, or an Arrow array (20 bytes an id instead of a Python string's 70)
        self.article_ids = article_ids
        if isinstance(terms, tuple):  # already flat: (all terms, offsets)
            self.terms, self.offsets = terms
        else:
            terms = terms if terms is not None else [np.empty(0, np.uint32)] * len(article_ids)
            # All rows' key terms in one array, row i at terms[offsets[i]:offsets[i + 1]].
            self.offsets = np.zeros(len(terms) + 1, dtype=np.int64)
            np.cumsum([len(t) for t in terms], out=self.offsets[1:])
            self.terms = np.concatenate(terms).astype(np.uint32) if terms else np.empty(0, np.uint32)
        self.signatures = np.asarray(signatures, dtype=np.uint32).reshape(-1, NUM_PERM)
        self.published = (np.full(len(self.signatures), UNKNOWN_HOUR, np.int64) if published is None
                          else np.asarray(published, dtype=np.int64))
        # Band keys in slices: the uint64 intermediates of a million rows at once would
        # take a gigabyte.
        keys = np.empty(len(self.signatures) * BANDS, dtype=np.uint64)
        for start in range(0, len(self.signatures), KEY_SLICE):
            part = self.signatures[start:start + KEY_SLICE]
            keys[start * BANDS:(start + len(part)) * BANDS] = band_keys(part).ravel()
        self.order = np.argsort(keys, kind="stable").astype(np.uint32)
        self.keys = keys[self.order]
        # row of key k in the sorted array -> article row
        self.order //= np.uint32(BANDS)

    def __len__(self) -> int:
        return len(self.article_ids)

    @property
    def nbytes(self) -> int:
        return (self.signatures.nbytes + self.keys.nbytes + self.order.nbytes
                + self.terms.nbytes + self.offsets.nbytes + self.published.nbytes)

    def article_id(self, row: int) -> str:
        found = self.article_ids[row]
        return found.as_py() if hasattr(found, "as_py") else found

    def terms_of(self, row: int) -> np.ndarray:
        return self.terms[self.offsets[row]:self.offsets[row + 1]]

    def published_of(self, row: int) -> int | None:
        return known_hour(self.published[row])

    def candidates(self, sig: np.ndarray) -> set[int]:
        keys = band_keys(sig)
        left = np.searchsorted(self.keys, keys, side="left")
        right = np.searchsorted(self.keys, keys, side="right")
        rows: set[int] = set()
        for lo, hi in zip(left.tolist(), right.tolist()):
            rows.update(self.order[lo:hi].tolist())
        return rows

    def best_match(self, sig: np.ndarray, threshold: float, terms: np.ndarray | None = None,
                   published: Published = None, window: int = COPY_WINDOW_HOURS) -> Match | None:
        """The most similar stored article at or above the threshold that the query,
        published at hour ``published``, may be a copy of (``may_copy``, published
        within ``window`` hours; ties: first stored)."""
        rows = np.array(sorted(self.candidates(sig)), dtype=np.int64)
        if not len(rows):
            return None
        scores = (self.signatures[rows] == np.asarray(sig, dtype=np.uint32)).sum(axis=1) / NUM_PERM
        best = None
        for row, score in zip(rows.tolist(), scores.tolist()):
            if score < threshold or (terms is not None and not may_copy(terms, self.terms_of(row))) \
                    or not published_close(published, self.published_of(row), window):
                continue
            if best is None or score > best.similarity:
                best = Match(self.article_id(row), score, self.terms_of(row), self.published_of(row))
        return best


def cluster_pairs(pairs: list[tuple[str, str, float]], order: dict[str, tuple],
                  terms: dict[str, np.ndarray] | None = None,
                  published: dict[str, Published] | None = None,
                  window: int = COPY_WINDOW_HOURS,
                  exact: set[frozenset[str]] | None = None) -> dict[str, Match]:
    """Groups of near-duplicate pairs; every member of a group but the first (by
    ``order``: a stored article before any new one, then the earliest published) is a
    duplicate of the first. Returns member -> Match(canonical, best similarity seen).

    With ``terms`` (node -> key terms), pairs only connect candidates: each member, in
    order, joins the first original of its connected component it ``may_copy``, or is
    an original itself. So a chain of small edits (a copy of a copy ...) never merges
    two texts that differ on both sides, and a text adding a number stays its own.
    With ``published`` (node -> publication hour), a member joins only an original
    published within ``window`` hours of it, unless the pair is in ``exact`` (the same
    record or the same text: a copy at any time). Stored articles are always originals."""
    parent: dict[str, str] = {}

    def find(x: str) -> str:
        parent.setdefault(x, x)
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    best: dict[str, float] = {}
    for a, b, score in pairs:
        ra, rb = find(a), find(b)
        if ra != rb:
            first, second = sorted((ra, rb), key=lambda r: order[r])
            parent[second] = first
        for member in (a, b):
            best[member] = max(best.get(member, 0.0), score)
    if terms is None:
        return {member: Match(find(member), best[member])
                for member in parent if find(member) != member}
    hours, same_text = published or {}, exact or set()
    components: dict[str, list[str]] = {}
    for member in parent:
        components.setdefault(find(member), []).append(member)
    found: dict[str, Match] = {}
    for members in components.values():
        originals: list[str] = []
        for member in sorted(members, key=lambda m: order[m]):
            canonical = None if order[member][0] == 0 else next(
                (o for o in originals if frozenset((member, o)) in same_text
                 or (may_copy(terms[member], terms[o])
                     and published_close(hours.get(member), hours.get(o), window))), None)
            if canonical is None:
                originals.append(member)
            else:
                found[member] = Match(canonical, best[member])
    return found
