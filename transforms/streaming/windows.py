"""When the stream commits, and how publication-time windows fire: pure rules, no Beam.

Two clocks, two jobs:

- **Commits** follow processing time. Articles are committed once the oldest of those
  waiting has waited ``commit_every`` seconds, or once ``commit_articles`` wait,
  whichever comes first (Beam's ``Repeatedly(AfterAny(AfterProcessingTime,
  AfterCount))`` in the global window). Publication time plays no part: no article waits
  for a window, none is too late to be stored.
- **Windows** follow publication time, for what needs them: the windowed aggregates
  (``event_windows``). A window ``[start, start + size)`` fires panes labelled as Beam
  labels them (``AfterWatermark(early=..., late=...)``, accumulating): *EARLY* while the
  watermark is before its end, one *ON_TIME* pane once the watermark passes its end (if
  it fired early), *LATE* after that, until the watermark passes its end plus the
  allowed lateness; then the window is closed and fires no more (its articles are stored
  and counted all the same).

The directory-follow driver (``pipelines.stream``) decides with these functions; the
Pub/Sub pipeline gets the same behaviour from Beam's own triggers
(``transforms.streaming.window_panes``).

Times are POSIX seconds (floats).

    >>> spec = WindowSpec(size=900, allowed_lateness=3600)
    >>> spec.start(1_000)
    900.0
    >>> pane_timing(spec, 900.0, watermark=1_700, awaiting_on_time=set())
    'EARLY'
    >>> pane_timing(spec, 900.0, watermark=1_900, awaiting_on_time={900.0})
    'ON_TIME'
    >>> pane_timing(spec, 900.0, watermark=1_900, awaiting_on_time=set())
    'LATE'
    >>> pane_timing(spec, 900.0, watermark=5_400, awaiting_on_time=set()) is None
    True
"""
from __future__ import annotations

import datetime as dt
import math
import re
from dataclasses import dataclass

# Pane timings, named as Beam's PaneInfoTiming names them.
EARLY = "EARLY"
ON_TIME = "ON_TIME"
LATE = "LATE"

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

    def due(self, starts, watermark: float) -> list[float]:
        """The windows among ``starts`` whose end the watermark has reached, in order."""
        return sorted(s for s in set(starts) if self.end(s) <= watermark)


def pane_timing(spec: WindowSpec, start: float, watermark: float | None,
                awaiting_on_time) -> str | None:
    """How the pane a window fires now is labelled, or None once the window is closed
    (the watermark passed its end plus the allowed lateness: Beam fires no more panes).

    ``awaiting_on_time``: the windows that fired early and have not fired on time."""
    if watermark is None or watermark < spec.end(start):
        return EARLY
    if start in awaiting_on_time:
        return ON_TIME
    if watermark < spec.expiry(start):
        return LATE
    return None


def commit_due(waiting: int, oldest_arrival: float | None, now: float, commit_every: float,
               commit_articles: int) -> bool:
    """Whether the records waiting are committed now: the oldest has waited
    ``commit_every`` seconds, or ``commit_articles`` of them wait.

    >>> commit_due(3, oldest_arrival=100.0, now=104.0, commit_every=5, commit_articles=200)
    False
    >>> commit_due(3, oldest_arrival=100.0, now=105.0, commit_every=5, commit_articles=200)
    True
    >>> commit_due(200, oldest_arrival=100.0, now=100.5, commit_every=5, commit_articles=200)
    True
    """
    if waiting <= 0 or oldest_arrival is None:
        return False
    return waiting >= commit_articles or now - oldest_arrival >= commit_every


def arrival_time(mtime: float, previous_poll: float | None, now: float) -> float:
    """When a file arrived, as well as a poll can tell: its modification time if that
    falls since the previous poll (a file that landed while a commit ran has waited
    since then), else the time of this poll (a file copied with an old time)."""
    if previous_poll is None:
        return now
    return min(now, max(mtime, previous_poll))


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
