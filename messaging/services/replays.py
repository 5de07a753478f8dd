"""Inbound webhooks that reached the fallback URL: kept whole, then replayed through the main path until taken."""

from __future__ import annotations

from collections.abc import Mapping

from django.db import transaction
from django.utils import timezone

from messaging.models import WebhookReplay
from messaging.services.inbound import message_receive
from tenants.models import Tenant

MAX_ATTEMPTS = 20


def webhook_replay_store(*, params: Mapping[str, str]) -> WebhookReplay:
    """Keep a fallback webhook's form durably (in the current schema), before Twilio gets its answer."""
    return WebhookReplay.objects.create(params=dict(params))


def webhook_replay_run(*, replay_id: int, tenant: Tenant) -> bool:
    """Take a kept webhook through the main inbound path; True once it is taken (now or before)."""
    with transaction.atomic():
        replay = WebhookReplay.objects.select_for_update().filter(pk=replay_id).first()
        if replay is None or replay.processed_at is not None:
            return replay is not None
        try:
            with transaction.atomic():
                message, _ = message_receive(params=replay.params, tenant=tenant)
        except Exception as exc:  # kept for the sweeper to replay; the error is shown on the replay
            replay.attempts += 1
            replay.last_error = f"{type(exc).__name__}: {exc}"[:300]
            replay.save(update_fields=["attempts", "last_error"])
            return False
        replay.attempts += 1
        replay.processed_at = timezone.now()
        replay.message = message
        replay.save(update_fields=["attempts", "processed_at", "message"])
    return True


def webhook_replays_pending() -> list[int]:
    """Kept webhooks still to be taken, within their attempts."""
    return list(
        WebhookReplay.objects.filter(processed_at__isnull=True, attempts__lt=MAX_ATTEMPTS).values_list("pk", flat=True)
    )
