"""The opt-out register: append-only events, suppressions kept in step, consent revoked, audited where a person acts."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from compliance.errors import ComplianceValidationError, NotOptedOut
from compliance.models import Consent, OptOutEvent, Suppression
from compliance.selectors import is_suppressed
from compliance.services.register import opt_in_record, opt_out_record
from tenants.models import AuditEvent
from tests.factories import ConsentFactory, in_tenant

NUMBER = "+14165550123"


def test_an_opt_out_suppresses_the_number_for_the_tenant_and_revokes_its_consent(tenant_a, tenant_b):
    # given
    consent = ConsentFactory(tenant=tenant_a, number=NUMBER)
    with in_tenant(tenant_a):
        # when
        change = opt_out_record(tenant=tenant_a, number="(416) 555-0123", source="keyword", actor_label="handset",
                                keyword="STOP", message_sid="SM" + "1" * 32, body="stop")  # fmt: skip
        # then
        event = OptOutEvent.objects.get()
        assert (event.number, event.kind, event.scopes, event.source, event.keyword, event.message_sid, event.body) == (
            NUMBER, "opt_out", ["tenant"], "keyword", "STOP", "SM" + "1" * 32, "stop"
        )  # fmt: skip
        assert change.scopes == ("tenant",)
        assert list(Suppression.objects.values_list("number", "scope", "event_id")) == [(NUMBER, "tenant", event.pk)]
        consent.refresh_from_db()
        assert (consent.revoked_at, consent.revoked_by_id) == (event.occurred_at, event.pk)
        assert is_suppressed(NUMBER) is True
        assert is_suppressed("+14165550124") is False
    # a keyword from a handset is in the register, not the staff audit log
    assert AuditEvent.objects.filter(action="compliance.opt_out_recorded").count() == 0
    with in_tenant(tenant_b):
        assert (OptOutEvent.objects.count(), Suppression.objects.count(), is_suppressed(NUMBER)) == (0, 0, False)


def test_a_second_opt_out_is_kept_but_suppresses_nothing_new(in_tenant_a):
    first = opt_out_record(tenant=in_tenant_a, number=NUMBER, source="keyword", actor_label="handset")
    again = opt_out_record(tenant=in_tenant_a, number=NUMBER, source="api", actor_label="sk_live_ab12")
    assert (first.scopes, again.scopes) == (("tenant",), ())
    assert OptOutEvent.objects.count() == 2
    assert Suppression.objects.get().event_id == first.event.pk
    audit = AuditEvent.objects.get(action="compliance.opt_out_recorded")
    assert (audit.actor_label, audit.target, audit.details) == (
        "sk_live_ab12", NUMBER, {"scopes": ["tenant"], "source": "api"}
    )  # fmt: skip


def test_a_sender_scoped_opt_out_leaves_the_tenants_consent(in_tenant_a):
    consent = ConsentFactory(tenant=in_tenant_a, number=NUMBER)
    change = opt_out_record(tenant=in_tenant_a, number=NUMBER, source="keyword", actor_label="handset",
                            scopes=["sender:+14165550100", "pool:3"])  # fmt: skip
    assert change.scopes == ("sender:+14165550100", "pool:3")
    assert is_suppressed(NUMBER) is False
    assert is_suppressed(NUMBER, ["pool:3"]) is True
    consent.refresh_from_db()
    assert consent.revoked_at is None


def test_lifting_needs_evidence_and_keeps_both_events(in_tenant_a):
    opt_out_record(tenant=in_tenant_a, number=NUMBER, source="keyword", actor_label="handset", keyword="STOP")
    with pytest.raises(ComplianceValidationError) as refused:
        opt_in_record(tenant=in_tenant_a, number=NUMBER, source="ui", actor_label="owner@acme.test", evidence="  ")
    assert (refused.value.field, refused.value.message) == (
        "evidence", "say why the opt-out may be lifted: the evidence of the opt-in"
    )  # fmt: skip
    assert is_suppressed(NUMBER) is True
    # when
    change = opt_in_record(tenant=in_tenant_a, number=NUMBER, source="ui", actor_label="owner@acme.test",
                           evidence="signed paper form, 1 Dec, filed as #88")  # fmt: skip
    # then
    assert change.scopes == ("tenant",)
    assert is_suppressed(NUMBER) is False
    assert list(OptOutEvent.objects.order_by("id").values_list("kind", "source", "evidence")) == [
        ("opt_out", "keyword", ""),
        ("opt_in", "ui", "signed paper form, 1 Dec, filed as #88"),
    ]
    assert AuditEvent.objects.get(action="compliance.opt_out_lifted").details == {
        "scopes": ["tenant"], "evidence": "signed paper form, 1 Dec, filed as #88"
    }  # fmt: skip


def test_lifting_what_is_not_in_force_is_refused(in_tenant_a):
    with pytest.raises(NotOptedOut) as refused:
        opt_in_record(tenant=in_tenant_a, number=NUMBER, source="api", actor_label="k", evidence="asked by phone")
    assert (refused.value.status, refused.value.message) == (409, f"{NUMBER} is not opted out")
    assert OptOutEvent.objects.count() == 0


def test_the_register_is_append_only(in_tenant_a):
    change = opt_out_record(tenant=in_tenant_a, number=NUMBER, source="keyword", actor_label="handset")
    with pytest.raises(Exception, match="the opt-out register is append-only: UPDATE refused"), transaction.atomic():
        OptOutEvent.objects.filter(pk=change.event.pk).update(keyword="X")
    refused = pytest.raises(Exception, match="the opt-out register is append-only: DELETE refused")
    with refused, transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM compliance_optoutevent")
    assert OptOutEvent.objects.get().keyword == ""


def test_an_opt_in_row_without_evidence_cannot_exist(in_tenant_a):
    with pytest.raises(IntegrityError), transaction.atomic():
        OptOutEvent.objects.create(number=NUMBER, kind="opt_in", scopes=["tenant"], source="api", actor_label="k",
                                   occurred_at=timezone.now())  # fmt: skip


@pytest.mark.parametrize(
    ("number", "scope", "field", "message"),
    [
        ("hello", "tenant", "number", "'hello' is not a phone number"),
        ("+1 416 555", "tenant", "number", "'+1 416 555' is not a valid phone number"),
        (NUMBER, "brand:acme", "scope", "'brand:acme' is not a scope: tenant, sender:<address> or pool:<id>"),
        (NUMBER, "sender:", "scope", "'sender:' is not a scope: tenant, sender:<address> or pool:<id>"),
    ],
)
def test_bad_input_is_refused_naming_the_field(in_tenant_a, number, scope, field, message):
    with pytest.raises(ComplianceValidationError) as refused:
        opt_out_record(tenant=in_tenant_a, number=number, scopes=[scope], source="api", actor_label="k")
    assert (refused.value.field, refused.value.message) == (field, message)
    assert (OptOutEvent.objects.count(), Suppression.objects.count()) == (0, 0)


def test_consent_collected_before_the_opt_out_stays_revoked_after_start(in_tenant_a):
    consent = ConsentFactory(tenant=in_tenant_a, number=NUMBER, collected_at=timezone.now() - timedelta(days=3))
    opt_out_record(tenant=in_tenant_a, number=NUMBER, source="keyword", actor_label="handset")
    opt_in_record(tenant=in_tenant_a, number=NUMBER, source="keyword", actor_label="handset", evidence="replied START")
    assert Consent.objects.get(pk=consent.pk).revoked_at is not None
