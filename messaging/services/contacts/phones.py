"""Contacts of the current tenant schema."""

from __future__ import annotations

import phonenumbers

from messaging.errors import MessagingValidationError
from messaging.models import Contact


def normalize_phone_number(raw: str, *, default_country: str, field: str = "phone_number") -> tuple[str, str]:
    """E.164 form and ISO country of a phone number written in any common format."""
    try:
        parsed = phonenumbers.parse(raw, default_country)
    except phonenumbers.NumberParseException as exc:
        raise MessagingValidationError(f"'{raw}' is not a phone number", field=field) from exc
    if not phonenumbers.is_valid_number(parsed):
        raise MessagingValidationError(f"'{raw}' is not a valid phone number", field=field)
    return (
        phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164),
        phonenumbers.region_code_for_number(parsed) or "",
    )


def contact_upsert(*, phone_number: str, name: str = "", default_country: str = "US") -> Contact:
    """Create the contact for a number, or update its name; the number is stored in E.164."""
    e164, country = normalize_phone_number(phone_number, default_country=default_country)
    contact, created = Contact.objects.get_or_create(phone_number=e164, defaults={"name": name, "country": country})
    if not created and name and contact.name != name:
        contact.name = name
        contact.save(update_fields=["name", "updated_at"])
    return contact
