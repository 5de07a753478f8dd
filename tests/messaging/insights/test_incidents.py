"""Health incidents: each rule opens an incident when the window breaks it and closes it when the rule holds again;
owners, admins and staff are emailed, the webhook event is recorded; thresholds per tenant; the debugger's signed
events are kept once and count for the debugger rule, forged ones are refused."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
from django.core import mail
from django.test import Client

from compliance.services.register import opt_out_record
from messaging.insights.incidents import incidents_evaluate
from messaging.insights.models import DebuggerEvent, HealthThresholds, Incident
from messaging.models import Message, WebhookDelivery
from messaging.services.insights import insights_squash
from tenants.selectors import subaccount_auth
from tests.factories import MessageFactory, SenderFactory, UserFactory, WebhookEndpointFactory, in_tenant

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 11, 30, 15, 40, tzinfo=UTC)


def traffic(tenant, *, delivered: int, failed: dict[int, int] | None = None, at=NOW - timedelta(minutes=10)):
    """`delivered` delivered messages and, per error code, that many undelivered ones, created at `at`; squashed."""
    with in_tenant(tenant):
        sender = SenderFactory(tenant=tenant)
        made = []
        for _ in range(delivered):
            made.append((MessageFactory(tenant=tenant, sender=sender, created_at=at), {"status": "delivered"}))
        for code, count in (failed or {}).items():
            for _ in range(count):
                made.append((MessageFactory(tenant=tenant, sender=sender, created_at=at),
                             {"status": "undelivered", "error_code": code, "failed_at": at}))  # fmt: skip
        for message, change in made:
            Message.objects.filter(pk=message.pk).update(sent_at=at, delivered_at=at, **change)
        insights_squash(tenant=tenant)


def evaluate(tenant, now=NOW):
    with in_tenant(tenant):
        return incidents_evaluate(tenant=tenant, now=now)


@pytest.fixture
def people(acme_member):
    acme_member("owner")
    acme_member("admin")
    acme_member("analyst")
    UserFactory(email="ops@switchboard.test", is_staff=True)


@pytest.mark.parametrize(
    ("failed", "rule"),
    [
        ({30003: 3}, "delivery_errors"),
        ({30034: 1}, "registration"),
        ({30032: 1}, "registration"),
        ({30001: 1}, "queue_overflow"),
        ({21611: 1}, "queue_overflow"),
    ],
)
def test_each_error_rule_opens_an_incident(tenant_a, failed, rule, django_capture_on_commit_callbacks):
    traffic(tenant_a, delivered=97, failed=failed)
    with django_capture_on_commit_callbacks(execute=True):
        result = evaluate(tenant_a)
    assert rule in [incident.rule for incident in result.opened]
    incident = Incident.objects.get(tenant=tenant_a, rule=rule)
    assert (incident.status, incident.started_at, incident.ended_at) == ("open", NOW, None)
    assert incident.figures["finished"] == 97 + sum(failed.values())


def test_a_filtering_spike_opens_an_incident_that_closes_when_the_rate_falls(
    tenant_a, people, django_capture_on_commit_callbacks
):
    # given 5 % of the window's messages filtered by the carrier
    traffic(tenant_a, delivered=95, failed={30007: 5})
    with django_capture_on_commit_callbacks(execute=True):
        opened = evaluate(tenant_a)
    assert sorted(i.rule for i in opened.opened) == ["delivery_errors", "filtering"]
    filtering = Incident.objects.get(tenant=tenant_a, rule="filtering")
    assert (filtering.value, filtering.threshold) == (0.05, 0.01)
    assert [m.subject for m in mail.outbox] == [
        "Switchboard: incident opened for Acme Appointments: Delivery error rate above its threshold",
        "Switchboard: incident opened for Acme Appointments: Carrier filtering (30007) above its threshold",
    ]
    assert mail.outbox[1].to == ["admin@acme.test", "ops@switchboard.test", "owner@acme.test"]
    assert "5.00 % (threshold 1.00 %)" in mail.outbox[1].body
    # when it runs again unchanged: nothing new
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        again = evaluate(tenant_a, NOW + timedelta(minutes=1))
    assert (again.opened, again.closed, len(again.still_open), mail.outbox) == ([], [], 2, [])
    # when the window moves on to healthy traffic
    later = NOW + timedelta(hours=2)
    traffic(tenant_a, delivered=200, at=later - timedelta(minutes=5))
    with django_capture_on_commit_callbacks(execute=True):
        closed = evaluate(tenant_a, later)
    assert sorted(i.rule for i in closed.closed) == ["delivery_errors", "filtering"]
    filtering.refresh_from_db()
    assert (filtering.status, filtering.ended_at) == ("closed", later)
    assert [m.subject.split(":")[1].strip() for m in mail.outbox] == ["incident closed for Acme Appointments"] * 2


def test_an_opt_out_spike_opens_an_incident(tenant_a):
    traffic(tenant_a, delivered=100)
    with in_tenant(tenant_a):
        for index in range(2):
            opt_out_record(tenant=tenant_a, number=f"+1415555070{index}", source="keyword", actor_label="handset",
                           keyword="STOP", occurred_at=NOW - timedelta(minutes=5))  # fmt: skip
        insights_squash(tenant=tenant_a)
    result = evaluate(tenant_a)
    assert [(i.rule, i.value) for i in result.opened] == [("opt_outs", 0.02)]


def test_healthy_traffic_and_too_few_messages_open_nothing(tenant_a):
    traffic(tenant_a, delivered=10, failed={30003: 5})  # a third failed, but only 15 outcomes
    result = evaluate(tenant_a)
    assert result.opened == []
    assert not Incident.objects.exists()


def test_thresholds_are_the_tenants_own(tenant_a, tenant_b):
    HealthThresholds.objects.create(tenant=tenant_a, error_rate_percent=Decimal(5), min_messages=20)
    traffic(tenant_a, delivered=96, failed={30003: 4})
    traffic(tenant_b, delivered=96, failed={30003: 4})
    assert evaluate(tenant_a).opened == []
    assert [i.rule for i in evaluate(tenant_b).opened] == ["delivery_errors"]
    assert list(Incident.objects.values_list("tenant__slug", flat=True)) == ["globex"]


def test_an_incident_is_published_to_subscribed_webhook_endpoints(tenant_a):
    with in_tenant(tenant_a):
        WebhookEndpointFactory(tenant=tenant_a, event_types=["incident.updated"])
    traffic(tenant_a, delivered=97, failed={30003: 3})
    evaluate(tenant_a)
    with in_tenant(tenant_a):
        delivery = WebhookDelivery.objects.get()
    body = json.loads(delivery.body)
    assert (delivery.event_type, body["data"]["rule"], body["data"]["status"]) == (
        "incident.updated", "delivery_errors", "open",
    )  # fmt: skip


def debugger_post(tenant, params: dict, *, token: str | None = None):
    from messaging.gateways import get_gateway

    account_sid, own_token = subaccount_auth(tenant)
    params = {"AccountSid": account_sid, **params}
    url = "http://localhost/webhooks/twilio/debugger"
    signature = get_gateway().sign(token or own_token, url, params)
    return Client(HTTP_HOST="localhost").post("/webhooks/twilio/debugger", params, HTTP_X_TWILIO_SIGNATURE=signature)


EVENT = {
    "Sid": "NO00000000000000000000000000000001",
    "Level": "ERROR",
    "Timestamp": "2026-11-30T15:35:00Z",
    "PayloadType": "application/json",
    "Payload": json.dumps({"error_code": "11200", "more_info": {"Msg": "timeout"}, "webhook": {}}),
}


def test_debugger_events_are_kept_once_and_open_the_debugger_incident(tenant_a, fake_gateway):
    assert debugger_post(tenant_a, EVENT).status_code == 204
    assert debugger_post(tenant_a, EVENT).status_code == 204  # Twilio's retry
    event = DebuggerEvent.objects.get()
    assert (event.tenant, event.level, event.error_code) == (tenant_a, "error", 11200)
    result = evaluate(tenant_a)
    assert [(i.rule, i.value) for i in result.opened] == [("debugger", 1.0)]
    closed = evaluate(tenant_a, NOW + timedelta(hours=2))
    assert [i.rule for i in closed.closed] == ["debugger"]


def test_forged_and_malformed_debugger_events_are_refused(tenant_a, fake_gateway):
    forged = debugger_post(tenant_a, EVENT, token="not-the-token")
    malformed = debugger_post(tenant_a, {**EVENT, "Level": "LOUD"})
    not_json = debugger_post(tenant_a, {**EVENT, "Payload": "{"})
    assert (forged.status_code, malformed.status_code, not_json.status_code) == (403, 400, 400)
    assert not DebuggerEvent.objects.exists()
