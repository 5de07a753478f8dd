"""Opt-out and opt-in events for the platform's subscribers, through the compliance port."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from compliance.ports import event_sink
from tenants.models import Tenant


def publish(*, tenant: Tenant, kind: str, number: str, scopes: Sequence[str], source: str, at: datetime) -> None:
    """Tell subscribers that `number` opted out or in (`kind`: opted_out, opted_in) of `scopes`."""
    sink = event_sink()
    if sink is None:
        return
    payload = {"number": number, "scopes": list(scopes), "source": source, "tenant": tenant.slug}
    sink(event_type=kind, payload=payload, occurred_at=at)
