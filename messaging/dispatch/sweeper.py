"""The sweeper: PostgreSQL rebuilds the engine's index, and messages a dead worker left in `sending` are resolved.

Run per tenant, in its schema (`messaging.tasks.tenant_sweep`, every 30 s from beat): the tenant's lanes are held or
released by its status; each sender's pace and pause are written to its lane; every queued or scheduled message is
put back in its lane (an entry already there keeps its place), all of them after Redis lost its data and otherwise
those waiting longer than a sweep; and a message claimed longer ago than the sending lease is looked for at Twilio,
adopted when found, and sent again only when surely never created (reference/engine.md §2 and §4).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.utils import timezone

from messaging.dispatch import redis_index, sending
from messaging.models import Message, Sender
from tenants.models import Tenant

logger = logging.getLogger(__name__)

BATCH = 2_000
SETTLED = timedelta(seconds=30)  # a message queued this long ago should be in its lane already


@dataclass
class SweepReport:
    requeued: int = 0
    resolved: int = 0


def sweep(*, tenant: Tenant, full: bool = False) -> SweepReport:
    """Bring the index in line with the tenant's schema (the current one); `full` after Redis lost its data."""
    schema = tenant.schema_name
    report = SweepReport()
    redis_index.hold_tenant(schema, tenant.status != Tenant.Status.ACTIVE)
    for sender in Sender.objects.only("pk", "mps", "paused"):
        redis_index.hold_sender(schema, sender.pk, sender.paused, interval_us=sending.pace_of(sender.mps))
    report.requeued = _requeue_waiting(schema, full=full)
    if tenant.status == Tenant.Status.ACTIVE:
        report.resolved = _resolve_stranded(schema)
    return report


def _requeue_waiting(schema: str, *, full: bool) -> int:
    waiting = Message.objects.filter(status__in=[Message.Status.QUEUED, Message.Status.SCHEDULED])
    if not full:
        waiting = waiting.filter(created_at__lt=timezone.now() - SETTLED)
    rows = waiting.order_by("pk").values_list(
        "pk", "sender_id", "segments", "lane", "send_at", "next_attempt_at", "created_at", "sender__mps"
    )
    count, batch = 0, []
    for pk, sender_id, segments, lane, send_at, next_attempt_at, created_at, mps in rows.iterator(chunk_size=BATCH):
        due = max(moment for moment in (send_at, next_attempt_at, created_at) if moment is not None)
        batch.append(redis_index.Entry(schema, sender_id, pk, segments, lane, due, sending.pace_of(mps)))
        if len(batch) == BATCH:
            count += redis_index.push(batch)
            batch = []
    count += redis_index.push(batch)
    return count


def _resolve_stranded(schema: str) -> int:
    lease = timedelta(seconds=settings.DISPATCH_SENDING_LEASE_SECONDS)
    stranded = Message.objects.filter(status=Message.Status.SENDING, sending_at__lt=timezone.now() - lease)
    tenant = sending.sending_tenant(schema)
    resolved = 0
    for message in stranded.select_related("sender")[:BATCH]:
        outcome = sending.resolve_unknown(schema, sending.claimed_of(message), tenant.credentials)
        resolved += outcome != "unknown"
        logger.info("sweeper: message %s of %s left in sending: %s", message.pk, schema, outcome)
    return resolved
