"""The opt-out register's CSV import and export.

An import reads its file as a stream within the request (files up to OPT_OUT_IMPORT_MAX_BYTES): each row is an
opt-out with source `import`; a row that cannot be one is rejected with its row number and the reason, and the other
rows are recorded. Rows are written a batch at a time inside one transaction, so a file that turns out unreadable
half-way leaves nothing behind. The import is audited once, with its counts.
"""

from __future__ import annotations

import codecs
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from django.conf import settings
from django.core.files import File
from django.db import connection, transaction
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime

from compliance.domain.register_csv import EXPORT_COLUMNS, RegisterCsvError, Row, read_rows
from compliance.errors import ComplianceValidationError, UploadTooLarge
from compliance.models import Consent, OptOutEvent
from compliance.selectors import suppressions
from compliance.services import events
from compliance.services.numbers import e164
from compliance.services.register import TENANT_SCOPE, check_scope
from tenants.audit import audit_record
from tenants.models import Tenant

BATCH_ROWS = 1000
CHUNK_BYTES = 64 * 1024
CLOCK_SKEW = timedelta(minutes=5)

INSERT_SUPPRESSIONS = """
INSERT INTO compliance_suppression (number, scope, opted_out_at, event_id)
SELECT * FROM unnest(%(numbers)s::text[], %(scopes)s::text[], %(ats)s::timestamptz[], %(events)s::bigint[])
ON CONFLICT (number, scope) DO NOTHING
RETURNING number, scope
"""


@dataclass(frozen=True)
class Reject:
    row: int
    reason: str


@dataclass
class ImportReport:
    """What an import did: data rows read, opt-outs recorded, numbers and scopes newly suppressed, rows rejected."""

    file_name: str
    rows: int = 0
    recorded: int = 0
    suppressed: int = 0
    rejects: list[Reject] = field(default_factory=list)


@dataclass(frozen=True)
class _Valid:
    row: int
    number: str
    scope: str
    at: datetime
    evidence: str


def import_size_check(size: int | None) -> None:
    """UploadTooLarge when `size` bytes is more than an import reads."""
    limit = settings.OPT_OUT_IMPORT_MAX_BYTES
    if size is not None and size > limit:
        raise UploadTooLarge(
            f"the file is {size:,} bytes; an import reads at most {limit:,} (split the file)", field="file"
        )


def opt_outs_import(*, tenant: Tenant, upload: File, actor_label: str, actor=None) -> ImportReport:
    """Record an opt-out for each row of a CSV file; reject, with its row number and reason, each row that is not
    one. ComplianceValidationError (field `file`) for a file that is not CSV text with a number column."""
    import_size_check(upload.size)
    report = ImportReport(file_name=getattr(upload, "name", "") or "upload.csv")
    now = timezone.now()
    try:
        with transaction.atomic():
            batch: list[_Valid] = []
            for row in read_rows(_text_lines(upload)):
                report.rows += 1
                try:
                    batch.append(_valid(row, tenant=tenant, now=now, file_name=report.file_name))
                except ComplianceValidationError as exc:
                    report.rejects.append(Reject(row.row, exc.message))
                if len(batch) == BATCH_ROWS:
                    _record(tenant, batch, actor_label, report)
                    batch = []
            _record(tenant, batch, actor_label, report)
            if report.rows == 0:
                raise ComplianceValidationError("the file has a header row but no data rows", field="file")
            audit_record(
                action="compliance.opt_outs_imported",
                tenant=tenant,
                actor=actor,
                actor_label=actor_label,
                target=report.file_name[:200],
                details={"rows": report.rows, "recorded": report.recorded, "rejected": len(report.rejects)},
            )
    except RegisterCsvError as exc:
        raise ComplianceValidationError(str(exc), field="file") from exc
    except UnicodeDecodeError as exc:
        raise ComplianceValidationError(
            f"the file is not CSV text in UTF-8 (byte {exc.start + 1:,} of a block cannot be read)", field="file"
        ) from exc
    return report


def _text_lines(upload: File) -> Iterator[str]:
    """The file's lines, decoded as UTF-8 (a byte-order mark is dropped); refuses binary content."""
    decoder = codecs.getincrementaldecoder("utf-8-sig")()
    upload.seek(0)
    pending = ""
    for chunk in upload.chunks(CHUNK_BYTES):
        if b"\x00" in chunk:
            raise RegisterCsvError("the file is not CSV text: it holds binary data")
        pending += decoder.decode(chunk)
        *lines, pending = pending.splitlines(keepends=True) or [""]
        yield from lines
    pending += decoder.decode(b"", final=True)
    if pending:
        yield pending


def _valid(row: Row, *, tenant: Tenant, now: datetime, file_name: str) -> _Valid:
    if not row.number:
        raise ComplianceValidationError("the number is blank", field="number")
    number = e164(row.number, default_country=tenant.default_country)
    scope = check_scope(row.scope) if row.scope else TENANT_SCOPE
    at = _moment(row.opted_out_at, now)
    return _Valid(row.row, number, scope, at, row.evidence or f"imported from {file_name}"[:500])


def _moment(text: str, now: datetime) -> datetime:
    if not text:
        return now
    try:
        moment = parse_datetime(text)
        if moment is None and (day := parse_date(text)) is not None:
            moment = datetime(day.year, day.month, day.day)
    except ValueError:
        moment = None
    if moment is None:
        example = "2026-03-01T14:30:00Z"
        raise ComplianceValidationError(f"'{text}' is not a date or time such as {example}", field="opted_out_at")
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment, UTC)
    if moment > now + CLOCK_SKEW:
        raise ComplianceValidationError(f"{text} is in the future", field="opted_out_at")
    return moment


def _record(tenant: Tenant, batch: list[_Valid], actor_label: str, report: ImportReport) -> None:
    if not batch:
        return
    created = OptOutEvent.objects.bulk_create(
        OptOutEvent(
            number=v.number,
            kind=OptOutEvent.Kind.OPT_OUT,
            scopes=[v.scope],
            source=OptOutEvent.Source.IMPORT,
            evidence=v.evidence,
            actor_label=actor_label,
            occurred_at=v.at,
        )
        for v in batch
    )
    params = {
        "numbers": [v.number for v in batch],
        "scopes": [v.scope for v in batch],
        "ats": [v.at for v in batch],
        "events": [e.pk for e in created],
    }
    with connection.cursor() as cursor:
        cursor.execute(INSERT_SUPPRESSIONS, params)
        added = cursor.fetchall()
    _revoke_consents(batch, created)
    for number, scope in added:
        at = next(v.at for v in batch if v.number == number and v.scope == scope)
        events.publish(tenant=tenant, kind="opted_out", number=number, scopes=(scope,), source="import", at=at)
    report.recorded += len(created)
    report.suppressed += len(added)


def _revoke_consents(batch: list[_Valid], created: list[OptOutEvent]) -> None:
    """An opt-out of the whole tenant revokes the number's consents, as `opt_out_record` does."""
    whole: dict[str, tuple[_Valid, OptOutEvent]] = {}
    for valid, event in zip(batch, created, strict=True):
        if valid.scope == TENANT_SCOPE:
            whole.setdefault(valid.number, (valid, event))  # the first opt-out revokes
    if not whole:
        return
    holding = Consent.objects.filter(number__in=list(whole), revoked_at__isnull=True)
    for number in set(holding.values_list("number", flat=True)):
        valid, event = whole[number]
        holding.filter(number=number).update(revoked_at=valid.at, revoked_by=event)


def opt_outs_export(
    *, tenant: Tenant, actor_label: str, search: str = "", scope: str = "", actor=None
) -> Iterator[list[str]]:
    """The opt-outs in force (filtered as the list is) as CSV rows, header first, read in chunks; audited."""
    audit_record(
        action="compliance.opt_outs_exported",
        tenant=tenant,
        actor=actor,
        actor_label=actor_label,
        target="opt-out register",
        details={"search": search, "scope": scope},
    )
    return _export_rows(search, scope)


def _export_rows(search: str, scope: str) -> Iterator[list[str]]:
    yield list(EXPORT_COLUMNS)
    found = suppressions(search=search, scope=scope).values_list(
        "number",
        "scope",
        "opted_out_at",
        "event__source",
        "event__keyword",
        "event__message_sid",
        "event__evidence",
        "event__actor_label",
    )
    for number, row_scope, at, source, keyword, sid, evidence, actor in found.iterator(chunk_size=2000):
        yield [number, row_scope, at.isoformat(), source, keyword, sid, evidence, actor]
