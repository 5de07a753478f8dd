"""A tenant's webhook endpoints: added, changed, enabled and disabled, their secret rotated, a test event sent, a
delivery sent again. Every change is audited on the tenant; the secret is returned only when it is made."""

from __future__ import annotations

import secrets
from collections.abc import Iterable
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from messaging.domain.webhooks.events import SUBSCRIBABLE, WebhookEventType
from messaging.domain.webhooks.signing import secret_from_bytes
from messaging.errors import (
    MessagingValidationError,
    WebhookDeliveryInProgress,
    WebhookEndpointDisabled,
    WebhookEndpointLimit,
)
from messaging.models import WebhookDelivery, WebhookEndpoint
from messaging.outbound_webhooks.addresses import checked_target
from messaging.outbound_webhooks.notices import endpoint_disabled_notice_send
from messaging.outbound_webhooks.publish import deliveries_record, subscriptions_changed
from tenants import crypto
from tenants.audit import audit_record
from tenants.models import Tenant, User

MAX_DESCRIPTION = 200
MAX_GRACE_HOURS = 72
WAITING = [WebhookDelivery.Status.PENDING, WebhookDelivery.Status.FAILED]


def _audit(action: str, *, tenant: Tenant, endpoint: WebhookEndpoint, actor, actor_label, ip_address, **details):
    audit_record(
        action=action,
        tenant=tenant,
        actor=actor,
        actor_label=actor_label,
        target=endpoint.url[:200],
        details={"endpoint_id": endpoint.pk, **details},
        ip_address=ip_address,
    )


def _event_types(values: Iterable[str]) -> list[str]:
    chosen = set(values)
    unknown = sorted(chosen - {event.value for event in SUBSCRIBABLE})
    if unknown:
        raise MessagingValidationError(f"unknown event type(s): {', '.join(unknown)}", field="event_types")
    if not chosen:
        raise MessagingValidationError("choose at least one event type", field="event_types")
    return [event.value for event in SUBSCRIBABLE if event.value in chosen]


def _description(value: str) -> str:
    value = value.strip()
    if len(value) > MAX_DESCRIPTION:
        raise MessagingValidationError(f"description must be at most {MAX_DESCRIPTION} characters", field="description")
    return value


def _new_secret() -> str:
    return secret_from_bytes(secrets.token_bytes(24))


def webhook_endpoint_create(
    *,
    tenant: Tenant,
    url: str,
    event_types: Iterable[str],
    description: str = "",
    actor: User | None = None,
    actor_label: str | None = None,
    ip_address: str | None = None,
) -> tuple[WebhookEndpoint, str]:
    """Add an endpoint (its URL must reach a public https host); returns it and its secret, shown this once."""
    url = url.strip()
    types, description = _event_types(event_types), _description(description)
    checked_target(url)
    secret = _new_secret()
    with transaction.atomic():
        if WebhookEndpoint.objects.select_for_update().count() >= settings.WEBHOOK_ENDPOINTS_PER_TENANT:
            raise WebhookEndpointLimit(f"a tenant may have at most {settings.WEBHOOK_ENDPOINTS_PER_TENANT} endpoints")
        endpoint = WebhookEndpoint.objects.create(
            url=url,
            description=description,
            event_types=types,
            secret_encrypted=crypto.encrypt(secret),
            secret_created_at=timezone.now(),
        )
        _audit("webhook_endpoint.created", tenant=tenant, endpoint=endpoint, actor=actor, actor_label=actor_label,
               ip_address=ip_address, event_types=types)  # fmt: skip
        subscriptions_changed()
    return endpoint, secret


def webhook_endpoint_update(
    *,
    tenant: Tenant,
    endpoint: WebhookEndpoint,
    url: str | None = None,
    event_types: Iterable[str] | None = None,
    description: str | None = None,
    actor: User | None = None,
    actor_label: str | None = None,
    ip_address: str | None = None,
) -> WebhookEndpoint:
    """Change an endpoint's URL (checked as at creation), events or description; what is None stays."""
    changed: dict[str, object] = {}
    if url is not None and url.strip() != endpoint.url:
        checked_target(url.strip())
        changed["url"] = url.strip()
    if event_types is not None and (types := _event_types(event_types)) != endpoint.event_types:
        changed["event_types"] = types
    if description is not None and (text := _description(description)) != endpoint.description:
        changed["description"] = text
    if not changed:
        return endpoint
    with transaction.atomic():
        for field, value in changed.items():
            setattr(endpoint, field, value)
        endpoint.save(update_fields=[*changed, "updated_at"])
        _audit("webhook_endpoint.changed", tenant=tenant, endpoint=endpoint, actor=actor, actor_label=actor_label,
               ip_address=ip_address, changed=sorted(changed))  # fmt: skip
        subscriptions_changed()
    return endpoint


def webhook_endpoint_delete(
    *,
    tenant: Tenant,
    endpoint: WebhookEndpoint,
    actor: User | None = None,
    actor_label: str | None = None,
    ip_address: str | None = None,
) -> None:
    """Remove an endpoint with its deliveries and their attempts."""
    with transaction.atomic():
        _audit("webhook_endpoint.deleted", tenant=tenant, endpoint=endpoint, actor=actor, actor_label=actor_label,
               ip_address=ip_address)  # fmt: skip
        endpoint.delete()
        subscriptions_changed()


def webhook_endpoint_enable(
    *,
    tenant: Tenant,
    endpoint: WebhookEndpoint,
    actor: User | None = None,
    actor_label: str | None = None,
    ip_address: str | None = None,
) -> WebhookEndpoint:
    """Turn a disabled endpoint back on (its URL checked again), its failure count started afresh."""
    if endpoint.enabled:
        return endpoint
    checked_target(endpoint.url)
    with transaction.atomic():
        WebhookEndpoint.objects.filter(pk=endpoint.pk).update(
            enabled=True, disabled_at=None, disabled_reason="", consecutive_failures=0, failing_since=None
        )
        _audit("webhook_endpoint.enabled", tenant=tenant, endpoint=endpoint, actor=actor, actor_label=actor_label,
               ip_address=ip_address)  # fmt: skip
        subscriptions_changed()
    endpoint.refresh_from_db()
    return endpoint


def webhook_endpoint_disable(
    *,
    tenant: Tenant,
    endpoint: WebhookEndpoint,
    reason: str,
    notify: bool = False,
    last_error: str = "",
    actor: User | None = None,
    actor_label: str | None = None,
    ip_address: str | None = None,
    now: datetime | None = None,
) -> bool:
    """Turn an endpoint off: the deliveries waiting for it are given up and no new ones are recorded; with `notify`
    the tenant's owners and admins are emailed once it commits. False (and nothing done) when it was off already."""
    now = now or timezone.now()
    with transaction.atomic():
        switched = WebhookEndpoint.objects.filter(pk=endpoint.pk, enabled=True).update(
            enabled=False, disabled_at=now, disabled_reason=reason[:300]
        )
        if not switched:
            return False
        WebhookDelivery.objects.filter(endpoint_id=endpoint.pk, status__in=WAITING).update(
            status=WebhookDelivery.Status.GIVEN_UP, next_attempt_at=None, completed_at=now,
            last_error="the endpoint was disabled",
        )  # fmt: skip
        _audit("webhook_endpoint.disabled", tenant=tenant, endpoint=endpoint, actor=actor, actor_label=actor_label,
               ip_address=ip_address, reason=reason[:300])  # fmt: skip
        subscriptions_changed()
        if notify:
            details = {"tenant": tenant, "endpoint_id": endpoint.pk, "url": endpoint.url, "reason": reason}

            def send() -> None:
                endpoint_disabled_notice_send(**details, last_error=last_error)

            transaction.on_commit(send, robust=True)
    endpoint.refresh_from_db()
    return True


def webhook_endpoint_secret_rotate(
    *,
    tenant: Tenant,
    endpoint: WebhookEndpoint,
    grace_hours: int | None = None,
    actor: User | None = None,
    actor_label: str | None = None,
    ip_address: str | None = None,
) -> tuple[WebhookEndpoint, str]:
    """A new secret, returned this once; the current one keeps signing beside it for `grace_hours` (0: stops now;
    the default is WEBHOOK_SECRET_GRACE_HOURS), so receivers can switch without missing a delivery."""
    grace = settings.WEBHOOK_SECRET_GRACE_HOURS if grace_hours is None else grace_hours
    if not 0 <= grace <= MAX_GRACE_HOURS:
        raise MessagingValidationError(f"grace_hours must be from 0 to {MAX_GRACE_HOURS}", field="grace_hours")
    secret, now = _new_secret(), timezone.now()
    with transaction.atomic():
        endpoint = WebhookEndpoint.objects.select_for_update().get(pk=endpoint.pk)
        endpoint.previous_secret_encrypted = endpoint.secret_encrypted if grace else ""
        endpoint.previous_secret_expires_at = now + timedelta(hours=grace) if grace else None
        endpoint.secret_encrypted = crypto.encrypt(secret)
        endpoint.secret_created_at = now
        endpoint.save(update_fields=["previous_secret_encrypted", "previous_secret_expires_at", "secret_encrypted",
                                     "secret_created_at", "updated_at"])  # fmt: skip
        _audit("webhook_endpoint.secret_rotated", tenant=tenant, endpoint=endpoint, actor=actor,
               actor_label=actor_label, ip_address=ip_address, grace_hours=grace)  # fmt: skip
    return endpoint, secret


def signing_secrets(endpoint: WebhookEndpoint, *, now: datetime) -> list[str]:
    """The secrets that sign a delivery now: the current one, and the previous one while its grace lasts."""
    found = [crypto.decrypt(endpoint.secret_encrypted)]
    expires = endpoint.previous_secret_expires_at
    if endpoint.previous_secret_encrypted and expires is not None and expires > now:
        found.append(crypto.decrypt(endpoint.previous_secret_encrypted))
    return found


def webhook_endpoint_test(
    *,
    tenant: Tenant,
    endpoint: WebhookEndpoint,
    actor: User | None = None,
    actor_label: str | None = None,
    ip_address: str | None = None,
) -> WebhookDelivery:
    """Send the endpoint a `webhook.test` event (enabled or not): tried once, never retried, and not counted
    against the endpoint; its answer shows in the endpoint's deliveries."""
    now = timezone.now()
    data = {"endpoint_id": endpoint.pk, "message": "A test event from Switchboard."}
    with transaction.atomic():
        (delivery_id,) = deliveries_record([endpoint.pk], event_type=WebhookEventType.TEST, data=data, occurred_at=now)
        _audit("webhook_endpoint.tested", tenant=tenant, endpoint=endpoint, actor=actor, actor_label=actor_label,
               ip_address=ip_address)  # fmt: skip
    return WebhookDelivery.objects.get(pk=delivery_id)


def webhook_delivery_redeliver(
    *,
    tenant: Tenant,
    delivery: WebhookDelivery,
    actor: User | None = None,
    actor_label: str | None = None,
    ip_address: str | None = None,
) -> WebhookDelivery:
    """Send a delivery again: one that failed and waits for its retry is tried now; one that succeeded or was given
    up is sent as a new delivery of the same event (same id and body), with attempts of its own."""
    from config.celery import enqueue_on_commit
    from messaging.tasks import webhook_delivery_task

    endpoint = delivery.endpoint
    if not endpoint.enabled:
        raise WebhookEndpointDisabled("the endpoint is disabled; enable it first")
    if delivery.status in (WebhookDelivery.Status.PENDING, WebhookDelivery.Status.SENDING):
        raise WebhookDeliveryInProgress("the delivery is being sent already")
    now = timezone.now()
    with transaction.atomic():
        if delivery.status == WebhookDelivery.Status.FAILED:
            WebhookDelivery.objects.filter(pk=delivery.pk, status=delivery.status).update(next_attempt_at=now)
            again = delivery
        else:
            again = WebhookDelivery.objects.create(
                endpoint=endpoint, event_id=delivery.event_id, event_type=delivery.event_type, body=delivery.body,
                occurred_at=delivery.occurred_at, next_attempt_at=now, redelivery_of=delivery,
            )  # fmt: skip
        enqueue_on_commit(webhook_delivery_task, delivery_id=again.pk)
        _audit("webhook_delivery.redelivered", tenant=tenant, endpoint=endpoint, actor=actor, actor_label=actor_label,
               ip_address=ip_address, event_id=str(delivery.event_id))  # fmt: skip
    again.refresh_from_db()
    return again


def webhook_secrets_reencrypt() -> int:
    """Re-encrypt the current tenant's endpoint secrets (and previous secrets still kept) with the newest
    FIELD_ENCRYPTION_KEY; returns how many were rewritten (`manage.py reencrypt_secrets` calls it per tenant)."""
    count = 0
    with transaction.atomic():
        for endpoint in WebhookEndpoint.objects.select_for_update().order_by("pk"):
            try:
                endpoint.secret_encrypted = crypto.rotate(endpoint.secret_encrypted)
                if endpoint.previous_secret_encrypted:
                    endpoint.previous_secret_encrypted = crypto.rotate(endpoint.previous_secret_encrypted)
                    count += 1
            except crypto.SecretUnreadable as exc:
                raise crypto.SecretUnreadable(f"webhook endpoint {endpoint.pk}: {exc}") from exc
            endpoint.save(update_fields=["secret_encrypted", "previous_secret_encrypted"])
            count += 1
    return count
