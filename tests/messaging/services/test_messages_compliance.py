"""Sending a message through the rules: a block refuses it with every finding and stores nothing; warnings are kept
with the message; marketing needs consent."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from compliance.errors import ComplianceBlocked
from compliance.services.register import opt_out_record
from messaging.models import Message
from messaging.services.messages import message_send
from messaging.services.rules import marketing_histories, marketing_history
from tests.factories import ConsentFactory, MessageFactory, SenderFactory, in_tenant

pytestmark = pytest.mark.django_db
HANDSET = "+14165550199"
NOON = datetime(2026, 12, 1, 17, 0, tzinfo=UTC)


@pytest.fixture
def sender(in_tenant_a):
    return SenderFactory(tenant=in_tenant_a, address="+14165550100", mps=2)


def test_an_opted_out_number_is_refused_with_every_finding(in_tenant_a, sender):
    opt_out_record(tenant=in_tenant_a, number=HANDSET, source="api", actor_label="k")
    with pytest.raises(ComplianceBlocked) as refused, time_machine.travel(NOON, tick=False):
        message_send(tenant=in_tenant_a, to=HANDSET, body="Sale! bit.ly/x", sender=sender, category="marketing")
    error = refused.value
    assert (error.status, error.code, error.field) == (422, "compliance_blocked", "to")
    assert [(f["rule"], f["severity"]) for f in error.extra["findings"]] == [
        ("OPT-01", "block"), ("CONS-01", "block"), ("CONT-02", "warn"), ("CONT-03", "block")
    ]  # fmt: skip
    assert error.message.startswith(f"blocked by the compliance rules — OPT-01: {HANDSET} opted out on ")
    assert Message.objects.count() == 0


def test_marketing_with_consent_and_opt_out_language_goes_with_its_warnings_kept(in_tenant_a, sender):
    ConsentFactory(tenant=in_tenant_a, number=HANDSET)
    with time_machine.travel(NOON, tick=False):
        message = message_send(tenant=in_tenant_a, to=HANDSET, body="Wine night, 20% off. Reply STOP to opt out",
                               sender=sender, category="marketing")  # fmt: skip
    assert (message.status, message.category) == ("queued", "marketing")
    assert message.compliance == [
        {"rule": "CONT-01", "severity": "warn", "field": "body", "until": None,
         "message": "'wine' reads as restricted (SHAFT) content that carriers filter"}
    ]  # fmt: skip


def test_the_api_answers_a_block_with_the_findings(in_tenant_a, sender, api_key_a, client_a):
    with time_machine.travel(NOON, tick=False):
        response = client_a.post(
            "/api/v1/messages", {"to": HANDSET, "body": "Sale today", "sender": sender.pk, "category": "marketing"},
            content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {api_key_a}",
        )  # fmt: skip
    body = response.json()
    assert (response.status_code, body["code"]) == (422, "compliance_blocked")
    assert [(f["rule"], f["field"]) for f in body["findings"]] == [("CONS-01", "to"), ("CONT-03", "body")]
    assert body["errors"] == [{"field": "to", "message": body["detail"]}]
    assert Message.objects.count() == 0


def test_marketing_histories_of_many_numbers_in_one_query(tenant_a):
    now = datetime(2026, 11, 30, 17, 0, tzinfo=UTC)
    with in_tenant(tenant_a):
        sender = SenderFactory(tenant=tenant_a)
        for days, status in ((30, "delivered"), (3, "delivered"), (1, "sent"), (2, "canceled")):
            MessageFactory(tenant=tenant_a, sender=sender, to="+14155550101", category="marketing", status=status,
                           created_at=now - timedelta(days=days))  # fmt: skip
        MessageFactory(tenant=tenant_a, sender=sender, to="+14155550102", category="marketing", status="delivered",
                       created_at=now - timedelta(days=10))  # fmt: skip
        MessageFactory(tenant=tenant_a, sender=sender, to="+14155550103", status="delivered", created_at=now)
        with CaptureQueriesContext(connection) as captured:
            found = marketing_histories(["+14155550101", "+14155550102", "+14155550103"], now)
        single = {number: marketing_history(number, now) for number in ("+14155550101", "+14155550102")}
    # canceled messages do not count; the transactional one neither; 7 days of memory
    assert found == {
        "+14155550101": (False, (now - timedelta(days=3), now - timedelta(days=1))),
        "+14155550102": (False, ()),
    }
    assert single == found
    assert [q["sql"].split()[0] for q in captured.captured_queries if not q["sql"].startswith("SET")] == ["SELECT"]
