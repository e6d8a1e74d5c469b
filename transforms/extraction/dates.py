"""Resolve date expressions against an article's publication date. Pure, no Beam.

    resolve_date_expression("on Wednesday", date(2022, 5, 14)) -> (date(2022, 5, 11), "day")
    resolve_date_expression("last January", date(2022, 5, 14)) -> (date(2022, 1, 1), "month")
    resolve_date_expression("In 2011", date(2022, 5, 14))      -> (date(2011, 1, 1), "year")

Precision is one of day, week, month, year; an expression that names no time we can
place (e.g. "recent months") resolves to None and the caller falls back to the
publication date with precision "published".
"""
from __future__ import annotations

import datetime as dt
import re

from newsevents.transforms.core.article_formats import FIGURES_STAMP, day_in_figures

WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
MONTHS = ["january", "february", "march", "april", "may", "june", "july", "august",
          "september", "october", "november", "december"]
MONTH_ABBR = {m[:3]: i + 1 for i, m in enumerate(MONTHS)} | {"sept": 9}
NUMBER_WORDS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
                "eight": 8, "nine": 9, "ten": 10, "a": 1, "an": 1}

YEAR = re.compile(r"\b(1[89]\d\d|20\d\d)\b")
MONTH_NAME = r"(jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
MONTH_DAY = re.compile(MONTH_NAME + r"\s+(\d{1,2})(?:st|nd|rd|th)?\b(?:,?\s+(\d{4}))?")
DAY_MONTH = re.compile(r"\b(\d{1,2})(?:st|nd|rd|th)?\s+(?:of\s+)?" + MONTH_NAME + r"(?:,?\s+(\d{4}))?")
# A span of days ("9-11 Feb", "on 11 - 13 August", "March 3-5"): it began on the first.
DAY_RANGE_MONTH = re.compile(r"\b(\d{1,2})(?:st|nd|rd|th)?\s*[-–]\s*\d{1,2}(?:st|nd|rd|th)?\s+(?:of\s+)?"
                             + MONTH_NAME + r"(?:,?\s+(\d{4}))?")
MONTH_DAY_RANGE = re.compile(MONTH_NAME + r"\s+(\d{1,2})(?:st|nd|rd|th)?\s*[-–]\s*\d{1,2}(?:st|nd|rd|th)?\b(?:,?\s+(\d{4}))?")
MONTH_ONLY = re.compile(r"\b" + MONTH_NAME + r"(?:\s+(?:of\s+)?(\d{4}))?\b")
ISO_DATE = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b")
# A day and a month in figures, the year optional: "on 27/06", "yesterday (16/01)",
# "01/07/2016". Not the names of days that are events or phrases ("9/11", "26/11", "7/7",
# "24/7"), nor a fraction of a span ("2-1/2 years", "1/2 hour", "3/4 of the votes").
NUMERIC_DATE = re.compile(r"(?<![\d/.\-])(\d{1,2})/(\d{1,2})(?:/(\d{4}|\d{2}))?(?![\d/])")
NAMED_DAYS = frozenset({"9/11", "26/11", "7/7", "24/7"})
FRACTION_AFTER = re.compile(r"\s*(?:of\b|%|per\b|years?\b|months?\b|weeks?\b|days?\b|hours?\b|minutes?\b|"
                            r"miles?\b|km\b|kilomet(?:re|er)s?\b|majority\b)")
AGO = re.compile(r"\b(\d+|" + "|".join(NUMBER_WORDS) + r")\s+(day|week|month|year)s?\s+ago\b")


def _month_number(token: str) -> int:
    return MONTH_ABBR[token.lower().rstrip(".")[:4] if token.lower().startswith("sept") else token.lower()[:3]]


# How far after publication a day named without its year may lie and keep the
# publication's year: "on 9 January" in a report of 8 January is the day after (a
# dateline's time zone, or a day planned), never the 9th of January of the year before.
DAYS_AHEAD = 31


def _latest_within(candidate_year_fn, published: dt.date, ahead: int = 0) -> dt.date:
    """The latest date built by candidate_year_fn(year) no more than ``ahead`` days after
    publication (29 February falls to the last leap year)."""
    for year in range(published.year + 1, published.year - 8, -1):
        try:
            candidate = candidate_year_fn(year)
        except ValueError:  # 29 February in a common year
            continue
        if (candidate - published).days <= ahead:
            return candidate
    raise ValueError("no such date")


def date_in_figures(match: re.Match, text: str) -> bool:
    """Whether figures NUMERIC_DATE found are a date: not a day named as an event ("9/11")
    nor a fraction ("2-1/2 years", "3/4 of the votes")."""
    return match.group(0) not in NAMED_DAYS and not FRACTION_AFTER.match(text, match.end())


# A reading month first is taken over day first only this near publication.
AGREES_WITH_PUBLICATION = 7  # days


def numeric_date(match: re.Match, published: dt.date, days_ahead: int = DAYS_AHEAD) -> dt.date | None:
    """The day a date in figures names: day first, as the reports that write them do
    ("01/07" is 1 July), month first where only that is a date ("07/13") or where it
    agrees with publication, within a week of it and nearer than day first ("on
    3/12/2015" in a report of 12 March 2015). A day without its year is not read ahead of
    publication when the other order is not ("1/4" in a report of 9 March is 4 January).
    A year of two figures is of this century unless that lies ahead ("12/05/98": 1998)."""
    first, second, year = int(match.group(1)), int(match.group(2)), match.group(3)
    if year is not None and len(year) == 2:
        year = 2000 + int(year) if 2000 + int(year) <= published.year else 1900 + int(year)
    readings = {}
    for order, (day, month) in (("day first", (first, second)), ("month first", (second, first))):
        if not 1 <= month <= 12:
            continue
        try:
            readings[order] = dt.date(int(year), month, day) if year \
                else _latest_within(lambda y: dt.date(y, month, day), published, days_ahead)
        except ValueError:
            continue
    if not year and any(d <= published + dt.timedelta(days=1) for d in readings.values()):
        readings = {k: d for k, d in readings.items() if d <= published + dt.timedelta(days=1)}
    day_first, month_first = readings.get("day first"), readings.get("month first")
    if day_first is None or month_first is None:
        return day_first or month_first
    gap = abs((month_first - published).days)
    return month_first if gap <= AGREES_WITH_PUBLICATION and gap < abs((day_first - published).days) else day_first


def page_date(text: str, published: dt.date) -> dt.date | None:
    """The day of a date a page prints before its text ("Sat Nov 12 2016", "Date of
    publication 26 October 2016" without its lead, "13-08-2013", "24.09.2014"), when it
    gives a day, a month and a year; None otherwise ("Jun 062016", "Monday, 5 January").
    A date in figures is read as ingest reads a page's stamp
    (``article_formats.day_in_figures``: day first, unless only the other order is a date
    or agrees with ``published``)."""
    text = " ".join(text.split())
    figures = FIGURES_STAMP.match(text)  # (the model may run the headline's count into it: "13-08-2013 33")
    if figures:
        return day_in_figures(figures, published)
    if not re.search(r"(19|20)\d\d", text):
        return None
    resolved = resolve_date_expression(text, published)
    return resolved[0] if resolved is not None and resolved[1] == "day" else None


def resolve_date_expression(text: str, published: dt.date,
                            days_ahead: int = DAYS_AHEAD) -> tuple[dt.date, str] | None:
    """The date and precision an expression names, read against the publication date. A
    day named without its year is the latest one no more than ``days_ahead`` days after
    publication."""
    t = " ".join(text.lower().split())
    if not t:
        return None
    if re.search(r"\b(today|this morning|this afternoon|this evening|tonight)\b", t):
        return published, "day"
    if "yesterday" in t or "last night" in t:
        return published - dt.timedelta(days=1), "day"
    if "tomorrow" in t:
        return published + dt.timedelta(days=1), "day"
    match = ISO_DATE.search(t)
    if match:
        try:
            return dt.date(*map(int, match.groups())), "day"
        except ValueError:
            return None
    match = NUMERIC_DATE.search(t)
    day = numeric_date(match, published, days_ahead) if match and date_in_figures(match, t) else None
    if day is not None:
        return day, "day"
    match = AGO.search(t)
    if match:
        amount = int(match.group(1)) if match.group(1).isdigit() else NUMBER_WORDS[match.group(1)]
        unit = match.group(2)
        days = {"day": 1, "week": 7, "month": 30, "year": 365}[unit] * amount
        return published - dt.timedelta(days=days), unit if unit != "year" else "year"
    match = DAY_RANGE_MONTH.search(t) or MONTH_DAY_RANGE.search(t) or MONTH_DAY.search(t) or DAY_MONTH.search(t)
    if match:
        groups = match.groups()
        if match.re in (MONTH_DAY, MONTH_DAY_RANGE):
            month, day, year = _month_number(groups[0]), int(groups[1]), groups[2]
        else:
            day, month, year = int(groups[0]), _month_number(groups[1]), groups[2]
        try:
            if year:
                return dt.date(int(year), month, day), "day"
            return _latest_within(lambda y: dt.date(y, month, day), published, days_ahead), "day"
        except ValueError:
            return None
    for index, name in enumerate(WEEKDAYS):
        if re.search(rf"\b{name}\b", t):
            delta = (published.weekday() - index) % 7
            if re.search(r"\bnext\b", t):
                return published + dt.timedelta(days=(index - published.weekday()) % 7 or 7), "day"
            if re.search(r"\blast\b", t) and delta == 0:
                delta = 7
            return published - dt.timedelta(days=delta), "day"
    if re.search(r"\b(last|previous|past) week\b", t):
        return published - dt.timedelta(days=7), "week"
    if re.search(r"\bthis week\b", t):
        # Like "this month", the start of the period: the Monday of the week.
        return published - dt.timedelta(days=published.weekday()), "week"
    if re.search(r"\bnext week\b", t):
        return published + dt.timedelta(days=7), "week"
    if re.search(r"\b(last|previous|past) month\b", t):
        first = published.replace(day=1) - dt.timedelta(days=1)
        return first.replace(day=1), "month"
    if re.search(r"\bthis month\b", t):
        return published.replace(day=1), "month"
    if re.search(r"\bnext month\b", t):
        return (published.replace(day=28) + dt.timedelta(days=4)).replace(day=1), "month"
    match = MONTH_ONLY.search(t)
    if match and not (match.group(1).startswith("may") and not re.search(r"\b(in|last|since|early|late|mid|of|until|by)\s+may\b", t) and not match.group(2)):
        month = _month_number(match.group(1))
        if match.group(2):
            return dt.date(int(match.group(2)), month, 1), "month"
        if re.search(r"\bnext\b", t):
            year = published.year if month > published.month else published.year + 1
            return dt.date(year, month, 1), "month"
        return _latest_within(lambda y: dt.date(y, month, 1), published), "month"
    if re.search(r"\b(last|previous|past) year\b", t):
        return dt.date(published.year - 1, 1, 1), "year"
    if re.search(r"\b(this year|earlier this year|so far this year)\b", t):
        return dt.date(published.year, 1, 1), "year"
    if re.search(r"\bnext year\b", t):
        return dt.date(published.year + 1, 1, 1), "year"
    match = YEAR.search(t)
    if match and not re.search(r"\b(between|since|from)\b", t):
        return dt.date(int(match.group(1)), 1, 1), "year"
    return None
