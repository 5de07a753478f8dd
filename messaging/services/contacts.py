"""Contacts of the current tenant schema."""

from __future__ import annotations

from compliance.errors import ComplianceValidationError
from compliance.services.numbers import parse_number
from messaging.errors import UnprocessableInput
from messaging.models import Contact


def normalize_phone_number(raw: str, *, default_country: str, field: str = "phone_number") -> tuple[str, str]:
    """E.164 form and ISO country of a phone number written in any common format."""
    try:
        return parse_number(raw, default_country=default_country, field=field)
    except ComplianceValidationError as exc:  # well-formed text that is no number of the numbering plans
        raise UnprocessableInput(exc.message, field=field) from exc


def contact_upsert(*, phone_number: str, name: str = "", default_country: str = "US") -> Contact:
    """Create the contact for a number, or update its name; the number is stored in E.164."""
    e164, country = normalize_phone_number(phone_number, default_country=default_country)
    contact, created = Contact.objects.get_or_create(phone_number=e164, defaults={"name": name, "country": country})
    if not created and name and contact.name != name:
        contact.name = name
        contact.save(update_fields=["name", "updated_at"])
    return contact
