"""Contacts of the current tenant schema: phone numbers and time zones (`phones`), contacts one by one and in bulk
(`records`), lists (`lists`), CSV imports (`imports`, a batch in `batches`) and CSV exports (`exports`)."""

from messaging.services.contacts.phones import normalize_phone_number
from messaging.services.contacts.records import contact_upsert

__all__ = ["contact_upsert", "normalize_phone_number"]
