"""Sending windows in the recipient's local time, and the next minute a message may leave (pure).

A window is a daily span of local time on some days of the week (08:00–21:00 every day; 10:00–18:00 on Saturday
and Sunday). A recipient may sit in several time zones (a number whose area spans zones); a message may leave only
at a moment every zone allows, so the most restrictive zone decides. An end of 24:00 is written as 00:00.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from typing import Final
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

EVERY_DAY: Final = frozenset(range(7))  # Monday = 0
WEEKDAYS: Final = frozenset(range(5))
WEEKEND: Final = frozenset({5, 6})
_SEARCH_DAYS: Final = 8


class WindowError(ValueError):
    """A window or zone that cannot be used; the message says why."""


@dataclass(frozen=True)
class Window:
    """Local [start, end) on `days`; an end at or before the start runs past midnight into the next day."""

    start: time
    end: time
    days: frozenset[int] = EVERY_DAY

    def allows(self, local: datetime) -> bool:
        clock = local.time().replace(tzinfo=None)
        if self.start < self.end:
            return local.weekday() in self.days and self.start <= clock < self.end
        if self.start == self.end:  # the whole day
            return local.weekday() in self.days
        # past midnight: the evening part belongs to its own day, the morning part to the day before
        if clock >= self.start:
            return local.weekday() in self.days
        return clock < self.end and (local.weekday() - 1) % 7 in self.days


@dataclass(frozen=True)
class Hours:
    """The windows of one rule in one place; a moment is allowed when any window allows it. Dates in `closed`
    (public holidays, as local dates) are never allowed."""

    windows: tuple[Window, ...]
    closed: frozenset[date] = frozenset()

    def allows(self, local: datetime) -> bool:
        if local.date() in self.closed:
            return False
        return any(window.allows(local) for window in self.windows)


def zone(name: str) -> ZoneInfo:
    """The IANA zone of that name; WindowError for a name the zone database does not know."""
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise WindowError(f"'{name}' is not an IANA time zone such as Europe/London") from exc


def allowed_everywhere(hours: Hours, zones: Sequence[ZoneInfo], moment: datetime) -> bool:
    """Whether `moment` (aware) is inside the hours in every one of the zones."""
    return all(hours.allows(moment.astimezone(z)) for z in zones)


def next_allowed(hours: Hours, zones: Sequence[ZoneInfo], now: datetime) -> datetime | None:
    """See `_next_allowed`; the same question is answered once (a campaign asks it for every recipient)."""
    return _next_allowed(hours, tuple(zones), now)


@lru_cache(maxsize=8192)
def _next_allowed(hours: Hours, zones: tuple[ZoneInfo, ...], now: datetime) -> datetime | None:
    """The first whole minute at or after `now` that every zone allows (UTC); `now` itself when it is allowed; None
    when no such minute comes within a week (a window on no day)."""
    if now.tzinfo is None:
        raise WindowError("now must be aware")
    if allowed_everywhere(hours, zones, now):
        return now
    for candidate in _candidates(hours, zones, now):
        if allowed_everywhere(hours, zones, candidate):
            return candidate.astimezone(UTC)
    return None


def _candidates(hours: Hours, zones: Sequence[ZoneInfo], now: datetime) -> Iterable[datetime]:
    """Every window opening (and local midnight, after a closed day) in every zone over the coming week, in order."""
    found: set[datetime] = set()
    for z in zones:
        local_today = now.astimezone(z).date()
        for offset in range(_SEARCH_DAYS + 1):
            day = local_today + timedelta(days=offset)
            openings = {window.start for window in hours.windows} | {time(0, 0)}
            for opening in openings:
                moment = _local_moment(day, opening, z)
                if moment > now:
                    found.add(moment)
    return sorted(found)


def _local_moment(day: date, clock: time, z: ZoneInfo) -> datetime:
    """`clock` on `day` in zone z, moved past a spring-forward gap; the start of the minute."""
    local = datetime.combine(day, clock, tzinfo=z)
    # A wall time inside a DST gap does not exist; fold it through UTC to the instant it denotes.
    return local.astimezone(UTC).astimezone(z).replace(second=0, microsecond=0)


def parse_clock(raw: str) -> time:
    """'08:00' → 08:00; '24:00' is midnight at the end of the day, written 00:00."""
    text = raw.strip()
    if text == "24:00":
        return time(0, 0)
    try:
        return time.fromisoformat(text)
    except ValueError as exc:
        raise WindowError(f"'{raw}' is not a time of day such as 08:00") from exc


def frequency_next(sent: Iterable[datetime], *, limit: int, period: timedelta, now: datetime) -> datetime | None:
    """None while fewer than `limit` messages went out in the `period` before `now`; else the moment enough of them
    have aged out of it for one more."""
    recent = sorted(moment for moment in sent if now - period < moment <= now)
    if len(recent) < limit:
        return None
    return recent[len(recent) - limit] + period
