"""What the outbound webhook tests share: production's URL rules switched on, a resolver the test scripts, and
events published and attempted by hand (the Celery wake-up left out) in a tenant's schema."""

from __future__ import annotations

import socket
from datetime import UTC, datetime

import pytest
from django.utils import timezone

from messaging.models import WebhookDelivery
from messaging.outbound_webhooks.delivery import webhook_delivery_attempt
from messaging.outbound_webhooks.publish import webhook_event_publish
from tests.factories import in_tenant

OCCURRED = datetime(2026, 12, 1, 12, 5, tzinfo=UTC)


@pytest.fixture
def strict_urls(settings):
    """Production's rules: https only, public addresses only."""
    settings.WEBHOOKS_ALLOW_PRIVATE_URLS = False


@pytest.fixture
def dns(monkeypatch) -> dict[str, list[str]]:
    """Host name → the addresses it resolves to, as the test says (a name it does not know fails to resolve)."""
    answers: dict[str, list[str]] = {}

    def resolve(host: str, port: int) -> list[str]:
        if host not in answers:
            raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")
        return list(answers[host])

    monkeypatch.setattr("messaging.outbound_webhooks.addresses.resolve", resolve)
    return answers


def publish(tenant, django_capture_on_commit_callbacks, *, event_type="message.delivered", data=None) -> list[int]:
    """Publish an event in `tenant` as a service would, without running its wake-ups; the deliveries' ids."""
    with in_tenant(tenant), django_capture_on_commit_callbacks(execute=False):
        return webhook_event_publish(event_type=event_type, payload=data or {"id": "m-1"}, occurred_at=OCCURRED)


def attempt(tenant, delivery_id: int) -> str:
    """One attempt at a delivery, as the task makes it."""
    with in_tenant(tenant):
        return webhook_delivery_attempt(delivery_id=delivery_id, schema_name=tenant.schema_name)


def make_due(tenant, delivery_id: int) -> None:
    """Bring a waiting retry forward to now."""
    with in_tenant(tenant):
        WebhookDelivery.objects.filter(pk=delivery_id).update(next_attempt_at=timezone.now())


def delivery_of(tenant, delivery_id: int) -> WebhookDelivery:
    with in_tenant(tenant):
        return WebhookDelivery.objects.select_related("endpoint").get(pk=delivery_id)
