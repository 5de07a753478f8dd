"""Phone numbers and time zones of contacts: parsing with phonenumbers, the tenant's default region, IANA zones."""

from __future__ import annotations

import zoneinfo
from datetime import datetime
from functools import lru_cache

import phonenumbers
from django.db import connection
from phonenumbers import timezone as number_zones

from compliance.errors import ComplianceValidationError
from compliance.services.numbers import parse_number
from messaging.errors import UnprocessableInput

# Zones that stand for several equivalent ones a number maps to (a UK mobile maps to London, Guernsey, Jersey and
# the Isle of Man, which keep the same clock all year).
PRINCIPAL_ZONES = frozenset({"Europe/London"})
# Two dates a year apart from summer time, to tell whether zones keep the same clock.
CLOCK_CHECK_DATES = (datetime(2026, 1, 15, 12), datetime(2026, 7, 15, 12))


def normalize_phone_number(raw: str, *, default_country: str, field: str = "phone_number") -> tuple[str, str]:
    """E.164 form and ISO country of a phone number written in any common format (blank country for a
    non-geographic number such as +800 freephone); UnprocessableInput naming `field` when it is no number."""
    try:
        return parse_number(raw, default_country=default_country, field=field)
    except ComplianceValidationError as exc:  # well-formed text that is no number of the numbering plans
        raise UnprocessableInput(exc.message, field=field) from exc


def tenant_region(default_country: str | None = None) -> str:
    """The region numbers without a country code belong to: the one given, else the current tenant's default
    country, else US."""
    return default_country or getattr(connection.tenant, "default_country", None) or "US"


@lru_cache(maxsize=1)
def time_zone_names() -> frozenset[str]:
    """Every IANA time zone name this machine knows."""
    return frozenset(zoneinfo.available_timezones())


def time_zone_check(value: str, *, field: str = "time_zone") -> str:
    """The zone itself when it is an IANA name (blank allowed: derive it from the number); otherwise refused."""
    value = value.strip()
    if value and value not in time_zone_names():
        raise UnprocessableInput(f"'{value}' is not an IANA time zone such as America/New_York", field=field)
    return value


@lru_cache(maxsize=4096)
def number_time_zone(e164: str) -> str:
    """The time zone of a number's area, when it has one (or several that keep the same clock); else blank."""
    try:
        zones = [
            zone for zone in number_zones.time_zones_for_number(phonenumbers.parse(e164)) if zone in time_zone_names()
        ]
    except phonenumbers.NumberParseException:
        return ""
    if not zones:
        return ""
    clocks = {tuple(zoneinfo.ZoneInfo(zone).utcoffset(moment) for moment in CLOCK_CHECK_DATES) for zone in zones}
    if len(clocks) > 1:
        return ""
    return min(zones, key=lambda zone: (zone not in PRINCIPAL_ZONES, zone))
