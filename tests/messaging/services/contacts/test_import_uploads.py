"""Uploads of contact CSV files: refused naming the field when not CSV, too large or mapped wrong, with no job and no
stored file left behind; a draft whose guessed mapping the user confirms, once; drafts nobody confirmed discarded."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from messaging.errors import ImportFileTooLarge, ImportNotCancelable, ImportNotStartable, MessagingValidationError
from messaging.models import ImportJob
from messaging.services.contacts.imports import (
    import_cancel,
    import_create,
    import_drafts_discard,
    import_start,
    import_upload,
)
from tenants.models import AuditEvent
from tests.factories import ContactListFactory, csv_upload

pytestmark = pytest.mark.django_db


def stored_files(tenant) -> list[str]:
    try:
        return default_storage.listdir(f"contact-imports/{tenant.schema_name}")[1]
    except FileNotFoundError:
        return []


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (
            SimpleUploadedFile("contacts.xlsx", b"PK\x03\x04\x14\x00\x06\x00" + b"\x00" * 100),
            "the file is a ZIP archive or an Excel workbook (.xlsx), not CSV: save it as “CSV UTF-8” in your "
            "spreadsheet and upload that",
        ),
        (
            SimpleUploadedFile("contacts.csv", "phone,name\n+14155550100,Jos\xe9\n".encode("latin-1")),
            "the file is not UTF-8 text (byte 0xE9 on line 2): save it as “CSV UTF-8” in your spreadsheet and upload "
            "that",
        ),
        (
            csv_upload("+14155550100,Ann\n+14155550101,Bo\n"),
            "the first row looks like data ('+14155550100'), not a header: add a header row naming the columns, "
            "e.g. phone,name",
        ),
    ],
)
def test_an_upload_that_is_not_csv_is_refused_and_nothing_is_kept(in_tenant_a, upload, message):
    before = stored_files(in_tenant_a)
    with pytest.raises(MessagingValidationError) as refused:
        import_create(tenant=in_tenant_a, upload=upload)
    assert (refused.value.status, refused.value.field, refused.value.message) == (422, "file", message)
    assert (ImportJob.objects.count(), stored_files(in_tenant_a)) == (0, before)


def test_an_upload_over_the_limit_is_refused_before_it_is_read(in_tenant_a, settings):
    settings.CONTACT_IMPORT_MAX_BYTES = 2_000_000
    upload = csv_upload("phone\n" + "+14155550100\n" * 160_000)
    with pytest.raises(ImportFileTooLarge) as refused:
        import_upload(upload=upload)
    assert (refused.value.status, refused.value.code, refused.value.field, refused.value.message) == (
        413,
        "file_too_large",
        "file",
        "the file is 2.1 MB; the limit is 2.0 MB",
    )
    assert ImportJob.objects.count() == 0


@pytest.mark.parametrize(
    ("mapping", "field", "message"),
    [
        (None, "mapping", "the mapping names no phone column: map the column of numbers to phone"),
        ({"Cell phone": "phone"}, "mapping.Cell phone", "the file's header has no column 'Cell phone'; its columns: "
         "Who, Digits"),
    ],
)  # fmt: skip
def test_a_mapping_that_does_not_fit_is_refused_before_the_file_is_stored(in_tenant_a, mapping, field, message):
    before = stored_files(in_tenant_a)
    with pytest.raises(MessagingValidationError) as refused:
        import_create(tenant=in_tenant_a, upload=csv_upload("Who,Digits\nAnn,+14155550100\n"), mapping=mapping)
    assert (refused.value.field, refused.value.message) == (field, message)
    assert (ImportJob.objects.count(), stored_files(in_tenant_a)) == (0, before)
    assert not AuditEvent.objects.filter(action="contacts.import_started").exists()


def test_a_draft_keeps_the_header_a_preview_and_the_guess_until_the_mapping_is_confirmed(
    in_tenant_a, django_capture_on_commit_callbacks
):
    # given an upload from the UI
    draft = import_upload(upload=csv_upload("Who,Digits\nAnn,+14155550100\n", bom=True), created_by="owner@acme.test")
    assert (draft.status, draft.header, draft.preview, draft.mapping, draft.default_country, draft.file_name) == (
        "draft",
        ["Who", "Digits"],
        [["Ann", "+14155550100"]],
        {"Who": "attribute:who", "Digits": "attribute:digits"},
        "US",
        "contacts.csv",
    )
    # when the user maps the columns and picks a list
    vip = ContactListFactory(tenant=in_tenant_a, name="VIP")
    with django_capture_on_commit_callbacks(execute=True):
        job = import_start(tenant=in_tenant_a, job=draft, mapping={"Who": "name", "Digits": "phone"}, contact_list=vip)
    # then it ran, and a second start is refused
    job.refresh_from_db()
    assert (job.status, job.imported, list(vip.contacts.values_list("name", flat=True))) == ("completed", 1, ["Ann"])
    with pytest.raises(ImportNotStartable) as refused:
        import_start(tenant=in_tenant_a, job=job, mapping={"Digits": "phone"})
    assert (refused.value.status, refused.value.message) == (409, f"import {job.pk} is completed already")
    with pytest.raises(ImportNotCancelable):
        import_cancel(tenant=in_tenant_a, job=job)
    event = AuditEvent.objects.get(action="contacts.import_started")
    assert (event.target, event.details) == (
        "contacts.csv",
        {"import": job.pk, "bytes": job.size_bytes, "list": vip.pk},
    )


def test_drafts_nobody_confirmed_within_a_day_are_discarded_with_their_file(in_tenant_a):
    old = import_upload(upload=csv_upload("phone\n+14155550100\n"))
    new = import_upload(upload=csv_upload("phone\n+14155550101\n"))
    ImportJob.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=1, minutes=1))
    assert import_drafts_discard() == 1
    assert list(ImportJob.objects.all()) == [new]
    assert not default_storage.exists(old.file.name)
    assert default_storage.exists(new.file.name)
