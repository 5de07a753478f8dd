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


def _number_place(number: str) -> tuple[str, str, tuple[str, ...]]:
    # In the North American plan a number's country, state and zones follow from its first six digits (area code
    # and exchange); the last four are the subscriber's. Keyed so, a campaign's audience costs a few thousand
    # lookups of the numbering data, not one per recipient.
    if len(number) == 12 and number.startswith("+1") and number[1:].isdigit():
        return _parsed_place(number[:8] + "0000")
    return _parsed_place(number)


@lru_cache(maxsize=65_536)
def _parsed_place(number: str) -> tuple[str, str, tuple[str, ...]]:
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
    """E.164 form and ISO country of a number (blank country for a non-geographic one such as +800 freephone);
    ComplianceValidationError naming `field` when it is none."""
    try:
        parsed = _parsed(str(raw), default_country or None)
    except phonenumbers.NumberParseException as exc:
        raise ComplianceValidationError(f"'{raw}' is not a phone number", field=field) from exc
    region = _region(parsed, default_country)
    if region is None:
        raise ComplianceValidationError(f"'{raw}' is not a valid phone number", field=field)
    country = region if region.isalpha() else ""  # "001": a non-geographic number
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164), country


# North American numbers written plainly (+1 415 555 0100, (415) 555-0100, 1-415-555-0100) are most of what a US or
# Canadian tenant imports; phonenumbers.parse() reads them into the same number as this does, several times slower.
NANP_REGIONS = frozenset(phonenumbers.COUNTRY_CODE_TO_REGION_CODE[1])
NANP_PUNCTUATION = re.compile(r"[\s().-]")
NANP_NUMBER = re.compile(r"^(\+1|1?)([2-9][0-9]{2}[2-9][0-9]{6})$")


def _parsed(raw: str, region: str | None) -> phonenumbers.PhoneNumber:
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
    """The region of a valid number, or None: what is_valid_number() and region_code_for_number() say, with one
    check instead of two for a number of the tenant's own country."""
    if _main_region(parsed.country_code) == default_country and phonenumbers.is_valid_number_for_region(
        parsed, default_country
    ):
        return default_country
    region = phonenumbers.region_code_for_number(parsed)
    return region if region and phonenumbers.is_valid_number_for_region(parsed, region) else None
