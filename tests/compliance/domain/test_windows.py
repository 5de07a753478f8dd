"""Sending windows in local time, the most restrictive of several zones, the next allowed minute, frequency caps."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from compliance.domain.windows import (
    WEEKDAYS,
    WEEKEND,
    Hours,
    Window,
    WindowError,
    frequency_next,
    next_allowed,
    parse_clock,
    zone,
)

DAY = Hours((Window(time(8), time(21)),))
NY, LA, LONDON, SYDNEY = (ZoneInfo(n) for n in ("America/New_York", "America/Los_Angeles", "Europe/London",
                                                 "Australia/Sydney"))  # fmt: skip


def utc(*args) -> datetime:
    return datetime(*args, tzinfo=UTC)


@pytest.mark.parametrize(
    ("now", "zones", "expected"),
    [
        # 15:00 UTC on Tue 1 Dec 2026: 10:00 in New York, 07:00 in Los Angeles, 15:00 London, 02:00 Sydney (Wed)
        (utc(2026, 12, 1, 15), [NY], utc(2026, 12, 1, 15)),
        (utc(2026, 12, 1, 15), [LA], utc(2026, 12, 1, 16)),  # 08:00 in Los Angeles
        (utc(2026, 12, 1, 15), [LONDON], utc(2026, 12, 1, 15)),
        (utc(2026, 12, 1, 15), [SYDNEY], utc(2026, 12, 1, 21)),  # 08:00 Wed in Sydney (UTC+11)
        # both New York and Los Angeles: the later opening decides
        (utc(2026, 12, 1, 12), [NY, LA], utc(2026, 12, 1, 16)),
        # 21:00 in New York is closed; it opens again at 08:00 the next day
        (utc(2026, 12, 2, 2), [NY], utc(2026, 12, 2, 13)),
        (utc(2026, 12, 2, 1, 59), [NY], utc(2026, 12, 2, 1, 59)),  # 20:59: still open, now
    ],
)
def test_the_next_allowed_minute(now, zones, expected):
    assert next_allowed(DAY, zones, now) == expected


def test_a_window_past_midnight_belongs_to_the_day_it_starts():
    night = Hours((Window(time(22), time(2), frozenset({4})),))  # Friday 22:00 to Saturday 02:00
    assert night.allows(datetime(2026, 12, 4, 23, 0))  # Friday 23:00
    assert night.allows(datetime(2026, 12, 5, 1, 59))  # Saturday 01:59
    assert not night.allows(datetime(2026, 12, 5, 23, 0))  # Saturday 23:00
    assert not night.allows(datetime(2026, 12, 4, 1, 0))  # Friday 01:00 belongs to Thursday


def test_weekday_and_weekend_windows():
    canada = Hours((Window(time(9), time(21, 30), WEEKDAYS), Window(time(10), time(18), WEEKEND)))
    toronto = ZoneInfo("America/Toronto")
    # Saturday 5 Dec 2026 09:30 in Toronto (14:30 UTC): closed until 10:00
    assert next_allowed(canada, [toronto], utc(2026, 12, 5, 14, 30)) == utc(2026, 12, 5, 15)
    # Saturday 18:30: closed until Sunday 10:00
    assert next_allowed(canada, [toronto], utc(2026, 12, 5, 23, 30)) == utc(2026, 12, 6, 15)
    # Friday 21:00: open until 21:30
    assert next_allowed(canada, [toronto], utc(2026, 12, 5, 2)) == utc(2026, 12, 5, 2)


def test_closed_dates_and_windows_on_no_day():
    closed = Hours((Window(time(8), time(20)),), closed=frozenset({datetime(2026, 12, 25).date()}))
    assert next_allowed(closed, [LONDON], utc(2026, 12, 25, 10)) == utc(2026, 12, 26, 8)
    never = Hours((Window(time(8), time(20), frozenset()),))
    assert next_allowed(never, [LONDON], utc(2026, 12, 25, 10)) is None


def test_a_spring_forward_gap_moves_the_opening_to_a_real_instant():
    # New York springs forward at 02:00 on 8 March 2026: a 02:30 opening does not exist that day
    early = Hours((Window(time(2, 30), time(5)),))
    assert next_allowed(early, [NY], utc(2026, 3, 8, 5)) == utc(2026, 3, 8, 7, 30)  # 03:30 EDT


def test_now_must_be_aware_and_zones_known():
    with pytest.raises(WindowError, match="now must be aware"):
        next_allowed(DAY, [NY], datetime(2026, 12, 1, 12))
    with pytest.raises(WindowError, match="'Mars/Olympus' is not an IANA time zone"):
        zone("Mars/Olympus")


@pytest.mark.parametrize(("raw", "parsed"), [("08:00", time(8)), ("21:30", time(21, 30)), ("24:00", time(0))])
def test_clock_times(raw, parsed):
    assert parse_clock(raw) == parsed


def test_a_bad_clock_time_is_refused():
    with pytest.raises(WindowError, match="'8 am' is not a time of day such as 08:00"):
        parse_clock("8 am")


def test_frequency_caps_count_the_period_before_now():
    now = utc(2026, 12, 1, 12)
    sent = [now - timedelta(hours=h) for h in (30, 20, 10, 1)]  # three within 24 h
    assert frequency_next(sent, limit=4, period=timedelta(hours=24), now=now) is None
    # the third is allowed once the oldest of the last three ages out: 20 h ago + 24 h
    assert frequency_next(sent, limit=3, period=timedelta(hours=24), now=now) == now + timedelta(hours=4)
    assert frequency_next([], limit=1, period=timedelta(hours=24), now=now) is None
