"""The URLs Twilio calls back on, as configured at Twilio and signed by it (WEBHOOK_BASE_URL, the platform host)."""

from __future__ import annotations

import uuid

from django.conf import settings


def status_callback_url(message_uuid: uuid.UUID | str) -> str:
    """Where Twilio reports a message's status: our id is in the path, so a callback finds the row at once."""
    return f"{settings.WEBHOOK_BASE_URL}/webhooks/twilio/status/{message_uuid}"


def inbound_url() -> str:
    """Where Twilio posts a message a handset sends to one of our numbers."""
    return f"{settings.WEBHOOK_BASE_URL}/webhooks/twilio/inbound"


def inbound_fallback_url() -> str:
    """Where Twilio posts it when the inbound URL failed."""
    return f"{settings.WEBHOOK_BASE_URL}/webhooks/twilio/inbound/fallback"
