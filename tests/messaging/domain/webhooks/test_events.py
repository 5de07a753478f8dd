"""The event types: one enum; the test event cannot be subscribed to; message statuses map to their events."""

from __future__ import annotations

import pytest

from messaging.domain.statuses import MessageStatus
from messaging.domain.webhooks.events import LABELS, SUBSCRIBABLE, WebhookEventType, event_for_status


def test_every_type_but_the_test_event_can_be_subscribed_to_and_has_a_label():
    assert [event.value for event in SUBSCRIBABLE] == [
        "message.sent",
        "message.delivered",
        "message.undelivered",
        "message.failed",
        "message.read",
        "message.inbound",
        "contact.opted_out",
        "contact.opted_in",
        "incident.updated",
    ]
    assert set(LABELS) == set(WebhookEventType)


@pytest.mark.parametrize(
    ("status", "event"),
    [
        (MessageStatus.SENT, WebhookEventType.SENT),
        ("delivered", WebhookEventType.DELIVERED),
        (MessageStatus.UNDELIVERED, WebhookEventType.UNDELIVERED),
        (MessageStatus.FAILED, WebhookEventType.FAILED),
        (MessageStatus.READ, WebhookEventType.READ),
        (MessageStatus.ACCEPTED, None),
        (MessageStatus.QUEUED, None),
        (MessageStatus.CANCELED, None),
        (MessageStatus.RECEIVED, None),
        ("exploded", None),
    ],
)
def test_a_status_publishes_its_event(status, event):
    assert event_for_status(status) == event
