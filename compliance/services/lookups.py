"""Lookup results: what Twilio Lookup said of a number's line type, kept until it is due again."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from compliance.domain.rules import UNSENDABLE_LINES
from compliance.models import NumberLookup


@dataclass(frozen=True)
class LineInfo:
    number: str
    valid: bool
    line_type: str = ""
    carrier: str = ""
    country: str = ""


def lookup_ttl() -> timedelta:
    return timedelta(days=getattr(settings, "COMPLIANCE_LOOKUP_TTL_DAYS", 90))


def lookups_record(*, results: Iterable[LineInfo], now: datetime | None = None) -> int:
    """Keep Lookup results (one row per number, replaced when looked up again); returns how many."""
    now = now or timezone.now()
    rows = [
        NumberLookup(
            number=r.number,
            valid=r.valid,
            line_type=r.line_type[:16],
            carrier=r.carrier[:120],
            country=r.country[:2],
            looked_up_at=now,
            expires_at=now + lookup_ttl(),
        )
        for r in results
    ]
    NumberLookup.objects.bulk_create(
        rows,
        update_conflicts=True,
        unique_fields=["number"],
        update_fields=["valid", "line_type", "carrier", "country", "looked_up_at", "expires_at"],
    )
    return len(rows)


def lookups_due(numbers: Iterable[str], *, now: datetime | None = None) -> list[str]:
    """The numbers among `numbers` never looked up, or whose result has expired."""
    wanted = list(dict.fromkeys(numbers))
    fresh = set(
        NumberLookup.objects.filter(number__in=wanted, expires_at__gt=now or timezone.now()).values_list(
            "number", flat=True
        )
    )
    return [n for n in wanted if n not in fresh]


def unsendable_reasons(numbers: Iterable[str]) -> dict[str, str]:
    """Why each of `numbers` that Lookup found unsendable cannot take texts: 'landline', 'invalid', ..."""
    rows = NumberLookup.objects.filter(number__in=list(numbers)).filter(
        Q(valid=False) | Q(line_type__in=UNSENDABLE_LINES)
    )
    return {row.number: "invalid" if not row.valid else row.line_type for row in rows}
