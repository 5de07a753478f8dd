"""Rows of the sending-hours table to and from the pure domain's `JurisdictionHours`."""

from __future__ import annotations

from datetime import timedelta

from compliance.domain.rules import JurisdictionHours
from compliance.domain.windows import Hours, Window, WindowError, parse_clock
from compliance.rulebook.models import SendingHours


def hours_of(windows: list) -> Hours:
    """The Hours of a `windows` JSON list; WindowError naming what is wrong."""
    if not isinstance(windows, list) or not windows:
        raise WindowError('give at least one window: [{"days": [0, 1, 2, 3, 4], "start": "08:00", "end": "20:00"}]')
    found = []
    for index, item in enumerate(windows):
        if not isinstance(item, dict) or not {"days", "start", "end"} <= item.keys():
            raise WindowError(f"window {index + 1} needs days, start and end")
        days = item["days"]
        if not isinstance(days, list) or not days or not all(isinstance(d, int) and 0 <= d <= 6 for d in days):
            raise WindowError(f"window {index + 1}: days are numbers 0 (Monday) to 6 (Sunday)")
        found.append(Window(parse_clock(str(item["start"])), parse_clock(str(item["end"])), frozenset(days)))
    return Hours(tuple(found))


def windows_of(hours: Hours) -> list[dict]:
    return [
        {"days": sorted(w.days), "start": w.start.strftime("%H:%M"), "end": w.end.strftime("%H:%M")}
        for w in hours.windows
    ]


def jurisdiction(row: SendingHours) -> JurisdictionHours:
    return JurisdictionHours(
        rule=row.rule,
        place=row.place,
        country=row.country,
        region=row.region,
        hours=hours_of(row.windows),
        marketing_only=row.marketing_only,
        cap=row.cap,
        cap_period=timedelta(hours=row.cap_period_hours),
        cap_rule=row.cap_rule,
        source=row.source,
    )


def row_fields(facts: JurisdictionHours) -> dict:
    return {
        "rule": facts.rule,
        "place": facts.place,
        "country": facts.country,
        "region": facts.region,
        "windows": windows_of(facts.hours) if facts.hours else [],
        "marketing_only": facts.marketing_only,
        "cap": facts.cap,
        "cap_period_hours": int(facts.cap_period.total_seconds() // 3600),
        "cap_rule": facts.cap_rule,
        "source": facts.source,
    }
