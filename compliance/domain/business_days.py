"""Business days: Monday to Friday, public holidays not counted (pure)."""

from __future__ import annotations

from datetime import datetime, timedelta


def add(start: datetime, days: int) -> datetime:
    """The moment `days` business days after `start`, at the same time of day (weekends skipped)."""
    moment, left = start, days
    while left > 0:
        moment += timedelta(days=1)
        if moment.weekday() < 5:
            left -= 1
    return moment
