"""Phone numbers and time zones of contacts: parsing with phonenumbers, the tenant's default region, IANA zones."""

from __future__ import annotations

import re
import zoneinfo
from datetime import datetime
from functools import lru_cache

import phonenumbers
from django.db import connection
from phonenumbers import timezone as number_zones

from messaging.errors import MessagingValidationError

# Zones that stand for several equivalent ones a number maps to (a UK mobile maps to London, Guernsey, Jersey and
# the Isle of Man, which keep the same clock all year).
PRINCIPAL_ZONES = frozenset({"Europe/London"})
# Two dates a year apart from summer time, to tell whether zones keep the same clock.
CLOCK_CHECK_DATES = (datetime(2026, 1, 15, 12), datetime(2026, 7, 15, 12))


# North American numbers written plainly (+1 415 555 0100, (415) 555-0100, 1-415-555-0100) are most of what a US or
# Canadian tenant imports; phonenumbers.parse() reads them into the same number as this does, several times slower.
NANP_REGIONS = frozenset(phonenumbers.COUNTRY_CODE_TO_REGION_CODE[1])
NANP_PUNCTUATION = re.compile(r"[\s().-]")
NANP_NUMBER = re.compile(r"^(\+1|1?)([2-9][0-9]{2}[2-9][0-9]{6})$")


def _parsed(raw: str, region: str) -> phonenumbers.PhoneNumber:
    plain = NANP_NUMBER.match(NANP_PUNCTUATION.sub("", raw))
    if plain and (plain.group(1) == "+1" or region in NANP_REGIONS):
        return phonenumbers.PhoneNumber(country_code=1, national_number=int(plain.group(2)))
    return phonenumbers.parse(raw, region)


@lru_cache(maxsize=512)
def _main_region(country_code: int) -> str | None:
    """The region checked first for a country code, when a valid number of it is surely of that region."""
    region = phonenumbers.region_code_for_country_code(country_code)
    metadata = phonenumbers.PhoneMetadata.metadata_for_region(region)
    return region if metadata is not None and metadata.leading_digits is None else None


def _region(parsed: phonenumbers.PhoneNumber, default_country: str) -> str | None:
    """The region of a valid number, or None; what is_valid_number() and region_code_for_number() say, with one
    check instead of two for a number of the tenant's own country."""
    if _main_region(parsed.country_code) == default_country and phonenumbers.is_valid_number_for_region(
        parsed, default_country
    ):
        return default_country
    region = phonenumbers.region_code_for_number(parsed)
    return region if region and phonenumbers.is_valid_number_for_region(parsed, region) else None


def normalize_phone_number(raw: str, *, default_country: str, field: str = "phone_number") -> tuple[str, str]:
    """E.164 form and ISO country of a phone number written in any common format (blank country for a
    non-geographic number such as +800 freephone)."""
    try:
        parsed = _parsed(raw, default_country)
    except phonenumbers.NumberParseException as exc:
        raise MessagingValidationError(f"'{raw}' is not a phone number", field=field) from exc
    region = _region(parsed, default_country)
    if region is None:
        raise MessagingValidationError(f"'{raw}' is not a valid phone number", field=field)
    country = region if region.isalpha() else ""  # "001": a non-geographic number, such as +800 freephone
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164), country


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
        raise MessagingValidationError(f"'{value}' is not an IANA time zone such as America/New_York", field=field)
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
