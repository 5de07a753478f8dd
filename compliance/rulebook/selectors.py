"""Reads of the sending-hours table."""

from __future__ import annotations

from compliance.domain.hours import DEFAULT_JURISDICTIONS
from compliance.domain.rules import JurisdictionHours
from compliance.rulebook import convert
from compliance.rulebook.models import SendingHours


def current_jurisdictions() -> tuple[JurisdictionHours, ...]:
    """The enabled rows as staff keep them; the shipped facts while the table is empty."""
    rows = list(SendingHours.objects.all())
    if not rows:
        return DEFAULT_JURISDICTIONS
    return tuple(convert.jurisdiction(row) for row in rows if row.enabled)
