"""What a receiver gets: every event in one envelope, and the message data of the message events.

```json
{"id": "<event uuid>", "type": "message.delivered", "occurred_at": "2026-12-01T12:05:00Z", "data": {...}}
```
The envelope is written once, when the event is published, and every attempt sends the same bytes.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder

from messaging.models import Message


def _iso(moment: datetime | None) -> str | None:
    if moment is None:
        return None
    return moment.astimezone(UTC).isoformat().replace("+00:00", "Z")


def envelope_body(*, event_id: uuid.UUID, event_type: str, occurred_at: datetime, data: Mapping[str, Any]) -> str:
    """The JSON body of an event, compact and in a fixed key order."""
    envelope = {"id": str(event_id), "type": event_type, "occurred_at": _iso(occurred_at), "data": dict(data)}
    return json.dumps(envelope, cls=DjangoJSONEncoder, separators=(",", ":"), ensure_ascii=False)


def message_data(message: Message) -> dict[str, Any]:
    """A message as the message events describe it (the same names as the messages API)."""
    return {
        "id": str(message.uuid),
        "direction": message.direction,
        "status": message.status,
        "to": message.to,
        "from": message.from_address,
        "sender_id": message.sender_id,
        "body": message.body,
        "media_urls": list(message.media_urls),
        "segments": message.segments,
        "twilio_sid": message.twilio_sid,
        "error_code": message.error_code,
        "failure_reason": message.failure_reason,
        "error_message": message.error_message,
        "created_at": _iso(message.created_at),
        "sent_at": _iso(message.sent_at),
        "delivered_at": _iso(message.delivered_at),
        "failed_at": _iso(message.failed_at),
        "read_at": _iso(message.read_at),
        "received_at": _iso(message.received_at),
    }
