"""Parse article files into raw article records. Pure functions, no Beam.

A raw article record is a dict::

    {"input": "news/2022-05-14.jsonl", "position": 3, "input_format": "jsonl",
     "external_id": "a-17", "url": None, "title": "...", "source": "Wire",
     "published_at": datetime(2022, 5, 14, tzinfo=UTC), "published_at_source": "input",
     "language": "en", "text": "...", "dateline_place": None}

Every function that looks at one record either returns such a dict or raises
``RecordError`` with a reason a person can act on; the caller turns that into a
reject row. Nothing here swallows an error.
"""
from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass

UTC = dt.timezone.utc

# Extensions we read, with the format they imply; each may end in ``.gz``.
# ".pane.jsonl" before ".jsonl": the stream's pane files (see newsevents.transforms.streaming.pane_files).
FORMATS = {".pane.jsonl": "pane", ".jsonl": "jsonl", ".ndjson": "jsonl", ".txt": "text", ".html": "html", ".htm": "html"}
JSONL_FIELDS = ("id", "url", "title", "source", "published_at", "language", "text", "html")
OPTIONAL_STRING_FIELDS = ("url", "title", "source", "language")


@dataclass(frozen=True)
class ReadLimits:
    """Bounds that keep one bad record from hurting a run."""
    max_chars: int = 2_000_000  # longer bodies are rejected, not truncated
    min_chars: int = 20  # shorter bodies carry no article
    earliest_year: int = 1900
    future_tolerance: dt.timedelta = dt.timedelta(days=2)


class RecordError(ValueError):
    """A record that cannot become an article; the message is the reject reason."""


def input_format(path: str) -> str | None:
    """The format of a file from its name: ``a.jsonl.gz`` -> ``jsonl``; None if unknown."""
    name = path.lower()
    if name.endswith(".gz"):
        name = name[:-3]
    for ext, fmt in FORMATS.items():
        if name.endswith(ext):
            return fmt
    return None


def parse_published_at(value, now: dt.datetime | None = None,
                       limits: ReadLimits = ReadLimits()) -> dt.datetime:
    """An ISO 8601 date or datetime to an aware UTC datetime; a naive time is UTC.

    >>> parse_published_at("2022-05-14")
    datetime.datetime(2022, 5, 14, 0, 0, tzinfo=datetime.timezone.utc)
    """
    if not isinstance(value, str):
        raise RecordError(f"published_at must be an ISO 8601 string, got {type(value).__name__}")
    text = value.strip()
    try:
        if len(text) == 10:
            parsed = dt.datetime.combine(dt.date.fromisoformat(text), dt.time())
        else:
            parsed = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        raise RecordError(f"unparseable published_at {value[:40]!r} (expected ISO 8601)") from None
    try:
        parsed = parsed.replace(tzinfo=UTC) if parsed.tzinfo is None else parsed.astimezone(UTC)
    except OverflowError:  # 9999-12-31T23:59:59-12:00 is in the year 10000 in UTC
        raise RecordError(f"published_at {text[:40]} is out of range in UTC") from None
    if parsed.year < limits.earliest_year:
        raise RecordError(f"published_at {text[:40]} is before {limits.earliest_year}")
    now = now or dt.datetime.now(UTC)
    if parsed > now + limits.future_tolerance:
        raise RecordError(f"published_at {text[:40]} is in the future")
    return parsed


def check_body(text: str, limits: ReadLimits) -> str:
    """The body if its size is sane, else a RecordError."""
    if len(text) > limits.max_chars:
        raise RecordError(f"body too large: {len(text):,} characters > limit {limits.max_chars:,}")
    if "\x00" in text:
        # NUL bytes mean a binary or corrupted file, not a stray control character.
        raise RecordError("body contains NUL bytes (binary or corrupted input)")
    if len(text.strip()) < limits.min_chars:
        raise RecordError(f"empty body: fewer than {limits.min_chars} characters of text")
    return text


def decode_utf8(data: bytes) -> str:
    """Bytes to text; a byte order mark is dropped; invalid UTF-8 is a RecordError."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        raise RecordError(f"invalid UTF-8 at byte {err.start}") from None


def check_unicode(name: str, value: str) -> str:
    """The value if it can be stored as UTF-8; JSON's ``"\\ud800"`` escapes give Python
    strings with lone surrogates, which no Parquet or JSON writer accepts."""
    try:
        value.encode("utf-8")
    except UnicodeEncodeError as err:
        raise RecordError(f"field {name!r} is not valid Unicode (a lone surrogate at "
                          f"character {err.start})") from None
    return value


def parse_jsonl_line(line: bytes, limits: ReadLimits = ReadLimits(),
                     now: dt.datetime | None = None) -> dict:
    """One JSON Lines record to a raw article (without input / position)."""
    text = decode_utf8(line)
    try:
        obj = json.loads(text)
    except json.JSONDecodeError as err:
        raise RecordError(f"bad JSON: {err.msg} at column {err.colno}") from None
    except RecursionError:
        raise RecordError("bad JSON: nested too deeply") from None
    except ValueError as err:  # an integer of more than 4,300 digits
        raise RecordError(f"bad JSON: {str(err).split(';')[0]}") from None
    if not isinstance(obj, dict):
        raise RecordError(f"a record must be a JSON object, got {type(obj).__name__}")
    body, html = obj.get("text"), obj.get("html")
    for name, value in (("text", body), ("html", html)):
        if value is not None and not isinstance(value, str):
            raise RecordError(f"field {name!r} must be a string, got {type(value).__name__}")
    if not (body or "").strip() and not (html or "").strip():
        raise RecordError("missing text: a record needs a non-empty 'text' or 'html'")
    for name in OPTIONAL_STRING_FIELDS:
        value = obj.get(name)
        if value is not None and not isinstance(value, str):
            raise RecordError(f"field {name!r} must be a string, got {type(value).__name__}")
    ext_id = obj.get("id")
    if ext_id is not None and (isinstance(ext_id, bool) or not isinstance(ext_id, (str, int))):
        raise RecordError(f"field 'id' must be a string or integer, got {type(ext_id).__name__}")
    for name in ("id", "text", "html") + OPTIONAL_STRING_FIELDS:
        if isinstance(obj.get(name), str):
            check_unicode(name, obj[name])
    record = {
        "external_id": None if ext_id is None else str(ext_id),
        "url": obj.get("url"), "title": obj.get("title"), "source": obj.get("source"),
        "language": (obj.get("language") or None),
        "published_at": None, "published_at_source": None, "dateline_place": None,
    }
    if obj.get("published_at") not in (None, ""):
        record["published_at"] = parse_published_at(obj["published_at"], now, limits)
        record["published_at_source"] = "input"
    if body and body.strip():
        record["text"] = check_body(body, limits)
        dateline = find_dateline(record["text"])
        if dateline:  # wire copy in JSON keeps its dateline: "MOGADISHU, Somalia -"
            record["dateline_place"] = dateline["place"]
            record["source"] = record["source"] or dateline["source"]
    else:
        extracted = extract_html(check_body(html, limits))
        record["text"] = check_body(extracted.pop("text"), limits)
        for key, value in extracted.items():
            if record.get(key) in (None, "") and value:
                record[key] = value
    return record


DATE_LINE = re.compile(r"^\s*date\s+(\d{4}-\d{2}-\d{2})\b[ \t]*\n?", re.IGNORECASE)
# "QAMISHLI, Syria (North Press) –", "BAGHDAD, May 3 (Reuters) -", "WASHINGTON DC (Kurdistan 24) -"
DATELINE = re.compile(
    r"^(?P<place>[A-Z][A-Z.'\- ]{2,40}(?:,\s*[A-Z][A-Za-z.'\- ]{2,30})?)"
    r"(?:,\s*[A-Z][a-z]{2,8}\.?\s+\d{1,2})?"
    r"\s*(?:\((?P<source>[^)]{2,40})\))?\s*[–—-]{1,2}\s+")


MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
DATE_STAMP = re.compile(
    r"^\s*(?:(?:published|posted|date of publication|date|updated|last updated)(?: on| at)?\s*:?\s*)?"
    r"(?:(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*\.?,?\s+)?"
    r"(?:(?P<d1>\d{1,2})\s+(?P<m1>[a-z]{3,9})\.?,?\s+(?P<y1>(?:19|20)\d\d)"
    r"|(?P<m2>[a-z]{3,9})\.?\s+(?P<d2>\d{1,2})(?:st|nd|rd|th)?,?\s*(?P<y2>(?:19|20)\d\d))\b",
    re.IGNORECASE)
# A stamp after the headline and the agency: "... in Syria Monitor AFP Tuesday 23 Sep 2014 US
# air strikes ...": a weekday with a whole date in the first lines, right after a word in
# capitals (the agency). After any other word it tells when something happened ("on
# Tuesday 23 Sep 2014", "the Friday 13 November 2015 attacks", "early Tuesday ...").
WEEKDAY_STAMP = re.compile(
    r"(?<![A-Za-z])(?P<agency>[A-Z]{2,8}|Reuters|Xinhua)\s+(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day,?\s+"
    r"(?P<d1>\d{1,2})\s+(?P<m1>[A-Za-z]{3,9})\.?,?\s+(?P<y1>(?:19|20)\d\d)\b")
WEEKDAY_STAMP_SPAN = 320  # (the headlines of long pages run to 250 characters before their agency)
# A stamp in figures at the very start, day first as the outlets that print one so write
# it ("13-08-2013 33 Militants ...", "24.09.2014 Airstrikes ...", "08.04.2017(updated ...").
FIGURES_STAMP = re.compile(r"^\s*(?P<d>\d{1,2})[-./](?P<m>\d{1,2})[-./](?P<y>(?:19|20)\d\d)(?![\d])")


def leading_date_stamp(text: str, published: dt.date | None = None) -> dt.date | None:
    """The date an article stamps itself with at its very start ("Wed 05 Apr 2017 Syria
    attack ...", "Published: April 6, 2017", "Last updated at Apr 052017", "13-08-2013
    33 Militants ...") or after its headline and agency ("... AFP Tuesday 23 Sep 2014 US
    air strikes", "... Reuters Monday 31 Oct 2016"), if any: a day, a month and a year.
    Figures are read day first, unless only the other order is a date or agrees with
    ``published`` ("11-06-2016" published on 6 November 2016 is that day)."""
    figures = FIGURES_STAMP.match(text[:40])
    if figures:
        return day_in_figures(figures, published)
    match = DATE_STAMP.match(text[:80])
    if match is None:
        match = WEEKDAY_STAMP.search(text[:WEEKDAY_STAMP_SPAN])
    if match is None:
        return None
    day, month, year = ((match["d1"], match["m1"], match["y1"]) if match["d1"]
                        else (match["d2"], match["m2"], match["y2"]))
    if month[:3].lower() not in MONTHS:
        return None
    try:
        return dt.date(int(year), MONTHS.index(month[:3].lower()) + 1, int(day))
    except ValueError:
        return None


def day_in_figures(figures: re.Match, published: dt.date | None = None) -> dt.date | None:
    """The day a ``FIGURES_STAMP`` match names: day first, unless only the other order is
    a date or agrees with ``published`` (within a day); None when neither is a date."""
    first, second, year = int(figures["d"]), int(figures["m"]), int(figures["y"])
    readings = [day for day in (calendar_day(year, second, first), calendar_day(year, first, second)) if day]
    agreeing = [day for day in readings if published is not None and abs((day - published).days) <= 1]
    return (agreeing or readings or [None])[0]


def calendar_day(year: int, month: int, day: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def find_dateline(text: str) -> dict | None:
    """The dateline among the first lines of an article, as place and source.

    >>> find_dateline("QAMISHLI, Syria (North Press) – A statement said ...")
    {'place': 'QAMISHLI, Syria', 'source': 'North Press'}
    """
    for line in [ln for ln in text.splitlines() if ln.strip()][:4]:
        match = DATELINE.match(line.strip())
        if match:
            return {"place": match.group("place").strip(), "source": match.group("source")}
    return None


def parse_text_file(data: bytes, limits: ReadLimits = ReadLimits(),
                    now: dt.datetime | None = None) -> dict:
    """A plain-text article: an optional ``date YYYY-MM-DD`` prefix, then the text."""
    text = decode_utf8(data)
    record = {"external_id": None, "url": None, "title": None, "source": None,
              "language": None, "published_at": None, "published_at_source": None,
              "dateline_place": None}
    match = DATE_LINE.match(text)
    if match:
        record["published_at"] = parse_published_at(match.group(1), now, limits)
        record["published_at_source"] = "date_line"
        text = text[match.end():]
    text = check_body(text, limits)
    first = next((ln.strip() for ln in text.splitlines() if ln.strip()), "")
    if len(first) <= 200 and not first.endswith((".", "!", "?")) and "\n" in text.strip():
        record["title"] = first.strip("“”\"")
    dateline = find_dateline(text)
    if dateline:
        record["dateline_place"] = dateline["place"]
        record["source"] = dateline["source"]
    record["text"] = text
    return record


def extract_html(html: str) -> dict:
    """Main text and metadata of an HTML page, boilerplate removed by trafilatura."""
    import trafilatura  # heavy import, only where HTML is read

    doc = trafilatura.bare_extraction(html, include_comments=False, with_metadata=True,
                                      favor_precision=False)
    if doc is None or not (getattr(doc, "text", None) or "").strip():
        raise RecordError("HTML page has no extractable article text")
    published = None
    if getattr(doc, "date", None):
        try:
            published = parse_published_at(doc.date)
        except RecordError:
            published = None  # a bad <meta> date is no reason to lose the article
    return {"text": doc.text, "title": doc.title, "source": doc.sitename, "url": doc.url,
            "published_at": published,
            "published_at_source": "html_meta" if published else None}


def parse_html_file(data: bytes, limits: ReadLimits = ReadLimits(),
                    now: dt.datetime | None = None) -> dict:
    """An HTML article file to a raw record."""
    html = check_body(decode_utf8(data), limits)
    record = {"external_id": None, "language": None, "dateline_place": None}
    record.update(extract_html(html))
    record["text"] = check_body(record["text"], limits)
    dateline = find_dateline(record["text"])
    if dateline:
        record["dateline_place"] = dateline["place"]
        record["source"] = record.get("source") or dateline["source"]
    return record


def apply_default_published_at(record: dict, default: dt.datetime | None) -> dict:
    """Fill a missing publication time from the run's default, or reject the record."""
    if record.get("published_at") is None:
        if default is None:
            raise RecordError("no publication date: the record has none and no "
                              "--default-published-at was given")
        record["published_at"] = default
        record["published_at_source"] = "default"
    return record
