"""Deliveries against a real HTTP receiver on 127.0.0.1: the exact body and signature, claims that send once,
retries with backoff on 500, redirects and timeouts as failures, the endpoint disabled (one email) after a day of
failures, and rotated secrets signing side by side."""

from __future__ import annotations

import hashlib
import hmac
import socket
import time
from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from messaging.domain.webhooks.signing import verify
from messaging.models import WebhookAttempt, WebhookDelivery, WebhookEndpoint
from messaging.outbound_webhooks.endpoints import webhook_endpoint_secret_rotate
from tenants.models import AuditEvent
from tests.factories import WebhookEndpointFactory, in_tenant
from tests.messaging.outbound_webhooks.conftest import attempt, delivery_of, make_due, publish

pytestmark = pytest.mark.django_db


@pytest.fixture
def endpoint(tenant_a, callback_receiver):
    return WebhookEndpointFactory(
        tenant=tenant_a, url=callback_receiver.url("/hook"), event_types=["message.delivered"]
    )


def test_a_delivery_posts_the_exact_body_signed_with_the_endpoints_secret(
    tenant_a, endpoint, callback_receiver, django_capture_on_commit_callbacks
):
    # given
    (delivery_id,) = publish(tenant_a, django_capture_on_commit_callbacks, data={"id": "m-1", "status": "delivered"})
    before = int(time.time())
    # when
    assert attempt(tenant_a, delivery_id) == "succeeded"
    # then the receiver got the body as stored, signed over "<t>.<body>" with the endpoint's secret
    delivery = delivery_of(tenant_a, delivery_id)
    (request,) = callback_receiver.requests("/hook")
    assert request.method == "POST"
    assert request.body == delivery.body.encode()
    assert (
        request.body
        == (
            f'{{"id":"{delivery.event_id}","type":"message.delivered","occurred_at":"2026-12-01T12:05:00Z",'
            '"data":{"id":"m-1","status":"delivered"}}'
        ).encode()
    )
    header = request.headers["Switchboard-Signature"]
    timestamp = int(header.removeprefix("t=").split(",")[0])
    expected = hmac.new(endpoint.secret.encode(), f"{timestamp}.".encode() + request.body, hashlib.sha256).hexdigest()
    assert header == f"t={timestamp},v1={expected}"
    assert before <= timestamp <= int(time.time())
    assert {
        name: request.headers[name] for name in ("Switchboard-Event-Id", "Switchboard-Event-Type", "Content-Type")
    } == {
        "Switchboard-Event-Id": str(delivery.event_id),
        "Switchboard-Event-Type": "message.delivered",
        "Content-Type": "application/json",
    }
    assert request.headers["Host"] == callback_receiver.base_url.removeprefix("http://")
    assert request.headers["User-Agent"] == "Switchboard-Webhooks/1.0"
    # and the delivery, its attempt and the endpoint say so
    assert (delivery.status, delivery.attempts, delivery.next_attempt_at, delivery.last_response_status) == (
        "succeeded",
        1,
        None,
        200,
    )
    assert delivery.completed_at is not None
    with in_tenant(tenant_a):
        (logged,) = WebhookAttempt.objects.filter(delivery_id=delivery_id)
        endpoint.refresh_from_db()
    assert (logged.number, logged.response_status, logged.succeeded, logged.error, logged.address) == (
        1,
        200,
        True,
        "",
        "127.0.0.1",
    )
    assert logged.latency_ms is not None
    assert (endpoint.consecutive_failures, endpoint.failing_since) == (0, None)
    assert endpoint.last_success_at is not None


def test_a_delivery_attempted_twice_is_sent_once(
    tenant_a, endpoint, callback_receiver, django_capture_on_commit_callbacks
):
    (delivery_id,) = publish(tenant_a, django_capture_on_commit_callbacks)
    assert [attempt(tenant_a, delivery_id), attempt(tenant_a, delivery_id)] == ["succeeded", "skipped"]
    assert len(callback_receiver.requests("/hook")) == 1


def test_a_500_is_retried_later_with_growing_waits_until_it_succeeds(
    tenant_a, endpoint, callback_receiver, django_capture_on_commit_callbacks
):
    (delivery_id,) = publish(tenant_a, django_capture_on_commit_callbacks)
    callback_receiver.respond("/hook", status=500, body="database is down")
    # first attempt: failed, retried 5 to 10 minutes later
    started = timezone.now()
    assert attempt(tenant_a, delivery_id) == "failed"
    delivery = delivery_of(tenant_a, delivery_id)
    assert (delivery.status, delivery.attempts, delivery.last_response_status, delivery.last_response_body) == (
        "failed",
        1,
        500,
        "database is down",
    )
    assert delivery.last_error == "answered 500"
    assert started + timedelta(minutes=5) <= delivery.next_attempt_at <= timezone.now() + timedelta(minutes=10)
    # not due yet: nothing is sent
    assert attempt(tenant_a, delivery_id) == "skipped"
    assert len(callback_receiver.requests("/hook")) == 1
    # second attempt: 10 to 20 minutes later
    make_due(tenant_a, delivery_id)
    started = timezone.now()
    assert attempt(tenant_a, delivery_id) == "failed"
    delivery = delivery_of(tenant_a, delivery_id)
    assert started + timedelta(minutes=10) <= delivery.next_attempt_at <= timezone.now() + timedelta(minutes=20)
    with in_tenant(tenant_a):
        assert WebhookEndpoint.objects.get(pk=endpoint.pk).consecutive_failures == 2
    # third attempt succeeds; the endpoint's run of failures ends
    callback_receiver.respond("/hook", status=204)
    make_due(tenant_a, delivery_id)
    assert attempt(tenant_a, delivery_id) == "succeeded"
    with in_tenant(tenant_a):
        attempts = list(WebhookAttempt.objects.filter(delivery_id=delivery_id).values_list("number", "response_status"))
        endpoint = WebhookEndpoint.objects.get(pk=endpoint.pk)
    assert attempts == [(1, 500), (2, 500), (3, 204)]
    assert (endpoint.consecutive_failures, endpoint.failing_since) == (0, None)
    assert len(callback_receiver.requests("/hook")) == 3


def test_retry_after_is_honoured(tenant_a, endpoint, callback_receiver, django_capture_on_commit_callbacks):
    (delivery_id,) = publish(tenant_a, django_capture_on_commit_callbacks)
    callback_receiver.respond("/hook", status=429, headers={"Retry-After": "3600"})
    started = timezone.now()
    assert attempt(tenant_a, delivery_id) == "failed"
    delivery = delivery_of(tenant_a, delivery_id)
    assert started + timedelta(hours=1) <= delivery.next_attempt_at <= timezone.now() + timedelta(hours=1)


def test_a_delivery_is_given_up_after_its_eighth_attempt(
    tenant_a, endpoint, callback_receiver, django_capture_on_commit_callbacks
):
    (delivery_id,) = publish(tenant_a, django_capture_on_commit_callbacks)
    callback_receiver.respond("/hook", status=503)
    outcomes = []
    for _ in range(8):
        make_due(tenant_a, delivery_id)
        outcomes.append(attempt(tenant_a, delivery_id))
    outcomes.append(attempt(tenant_a, delivery_id))
    assert outcomes == ["failed"] * 7 + ["given_up", "skipped"]
    delivery = delivery_of(tenant_a, delivery_id)
    assert (delivery.status, delivery.attempts, delivery.next_attempt_at) == ("given_up", 8, None)
    assert delivery.completed_at is not None
    assert len(callback_receiver.requests("/hook")) == 8


def test_a_redirect_is_not_followed(tenant_a, endpoint, callback_receiver, django_capture_on_commit_callbacks):
    (delivery_id,) = publish(tenant_a, django_capture_on_commit_callbacks)
    callback_receiver.respond("/hook", status=302, headers={"Location": callback_receiver.url("/elsewhere")})
    assert attempt(tenant_a, delivery_id) == "failed"
    delivery = delivery_of(tenant_a, delivery_id)
    assert (delivery.last_response_status, delivery.last_error) == (302, "answered 302; redirects are not followed")
    assert [request.path for request in callback_receiver.requests()] == ["/hook"]


def test_a_receiver_that_does_not_answer_in_time_is_a_failed_attempt(
    tenant_a, endpoint, callback_receiver, settings, django_capture_on_commit_callbacks
):
    settings.WEBHOOK_TIMEOUT_SECONDS = 0.3
    (delivery_id,) = publish(tenant_a, django_capture_on_commit_callbacks)
    callback_receiver.respond("/hook", delay=1.0)
    assert attempt(tenant_a, delivery_id) == "failed"
    delivery = delivery_of(tenant_a, delivery_id)
    assert (delivery.last_response_status, delivery.last_error) == (None, "no answer within 0.3 s")
    assert 300 <= delivery.last_latency_ms < 1000


def test_a_receiver_that_is_not_listening_is_a_failed_attempt(tenant_a, django_capture_on_commit_callbacks):
    with socket.socket() as unused:  # a port of ours that nobody listens on
        unused.bind(("127.0.0.1", 0))
        url = f"http://127.0.0.1:{unused.getsockname()[1]}/hook"
        WebhookEndpointFactory(tenant=tenant_a, url=url, event_types=["message.delivered"])
        (delivery_id,) = publish(tenant_a, django_capture_on_commit_callbacks)
        assert attempt(tenant_a, delivery_id) == "failed"
    delivery = delivery_of(tenant_a, delivery_id)
    assert delivery.last_response_status is None
    assert delivery.last_error.startswith("could not connect: ")
    assert "refused" in delivery.last_error.lower()


def test_an_endpoint_failing_for_a_day_is_disabled_and_its_owners_and_admins_emailed_once(
    tenant_a, endpoint, callback_receiver, acme_member, django_capture_on_commit_callbacks
):
    # given people of every role, an endpoint failing for 25 hours with 19 failures in a row, and two events for it
    for role in ("owner", "admin", "operator", "analyst"):
        acme_member(role)
    with in_tenant(tenant_a):
        WebhookEndpoint.objects.filter(pk=endpoint.pk).update(
            consecutive_failures=19, failing_since=timezone.now() - timedelta(hours=25)
        )
    first, second = (
        publish(tenant_a, django_capture_on_commit_callbacks),
        publish(tenant_a, django_capture_on_commit_callbacks),
    )
    callback_receiver.respond("/hook", status=500)
    # when the 20th attempt in a row fails
    with django_capture_on_commit_callbacks(execute=True):
        assert attempt(tenant_a, first[0]) == "given_up"
    # then the endpoint is off, both events given up, and the owner and admin told once
    with in_tenant(tenant_a):
        endpoint.refresh_from_db()
        deliveries = list(
            WebhookDelivery.objects.filter(pk__in=[first[0], second[0]])
            .order_by("pk")
            .values_list("status", "attempts", "last_error", "next_attempt_at")
        )
    assert (endpoint.enabled, endpoint.consecutive_failures) == (False, 20)
    assert endpoint.disabled_reason == "the last 20 attempts failed, over 25 hours"
    assert endpoint.disabled_at is not None
    assert deliveries == [
        ("given_up", 1, "the endpoint was disabled", None),
        ("given_up", 0, "the endpoint was disabled", None),
    ]
    assert len(mail.outbox) == 1
    email = mail.outbox[0]
    assert email.subject == "Switchboard: a webhook endpoint of Acme Appointments was disabled"
    assert email.to == ["admin@acme.test", "owner@acme.test"]
    assert callback_receiver.url("/hook") in email.body
    assert "Why: the last 20 attempts failed, over 25 hours." in email.body
    assert "The last attempt: answered 500." in email.body
    assert f"http://acme.localhost:8000/webhooks/{endpoint.pk}/" in email.body
    audit = AuditEvent.objects.filter(tenant=tenant_a, action="webhook_endpoint.disabled").get()
    assert (audit.actor_label, audit.details["reason"]) == ("system", "the last 20 attempts failed, over 25 hours")
    # and nothing new is recorded for it; a delivery that reaches it all the same is given up unsent
    assert publish(tenant_a, django_capture_on_commit_callbacks) == []
    with in_tenant(tenant_a):
        stray = WebhookDelivery.objects.create(
            endpoint=endpoint, event_type="message.sent", body="{}", occurred_at=timezone.now(),
            next_attempt_at=timezone.now(),
        )  # fmt: skip
    assert attempt(tenant_a, stray.pk) == "given_up"
    assert (delivery_of(tenant_a, stray.pk).attempts, delivery_of(tenant_a, stray.pk).last_error) == (
        0,
        "the endpoint is disabled",
    )
    assert len(callback_receiver.requests("/hook")) == 1
    assert len(mail.outbox) == 1


def test_a_busy_endpoint_down_for_an_hour_stays_enabled(
    tenant_a, endpoint, callback_receiver, django_capture_on_commit_callbacks
):
    with in_tenant(tenant_a):
        WebhookEndpoint.objects.filter(pk=endpoint.pk).update(
            consecutive_failures=500, failing_since=timezone.now() - timedelta(hours=1)
        )
    (delivery_id,) = publish(tenant_a, django_capture_on_commit_callbacks)
    callback_receiver.respond("/hook", status=500)
    assert attempt(tenant_a, delivery_id) == "failed"
    with in_tenant(tenant_a):
        endpoint.refresh_from_db()
    assert (endpoint.enabled, endpoint.consecutive_failures) == (True, 501)
    assert mail.outbox == []


def test_after_a_rotation_both_secrets_sign_until_the_grace_period_ends(
    tenant_a, endpoint, callback_receiver, django_capture_on_commit_callbacks
):
    # given
    with in_tenant(tenant_a):
        _, new_secret = webhook_endpoint_secret_rotate(tenant=tenant_a, endpoint=endpoint, grace_hours=24)
    assert new_secret != endpoint.secret
    # when
    (delivery_id,) = publish(tenant_a, django_capture_on_commit_callbacks)
    attempt(tenant_a, delivery_id)
    # then a receiver holding either secret accepts it
    (request,) = callback_receiver.requests("/hook")
    header, now = request.headers["Switchboard-Signature"], int(time.time())
    assert header.count("v1=") == 2
    for secret in (new_secret, endpoint.secret):
        assert verify(header=header, body=request.body, secret=secret, now=now)
    # and once the grace period is over, only the new one signs
    with in_tenant(tenant_a):
        WebhookEndpoint.objects.filter(pk=endpoint.pk).update(previous_secret_expires_at=timezone.now())
    (later,) = publish(tenant_a, django_capture_on_commit_callbacks)
    attempt(tenant_a, later)
    header = callback_receiver.requests("/hook")[1].headers["Switchboard-Signature"]
    assert header.count("v1=") == 1
    assert verify(header=header, body=callback_receiver.requests("/hook")[1].body, secret=new_secret, now=now)
