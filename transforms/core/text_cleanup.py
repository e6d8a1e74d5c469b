"""Text normalization for articles. Pure functions, no Beam.

    clean_article_text("Caf\u00c3\u00a9  attack\r\n\r\n\r\nRead More: x")  ->  "Café attack"
"""
from __future__ import annotations

import hashlib
import re
import unicodedata

import ftfy

SPACES = re.compile(r"[ \t\u00a0\u2000-\u200b\u202f\u205f\u3000]+")
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
MANY_BLANK_LINES = re.compile(r"\n{3,}")


# Text saved as Mac Roman and read as Latin-1 turns a no-break space into "Ê"
# ("heldÊaÊprotest") and a right quote into "Õ" ("itÕs"), which ftfy cannot tell from
# letters. An "Ê" is a space after a lowercase letter or a digit, after a capital before
# a lowercase letter ("USÊtroops"), or after a mark before no lowercase letter ("said:Ê"We",
# not "(AFP)Être", a French word); an "Õ" between lowercase letters is an apostrophe. A
# word of French, Portuguese or Vietnamese has "ê" or "õ" there, never the capital.
MAC_ROMAN_NO_BREAK_SPACE = re.compile(
    r"(?<=[a-z0-9])\u00ca+(?=[A-Za-z0-9(\[\"'\u201c\u2018]|$)"
    r"|(?<=[A-Z])\u00ca+(?=[a-z])"
    r"|(?<=[.,;:!?)\]\"'\u201d\u2019])\u00ca+(?=[A-Z0-9(\[\"'\u201c\u2018]|$)")
MAC_ROMAN_RIGHT_QUOTE = re.compile(r"(?<=[a-z])\u00d5(?=[a-z])")


def fix_unicode(text: str) -> str:
    """Repair mojibake and odd characters (ftfy; Mac Roman read as Latin-1), then
    NFKC-normalize."""
    text = ftfy.fix_text(text, normalization="NFC")
    text = MAC_ROMAN_RIGHT_QUOTE.sub("'", MAC_ROMAN_NO_BREAK_SPACE.sub(" ", text))
    return unicodedata.normalize("NFKC", text)


def normalize_whitespace(text: str) -> str:
    """One space between words, lines stripped, at most one blank line between paragraphs."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = CONTROL.sub("", text)
    lines = [SPACES.sub(" ", line).strip() for line in text.split("\n")]
    return MANY_BLANK_LINES.sub("\n\n", "\n".join(lines)).strip()


def remove_boilerplate_lines(text: str, patterns: list[re.Pattern]) -> tuple[str, int]:
    """Drop lines matching a boilerplate pattern, and repeats of a line already seen.

    Returns the text and the number of lines removed. Repeated short lines (photo
    captions pasted twice) are dropped; repeated blank lines are left to whitespace
    normalization.
    """
    kept, seen, removed = [], set(), 0
    for line in text.split("\n"):
        stripped = line.strip()
        if stripped and (any(p.search(stripped) for p in patterns) or stripped in seen):
            removed += 1
            continue
        if stripped:
            seen.add(stripped)
        kept.append(line)
    return "\n".join(kept), removed


def clean_article_text(text: str, patterns: list[re.Pattern]) -> str:
    """Unicode repair, whitespace and boilerplate removal: the normalized article text."""
    text = normalize_whitespace(fix_unicode(text))
    text, _ = remove_boilerplate_lines(text, patterns)
    return normalize_whitespace(text)


def content_hash(text: str) -> str:
    """Hash of the text with case and whitespace folded: equal for exact copies."""
    folded = " ".join(text.lower().split())
    return hashlib.sha256(folded.encode("utf-8")).hexdigest()[:32]


def make_article_id(record: dict, text_hash: str) -> str:
    """A stable id: the same record (identity and content) gets the same id in every run.

    Identity is the URL, else source + external id, else the input file and position.
    The content hash is part of it, so an updated version of a page is a new article.
    """
    if record.get("url"):
        identity = "url:" + record["url"].strip()
    elif record.get("external_id"):
        identity = f"id:{record.get('source') or ''}:{record['external_id']}"
    else:
        identity = f"file:{record.get('input')}:{record.get('position')}"
    return hashlib.sha256(f"{identity}|{text_hash}".encode("utf-8")).hexdigest()[:24]


# A text is plainly English (no language detector needed) when, in its first
# QUICK_SAMPLE_CHARS, at least MIN_MARKER_WORDS words are read, MIN_DISTINCT_MARKERS
# different English markers occur, they make MIN_MARKER_SHARE of the words, and at most
# MAX_FOREIGN_LETTERS of the letters are outside ASCII. Chosen on the real sets
# (benchmarks/language_check.py): English prose has markers at about a quarter of its
# words, and no text the detector calls another language passes.
QUICK_SAMPLE_CHARS = 2000
MIN_MARKER_WORDS = 8
MIN_DISTINCT_MARKERS = 3
MIN_MARKER_SHARE = 0.10
MAX_FOREIGN_LETTERS = 0.05
WORD = re.compile(r"[^\W\d_]+")


def plainly_english(text: str, markers: frozenset[str]) -> bool:
    """Whether the text is English beyond doubt by its function words (``markers``: the
    english_markers.txt lexicon). False means "ask the detector", not "not English"."""
    sample = text[:QUICK_SAMPLE_CHARS]
    words = WORD.findall(sample.lower())
    if len(words) < MIN_MARKER_WORDS:
        return False
    found = [word for word in words if word in markers]
    if len(set(found)) < MIN_DISTINCT_MARKERS or len(found) < MIN_MARKER_SHARE * len(words):
        return False
    letters = [char for char in sample if char.isalpha()]
    foreign = sum(1 for char in letters if not char.isascii())
    return foreign <= MAX_FOREIGN_LETTERS * len(letters)


# The detector weighs a text's words without the capitalized ones when this many letters
# are left outside quotation marks; with fewer, the whole sample (a headline in capitals,
# a list of names, a headline whose lowercase words are only a quoted slogan).
MIN_DETECTION_LETTERS = 20
OPENING_MARKS = "\"'([\u201c\u2018\u201e\u00ab\u00bf\u00a1"
# A quotation: between double quotes, or single quotes that open after a space (not the
# apostrophe of "women's").
QUOTATION = re.compile(r"[\"\u201c\u201e\u00ab][^\"\u201d\u00bb]*[\"\u201d\u00bb]"
                       r"|(?<!\S)['\u2018][^'\u2019]*['\u2019](?!\w)")


def detection_sample(text: str) -> str:
    """What the language detector reads of a text: its first QUICK_SAMPLE_CHARS without
    the capitalized words, as names of people, places and groups are no evidence of the
    language it is written in (a brief dense with local names, "AMISOM forces clash with
    al Shabaab, retake Goof Guduud", was read as Somali). German nouns go too, and a
    sentence's first word; the other words of any language stay. A quotation is no
    evidence either: where the words left are mostly one ("Crowd Chanting 'azadi azadi'
    Dispersed By Police"), the whole sample."""
    sample = text[:QUICK_SAMPLE_CHARS]
    kept = " ".join(word for word in sample.split() if not word.lstrip(OPENING_MARKS)[:1].isupper())
    unquoted = QUOTATION.sub(" ", kept)
    return kept if sum(char.isalpha() for char in unquoted) >= MIN_DETECTION_LETTERS else sample


LANGUAGE_ALIASES = {"english": "en", "eng": "en", "en-us": "en", "en-gb": "en",
                    "french": "fr", "fra": "fr", "arabic": "ar", "ara": "ar",
                    "spanish": "es", "spa": "es", "german": "de", "deu": "de"}


def normalize_language_code(value: str | None) -> str | None:
    """A declared language to an ISO 639-1 code: 'English', 'EN', 'en-GB' -> 'en'."""
    if not value:
        return None
    code = value.strip().lower().replace("_", "-")
    code = LANGUAGE_ALIASES.get(code, code)
    return code.split("-")[0][:3] or None
