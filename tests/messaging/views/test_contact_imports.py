"""The import pages: an upload refused under its field, the mapping page with the header, first rows and guess, a
mapping refused under its column, progress (as JSON for the page's script), the result and the rejects download."""

from __future__ import annotations

import csv
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from messaging.models import ImportJob
from tests.factories import ContactListFactory, csv_upload, in_tenant

pytestmark = pytest.mark.django_db

FILE = "Mobile,Who,Plan\n(415) 555-0100,Ann,gold\nnope,Bo,\n"


@pytest.fixture
def operator_a(client_a, acme_member):
    client_a.force_login(acme_member("operator"))
    return client_a


def test_an_upload_that_is_not_csv_or_too_large_is_refused_under_the_file(operator_a, tenant_a, settings):
    refused = operator_a.post("/contacts/imports/upload/", {"file": SimpleUploadedFile("a.pdf", b"%PDF-1.7\n")})
    assert (refused.status_code, refused.context["form"].errors) == (
        400,
        {"file": ["the file is a PDF document, not CSV: save it as “CSV UTF-8” in your spreadsheet and upload that"]},
    )
    settings.CONTACT_IMPORT_MAX_BYTES = 10
    too_large = operator_a.post("/contacts/imports/upload/", {"file": csv_upload(FILE)})
    assert (too_large.status_code, too_large.context["form"].errors) == (
        413,
        {"file": ["the file is 49 bytes; the limit is 10 bytes"]},
    )
    with in_tenant(tenant_a):
        assert ImportJob.objects.count() == 0


def test_the_flow_uploads_maps_imports_and_shows_the_rejected_rows(
    operator_a, tenant_a, django_capture_on_commit_callbacks
):
    # given an upload
    uploaded = operator_a.post("/contacts/imports/upload/", {"file": csv_upload(FILE, "spring.csv")})
    with in_tenant(tenant_a):
        job = ImportJob.objects.get()
    assert uploaded["Location"] == f"/contacts/imports/{job.pk}/"
    # the mapping page shows the header, the first rows and the guess
    page = operator_a.get(uploaded["Location"])
    form = page.context["form"]
    assert [(column, target.value(), key.value()) for column, target, key in form.columns()] == [
        ("Mobile", "phone", "mobile"),
        ("Who", "attribute", "who"),
        ("Plan", "attribute", "plan"),
    ]
    assert "(415) 555-0100" in page.content.decode()
    # a mapping without a phone column is refused
    mapping = {"target_0": "ignore", "key_0": "", "target_1": "name", "key_1": "", "target_2": "attribute"}
    refused = operator_a.post(f"/contacts/imports/{job.pk}/start/", {**mapping, "key_2": "plan"})
    assert (refused.status_code, refused.context["form"].non_field_errors()) == (
        400,
        ["the mapping names no phone column: map the column of numbers to phone"],
    )
    bad_key = operator_a.post(f"/contacts/imports/{job.pk}/start/", {**mapping, "target_0": "phone", "key_2": "P!"})
    assert bad_key.context["form"].errors == {
        "target_2": [
            "'attribute:P!': an attribute key is 1 to 64 lowercase letters, digits or underscores, starting with a "
            "letter"
        ]
    }
    # when the mapping is confirmed, with a list and tags
    vip = ContactListFactory(tenant=tenant_a, name="VIP")
    with django_capture_on_commit_callbacks(execute=True):
        started = operator_a.post(
            f"/contacts/imports/{job.pk}/start/",
            {**mapping, "target_0": "phone", "key_2": "plan", "contact_list": vip.pk, "tags": "Spring, new"},
        )
    assert started["Location"] == f"/contacts/imports/{job.pk}/"
    # then the page shows the result and the rejected row
    result = operator_a.get(started["Location"])
    job.refresh_from_db()
    assert (job.status, job.imported, job.rejected, job.tags, job.contact_list_id) == (
        "completed",
        1,
        1,
        ["new", "spring"],
        vip.pk,
    )
    assert [(r.row_number, r.reason) for r in result.context["rejections"]] == [
        (3, "Mobile: 'nope' is not a phone number")
    ]
    assert operator_a.get(f"/contacts/imports/{job.pk}/progress/").json() == {
        "status": "completed", "progress": 100, "total_rows": 2, "imported": 1, "updated": 0, "rejected": 1,
        "finished": True,
    }  # fmt: skip
    download = operator_a.get(f"/contacts/imports/{job.pk}/rejects.csv")
    rows = list(csv.reader(io.StringIO(b"".join(download.streaming_content).decode().removeprefix("\ufeff"))))
    assert rows[1] == ["nope", "Bo", "", "3", "Mobile", "Mobile: 'nope' is not a phone number"]


def test_a_running_import_shows_its_progress_and_refreshes_without_javascript(operator_a, tenant_a):
    operator_a.post("/contacts/imports/upload/", {"file": csv_upload(FILE)})
    with in_tenant(tenant_a):
        job = ImportJob.objects.get()
        ImportJob.objects.filter(pk=job.pk).update(status="running", committed_offset=job.data_offset + 23)
    page = operator_a.get(f"/contacts/imports/{job.pk}/")
    html = page.content.decode()
    assert page.context["progress"] == 69  # 23 of the 33 bytes after the header
    assert '<noscript><meta http-equiv="refresh" content="3"></noscript>' in html
    assert 'data-import-progress="/contacts/imports/' in html
    assert "js/import-progress.js" in html
    assert operator_a.get(f"/contacts/imports/{job.pk}/progress/").json()["finished"] is False
    operator_a.post(f"/contacts/imports/{job.pk}/cancel/")
    with in_tenant(tenant_a):
        assert ImportJob.objects.get().status == "canceled"
