"""Phone numbers and time zones: numbers read as phonenumbers reads them (the quick path for plain North American
numbers included), a non-geographic number without a country, a number's time zone when its area keeps one clock."""

from __future__ import annotations

import phonenumbers
import pytest

from messaging.errors import MessagingValidationError
from messaging.services.contacts.phones import normalize_phone_number, number_time_zone
from messaging.services.contacts.records import contact_create


@pytest.mark.django_db
def test_a_non_geographic_number_has_no_country(in_tenant_a):
    contact = contact_create(phone_number="+800 1234 5678")
    assert (contact.phone_number, contact.country) == ("+80012345678", "")


def test_a_number_gives_its_time_zone_when_its_area_has_one_clock():
    assert number_time_zone("+14155550100") == "America/Los_Angeles"
    assert number_time_zone("+447400123456") == "Europe/London"  # London, Jersey, Guernsey, Man: one clock
    assert number_time_zone("+61412345678") == ""  # an Australian mobile: any of the country's zones


def _by_the_book(raw: str, region: str) -> tuple[str, str] | None:
    try:
        parsed = phonenumbers.parse(raw, region)
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_valid_number(parsed):
        return None
    found = phonenumbers.region_code_for_number(parsed)
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164), found if found.isalpha() else ""


@pytest.mark.parametrize("region", ["US", "CA", "GB", "FR", "JM"])
@pytest.mark.parametrize(
    "raw",
    ["+1 415 555 0100", "(415) 555-0100", "1-415-555-0100", "415.555.0100", "4155550100", "14165550100",
     "+1 (416) 555-0199", "+1 876 555 0100", "(212) 155-0100", "+4155550100", "415 555 0100 x12", "07400 123456",
     "+447400 123456", "+447911123456", "0612345678", "+33 6 12 34 56 78", "+800 1234 5678", "+1 800 555 0100",
     "12345", "not a number"],
)  # fmt: skip
def test_numbers_read_quickly_read_as_phonenumbers_reads_them(raw, region):
    try:
        ours = normalize_phone_number(raw, default_country=region)
    except MessagingValidationError:
        ours = None
    assert ours == _by_the_book(raw, region)
