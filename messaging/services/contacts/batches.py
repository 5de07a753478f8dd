"""One batch of an import: rows read through the job's mapping, rows of one number merged, the contacts upserted with
one INSERT … ON CONFLICT, added to the job's list, and every row left out recorded with its reason.

Merging: a row for a number that exists (in the tenant, or earlier in the file) updates that contact. A name or time
zone in the row replaces the one kept, a blank cell keeps it; attributes are merged key by key; tags are added. An
import never changes a contact's status: an unsendable contact stays unsendable.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any, Final

from django.db import connection

from messaging.domain.contact_csv import ATTRIBUTE_PREFIX, MAX_TAG_LENGTH, NAME, PHONE, TAGS, TIME_ZONE, Record
from messaging.domain.contact_csv import split_tags as split_tag_cell
from messaging.errors import MessagingValidationError
from messaging.models import Contact, ContactListMembership, ImportJob, ImportRejection
from messaging.services.contacts.phones import normalize_phone_number, time_zone_check
from messaging.services.contacts.records import MAX_ATTRIBUTE_TEXT, MAX_NAME_LENGTH

MAX_KEPT_CELL: Final = 1000  # characters of a rejected row's cell kept for the rejects file

UPSERT: Final = """
INSERT INTO {contacts} AS c (phone_number, name, country, line_type, attributes, time_zone, status,
                             unsendable_reason, tags, created_at, updated_at)
SELECT r.phone_number, r.name, r.country, '', r.attributes, r.time_zone, 'active', '',
       ARRAY(SELECT jsonb_array_elements_text(r.tags))::varchar(50)[], now(), now()
FROM jsonb_to_recordset(%s::jsonb)
     AS r(phone_number text, name text, country text, attributes jsonb, time_zone text, tags jsonb)
ON CONFLICT (phone_number) DO UPDATE SET
    name = CASE WHEN EXCLUDED.name <> '' THEN EXCLUDED.name ELSE c.name END,
    attributes = c.attributes || EXCLUDED.attributes,
    time_zone = CASE WHEN EXCLUDED.time_zone <> '' THEN EXCLUDED.time_zone ELSE c.time_zone END,
    tags = ARRAY(SELECT DISTINCT t FROM unnest(c.tags || EXCLUDED.tags) AS t ORDER BY t),
    updated_at = now()
RETURNING c.id, c.phone_number, (c.xmax = 0) AS inserted
"""
ADD_TO_LIST: Final = """
INSERT INTO {memberships} (contact_id, contact_list_id, created_at)
SELECT unnest(%s::bigint[]), %s, now()
ON CONFLICT DO NOTHING
"""


@dataclass(frozen=True)
class BatchCounts:
    total: int
    imported: int
    updated: int
    rejected: int


@dataclass
class _Contact:
    """What the rows of one number say, merged in file order."""

    phone_number: str
    country: str
    rows: int = 0
    name: str = ""
    time_zone: str = ""
    attributes: dict[str, str] = field(default_factory=dict)
    tags: set[str] = field(default_factory=set)

    def as_json(self) -> dict[str, Any]:
        return {
            "phone_number": self.phone_number, "name": self.name, "country": self.country,
            "attributes": self.attributes, "time_zone": self.time_zone, "tags": sorted(self.tags),
        }  # fmt: skip


class _Rejected(Exception):
    def __init__(self, column: str, reason: str):
        super().__init__(reason)
        self.column = column
        self.reason = f"{column}: {reason}" if column else reason


@dataclass(frozen=True)
class _Columns:
    """Where each target's cells are: (index, column name) pairs, from the header and the mapping."""

    width: int
    phone: tuple[int, str]
    name: tuple[int, str] | None
    time_zone: tuple[int, str] | None
    tags: tuple[tuple[int, str], ...]
    attributes: tuple[tuple[int, str, str], ...]

    @classmethod
    def of(cls, job: ImportJob) -> _Columns:
        at = {target: (index, column) for index, column in enumerate(job.header) if (target := job.mapping.get(column))}
        return cls(
            width=len(job.header),
            phone=at[PHONE],
            name=at.get(NAME),
            time_zone=at.get(TIME_ZONE),
            tags=tuple((i, c) for i, c in enumerate(job.header) if job.mapping.get(c) == TAGS),
            attributes=tuple(
                (i, c, job.mapping[c][len(ATTRIBUTE_PREFIX) :])
                for i, c in enumerate(job.header)
                if job.mapping.get(c, "").startswith(ATTRIBUTE_PREFIX)
            ),
        )


def _cell(cells: list[str], index: int) -> str:
    return cells[index].strip() if index < len(cells) else ""


def _read(record: Record, columns: _Columns, job: ImportJob, merged: dict[str, _Contact]) -> None:
    """Merge one row into `merged`, or raise _Rejected naming the column at fault."""
    cells = record.cells
    if record.problem:
        raise _Rejected("", record.problem)
    if len(cells) > columns.width and any(cell.strip() for cell in cells[columns.width :]):
        raise _Rejected("", f"the row has {len(cells)} cells; the header names {columns.width} columns")
    index, column = columns.phone
    raw = _cell(cells, index)
    if not raw:
        raise _Rejected(column, "no phone number")
    try:
        e164, country = normalize_phone_number(raw, default_country=job.default_country)
    except MessagingValidationError as exc:
        raise _Rejected(column, exc.message) from exc
    name = " ".join(_cell(cells, columns.name[0]).split()) if columns.name else ""
    if len(name) > MAX_NAME_LENGTH:
        raise _Rejected(columns.name[1], f"a name is at most {MAX_NAME_LENGTH} characters")
    zone = ""
    if columns.time_zone:
        try:
            zone = time_zone_check(_cell(cells, columns.time_zone[0]))
        except MessagingValidationError as exc:
            raise _Rejected(columns.time_zone[1], exc.message) from exc
    tags = set(job.tags)
    for index, column in columns.tags:
        for tag in split_tag_cell(_cell(cells, index)):
            if len(tag) > MAX_TAG_LENGTH:
                raise _Rejected(column, f"a tag is at most {MAX_TAG_LENGTH} characters: '{tag}'")
            tags.add(tag)
    attributes = {}
    for index, column, key in columns.attributes:
        value = _cell(cells, index)
        if len(value) > MAX_ATTRIBUTE_TEXT:
            raise _Rejected(column, f"text is at most {MAX_ATTRIBUTE_TEXT} characters")
        if value:
            attributes[key] = value
    contact = merged.setdefault(e164, _Contact(e164, country))
    contact.rows += 1
    contact.name = name or contact.name
    contact.time_zone = zone or contact.time_zone
    contact.attributes.update(attributes)
    contact.tags |= tags


def _upsert(merged: dict[str, _Contact]) -> dict[str, tuple[int, bool]]:
    """Write the merged contacts; (id, inserted) by number."""
    if not merged:
        return {}
    payload = json.dumps([contact.as_json() for contact in merged.values()])
    with connection.cursor() as cursor:
        cursor.execute(UPSERT.format(contacts=Contact._meta.db_table), [payload])
        return {phone: (pk, inserted) for pk, phone, inserted in cursor.fetchall()}


def import_batch(job: ImportJob, batch: list[Record]) -> BatchCounts:
    """Import a batch of rows of `job` (inside the caller's transaction): contacts, list memberships, rejections."""
    columns = _Columns.of(job)
    merged: dict[str, _Contact] = {}
    rejections: list[ImportRejection] = []
    total = 0
    for record in batch:
        if not record.problem and not any(cell.strip() for cell in record.cells):
            continue  # a blank line
        total += 1
        try:
            _read(record, columns, job, merged)
        except _Rejected as rejected:
            values = [cell[:MAX_KEPT_CELL] for cell in record.cells[: columns.width + 10]]
            rejections.append(
                ImportRejection(
                    job=job, row_number=record.row, column=rejected.column[:255], reason=rejected.reason[:300],
                    values=values,
                )
            )  # fmt: skip
    written = _upsert(merged)
    imported = sum(1 for _, inserted in written.values() if inserted)
    if job.contact_list_id and written:
        with connection.cursor() as cursor:
            cursor.execute(
                ADD_TO_LIST.format(memberships=ContactListMembership._meta.db_table),
                [[pk for pk, _ in written.values()], job.contact_list_id],
            )
    ImportRejection.objects.bulk_create(rejections)
    rows_merged = sum(contact.rows for contact in merged.values())
    return BatchCounts(total=total, imported=imported, updated=rows_merged - imported, rejected=len(rejections))
