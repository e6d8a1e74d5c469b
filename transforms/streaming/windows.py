"""Event-time windows for the stream: which window an article belongs to, whether it
is on time, late or too late, and which windows are due to fire.

Pure functions, no Beam: the directory-follow driver (``pipelines.stream``) and the
Beam transform ``FormWindowPanes`` (``newsevents.transforms.streaming.window_panes``) both decide with
these, so a stream behaves the same on every source.

Times are POSIX seconds (floats). A window is ``[start, start + size)``; it fires
*on time* once the watermark reaches its end, fires again (*late* panes) for articles
that arrive after that, and *expires* once the watermark reaches its end plus the
allowed lateness. An article of an expired window is *too late*: it is not processed
by the stream but routed to the late-data path, which a later batch run merges.

    >>> spec = WindowSpec(size=900, allowed_lateness=3600)
    >>> spec.start(1_000)
    900.0
    >>> spec.classify(spec.start(1_000), watermark=1_700)
    'on_time'
    >>> spec.classify(spec.start(1_000), watermark=1_900)
    'late'
    >>> spec.classify(spec.start(1_000), watermark=5_400)
    'too_late'
"""
from __future__ import annotations

import datetime as dt
import math
import re
from dataclasses import dataclass

ON_TIME = "on_time"
LATE = "late"
TOO_LATE = "too_late"

DURATION = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|min|h|d)?\s*$", re.IGNORECASE)
UNIT_SECONDS = {"ms": 0.001, "s": 1, "m": 60, "min": 60, "h": 3600, "d": 86400}


def parse_duration(text: str) -> float:
    """``"15m"`` -> 900.0; a bare number is seconds. Raises ValueError with a reason.

    >>> parse_duration("1h"), parse_duration("90"), parse_duration("2.5s")
    (3600.0, 90.0, 2.5)
    """
    match = DURATION.match(str(text))
    if not match:
        raise ValueError(f"expected a duration like 90s, 15m, 1h or 2d, got {text!r}")
    return float(match.group(1)) * UNIT_SECONDS[(match.group(2) or "s").lower()]


def format_duration(seconds: float) -> str:
    """The shortest exact text ``parse_duration`` reads back.

    >>> format_duration(900), format_duration(3600), format_duration(2.5)
    ('15m', '1h', '2.5s')
    """
    for unit in ("d", "h", "m"):
        amount = seconds / UNIT_SECONDS[unit]
        if amount >= 1 and amount == int(amount):
            return f"{int(amount)}{unit}"
    return f"{seconds:g}s"


def to_seconds(moment: dt.datetime) -> float:
    """An aware datetime as POSIX seconds."""
    return moment.timestamp()


def to_datetime(seconds: float) -> dt.datetime:
    return dt.datetime.fromtimestamp(seconds, dt.timezone.utc)


def window_label(start: float) -> str:
    """A window's start as a name safe in paths: ``20240301T0915Z``."""
    return to_datetime(start).strftime("%Y%m%dT%H%M%SZ")


@dataclass(frozen=True)
class WindowSpec:
    size: float
    allowed_lateness: float

    def __post_init__(self):
        if not self.size > 0:
            raise ValueError("the window size must be positive")
        if self.allowed_lateness < 0:
            raise ValueError("the allowed lateness must be zero or more")

    def start(self, seconds: float) -> float:
        return float(math.floor(seconds / self.size) * self.size)

    def end(self, start: float) -> float:
        return start + self.size

    def expiry(self, start: float) -> float:
        return start + self.size + self.allowed_lateness

    def classify(self, start: float, watermark: float) -> str:
        """An article of the window starting at ``start``, arriving at ``watermark``."""
        if self.expiry(start) <= watermark:
            return TOO_LATE
        if self.end(start) <= watermark:
            return LATE
        return ON_TIME

    def due(self, starts, watermark: float) -> list[float]:
        """The windows among ``starts`` whose end the watermark has reached, in order."""
        return sorted(s for s in set(starts) if self.end(s) <= watermark)

    def expired(self, starts, watermark: float) -> list[float]:
        return sorted(s for s in set(starts) if self.expiry(s) <= watermark)


def pane_timing(fired_before: int) -> str:
    """The first pane of a window is on time; every later one is late."""
    return ON_TIME if fired_before == 0 else LATE


def arrival_watermark(previous: float, now: float, max_delay: float) -> float:
    """Processing-time watermark: every article arrives within ``max_delay`` of its
    publication, so nothing published before ``now - max_delay`` is still to come.
    Never moves back."""
    return max(previous, now - max_delay)


def event_watermark(previous: float, newest_published: float | None, max_delay: float) -> float:
    """Bounded out-of-orderness watermark (for replaying archives): articles arrive at
    most ``max_delay`` behind the newest publication time seen. Never moves back."""
    if newest_published is None:
        return previous
    return max(previous, newest_published - max_delay)
