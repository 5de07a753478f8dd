"""Read-only queries on the current tenant's webhook endpoints and deliveries."""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet

from messaging.models import WebhookAttempt, WebhookDelivery, WebhookEndpoint


def webhook_endpoints() -> QuerySet[WebhookEndpoint]:
    """The tenant's endpoints, oldest first."""
    return WebhookEndpoint.objects.order_by("id")


def webhook_deliveries(endpoint: WebhookEndpoint) -> QuerySet[WebhookDelivery]:
    """An endpoint's deliveries, newest first."""
    return WebhookDelivery.objects.filter(endpoint=endpoint).order_by("-id")


def webhook_deliveries_with_attempts(endpoint: WebhookEndpoint) -> QuerySet[WebhookDelivery]:
    """An endpoint's deliveries, newest first, each with its attempts (oldest first) fetched alongside."""
    attempts = Prefetch("attempt_log", queryset=WebhookAttempt.objects.order_by("id"))
    return webhook_deliveries(endpoint).prefetch_related(attempts)


def webhook_attempts(delivery: WebhookDelivery) -> QuerySet[WebhookAttempt]:
    """A delivery's attempts, oldest first."""
    return WebhookAttempt.objects.filter(delivery=delivery).order_by("id")
