"""Seeding the sending-hours table with the facts the platform ships."""

from __future__ import annotations

from django.db import connection
from django_tenants.utils import get_public_schema_name

from compliance.domain.hours import DEFAULT_JURISDICTIONS
from compliance.rulebook import convert
from compliance.rulebook.models import SendingHours


def hours_seed() -> int:
    """Fill an empty table with the shipped rows; a table staff have edited is left alone. Returns rows added."""
    if SendingHours.objects.exists():
        return 0
    SendingHours.objects.bulk_create(SendingHours(**convert.row_fields(facts)) for facts in DEFAULT_JURISDICTIONS)
    return len(DEFAULT_JURISDICTIONS)


def seed_after_migrate(sender, **kwargs) -> None:
    """post_migrate: fill an empty table once the public schema has it."""
    if connection.schema_name == get_public_schema_name():
        hours_seed()
