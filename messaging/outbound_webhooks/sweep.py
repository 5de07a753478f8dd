"""What the tenant sweep (beat, every 30 s) does for webhooks: release the claims of workers that died, find the
deliveries whose retry is due or whose wake-up was lost, and drop deliveries past their retention."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import Q

from messaging.domain.webhooks.events import WebhookEventType
from messaging.models import WebhookDelivery

Status = WebhookDelivery.Status
BATCH = 500
SETTLED = timedelta(seconds=30)  # a new delivery's own wake-up normally sent it by then
PURGE_BATCH = 1000


def webhook_deliveries_due(*, now: datetime, limit: int = BATCH) -> list[int]:
    """Ids of the current tenant's deliveries to attempt now, soonest due first: retries that are due and new
    deliveries whose wake-up was lost; deliveries left in `sending` longer than the lease are made due first."""
    lease = timedelta(seconds=settings.WEBHOOK_SENDING_LEASE_SECONDS)
    WebhookDelivery.objects.filter(status=Status.SENDING, sending_at__lt=now - lease).update(
        status=Status.FAILED, claim_token=None, next_attempt_at=now, last_error="the attempt did not finish"
    )
    retries = Q(status=Status.FAILED, next_attempt_at__lte=now)
    lost = Q(status=Status.PENDING, next_attempt_at__lte=now - SETTLED)
    due = retries | lost
    active = Q(endpoint__enabled=True) | Q(event_type=WebhookEventType.TEST)
    found = WebhookDelivery.objects.filter(due, active).order_by("next_attempt_at").values_list("pk", flat=True)
    return list(found[:limit])


def webhook_deliveries_purge(*, now: datetime, limit: int = PURGE_BATCH) -> int:
    """Delete up to `limit` of the oldest deliveries created more than WEBHOOK_DELIVERY_RETENTION_DAYS ago (with
    their attempts); returns how many went."""
    cutoff = now - timedelta(days=settings.WEBHOOK_DELIVERY_RETENTION_DAYS)
    old = WebhookDelivery.objects.filter(created_at__lt=cutoff).exclude(status=Status.SENDING).order_by("created_at")
    ids = list(old.values_list("pk", flat=True)[:limit])
    if not ids:
        return 0
    deleted, _ = WebhookDelivery.objects.filter(pk__in=ids).delete()
    return len(ids) if deleted else 0
