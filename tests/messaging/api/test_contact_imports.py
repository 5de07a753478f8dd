"""Contact CSV imports on the API: a multipart upload with its mapping answered 202, the import followed to its end,
its rejected rows downloaded as CSV; uploads refused naming the field with nothing stored; canceled; another
tenant's key sees none of it."""

from __future__ import annotations

import csv
import io
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from messaging.models import Contact, ImportJob
from tests.factories import ContactListFactory, csv_upload, in_tenant
from tests.messaging.api.helpers import call

pytestmark = pytest.mark.django_db

IMPORTS = "/api/v1/contacts/imports"
FILE = "Mobile,Who,Plan\n(415) 555-0100,Ann,gold\nnot a number,Bo,\n+14155550101,Cy,silver\n"


def upload(client, key, **fields):
    return client.post(IMPORTS, fields, HTTP_AUTHORIZATION=f"Bearer {key}")


def test_an_upload_is_accepted_imported_and_its_rejects_downloaded(
    client_a, client_b, api_key_a, api_key_b, tenant_a, django_capture_on_commit_callbacks
):
    # given
    vip = ContactListFactory(tenant=tenant_a, name="VIP")
    mapping = {"Mobile": "phone", "Who": "name", "Plan": "attribute:plan"}
    # when
    with django_capture_on_commit_callbacks(execute=True):
        accepted = upload(
            client_a, api_key_a, file=csv_upload(FILE), mapping=json.dumps(mapping), list=vip.pk, tags=["Spring", "new"]
        )
    # then
    assert accepted.status_code == 202
    body = accepted.json()
    assert {key: body[key] for key in ("status", "file_name", "header", "mapping", "list", "tags", "progress")} == {
        "status": "pending",
        "file_name": "contacts.csv",
        "header": ["Mobile", "Who", "Plan"],
        "mapping": mapping,
        "list": vip.pk,
        "tags": ["new", "spring"],
        "progress": 0,
    }
    job = call(client_a, api_key_a, "get", f"{IMPORTS}/{body['id']}").json()
    assert {key: job[key] for key in ("status", "progress", "total_rows", "imported", "updated", "rejected")} == {
        "status": "completed",
        "progress": 100,
        "total_rows": 3,
        "imported": 2,
        "updated": 0,
        "rejected": 1,
    }
    with in_tenant(tenant_a):
        assert list(vip.contacts.order_by("phone_number").values_list("phone_number", "name", "tags")) == [
            ("+14155550100", "Ann", ["new", "spring"]),
            ("+14155550101", "Cy", ["new", "spring"]),
        ]
    rejects = client_a.get(job["rejects_url"], HTTP_AUTHORIZATION=f"Bearer {api_key_a}", HTTP_ACCEPT="text/csv")
    assert (rejects.status_code, rejects["Content-Type"]) == (200, "text/csv; charset=utf-8")
    text = b"".join(rejects.streaming_content).decode().removeprefix("\ufeff")
    assert list(csv.reader(io.StringIO(text))) == [
        ["Mobile", "Who", "Plan", "rejected_row", "rejected_column", "rejected_reason"],
        ["not a number", "Bo", "", "3", "Mobile", "Mobile: 'not a number' is not a phone number"],
    ]
    # another tenant sees none of it
    assert call(client_b, api_key_b, "get", IMPORTS).json()["results"] == []
    for method, path in [("get", ""), ("get", "/rejects"), ("post", "/cancel")]:
        assert call(client_b, api_key_b, method, f"{IMPORTS}/{body['id']}{path}").status_code == 404


@pytest.mark.parametrize(
    ("fields", "status", "field", "message"),
    [
        ({"file": SimpleUploadedFile("c.xlsx", b"PK\x03\x04" + b"\x00" * 64)}, 422, "file",
         "the file is a ZIP archive or an Excel workbook (.xlsx), not CSV: save it as “CSV UTF-8” in your spreadsheet "
         "and upload that"),
        ({"file": csv_upload("")}, 400, "file", "The submitted file is empty."),
        ({"file": csv_upload(FILE), "mapping": json.dumps({"Who": "name"})}, 422, "mapping",
         "the mapping names no phone column: map the column of numbers to phone"),
        ({"file": csv_upload(FILE), "mapping": json.dumps({"Phone": "phone"})}, 422, "mapping.Phone",
         "the file's header has no column 'Phone'; its columns: Mobile, Who, Plan"),
        ({"file": csv_upload(FILE), "mapping": "{not json"}, 400, "mapping", "Value must be valid JSON."),
        ({"file": csv_upload(FILE), "list": 999_999}, 422, "list", "no list with id 999999"),
        ({"mapping": "{}"}, 400, "file", "No file was submitted."),
    ],
)  # fmt: skip
def test_a_bad_upload_is_refused_naming_the_field_and_nothing_is_stored(
    client_a, api_key_a, tenant_a, fields, status, field, message
):
    response = upload(client_a, api_key_a, **fields)
    assert (response.status_code, response["Content-Type"]) == (status, "application/problem+json")
    assert response.json()["errors"] == [{"field": field, "message": message}]
    with in_tenant(tenant_a):
        assert ImportJob.objects.count() == 0


def test_an_upload_over_the_limit_is_refused_with_413(client_a, api_key_a, tenant_a, settings):
    settings.CONTACT_IMPORT_MAX_BYTES = 1_000_000
    big = csv_upload("phone\n" + "+14155550100\n" * 80_000)
    response = upload(client_a, api_key_a, file=big)
    assert (response.status_code, response.json()["code"], response.json()["errors"]) == (
        413,
        "file_too_large",
        [{"field": "file", "message": "the file is 1,040,006 bytes; the limit is 1,000,000 bytes"}],
    )
    huge = csv_upload("phone\n" + "+14155550100\n" * 200_000)
    assert upload(client_a, api_key_a, file=huge).status_code == 413  # refused from the request's length
    with in_tenant(tenant_a):
        assert ImportJob.objects.count() == 0


def test_a_json_body_is_not_an_upload(client_a, api_key_a):
    response = call(client_a, api_key_a, "post", IMPORTS, {"file": "phone\n+14155550100\n"})
    assert (response.status_code, response.json()["code"]) == (415, "unsupported_media_type")


def test_an_import_is_canceled_once(client_a, api_key_a, tenant_a):
    job = upload(client_a, api_key_a, file=csv_upload(FILE)).json()  # its task waits for a commit that never comes
    canceled = call(client_a, api_key_a, "post", f"{IMPORTS}/{job['id']}/cancel")
    assert (canceled.status_code, canceled.json()["status"]) == (200, "canceled")
    again = call(client_a, api_key_a, "post", f"{IMPORTS}/{job['id']}/cancel")
    assert (again.status_code, again.json()["code"]) == (409, "import_not_cancelable")
    with in_tenant(tenant_a):
        assert Contact.objects.count() == 0


def test_a_malformed_content_length_is_no_server_error(client_a, api_key_a):
    response = client_a.post(IMPORTS, {}, HTTP_AUTHORIZATION=f"Bearer {api_key_a}", CONTENT_LENGTH="many")
    assert (response.status_code, response.json()["errors"]) == (
        400,
        [{"field": "file", "message": "No file was submitted."}],
    )
