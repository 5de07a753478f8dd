"""Campaign arithmetic (pure): stable A/B variant assignment, each recipient's local send time, and a fast segment
count for the many personalised bodies of one campaign.

Variant assignment hashes the campaign and contact ids into 0-9,999 and walks the cumulative split, so a recipient
gets the same variant however often (and in whatever order) the audience is expanded, and the shares converge on
the split percentages.
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Sequence
from datetime import date, datetime, time
from typing import Final
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from messaging.domain.errors import DomainInputError
from messaging.domain.segments import GSM7, GSM7_BASIC_CHARACTERS, count_segments

__all__ = ["BUCKETS", "local_send_at", "segments_of", "variant_index"]

BUCKETS: Final = 10_000  # a percent is 100 buckets
_GSM7_BASIC: Final = frozenset(GSM7_BASIC_CHARACTERS)


def variant_index(campaign_id: int, contact_id: int, percents: Sequence[int]) -> int:
    """The index of the variant `contact_id` gets in `campaign_id` for a split of `percents` (summing to 100)."""
    if sum(percents) != 100 or any(p < 0 for p in percents):
        raise DomainInputError("variants", "the split percentages must sum to 100")
    digest = hashlib.blake2b(f"{campaign_id}:{contact_id}".encode(), digest_size=8).digest()
    bucket = int.from_bytes(digest, "big") % BUCKETS
    edge = 0
    for index, percent in enumerate(percents):
        edge += percent * (BUCKETS // 100)
        if bucket < edge:
            return index
    return len(percents) - 1


def local_send_at(day: date, at: time, zone: str, *, now: datetime) -> datetime:
    """`day` at `at` in `zone` (an IANA name; UTC when unknown) as an aware datetime, or `now` when that moment has
    passed. A wall time that a daylight-saving change skips is taken in the offset in force before it."""
    try:
        tz = ZoneInfo(zone) if zone else ZoneInfo("UTC")
    except (ZoneInfoNotFoundError, ValueError):
        tz = ZoneInfo("UTC")
    moment = datetime.combine(day, at, tzinfo=tz)
    return max(moment, now)


def segments_of(body: str) -> tuple[str, int]:
    """(encoding, segments) of a body; bodies of plain GSM-7 characters are counted without the full calculator."""
    if not body:
        return GSM7, 0
    if "\r" not in body and _GSM7_BASIC.issuperset(body):  # "\r\n" is one grapheme that may not straddle
        length = len(body)
        return GSM7, 1 if length <= 160 else math.ceil(length / 153)
    report = count_segments(body)
    return report.encoding, report.segments
