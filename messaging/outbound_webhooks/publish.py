"""Publishing an event: one delivery per enabled endpoint subscribed to it, written in the caller's transaction and
sent once it commits.

This sits on the message hot path (every status callback, every failure, every inbound message), so the question
"does any endpoint of this tenant want this event?" is answered from the cache (per tenant schema, for
`SUBSCRIPTIONS_CACHE_SECONDS`, forgotten as soon as an endpoint changes): a tenant without endpoints pays one cache
read per event and nothing else.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from django.core.cache import cache
from django.db import connection, transaction
from django.utils import timezone
from django_tenants.utils import schema_context

from config.celery import enqueue_on_commit
from messaging.domain.webhooks.events import WebhookEventType
from messaging.models import Message, WebhookDelivery, WebhookEndpoint
from messaging.outbound_webhooks.payloads import envelope_body, message_data

logger = logging.getLogger(__name__)

SUBSCRIPTIONS_CACHE_KEY = "webhooks:subscribed-event-types"  # the cache's key function adds the schema
SUBSCRIPTIONS_CACHE_SECONDS = 30


def subscribed_event_types() -> frozenset[str]:
    """The event types at least one enabled endpoint of the current tenant subscribes to (cached briefly)."""
    try:
        cached = cache.get(SUBSCRIPTIONS_CACHE_KEY)
    except Exception:  # the cache is an optimisation: without Redis, ask PostgreSQL
        logger.warning("webhook subscriptions: the cache is unavailable; reading them from the database")
        cached = None
    if cached is not None:
        return frozenset(cached)
    rows = WebhookEndpoint.objects.filter(enabled=True).values_list("event_types", flat=True)
    found = sorted({event_type for event_types in rows for event_type in event_types})
    try:
        cache.set(SUBSCRIPTIONS_CACHE_KEY, found, SUBSCRIPTIONS_CACHE_SECONDS)
    except Exception:
        logger.warning("webhook subscriptions: the cache is unavailable; not caching them")
    return frozenset(found)


def subscriptions_changed() -> None:
    """Forget the current tenant's cached subscriptions now and again once the transaction commits (so that a
    publish racing the change cannot keep the old answer)."""
    schema = connection.schema_name

    def forget() -> None:
        with schema_context(schema):
            cache.delete(SUBSCRIPTIONS_CACHE_KEY)

    forget()
    transaction.on_commit(forget, robust=True)


def webhook_event_publish(
    *, event_type: WebhookEventType | str, payload: Mapping[str, Any], occurred_at: datetime
) -> list[int]:
    """Record an event of the current tenant for every enabled endpoint subscribed to it, inside the caller's
    transaction, and deliver them once it commits; returns the deliveries' ids (none, for the price of a cache read,
    when no endpoint wants it). `payload` is the event's `data`: JSON-serialisable (dates and UUIDs are written out).
    """
    event_type = WebhookEventType(event_type)
    if event_type not in subscribed_event_types():
        return []
    endpoint_ids = list(
        WebhookEndpoint.objects.filter(enabled=True, event_types__contains=[event_type.value]).values_list(
            "pk", flat=True
        )
    )
    if not endpoint_ids:
        return []
    return deliveries_record(endpoint_ids, event_type=event_type, data=payload, occurred_at=occurred_at)


def deliveries_record(
    endpoint_ids: list[int], *, event_type: WebhookEventType, data: Mapping[str, Any], occurred_at: datetime
) -> list[int]:
    from messaging.tasks import webhook_delivery_task

    event_id = uuid.uuid4()
    body = envelope_body(event_id=event_id, event_type=event_type.value, occurred_at=occurred_at, data=data)
    now = timezone.now()
    with transaction.atomic():
        deliveries = WebhookDelivery.objects.bulk_create(
            WebhookDelivery(
                endpoint_id=endpoint_id,
                event_id=event_id,
                event_type=event_type.value,
                body=body,
                occurred_at=occurred_at,
                next_attempt_at=now,
            )
            for endpoint_id in endpoint_ids
        )
        for delivery in deliveries:
            enqueue_on_commit(webhook_delivery_task, delivery_id=delivery.pk)
    return [delivery.pk for delivery in deliveries]


def message_webhook_publish(
    *,
    event_type: WebhookEventType,
    occurred_at: datetime,
    message: Message | None = None,
    message_id: int | None = None,
) -> list[int]:
    """Publish a message event (sent, delivered, failed, inbound, ...) with the message as its data; the message is
    read (by `message_id`) only when some endpoint wants the event."""
    if event_type not in subscribed_event_types():
        return []
    if message is None:
        message = Message.objects.get(pk=message_id)
    return webhook_event_publish(event_type=event_type, payload=message_data(message), occurred_at=occurred_at)


COMPLIANCE_EVENTS = {"opted_out": WebhookEventType.OPTED_OUT, "opted_in": WebhookEventType.OPTED_IN}


def compliance_event_publish(*, event_type: str, payload: Mapping[str, Any], occurred_at: datetime) -> list[int]:
    """The compliance app's event port (`COMPLIANCE_EVENT_SINK`): an opt-out or opt-in, as `contact.opted_out` or
    `contact.opted_in` with the number, the scopes it covers and its source."""
    return webhook_event_publish(event_type=COMPLIANCE_EVENTS[event_type], payload=payload, occurred_at=occurred_at)
