"""Contacts and an import's rejected rows as CSV rows, streamed in chunks by id so that no table sits in memory.

The cells go through `messaging.domain.contact_csv.csv_lines`, which neutralises formulas; an export is audited.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Final

from django.db import connection
from django.db.models import CharField, Func, QuerySet
from django_tenants.utils import schema_context

from messaging.domain.contact_csv import FIXED_EXPORT_COLUMNS
from messaging.models import Contact, ImportJob, ImportRejection
from tenants.audit import audit_record
from tenants.models import Tenant, User

CHUNK: Final = 2000


def _attribute_keys(contacts: QuerySet[Contact]) -> list[str]:
    keys = (
        contacts.order_by()
        .annotate(key=Func("attributes", function="jsonb_object_keys", output_field=CharField()))
        .values_list("key", flat=True)
        .distinct()
    )
    return sorted(keys)


def _chunks(queryset: QuerySet, schema_name: str) -> Iterator[list]:
    """The rows of `queryset` by ascending id, CHUNK at a time, read in `schema_name` whenever the stream is read."""
    last = 0
    while True:
        with schema_context(schema_name):
            chunk = list(queryset.filter(pk__gt=last).order_by("pk")[:CHUNK])
        if not chunk:
            return
        yield chunk
        last = chunk[-1].pk


def _contact_rows(contacts: QuerySet[Contact], keys: list[str], schema_name: str) -> Iterator[list[str]]:
    headers = [f"attribute:{key}" if key in FIXED_EXPORT_COLUMNS else key for key in keys]
    yield [*FIXED_EXPORT_COLUMNS, *headers]
    for chunk in _chunks(contacts.prefetch_related("lists"), schema_name):
        for contact in chunk:
            attributes = contact.attributes
            yield [
                contact.phone_number, contact.name, contact.time_zone, ", ".join(contact.tags),
                "; ".join(item.name for item in contact.lists.all()), contact.status, contact.unsendable_reason,
                contact.country, contact.created_at.isoformat(timespec="seconds"),
                *(_text(attributes.get(key)) for key in keys),
            ]  # fmt: skip


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def contacts_export(
    *, tenant: Tenant, contacts: QuerySet[Contact], actor: User | None = None, actor_label: str | None = None,
    filters: dict | None = None,
) -> Iterator[list[str]]:  # fmt: skip
    """The rows of a CSV of `contacts` (a header, then one row per contact, an attribute per column), read lazily
    in chunks; the export is audited now, with the filters that chose the contacts."""
    audit_record(
        action="contacts.exported",
        tenant=tenant,
        actor=actor,
        actor_label=actor_label,
        target="contacts",
        details={"filters": {key: value for key, value in (filters or {}).items() if value not in (None, "")}},
    )
    return _contact_rows(contacts, _attribute_keys(contacts), connection.schema_name)


def import_rejects_rows(job: ImportJob) -> Iterator[list[str]]:
    """The rejected rows of an import as CSV rows: the file's own columns, then the row number, column and reason,
    so the file can be fixed and uploaded again (its rejected_… columns are ignored by the mapping's guess)."""
    width = len(job.header)
    schema_name = connection.schema_name

    def rows() -> Iterator[list[str]]:
        yield [*job.header, "rejected_row", "rejected_column", "rejected_reason"]
        for chunk in _chunks(ImportRejection.objects.filter(job=job), schema_name):
            for rejection in chunk:
                values = [*rejection.values[:width], *[""] * (width - len(rejection.values))]
                yield [*values, str(rejection.row_number), rejection.column, rejection.reason]

    return rows()
