"""What the compliance app tells the rest of the platform, as a port: opt-outs and opt-ins as they happen.

`compliance` never imports `messaging`, where tenants' webhook subscriptions live, so it names the one call it makes
here and the setting `COMPLIANCE_EVENT_SINK` names the adapter (a dotted path to a callable with this signature).
Empty: events go nowhere but the register itself.
"""

from __future__ import annotations

from datetime import datetime
from functools import cache
from typing import Protocol

from django.conf import settings
from django.utils.module_loading import import_string


class EventSink(Protocol):
    def __call__(self, *, event_type: str, payload: dict, occurred_at: datetime) -> None:
        """Publish one event of the current tenant schema, inside the caller's transaction."""


@cache
def event_sink() -> EventSink | None:
    path = getattr(settings, "COMPLIANCE_EVENT_SINK", "")
    return import_string(path) if path else None
