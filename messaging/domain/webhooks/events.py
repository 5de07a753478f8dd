"""The events a tenant's endpoint may subscribe to (pure): one enum, so every feature that publishes adds its type here.

Values are what the receiver sees in `Switchboard-Event-Type` and the payload's `type`; `webhook.test` is only sent by
"send a test event" and cannot be subscribed to.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Final

from messaging.domain.statuses import MessageStatus


class WebhookEventType(StrEnum):
    SENT = "message.sent"
    DELIVERED = "message.delivered"
    UNDELIVERED = "message.undelivered"
    FAILED = "message.failed"
    READ = "message.read"
    INBOUND = "message.inbound"
    OPTED_OUT = "contact.opted_out"
    OPTED_IN = "contact.opted_in"
    INCIDENT = "incident.updated"
    TEST = "webhook.test"


LABELS: Final[dict[WebhookEventType, str]] = {
    WebhookEventType.SENT: "Message sent (handed to the carrier)",
    WebhookEventType.DELIVERED: "Message delivered",
    WebhookEventType.UNDELIVERED: "Message undelivered (the carrier could not deliver it)",
    WebhookEventType.FAILED: "Message failed (it never left)",
    WebhookEventType.READ: "Message read (WhatsApp and RCS)",
    WebhookEventType.INBOUND: "Message received from a handset",
    WebhookEventType.OPTED_OUT: "Contact opted out",
    WebhookEventType.OPTED_IN: "Contact opted in again",
    WebhookEventType.INCIDENT: "Health incident opened or closed",
    WebhookEventType.TEST: "Test event",
}

SUBSCRIBABLE: Final = tuple(event for event in WebhookEventType if event is not WebhookEventType.TEST)

_FOR_STATUS: Final[dict[MessageStatus, WebhookEventType]] = {
    MessageStatus.SENT: WebhookEventType.SENT,
    MessageStatus.DELIVERED: WebhookEventType.DELIVERED,
    MessageStatus.UNDELIVERED: WebhookEventType.UNDELIVERED,
    MessageStatus.FAILED: WebhookEventType.FAILED,
    MessageStatus.READ: WebhookEventType.READ,
}


def event_for_status(status: MessageStatus | str) -> WebhookEventType | None:
    """The event an outbound message's new status publishes; None for statuses no receiver is told about."""
    try:
        return _FOR_STATUS.get(MessageStatus(status))
    except ValueError:
        return None
