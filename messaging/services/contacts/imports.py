"""CSV imports of contacts: an upload checked and stored, its column mapping, and the run that streams it in.

An upload is refused before anything is written when it is too large, not CSV, or (when given) its mapping does
not fit its header. The run (`messaging.tasks.contact_import_task`) reads the file from the default storage as a
stream, BATCH_ROWS rows at a time; each batch is one transaction under the job's row lock that upserts the
contacts (`messaging.services.contacts.batches`), records the rejected rows and moves the job's committed offset.
A run that dies resumes at that offset; a second run of the same job finds the offset moved and leaves.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Iterable, Iterator, Mapping
from datetime import timedelta
from typing import IO, Any, Final

from django.conf import settings
from django.core.files import File
from django.core.files.storage import default_storage
from django.db import connection, reset_queries, transaction
from django.db.models import Q
from django.utils import timezone

from compliance.services.settings import settings_get
from config.celery import enqueue_on_commit
from messaging.domain.contact_csv import (
    HEAD_BYTES,
    CsvHead,
    LineTooLong,
    MappingError,
    NotCsv,
    Record,
    check_mapping,
    guess_mapping,
    read_records,
    sniff,
)
from messaging.errors import ImportFileTooLarge, ImportNotCancelable, ImportNotStartable, UnprocessableInput
from messaging.models import ContactList, ImportJob
from messaging.services.contacts.batches import import_batch
from messaging.services.contacts.phones import tenant_region
from messaging.services.contacts.records import tags_check
from tenants.audit import audit_record
from tenants.models import Tenant, User

logger = logging.getLogger(__name__)

BATCH_ROWS: Final = 2000
STRANDED_AFTER: Final = timedelta(minutes=2)  # a running import commits a batch every second or so
DRAFTS_KEPT: Final = timedelta(days=1)
UNFINISHED: Final = (ImportJob.Status.DRAFT, ImportJob.Status.PENDING, ImportJob.Status.RUNNING)
STORAGE_FOLDER: Final = "contact-imports"


def _sizes(size: int, limit: int) -> tuple[str, str]:
    """Two sizes in MB, or in bytes where MB would show them equal."""
    shown = (f"{size / 1_000_000:,.1f} MB", f"{limit / 1_000_000:,.1f} MB")
    return shown if shown[0] != shown[1] else (f"{size:,} bytes", f"{limit:,} bytes")


def import_size_check(size: int | None, *, field: str = "file") -> None:
    """Refuse (413) a size over CONTACT_IMPORT_MAX_BYTES; the API checks the request's length with it first."""
    limit = settings.CONTACT_IMPORT_MAX_BYTES
    if size is not None and size > limit:
        size_shown, limit_shown = _sizes(size, limit)
        raise ImportFileTooLarge(f"the file is {size_shown}; the limit is {limit_shown}", field=field)


def _head(upload: File) -> CsvHead:
    import_size_check(upload.size)
    upload.seek(0)
    head = upload.read(HEAD_BYTES)
    upload.seek(0)
    try:
        return sniff(head, whole_file=len(head) < HEAD_BYTES)
    except NotCsv as exc:
        raise UnprocessableInput(exc.message, field="file") from exc


def _mapping(header: tuple[str, ...] | list[str], mapping: Mapping[str, Any] | None) -> dict[str, str]:
    try:
        return check_mapping(header, guess_mapping(header) if mapping is None else mapping)
    except MappingError as exc:
        raise UnprocessableInput(exc.message, field=exc.field) from exc


def _store(upload: File, csv_head: CsvHead, **fields) -> ImportJob:
    """Save the upload in the default storage and its job; the file goes again when the job cannot be saved."""
    stored = default_storage.save(f"{STORAGE_FOLDER}/{connection.schema_name}/{uuid.uuid4().hex}.csv", upload)
    try:
        return ImportJob.objects.create(
            file=stored,
            file_name=(upload.name or "contacts.csv").rsplit("/", 1)[-1][:255],
            size_bytes=upload.size,
            delimiter=csv_head.delimiter,
            header=list(csv_head.header),
            preview=[list(row) for row in csv_head.preview],
            data_offset=csv_head.data_offset,
            committed_offset=csv_head.data_offset,
            **fields,
        )
    except BaseException:
        default_storage.delete(stored)
        raise


def import_upload(*, upload: File, default_country: str | None = None, created_by: str = "") -> ImportJob:
    """Check an upload and keep it as a draft import whose mapping (guessed from the header) waits to be confirmed."""
    csv_head = _head(upload)
    return _store(
        upload,
        csv_head,
        status=ImportJob.Status.DRAFT,
        mapping=guess_mapping(csv_head.header),
        default_country=tenant_region(default_country),
        created_by=created_by[:254],
    )


def _queue(*, tenant: Tenant, job: ImportJob, actor: User | None, actor_label: str | None) -> None:
    from messaging.tasks import contact_import_task

    audit_record(
        action="contacts.import_started",
        tenant=tenant,
        actor=actor,
        actor_label=actor_label,
        target=job.file_name,
        details={"import": job.pk, "bytes": job.size_bytes, "list": job.contact_list_id},
    )
    enqueue_on_commit(contact_import_task, job_id=job.pk)


def import_start(
    *,
    tenant: Tenant,
    job: ImportJob,
    mapping: Mapping[str, Any] | None = None,
    contact_list: ContactList | None = None,
    tags: Iterable[str] = (),
    actor: User | None = None,
    actor_label: str | None = None,
) -> ImportJob:
    """Confirm a draft import's mapping (None: the guess) and options, and queue its run. Audited."""
    checked = _mapping(job.header, mapping)
    slugs = tags_check(tags)
    with transaction.atomic():
        claimed = ImportJob.objects.filter(pk=job.pk, status=ImportJob.Status.DRAFT).update(
            status=ImportJob.Status.PENDING, mapping=checked, contact_list=contact_list, tags=slugs,
            updated_at=timezone.now(),
        )  # fmt: skip
        job.refresh_from_db()
        if not claimed:
            raise ImportNotStartable(f"import {job.pk} is {job.status} already", field="status")
        _queue(tenant=tenant, job=job, actor=actor, actor_label=actor_label)
    return job


def import_create(
    *,
    tenant: Tenant,
    upload: File,
    mapping: Mapping[str, Any] | None = None,
    contact_list: ContactList | None = None,
    tags: Iterable[str] = (),
    default_country: str | None = None,
    actor: User | None = None,
    actor_label: str | None = None,
) -> ImportJob:
    """Upload and start at once (the API): every check runs before the file is stored. Audited."""
    csv_head = _head(upload)
    checked = _mapping(csv_head.header, mapping)
    slugs = tags_check(tags)
    with transaction.atomic():
        job = _store(
            upload,
            csv_head,
            status=ImportJob.Status.PENDING,
            mapping=checked,
            contact_list=contact_list,
            tags=slugs,
            default_country=tenant_region(default_country),
            created_by=(actor_label or (actor.email if actor else ""))[:254],
        )
        _queue(tenant=tenant, job=job, actor=actor, actor_label=actor_label)
    return job


def import_cancel(
    *, tenant: Tenant, job: ImportJob, actor: User | None = None, actor_label: str | None = None
) -> ImportJob:
    """Stop an import that has not ended (a draft is discarded): rows already committed stay. Audited."""
    with transaction.atomic():
        if not _finish(job.pk, ImportJob.Status.CANCELED, among=UNFINISHED):
            job.refresh_from_db()
            raise ImportNotCancelable(f"import {job.pk} is {job.status} already", field="status")
        audit_record(
            action="contacts.import_canceled",
            tenant=tenant,
            actor=actor,
            actor_label=actor_label,
            target=job.file_name,
            details={"import": job.pk},
        )
    job.refresh_from_db()
    return job


# --- the run ------------------------------------------------------------------------------------------------------


def _open_upload(job: ImportJob) -> IO[bytes]:
    return default_storage.open(job.file.name, "rb")


def _finish(job_id: int, status: str, *, among: Iterable[str] = (ImportJob.Status.RUNNING,), error: str = "") -> bool:
    """Move a job to an end status when it is in one of `among`; its upload goes once that commits."""
    now = timezone.now()
    job = ImportJob.objects.filter(pk=job_id).only("file").first()
    ended = ImportJob.objects.filter(pk=job_id, status__in=list(among)).update(
        status=status, error=error[:2000], finished_at=now, updated_at=now
    )
    if ended and job is not None and job.file.name:
        name = job.file.name
        transaction.on_commit(lambda: default_storage.delete(name))
    return bool(ended)


def _batches(records: Iterator[Record], size: int) -> Iterator[list[Record]]:
    batch: list[Record] = []
    for record in records:
        batch.append(record)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


def _commit(job: ImportJob, batch: list[Record]) -> ImportJob | None:
    """Import one batch and move the committed offset past it, under the job's lock; None when the job was
    canceled or another run committed from this offset first."""
    with transaction.atomic():
        current = ImportJob.objects.select_for_update().filter(pk=job.pk).first()
        if current is None or current.status != ImportJob.Status.RUNNING:
            return None
        if current.committed_offset != job.committed_offset:
            logger.info("import %s: another run moved past byte %s; leaving", job.pk, job.committed_offset)
            return None
        counts = import_batch(current, batch)
        current.committed_offset = batch[-1].end_offset
        current.committed_row = batch[-1].row
        current.total_rows += counts.total
        current.imported += counts.imported
        current.updated += counts.updated
        current.rejected += counts.rejected
        current.save(update_fields=[
            "committed_offset", "committed_row", "total_rows", "imported", "updated", "rejected", "updated_at",
        ])  # fmt: skip
    return current


def import_run(*, job_id: int, batch_rows: int = BATCH_ROWS) -> ImportJob | None:
    """Run or resume an import from its committed offset to the end of the file; returns the job, or None when
    there was nothing to run (ended, canceled, or taken over by another run)."""
    now = timezone.now()
    claimed = ImportJob.objects.filter(
        pk=job_id, status__in=[ImportJob.Status.PENDING, ImportJob.Status.RUNNING]
    ).update(status=ImportJob.Status.RUNNING, updated_at=now)
    job = ImportJob.objects.filter(pk=job_id).first()
    if not claimed or job is None:
        return None
    if job.started_at is None:
        ImportJob.objects.filter(pk=job_id, started_at__isnull=True).update(started_at=now)
    try:
        with _open_upload(job) as stream:
            stream.seek(job.committed_offset)
            records = read_records(stream, offset=job.committed_offset, row=job.committed_row, delimiter=job.delimiter)
            for batch in _batches(records, batch_rows):
                job = _commit(job, batch)
                if job is None:
                    return None
                reset_queries()  # with DEBUG on, Django would keep every batch's SQL for the whole run
    except LineTooLong as exc:
        _finish(job_id, ImportJob.Status.FAILED, error=f"{exc}: is it a CSV file with one row per line?")
    except OSError as exc:
        logger.warning("import %s: the upload cannot be read: %s", job_id, exc)
        _finish(job_id, ImportJob.Status.FAILED, error="the uploaded file cannot be read from the storage")
    except Exception as exc:
        logger.exception("import %s failed", job_id)
        _finish(job_id, ImportJob.Status.FAILED, error=f"the import stopped on an unexpected error ({exc})")
    else:
        if _finish(job_id, ImportJob.Status.COMPLETED):
            _look_up_after_import(job_id)
    return ImportJob.objects.get(pk=job_id)


def _look_up_after_import(job_id: int) -> None:
    """Where the tenant asks for it, look up the line type of the contacts not known yet (the imported ones among
    them) once the import has ended."""
    from messaging.tasks import tenant_lookups_due  # the tasks module imports this one

    if not settings_get().lookup_on_import:
        return
    job = ImportJob.objects.get(pk=job_id)
    limit = job.imported + job.updated
    if limit:
        tenant_lookups_due.apply_async(kwargs={"schema_name": connection.schema_name, "limit": limit})


# --- housekeeping (the tenant sweep) ------------------------------------------------------------------------------


def imports_stranded() -> list[int]:
    """Imports queued or running whose run has not moved for STRANDED_AFTER: its wake-up or its worker was lost."""
    quiet_since = timezone.now() - STRANDED_AFTER
    return list(
        ImportJob.objects.filter(
            status__in=[ImportJob.Status.PENDING, ImportJob.Status.RUNNING], updated_at__lt=quiet_since
        ).values_list("pk", flat=True)
    )


def import_drafts_discard() -> int:
    """Delete drafts whose mapping nobody confirmed within DRAFTS_KEPT, and their uploads."""
    stale = ImportJob.objects.filter(Q(status=ImportJob.Status.DRAFT) & Q(created_at__lt=timezone.now() - DRAFTS_KEPT))
    names = list(stale.values_list("file", flat=True))
    deleted, _ = stale.delete()
    for name in names:
        default_storage.delete(name)
    return len(names) if deleted else 0
