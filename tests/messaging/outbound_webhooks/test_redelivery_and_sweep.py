"""Around the attempts: the address is checked again at delivery time and the connection goes to it (DNS
rebinding); test events go once; a delivery is sent again on request; the sweep retries what is due, releases dead
workers' claims and drops deliveries past their retention."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from messaging.errors import WebhookDeliveryInProgress, WebhookEndpointDisabled
from messaging.models import WebhookAttempt, WebhookDelivery, WebhookEndpoint
from messaging.outbound_webhooks.endpoints import (
    webhook_delivery_redeliver,
    webhook_endpoint_disable,
    webhook_endpoint_test,
)
from messaging.outbound_webhooks.sweep import webhook_deliveries_due, webhook_deliveries_purge
from messaging.tasks import tenant_sweep
from tests.factories import WebhookEndpointFactory, in_tenant
from tests.messaging.outbound_webhooks.conftest import attempt, delivery_of, publish

pytestmark = pytest.mark.django_db


def test_a_host_that_now_resolves_to_a_private_address_is_not_delivered_to(
    tenant_a, strict_urls, dns, callback_receiver, django_capture_on_commit_callbacks
):
    # given an endpoint whose host resolved to a public address when it was saved
    dns["hooks.example.com"] = ["93.184.216.34"]
    WebhookEndpointFactory(tenant=tenant_a, url="https://hooks.example.com/h", event_types=["message.sent"])
    (delivery_id,) = publish(tenant_a, django_capture_on_commit_callbacks, event_type="message.sent")
    # when it resolves to this machine at delivery time
    dns["hooks.example.com"] = ["127.0.0.1"]
    assert attempt(tenant_a, delivery_id) == "failed"
    # then nothing was sent, and the attempt says why
    delivery = delivery_of(tenant_a, delivery_id)
    expected = "hooks.example.com resolves to 127.0.0.1 is a loopback address; the URL must reach a public address."
    assert (delivery.last_error, delivery.last_response_status) == (expected, None)
    with in_tenant(tenant_a):
        logged = WebhookAttempt.objects.get(delivery_id=delivery_id)
    assert (logged.address, logged.error, logged.succeeded) == ("", expected, False)
    assert callback_receiver.requests() == []


def test_the_request_goes_to_the_address_that_was_checked_with_the_host_name_kept(
    tenant_a, dns, callback_receiver, django_capture_on_commit_callbacks
):
    port = callback_receiver.base_url.rsplit(":", 1)[1]
    dns["receiver.example"] = ["127.0.0.1"]
    WebhookEndpointFactory(tenant=tenant_a, url=f"http://receiver.example:{port}/in", event_types=["message.sent"])
    (delivery_id,) = publish(tenant_a, django_capture_on_commit_callbacks, event_type="message.sent")
    assert attempt(tenant_a, delivery_id) == "succeeded"
    (request,) = callback_receiver.requests("/in")
    assert request.headers["Host"] == f"receiver.example:{port}"
    with in_tenant(tenant_a):
        assert WebhookAttempt.objects.get(delivery_id=delivery_id).address == "127.0.0.1"


def test_a_test_event_goes_once_even_to_a_disabled_endpoint_and_is_not_counted(
    tenant_a, callback_receiver, django_capture_on_commit_callbacks
):
    # given a disabled endpoint whose receiver fails
    endpoint = WebhookEndpointFactory(tenant=tenant_a, url=callback_receiver.url("/hook"))
    callback_receiver.respond("/hook", status=500)
    with in_tenant(tenant_a):
        webhook_endpoint_disable(tenant=tenant_a, endpoint=endpoint, reason="testing")
        # when
        with django_capture_on_commit_callbacks(execute=True):
            delivery = webhook_endpoint_test(tenant=tenant_a, endpoint=endpoint)
        delivery.refresh_from_db()
        endpoint.refresh_from_db()
    # then
    (request,) = callback_receiver.requests("/hook")
    assert request.headers["Switchboard-Event-Type"] == "webhook.test"
    assert request.body == delivery.body.encode()
    assert (delivery.event_type, delivery.status, delivery.attempts, delivery.next_attempt_at) == (
        "webhook.test",
        "given_up",
        1,
        None,
    )
    assert endpoint.consecutive_failures == 0


def test_a_delivered_event_is_sent_again_as_a_new_delivery_of_the_same_event(
    tenant_a, endpoint_on_receiver, callback_receiver, django_capture_on_commit_callbacks
):
    (first_id,) = publish(tenant_a, django_capture_on_commit_callbacks)
    attempt(tenant_a, first_id)
    with in_tenant(tenant_a), django_capture_on_commit_callbacks(execute=True):
        again = webhook_delivery_redeliver(tenant=tenant_a, delivery=WebhookDelivery.objects.get(pk=first_id))
    first, again = delivery_of(tenant_a, first_id), delivery_of(tenant_a, again.pk)
    assert again.pk != first.pk
    assert (again.event_id, again.body, again.redelivery_of_id, again.status, again.attempts) == (
        first.event_id,
        first.body,
        first.pk,
        "succeeded",
        1,
    )
    assert [r.headers["Switchboard-Event-Id"] for r in callback_receiver.requests("/hook")] == [str(first.event_id)] * 2


def test_a_failed_delivery_waiting_for_its_retry_is_tried_at_once(
    tenant_a, endpoint_on_receiver, callback_receiver, django_capture_on_commit_callbacks
):
    (delivery_id,) = publish(tenant_a, django_capture_on_commit_callbacks)
    callback_receiver.respond("/hook", status=500)
    attempt(tenant_a, delivery_id)
    callback_receiver.respond("/hook", status=200)
    with in_tenant(tenant_a), django_capture_on_commit_callbacks(execute=True):
        again = webhook_delivery_redeliver(tenant=tenant_a, delivery=WebhookDelivery.objects.get(pk=delivery_id))
    assert again.pk == delivery_id
    assert (delivery_of(tenant_a, delivery_id).status, delivery_of(tenant_a, delivery_id).attempts) == ("succeeded", 2)


def test_a_delivery_is_not_sent_again_while_in_flight_or_to_a_disabled_endpoint(
    tenant_a, endpoint_on_receiver, django_capture_on_commit_callbacks
):
    (delivery_id,) = publish(tenant_a, django_capture_on_commit_callbacks)
    with in_tenant(tenant_a):
        pending = WebhookDelivery.objects.get(pk=delivery_id)
        with pytest.raises(WebhookDeliveryInProgress, match="the delivery is being sent already"):
            webhook_delivery_redeliver(tenant=tenant_a, delivery=pending)
        webhook_endpoint_disable(tenant=tenant_a, endpoint=endpoint_on_receiver, reason="testing")
        given_up = WebhookDelivery.objects.select_related("endpoint").get(pk=delivery_id)
        with pytest.raises(WebhookEndpointDisabled, match="the endpoint is disabled; enable it first"):
            webhook_delivery_redeliver(tenant=tenant_a, delivery=given_up)
        assert WebhookDelivery.objects.count() == 1


@pytest.fixture
def endpoint_on_receiver(tenant_a, callback_receiver):
    return WebhookEndpointFactory(
        tenant=tenant_a, url=callback_receiver.url("/hook"), event_types=["message.delivered"]
    )


def test_the_sweep_sends_due_retries_lost_wake_ups_and_what_a_dead_worker_left(
    tenant_a, endpoint_on_receiver, callback_receiver, django_capture_on_commit_callbacks, settings
):
    # given: a retry that is due, one that is not, a new delivery whose wake-up is still on its way, one whose
    # wake-up was lost a minute ago, and one a worker claimed three minutes ago and never finished
    ids = [publish(tenant_a, django_capture_on_commit_callbacks)[0] for _ in range(5)]
    due, later, fresh, lost, stranded = ids
    now = timezone.now()
    with in_tenant(tenant_a):
        deliveries = WebhookDelivery.objects
        deliveries.filter(pk=due).update(status="failed", attempts=1, next_attempt_at=now - timedelta(seconds=1))
        deliveries.filter(pk=later).update(status="failed", attempts=1, next_attempt_at=now + timedelta(minutes=5))
        deliveries.filter(pk=lost).update(next_attempt_at=now - timedelta(minutes=1))
        deliveries.filter(pk=stranded).update(
            status="sending", attempts=1, claim_token="00000000-0000-4000-8000-000000000001",
            sending_at=now - timedelta(seconds=settings.WEBHOOK_SENDING_LEASE_SECONDS + 60),
        )  # fmt: skip
    # when
    report = tenant_sweep.apply(kwargs={"schema_name": tenant_a.schema_name}).get()
    # then exactly those three were sent
    assert report["webhooks"] == 3
    statuses = {pk: delivery_of(tenant_a, pk).status for pk in ids}
    assert statuses == {due: "succeeded", later: "failed", fresh: "pending", lost: "succeeded", stranded: "succeeded"}
    assert len(callback_receiver.requests("/hook")) == 3
    assert delivery_of(tenant_a, stranded).attempts == 2


def test_the_sweep_leaves_deliveries_of_disabled_endpoints_alone(tenant_a, endpoint_on_receiver):
    with in_tenant(tenant_a):
        WebhookEndpoint.objects.filter(pk=endpoint_on_receiver.pk).update(enabled=False, disabled_at=timezone.now())
        WebhookDelivery.objects.create(
            endpoint=endpoint_on_receiver, event_type="message.delivered", body="{}", occurred_at=timezone.now(),
            status="failed", next_attempt_at=timezone.now() - timedelta(hours=1),
        )  # fmt: skip
        assert webhook_deliveries_due(now=timezone.now()) == []


def test_deliveries_past_their_retention_are_dropped_with_their_attempts(tenant_a, endpoint_on_receiver, settings):
    settings.WEBHOOK_DELIVERY_RETENTION_DAYS = 30
    now = timezone.now()
    with in_tenant(tenant_a):
        old, kept = (
            WebhookDelivery.objects.create(
                endpoint=endpoint_on_receiver,
                event_type="message.delivered",
                body="{}",
                occurred_at=now,
                status="succeeded",
            )
            for _ in range(2)
        )
        WebhookAttempt.objects.create(delivery=old, number=1, started_at=now, url="x", succeeded=True)
        WebhookDelivery.objects.filter(pk=old.pk).update(created_at=now - timedelta(days=31))
        assert webhook_deliveries_purge(now=now) == 1
        assert list(WebhookDelivery.objects.values_list("pk", flat=True)) == [kept.pk]
        assert WebhookAttempt.objects.count() == 0
        assert webhook_deliveries_purge(now=now) == 0
