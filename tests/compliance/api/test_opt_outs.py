"""The opt-out register on the API: recorded, searched, a number's history, lifted with evidence (both events kept),
imported from CSV with each rejected row reported, exported formula-safe; another tenant sees none of it."""

from __future__ import annotations

import csv
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from compliance.models import Consent, OptOutEvent, Suppression
from tenants.models import AuditEvent
from tenants.services.api_keys import api_key_create
from tests.factories import ConsentFactory, in_tenant
from tests.messaging.api.helpers import call

pytestmark = pytest.mark.django_db

OPT_OUTS = "/api/v1/opt-outs"
NUMBER = "+14155550123"


def _upload(client, key, text: str | bytes, name: str = "opt-outs.csv"):
    content = text.encode() if isinstance(text, str) else text
    upload = SimpleUploadedFile(name, content, content_type="text/csv")
    return client.post(f"{OPT_OUTS}/import", {"file": upload}, HTTP_AUTHORIZATION=f"Bearer {key}")


def test_an_opt_out_is_recorded_found_by_its_digits_and_kept_in_history(client_a, api_key_a, tenant_a):
    # when
    created = call(client_a, api_key_a, "post", OPT_OUTS, {"number": "(415) 555-0123", "evidence": "asked by phone"})
    # then
    assert created.status_code == 201
    body = created.json()
    assert (body["event"]["number"], body["event"]["kind"], body["event"]["source"], body["changed_scopes"]) == (
        NUMBER,
        "opt_out",
        "api",
        ["tenant"],
    )
    assert body["event"]["actor_label"].startswith("api-key:")
    listed = call(client_a, api_key_a, "get", f"{OPT_OUTS}?q=0123").json()
    assert [(r["number"], r["scope"], r["source"]) for r in listed["results"]] == [(NUMBER, "tenant", "api")]
    assert call(client_a, api_key_a, "get", f"{OPT_OUTS}?q=9999").json()["results"] == []
    history = call(client_a, api_key_a, "get", f"{OPT_OUTS}/{NUMBER}").json()
    assert (history["opted_out"], history["scopes"], [e["kind"] for e in history["events"]]) == (
        True,
        ["tenant"],
        ["opt_out"],
    )
    with in_tenant(tenant_a):
        assert AuditEvent.objects.filter(action="compliance.opt_out_recorded", target=NUMBER).count() == 1


def test_lifting_needs_evidence_and_keeps_both_events(client_a, api_key_a, tenant_a):
    call(client_a, api_key_a, "post", OPT_OUTS, {"number": NUMBER})
    lift = f"{OPT_OUTS}/{NUMBER}/lift"
    # blank evidence: 400 naming the field, nothing lifted
    blank = call(client_a, api_key_a, "post", lift, {"evidence": ""})
    assert (blank.status_code, blank.json()["errors"][0]["field"]) == (400, "evidence")
    spaces = call(client_a, api_key_a, "post", lift, {"evidence": "   "})
    assert (spaces.status_code, spaces.json()["errors"][0]["field"]) == (400, "evidence")
    with in_tenant(tenant_a):
        assert Suppression.objects.filter(number=NUMBER).count() == 1
    # when
    lifted = call(client_a, api_key_a, "post", lift, {"evidence": "replied START on 2026-03-01"})
    # then
    assert lifted.status_code == 200
    assert (lifted.json()["event"]["kind"], lifted.json()["changed_scopes"]) == ("opt_in", ["tenant"])
    history = call(client_a, api_key_a, "get", f"{OPT_OUTS}/{NUMBER}").json()
    assert (history["opted_out"], [e["kind"] for e in history["events"]]) == (False, ["opt_in", "opt_out"])
    again = call(client_a, api_key_a, "post", lift, {"evidence": "once more"})
    assert (again.status_code, again.json()["code"]) == (409, "not_opted_out")


def test_refusals_name_the_field_and_store_nothing(client_a, api_key_a, tenant_a):
    shape = call(client_a, api_key_a, "post", OPT_OUTS, {"scopes": ["tenant"]})
    assert (shape.status_code, shape.json()["errors"]) == (
        400,
        [{"field": "number", "message": "This field is required."}],
    )
    number = call(client_a, api_key_a, "post", OPT_OUTS, {"number": "hello"})
    assert (number.status_code, number.json()["errors"]) == (
        422,
        [{"field": "number", "message": "'hello' is not a phone number"}],
    )
    scope = call(client_a, api_key_a, "post", OPT_OUTS, {"number": NUMBER, "scopes": ["everything"]})
    assert (scope.status_code, scope.json()["errors"][0]["field"]) == (422, "scope")
    future = call(client_a, api_key_a, "post", OPT_OUTS, {"number": NUMBER, "occurred_at": "2999-01-01T00:00:00Z"})
    assert (future.status_code, future.json()["errors"][0]["field"]) == (422, "occurred_at")
    with in_tenant(tenant_a):
        assert (OptOutEvent.objects.count(), Suppression.objects.count()) == (0, 0)


def test_a_number_the_register_does_not_hold_is_404(client_a, api_key_a):
    assert call(client_a, api_key_a, "get", f"{OPT_OUTS}/+14155550999").status_code == 404
    assert call(client_a, api_key_a, "get", f"{OPT_OUTS}/not-a-number").status_code == 404
    lift = call(client_a, api_key_a, "post", f"{OPT_OUTS}/+14155550999/lift", {"evidence": "START"})
    assert lift.status_code == 404


def test_another_tenant_sees_none_of_the_register(client_a, client_b, api_key_a, api_key_b, tenant_b):
    call(client_a, api_key_a, "post", OPT_OUTS, {"number": NUMBER})
    assert call(client_b, api_key_b, "get", OPT_OUTS).json()["results"] == []
    assert call(client_b, api_key_b, "get", f"{OPT_OUTS}/{NUMBER}").status_code == 404
    assert call(client_b, api_key_b, "post", f"{OPT_OUTS}/{NUMBER}/lift", {"evidence": "x"}).status_code == 404
    exported = client_b.get(f"{OPT_OUTS}/export", HTTP_AUTHORIZATION=f"Bearer {api_key_b}")
    assert b"".join(exported.streaming_content).decode().splitlines()[1:] == []
    with in_tenant(tenant_b):
        assert OptOutEvent.objects.count() == 0


def test_reading_needs_compliance_read_and_recording_compliance_write(client_a, tenant_a):
    _, reader = api_key_create(tenant=tenant_a, name="reader", scopes=["compliance:read"])
    assert call(client_a, reader, "get", OPT_OUTS).status_code == 200
    refused = call(client_a, reader, "post", OPT_OUTS, {"number": NUMBER})
    assert refused.status_code == 403
    _, contacts = api_key_create(tenant=tenant_a, name="contacts", scopes=["contacts:write"])
    assert call(client_a, contacts, "get", OPT_OUTS).status_code == 403
    with in_tenant(tenant_a):
        assert OptOutEvent.objects.count() == 0


def test_an_import_keeps_valid_rows_and_reports_each_rejected_one(client_a, api_key_a, tenant_a):
    # given: a consent that an opt-out of the whole tenant revokes
    ConsentFactory(tenant=tenant_a, number="+14155550101")
    text = (
        "Phone,Scope,Opted_out_at,Evidence\n"
        "+14155550101,,2026-01-05T10:00:00Z,paper form\n"
        "hello,,,\n"
        "\n"
        "(415) 555-0102,sender:+14165550100,,\n"
        "+14155550103,everything,,\n"
        ",,,\n"
        "+14155550104,,not a date,\n"
        "+14155550101,,,\n"
    )
    # when
    response = _upload(client_a, api_key_a, text)
    # then
    assert response.status_code == 200
    report = response.json()
    assert (report["rows"], report["recorded"], report["suppressed"], report["rejected"]) == (6, 3, 2, 3)
    assert report["rejects"] == [
        {"row": 3, "reason": "'hello' is not a phone number"},
        {"row": 6, "reason": "'everything' is not a scope: tenant, sender:<address> or pool:<id>"},
        {"row": 8, "reason": "'not a date' is not a date or time such as 2026-03-01T14:30:00Z"},
    ]
    with in_tenant(tenant_a):
        assert sorted(Suppression.objects.values_list("number", "scope")) == [
            ("+14155550101", "tenant"),
            ("+14155550102", "sender:+14165550100"),
        ]
        assert set(OptOutEvent.objects.values_list("source", flat=True)) == {"import"}
        event = OptOutEvent.objects.get(number="+14155550101", evidence="paper form")
        assert event.occurred_at.isoformat() == "2026-01-05T10:00:00+00:00"
        assert Consent.objects.get(number="+14155550101").revoked_by == event
        audit = AuditEvent.objects.get(action="compliance.opt_outs_imported")
        assert audit.details == {"rows": 6, "recorded": 3, "rejected": 3}


NO_NUMBER_COLUMN = "the header row names no number column: call it one of number, phone, phone_number, mobile, to"


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "the file is not CSV text: it holds binary data"),
        ("number\n+14155550101\n".encode("utf-16"), "the file is not CSV text: it holds binary data"),
        (b"number\n\xff\xfe+1415\n", "the file is not CSV text in UTF-8 (byte 8 of a block cannot be read)"),
        (b"\n\n", "the file is empty: a CSV file starts with a header row"),
        (b"name,email\nAnn,ann@example.com\n", NO_NUMBER_COLUMN),
        (b"number\n", "the file has a header row but no data rows"),
    ],
)
def test_a_file_that_is_not_a_register_csv_is_refused_whole(client_a, api_key_a, tenant_a, content, reason):
    response = _upload(client_a, api_key_a, content)
    assert (response.status_code, response.json()["errors"]) == (422, [{"field": "file", "message": reason}])
    with in_tenant(tenant_a):
        assert (OptOutEvent.objects.count(), AuditEvent.objects.filter(action__startswith="compliance.").count()) == (
            0,
            0,
        )


def test_an_empty_or_missing_upload_is_refused_naming_the_file(client_a, api_key_a):
    empty = _upload(client_a, api_key_a, b"")
    assert (empty.status_code, empty.json()["errors"]) == (
        422,
        [{"field": "file", "message": "the file is empty: a CSV file starts with a header row"}],
    )
    missing = client_a.post(f"{OPT_OUTS}/import", {}, HTTP_AUTHORIZATION=f"Bearer {api_key_a}")
    assert (missing.status_code, missing.json()["errors"]) == (
        400,
        [{"field": "file", "message": "This field is required."}],
    )
    text = client_a.post(f"{OPT_OUTS}/import", {"file": "number"}, HTTP_AUTHORIZATION=f"Bearer {api_key_a}")
    assert (text.status_code, text.json()["errors"][0]["field"]) == (422, "file")


def test_an_oversized_file_is_refused_before_it_is_read(client_a, api_key_a, tenant_a, settings):
    settings.OPT_OUT_IMPORT_MAX_BYTES = 100
    response = _upload(client_a, api_key_a, "number\n" + "+14155550101\n" * 20)
    assert (response.status_code, response.json()["code"]) == (413, "file_too_large")
    assert response.json()["errors"] == [
        {"field": "file", "message": "the file is 267 bytes; an import reads at most 100 (split the file)"}
    ]
    with in_tenant(tenant_a):
        assert OptOutEvent.objects.count() == 0


def test_the_export_streams_formula_safe_cells_and_imports_back(client_a, client_b, api_key_a, api_key_b, tenant_a):
    call(client_a, api_key_a, "post", OPT_OUTS, {"number": NUMBER, "evidence": '=HYPERLINK("http://x")'})
    response = client_a.get(f"{OPT_OUTS}/export", HTTP_AUTHORIZATION=f"Bearer {api_key_a}")
    assert (response.status_code, response["Content-Type"]) == (200, "text/csv; charset=utf-8")
    text = b"".join(response.streaming_content).decode()
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    assert rows[0] == ["number", "scope", "opted_out_at", "source", "keyword", "message_sid", "evidence", "actor"]
    assert (rows[1][0], rows[1][1], rows[1][3], rows[1][6]) == (NUMBER, "tenant", "api", '\'=HYPERLINK("http://x")')
    # the file imports back, into another tenant
    report = _upload(client_b, api_key_b, text).json()
    assert (report["recorded"], report["rejected"]) == (1, 0)
    assert [r["number"] for r in call(client_b, api_key_b, "get", OPT_OUTS).json()["results"]] == [NUMBER]
