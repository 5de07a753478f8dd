"""A real Celery worker, consuming the queues `make run`'s worker consumes, takes a committed event's wake-up from
the broker and delivers it, in the right tenant."""

from __future__ import annotations

import time

import pytest
from django.db import connection, transaction

from messaging.models import WebhookDelivery
from messaging.outbound_webhooks.publish import webhook_event_publish
from tenants.models import Tenant
from tests.factories import WebhookEndpointFactory, in_tenant
from tests.fixtures.workers import celery_worker
from tests.messaging.outbound_webhooks.conftest import OCCURRED

pytestmark = pytest.mark.integration


def test_a_worker_on_the_webhooks_queue_delivers_a_committed_event(committed_tenants, callback_receiver):
    globex = Tenant.objects.get(slug="globex")
    WebhookEndpointFactory(tenant=globex, url=callback_receiver.url("/globex"), event_types=["message.inbound"])
    with celery_worker(queues=["celery", "webhooks"]):
        with in_tenant(globex), transaction.atomic():
            (delivery_id,) = webhook_event_publish(
                event_type="message.inbound", payload={"id": "m-9"}, occurred_at=OCCURRED
            )
        connection.set_schema_to_public()
        (request,) = callback_receiver.wait_for(1, path="/globex", timeout=10)
        deadline = time.monotonic() + 5
        while time.monotonic() < deadline:
            with in_tenant(globex):
                delivery = WebhookDelivery.objects.get(pk=delivery_id)
            if delivery.status == "succeeded":
                break
            time.sleep(0.05)
    assert request.headers["Switchboard-Event-Type"] == "message.inbound"
    assert request.body == delivery.body.encode()
    assert (delivery.status, delivery.attempts) == ("succeeded", 1)
