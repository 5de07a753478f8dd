"""Consents, settings, keywords, replies, revocation reviews and the rule book on the API: each changed and read,
refused naming the field, 404 for what does not exist, and another tenant's key sees none of it."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from compliance.models import ComplianceSettings, Consent, Keyword, OptOutEvent, ReplyText, RevocationReview
from tenants.models import AuditEvent
from tenants.services.api_keys import api_key_create
from tests.factories import in_tenant
from tests.messaging.api.helpers import call

pytestmark = pytest.mark.django_db

NUMBER = "+14155550123"
CONSENT = {
    "number": NUMBER,
    "purpose": "marketing",
    "source": "web_form",
    "evidence": "signup form at https://acme.example/join",
    "ip_address": "203.0.113.9",
}


def _review(tenant, **fields) -> RevocationReview:
    now = timezone.now()
    defaults = {"number": NUMBER, "body": "Stop please", "message_sid": "SM" + "1" * 32, "scopes": ["tenant"]}
    with in_tenant(tenant):
        return RevocationReview.objects.create(
            **{**defaults, **fields}, received_at=now, due_at=now + timedelta(days=14)
        )


# --- consents ---------------------------------------------------------------------------------------------------


def test_a_consent_is_recorded_and_listed_by_number_and_state(client_a, api_key_a, tenant_a):
    created = call(client_a, api_key_a, "post", "/api/v1/consents", CONSENT)
    assert created.status_code == 201
    body = created.json()
    assert (body["number"], body["purpose"], body["ip_address"], body["revoked_at"]) == (
        NUMBER,
        "marketing",
        "203.0.113.9",
        None,
    )
    listed = call(client_a, api_key_a, "get", "/api/v1/consents?number=5550123&active=true").json()
    assert [c["id"] for c in listed["results"]] == [body["id"]]
    assert call(client_a, api_key_a, "get", "/api/v1/consents?active=false").json()["results"] == []


def test_a_consent_is_refused_naming_the_field(client_a, api_key_a, tenant_a):
    ip = call(client_a, api_key_a, "post", "/api/v1/consents", {**CONSENT, "ip_address": "999.1.1.1"})
    assert (ip.status_code, ip.json()["errors"]) == (
        422,
        [{"field": "ip_address", "message": "'999.1.1.1' is not an IPv4 or IPv6 address"}],
    )
    purpose = call(client_a, api_key_a, "post", "/api/v1/consents", {**CONSENT, "purpose": "spam"})
    assert (purpose.status_code, purpose.json()["errors"][0]["field"]) == (400, "purpose")
    attest = call(client_a, api_key_a, "post", "/api/v1/consents", {**CONSENT, "source": "import"})
    assert (attest.status_code, attest.json()["errors"][0]["field"]) == (422, "evidence")
    lift = call(client_a, api_key_a, "post", "/api/v1/consents", {**CONSENT, "lift_opt_out": True})
    assert (lift.status_code, lift.json()["code"]) == (409, "not_opted_out")
    bad_filter = call(client_a, api_key_a, "get", "/api/v1/consents?purpose=spam")
    assert (bad_filter.status_code, bad_filter.json()["errors"][0]["field"]) == (400, "purpose")
    with in_tenant(tenant_a):
        assert Consent.objects.count() == 0


def test_a_consent_with_lift_opt_out_lifts_it_keeping_both_events(client_a, api_key_a, tenant_a):
    call(client_a, api_key_a, "post", "/api/v1/opt-outs", {"number": NUMBER})
    assert call(client_a, api_key_a, "post", "/api/v1/consents", {**CONSENT, "lift_opt_out": True}).status_code == 201
    with in_tenant(tenant_a):
        assert list(OptOutEvent.objects.order_by("id").values_list("kind", "source")) == [
            ("opt_out", "api"),
            ("opt_in", "consent"),
        ]


def test_consents_of_another_tenant_are_invisible(client_a, client_b, api_key_a, api_key_b):
    call(client_a, api_key_a, "post", "/api/v1/consents", CONSENT)
    assert call(client_b, api_key_b, "get", "/api/v1/consents").json()["results"] == []


# --- settings ---------------------------------------------------------------------------------------------------


def test_settings_are_read_and_changed_with_an_audit(client_a, api_key_a, tenant_a):
    before = call(client_a, api_key_a, "get", "/api/v1/compliance/settings").json()
    assert (before["window_start"], before["window_end"], before["enabled_countries"]) == (
        "08:00",
        "21:00",
        ["CA", "US"],
    )
    changed = call(
        client_a,
        api_key_a,
        "patch",
        "/api/v1/compliance/settings",
        {"window_end": "20:00", "enabled_countries": ["us", "ca", "gb"], "revocation_action": "suppress"},
    )
    assert changed.status_code == 200
    body = changed.json()
    assert (body["window_end"], body["enabled_countries"], body["revocation_action"]) == (
        "20:00",
        ["CA", "GB", "US"],
        "suppress",
    )
    with in_tenant(tenant_a):
        audit = AuditEvent.objects.get(action="compliance.settings_changed")
        assert audit.details["window_end"] == ["21:00", "20:00"]


def test_settings_refusals_name_the_field_and_change_nothing(client_a, api_key_a, tenant_a):
    call(client_a, api_key_a, "get", "/api/v1/compliance/settings")
    shape = call(client_a, api_key_a, "patch", "/api/v1/compliance/settings", {"max_segments": 0})
    assert (shape.status_code, shape.json()["errors"][0]["field"]) == (400, "max_segments")
    clock = call(client_a, api_key_a, "patch", "/api/v1/compliance/settings", {"window_start": "8 am"})
    assert (clock.status_code, clock.json()["errors"][0]["field"]) == (400, "window_start")
    same = call(
        client_a, api_key_a, "patch", "/api/v1/compliance/settings", {"window_start": "09:00", "window_end": "09:00"}
    )
    assert (same.status_code, same.json()["errors"][0]["field"]) == (422, "window_end")
    none = call(client_a, api_key_a, "patch", "/api/v1/compliance/settings", {"enabled_countries": []})
    assert (none.status_code, none.json()["errors"][0]["field"]) == (422, "enabled_countries")
    with in_tenant(tenant_a):
        settings = ComplianceSettings.objects.get()
        assert (settings.window_start.isoformat(), settings.enabled_countries) == ("08:00:00", ["CA", "US"])


def test_settings_of_another_tenant_are_its_own(client_a, client_b, api_key_a, api_key_b):
    call(client_a, api_key_a, "patch", "/api/v1/compliance/settings", {"max_segments": 3})
    assert call(client_b, api_key_b, "get", "/api/v1/compliance/settings").json()["max_segments"] == 10


def test_changing_settings_needs_compliance_write(client_a, tenant_a):
    _, reader = api_key_create(tenant=tenant_a, name="reader", scopes=["compliance:read"])
    assert call(client_a, reader, "get", "/api/v1/compliance/settings").status_code == 200
    assert call(client_a, reader, "patch", "/api/v1/compliance/settings", {"max_segments": 3}).status_code == 403


# --- keywords and replies ---------------------------------------------------------------------------------------


def test_keywords_are_added_removed_and_restored(client_a, client_b, api_key_a, api_key_b, tenant_a):
    url = "/api/v1/compliance/keywords"
    added = call(client_a, api_key_a, "post", url, {"word": "alto", "kind": "opt_out", "language": "es"})
    assert (added.status_code, added.json()) == (
        201,
        {"word": "ALTO", "kind": "opt_out", "language": "es", "default": False, "removed": False},
    )
    twice = call(client_a, api_key_a, "post", url, {"word": "ALTO", "kind": "opt_out", "language": "es"})
    assert (twice.status_code, twice.json()["errors"]) == (
        422,
        [{"field": "word", "message": "ALTO is a keyword already"}],
    )
    number = call(client_a, api_key_a, "post", url, {"word": 5, "kind": "opt_out"})
    assert (number.status_code, number.json()["errors"][0]["field"]) == (400, "word")
    kind = call(client_a, api_key_a, "post", url, {"word": "HALT", "kind": "pause"})
    assert (kind.status_code, kind.json()["errors"][0]["field"]) == (400, "kind")
    stop = call(client_a, api_key_a, "delete", f"{url}/STOP")
    assert (stop.status_code, stop.json()["errors"][0]["message"]) == (
        422,
        "STOP cannot be removed: Twilio requires it",
    )
    assert call(client_a, api_key_a, "delete", f"{url}/NOSUCH").status_code == 404
    assert call(client_a, api_key_a, "delete", f"{url}/QUIT").status_code == 204
    rows = {k["word"]: k for k in call(client_a, api_key_a, "get", url).json()["results"]}
    assert (rows["QUIT"]["removed"], rows["ALTO"]["default"]) == (True, False)
    assert call(client_a, api_key_a, "post", f"{url}/QUIT/restore").status_code == 204
    assert call(client_a, api_key_a, "delete", f"{url}/ALTO").status_code == 204
    with in_tenant(tenant_a):
        assert (Keyword.objects.count(), ComplianceSettings.objects.get().removed_keywords) == (0, [])
    call(client_a, api_key_a, "post", url, {"word": "ARRET", "kind": "opt_out", "language": "fr"})
    assert "ARRET" not in {k["word"] for k in call(client_b, api_key_b, "get", url).json()["results"]}


def test_replies_are_set_per_language_and_reset(client_a, client_b, api_key_a, api_key_b, tenant_a):
    url = "/api/v1/compliance/replies"
    defaults = call(client_a, api_key_a, "get", url).json()["results"]
    assert [(r["kind"], r["language"], r["custom"]) for r in defaults] == [
        ("opt_out", "en", False),
        ("opt_in", "en", False),
        ("help", "en", False),
    ]
    assert defaults[0]["text"].startswith("Acme Appointments: you are unsubscribed")
    put = call(client_a, api_key_a, "put", f"{url}/opt_out/es", {"text": "Baja confirmada."})
    assert (put.status_code, put.json()) == (
        200,
        {"kind": "opt_out", "language": "es", "text": "Baja confirmada.", "custom": True},
    )
    long = call(client_a, api_key_a, "put", f"{url}/opt_out/es", {"text": "x" * 321})
    assert (long.status_code, long.json()["errors"][0]["field"]) == (422, "text")
    bad_language = call(client_a, api_key_a, "put", f"{url}/opt_out/e$", {"text": "Hi"})
    assert (bad_language.status_code, bad_language.json()["errors"][0]["field"]) == (422, "language")
    assert call(client_a, api_key_a, "put", f"{url}/pause/en", {"text": "Hi"}).status_code == 404
    assert [r["language"] for r in call(client_b, api_key_b, "get", url).json()["results"]] == ["en", "en", "en"]
    assert call(client_a, api_key_a, "delete", f"{url}/opt_out/es").status_code == 204
    with in_tenant(tenant_a):
        assert ReplyText.objects.count() == 0


# --- reviews and rules ------------------------------------------------------------------------------------------


def test_a_review_is_listed_and_decided_once(client_a, client_b, api_key_a, api_key_b, tenant_a):
    review = _review(tenant_a)
    listed = call(client_a, api_key_a, "get", "/api/v1/compliance/reviews?status=open").json()["results"]
    assert [(r["id"], r["body"]) for r in listed] == [(review.pk, "Stop please")]
    assert call(client_b, api_key_b, "get", "/api/v1/compliance/reviews").json()["results"] == []
    decide = f"/api/v1/compliance/reviews/{review.pk}/decide"
    assert call(client_b, api_key_b, "post", decide, {"revoked": True}).status_code == 404
    note = call(client_a, api_key_a, "post", decide, {"revoked": False})
    assert (note.status_code, note.json()["errors"][0]["field"]) == (422, "note")
    shape = call(client_a, api_key_a, "post", decide, {"revoked": "perhaps"})
    assert (shape.status_code, shape.json()["errors"][0]["field"]) == (400, "revoked")
    decided = call(client_a, api_key_a, "post", decide, {"revoked": True})
    assert (decided.status_code, decided.json()["status"]) == (200, "revoked")
    again = call(client_a, api_key_a, "post", decide, {"revoked": True})
    assert (again.status_code, again.json()["code"]) == (409, "review_decided")
    with in_tenant(tenant_a):
        assert list(OptOutEvent.objects.values_list("number", "source")) == [(NUMBER, "revocation")]
    assert (
        call(client_a, api_key_a, "post", "/api/v1/compliance/reviews/999999/decide", {"revoked": True}).status_code
        == 404
    )


def test_the_rule_book_lists_every_rule_with_its_source(client_a, api_key_a):
    rules = call(client_a, api_key_a, "get", "/api/v1/compliance/rules").json()["results"]
    assert [r["id"] for r in rules][:3] == ["OPT-01", "OPT-03", "CONS-01"]
    assert (rules[0]["severity"], rules[0]["title"]) == ("block", "Opted out")
    assert "21610" in rules[0]["source"]
