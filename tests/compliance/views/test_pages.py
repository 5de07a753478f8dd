"""The compliance pages: the register searched, a number's history, an opt-out added and lifted with evidence, an
import with its rejects, the export; consents, keywords and replies, settings, the review queue and the rule check.
Refusals show under their field with nothing stored; another tenant's records are never shown."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from compliance.models import ComplianceSettings, Consent, Keyword, OptOutEvent, RevocationReview, Suppression
from compliance.services.register import opt_out_record
from tenants.models import AuditEvent
from tests.factories import SenderFactory, in_tenant

pytestmark = pytest.mark.django_db

NUMBER = "+14155550123"


@pytest.fixture
def admin_a(client_a, acme_member):
    client_a.force_login(acme_member("admin"))
    return client_a


@pytest.fixture
def analyst_a(client_a, acme_member):
    client_a.force_login(acme_member("analyst"))
    return client_a


def test_an_opt_out_is_added_found_lifted_with_evidence_and_both_events_shown(admin_a, tenant_a, tenant_b):
    # given: another tenant's opt-out
    with in_tenant(tenant_b):
        opt_out_record(tenant=tenant_b, number="+447700900123", source="api", actor_label="tests")
    # when: added
    added = admin_a.post(
        "/compliance/opt-outs/add/", {"number": "(415) 555-0123", "scope": "tenant", "evidence": "call"}
    )
    # then
    assert (added.status_code, added["Location"]) == (302, f"/compliance/opt-outs/{NUMBER}/")
    listed = admin_a.get("/compliance/opt-outs/?q=0123")
    assert [s.number for s in listed.context["page"]] == [NUMBER]
    assert "+447700900123" not in admin_a.get("/compliance/opt-outs/").content.decode()
    # lift without evidence: refused under the field
    refused = admin_a.post(f"/compliance/opt-outs/{NUMBER}/lift/", {"evidence": "  "})
    assert (refused.status_code, refused.context["lift_form"].errors) == (
        400,
        {"evidence": ["This field is required."]},
    )
    lifted = admin_a.post(f"/compliance/opt-outs/{NUMBER}/lift/", {"evidence": "replied START"})
    assert lifted.status_code == 302
    history = admin_a.get(f"/compliance/opt-outs/{NUMBER}/")
    assert [(e.kind, e.source, e.actor_label) for e in history.context["events"]] == [
        ("opt_in", "ui", "admin@acme.test"),
        ("opt_out", "ui", "admin@acme.test"),
    ]
    with in_tenant(tenant_a):
        assert Suppression.objects.count() == 0
        actions = set(AuditEvent.objects.values_list("action", flat=True))
        assert {"compliance.opt_out_recorded", "compliance.opt_out_lifted"} <= actions
    assert admin_a.get("/compliance/opt-outs/+447700900123/").status_code == 404


def test_a_bad_opt_out_is_refused_under_its_field(admin_a, tenant_a):
    response = admin_a.post("/compliance/opt-outs/add/", {"number": "hello", "scope": "tenant"})
    assert (response.status_code, response.context["add_form"].errors) == (
        400,
        {"number": ["'hello' is not a phone number"]},
    )
    scope = admin_a.post("/compliance/opt-outs/add/", {"number": NUMBER, "scope": "all"})
    assert scope.context["add_form"].errors == {
        "scope": ["'all' is not a scope: tenant, sender:<address> or pool:<id>"]
    }
    with in_tenant(tenant_a):
        assert OptOutEvent.objects.count() == 0


def test_an_analyst_reads_the_register_but_cannot_add_or_lift(analyst_a, tenant_a):
    with in_tenant(tenant_a):
        opt_out_record(tenant=tenant_a, number=NUMBER, source="api", actor_label="tests")
    page = analyst_a.get("/compliance/opt-outs/")
    assert (page.status_code, 'data-testid="add-opt-out"' in page.content.decode()) == (200, False)
    assert 'data-testid="lift-opt-out"' not in analyst_a.get(f"/compliance/opt-outs/{NUMBER}/").content.decode()
    assert analyst_a.post("/compliance/opt-outs/add/", {"number": NUMBER}).status_code == 403
    assert analyst_a.post(f"/compliance/opt-outs/{NUMBER}/lift/", {"evidence": "x"}).status_code == 403


def test_an_import_shows_its_rejects_and_the_export_is_formula_safe(admin_a, tenant_a):
    upload = SimpleUploadedFile("list.csv", b"number,evidence\n+14155550101,=cmd\nnope,\n", content_type="text/csv")
    response = admin_a.post("/compliance/opt-outs/import/", {"file": upload})
    assert response.status_code == 200
    report = response.context["report"]
    assert (report.rows, report.recorded, [(r.row, r.reason) for r in report.rejects]) == (
        2,
        1,
        [(3, "'nope' is not a phone number")],
    )
    assert "&#x27;nope&#x27; is not a phone number" in response.content.decode()
    exported = b"".join(admin_a.get("/compliance/opt-outs/export.csv").streaming_content).decode()
    assert exported.splitlines()[1].split(",")[0] == "+14155550101"
    assert ",'=cmd," in exported
    binary = SimpleUploadedFile("x.csv", b"\x00\x01", content_type="text/csv")
    refused = admin_a.post("/compliance/opt-outs/import/", {"file": binary})
    assert (refused.status_code, refused.context["form"].errors) == (
        400,
        {"file": ["the file is not CSV text: it holds binary data"]},
    )


def test_a_consent_is_added_and_listed(admin_a, tenant_a):
    data = {"number": NUMBER, "purpose": "marketing", "source": "paper", "evidence": "signed card #12"}
    assert admin_a.post("/compliance/consents/add/", data).status_code == 302
    refused = admin_a.post("/compliance/consents/add/", {**data, "source": "import"})
    assert refused.status_code == 400
    assert list(refused.context["form"].errors) == ["evidence"]
    page = admin_a.get("/compliance/consents/")
    assert [(c.number, c.source) for c in page.context["page"]] == [(NUMBER, "paper")]
    with in_tenant(tenant_a):
        assert Consent.objects.count() == 1


def test_keywords_and_replies_are_changed(admin_a, tenant_a):
    assert (
        admin_a.post("/compliance/keywords/add/", {"word": "alto", "kind": "opt_out", "language": "es"}).status_code
        == 302
    )
    again = admin_a.post("/compliance/keywords/add/", {"word": "ALTO", "kind": "opt_out", "language": "es"})
    assert again.context["keyword_form"].errors == {"word": ["ALTO is a keyword already"]}
    assert admin_a.post("/compliance/keywords/QUIT/remove/").status_code == 302
    admin_a.post("/compliance/keywords/STOP/remove/")
    assert (
        admin_a.post("/compliance/replies/", {"kind": "help", "language": "en", "text": "Call us."}).status_code == 302
    )
    page = admin_a.get("/compliance/keywords/")
    assert page.context["replies"] == [(("help", "en"), "Call us.")]
    with in_tenant(tenant_a):
        assert list(Keyword.objects.values_list("word", flat=True)) == ["ALTO"]
        assert ComplianceSettings.objects.get().removed_keywords == ["QUIT"]


def test_settings_are_saved_and_refused_under_their_field(admin_a, tenant_a):
    form = admin_a.get("/compliance/settings/").context["form"]
    data = {**{k: v for k, v in form.initial.items() if v not in (False, None)}, "window_end": "20:00"}
    data["window_start"] = "08:00"
    assert admin_a.post("/compliance/settings/save/", data).status_code == 302
    refused = admin_a.post("/compliance/settings/save/", {**data, "window_end": "08:00"})
    assert (refused.status_code, refused.context["form"].errors) == (
        400,
        {"window_end": ["the window must not start and end at the same time"]},
    )
    with in_tenant(tenant_a):
        assert ComplianceSettings.objects.get().window_end.isoformat() == "20:00:00"


def test_a_review_is_decided_from_the_queue(admin_a, tenant_a):
    now = timezone.now()
    with in_tenant(tenant_a):
        review = RevocationReview.objects.create(
            number=NUMBER,
            body="Stop please",
            message_sid="SM" + "2" * 32,
            scopes=["tenant"],
            received_at=now,
            due_at=now,
        )
    page = admin_a.get("/compliance/reviews/")
    assert [r.pk for r in page.context["page"]] == [review.pk]
    admin_a.post(f"/compliance/reviews/{review.pk}/decide/", {"revoked": "0", "note": ""})
    with in_tenant(tenant_a):
        assert RevocationReview.objects.get().status == "open"
    admin_a.post(f"/compliance/reviews/{review.pk}/decide/", {"revoked": "1"})
    with in_tenant(tenant_a):
        assert (RevocationReview.objects.get().status, Suppression.objects.get().number) == ("revoked", NUMBER)


def test_the_rule_check_shows_every_finding(analyst_a, tenant_a):
    sender = SenderFactory(tenant=tenant_a, address="+14165550100")
    with in_tenant(tenant_a):
        opt_out_record(tenant=tenant_a, number="+14165550199", source="api", actor_label="tests")
    data = {"to": "+14165550199", "body": "Sale today", "sender": sender.pk, "category": "marketing"}
    response = analyst_a.post("/compliance/check/", data)
    assert response.status_code == 200
    rules = [f.rule for f in response.context["result"]["verdict"].findings]
    assert {"OPT-01", "CONS-01", "CONT-03"} <= set(rules)
    assert 'data-testid="finding-OPT-01"' in response.content.decode()
    neither = analyst_a.post("/compliance/check/", {"to": "+14165550199", "category": "transactional"})
    assert (neither.status_code, neither.context["form"].errors) == (
        400,
        {"sender": ["give either a sender or a pool"]},
    )
