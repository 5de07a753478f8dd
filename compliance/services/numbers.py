"""Where a recipient is: country, state and time zones of a number, from phonenumbers' data."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

import phonenumbers
from phonenumbers import geocoder
from phonenumbers import timezone as number_zones

from compliance.domain.places import region_of
from compliance.domain.windows import WindowError, zone
from compliance.errors import ComplianceValidationError

E164 = re.compile(r"\+[1-9][0-9]{6,14}")
# A number whose prefix maps to more zones than this is not tied to a place (toll-free, mobile ranges of a whole
# country); the recipient's or tenant's zone stands in for it.
MAX_PLACE_ZONES = 4


@dataclass(frozen=True)
class Place:
    country: str
    region: str
    zones: tuple[str, ...]
    zones_from: str  # "contact", "number" or "tenant"


def place_of(number: str, *, contact_zone: str = "", tenant_zone: str = "UTC") -> Place:
    """The recipient's place: the contact's own zone when set; else the number's zones (all of them where its area
    spans several, so the most restrictive decides); else the tenant's zone."""
    country, region, zones = _number_place(number)
    if contact_zone and _known(contact_zone):
        return Place(country, region, (contact_zone,), "contact")
    if zones:
        return Place(country, region, zones, "number")
    return Place(country, region, (tenant_zone if _known(tenant_zone) else "UTC",), "tenant")


@lru_cache(maxsize=65_536)
def _number_place(number: str) -> tuple[str, str, tuple[str, ...]]:
    try:
        parsed = phonenumbers.parse(number, None)
    except phonenumbers.NumberParseException:
        return "", "", ()
    country = phonenumbers.region_code_for_number(parsed) or ""
    region = region_of(country, geocoder.description_for_number(parsed, "en"))
    zones = tuple(z for z in number_zones.time_zones_for_number(parsed) if z != "Etc/Unknown" and _known(z))
    return country, region, zones if len(zones) <= MAX_PLACE_ZONES else ()


@lru_cache(maxsize=1024)
def _known(name: str) -> bool:
    try:
        zone(name)
    except WindowError:
        return False
    return True


def e164(raw: str, *, default_country: str, field: str = "number") -> str:
    """The E.164 form of a phone number written in any common format; ComplianceValidationError naming `field`.
    A number already in E.164 form is taken as it is, valid or not: a handset Twilio names may still opt out."""
    if E164.fullmatch(str(raw)):
        return str(raw)
    return parse_number(raw, default_country=default_country, field=field)[0]


def parse_number(raw: str, *, default_country: str, field: str = "number") -> tuple[str, str]:
    """E.164 form and ISO country of a number; ComplianceValidationError naming `field` when it is none."""
    try:
        parsed = phonenumbers.parse(str(raw), default_country or None)
    except phonenumbers.NumberParseException as exc:
        raise ComplianceValidationError(f"'{raw}' is not a phone number", field=field) from exc
    if not phonenumbers.is_valid_number(parsed):
        raise ComplianceValidationError(f"'{raw}' is not a valid phone number", field=field)
    return (
        phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164),
        phonenumbers.region_code_for_number(parsed) or "",
    )
