"""One attempt at a delivery: claimed, signed, POSTed to the address checked just before, and recorded.

The claim moves the delivery from `pending` or `failed` (and due) to `sending` in one statement, so a task that
runs twice, or a task and the sweep, send it once. Nothing holds a transaction open during the POST. The answer is
recorded only for the claim that asked: a 2xx succeeds; anything else is retried with backoff
(`messaging.domain.webhooks.retries`) or given up after the last attempt; an endpoint whose attempts keep failing is
disabled and its owners and admins emailed. A worker that dies mid-attempt leaves the delivery in `sending`; the
sweep retries it after WEBHOOK_SENDING_LEASE_SECONDS (receivers deduplicate by the event id).
"""

from __future__ import annotations

import random
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import F, Q, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from messaging.domain.webhooks import retries, signing
from messaging.domain.webhooks.events import WebhookEventType
from messaging.models import WebhookAttempt, WebhookDelivery, WebhookEndpoint
from messaging.outbound_webhooks import transport
from messaging.outbound_webhooks.addresses import WebhookUrlRefused, checked_target
from messaging.outbound_webhooks.endpoints import signing_secrets, webhook_endpoint_disable
from tenants import crypto
from tenants.selectors import tenant_for_schema

Status = WebhookDelivery.Status


@dataclass(frozen=True)
class Sent:
    answer: transport.Answer
    address: str
    started_at: datetime


def _claim(delivery_id: int, now: datetime) -> uuid.UUID | None:
    token = uuid.uuid4()
    claimed = WebhookDelivery.objects.filter(
        pk=delivery_id, status__in=[Status.PENDING, Status.FAILED], next_attempt_at__lte=now
    ).update(status=Status.SENDING, claim_token=token, sending_at=now, attempts=F("attempts") + 1)
    return token if claimed else None


def webhook_delivery_attempt(*, delivery_id: int, schema_name: str) -> str:
    """Make the next attempt at a delivery of the current tenant (`schema_name`) if it is due and nobody else is
    making it; returns its status afterwards, or "skipped"."""
    token = _claim(delivery_id, timezone.now())
    if token is None:
        return "skipped"
    delivery = WebhookDelivery.objects.select_related("endpoint").filter(pk=delivery_id).first()
    if delivery is None:  # its endpoint was deleted meanwhile
        return "skipped"
    if not delivery.endpoint.enabled and delivery.event_type != WebhookEventType.TEST:
        WebhookDelivery.objects.filter(pk=delivery_id, claim_token=token).update(
            status=Status.GIVEN_UP, claim_token=None, next_attempt_at=None, attempts=F("attempts") - 1,
            completed_at=timezone.now(), last_error="the endpoint is disabled",
        )  # fmt: skip
        return Status.GIVEN_UP
    sent = _send(delivery)
    return _record(delivery, token, sent, schema_name=schema_name)


def _send(delivery: WebhookDelivery) -> Sent:
    endpoint = delivery.endpoint
    started = timezone.now()
    try:
        target, address = checked_target(endpoint.url)
    except WebhookUrlRefused as exc:
        return Sent(transport.Answer(status=None, error=exc.message[:300]), "", started)
    try:
        secrets = signing_secrets(endpoint, now=started)
    except crypto.SecretUnreadable as exc:
        return Sent(transport.Answer(status=None, error=str(exc)[:300]), address, started)
    body = delivery.body.encode()
    headers = {
        "Content-Type": "application/json",
        signing.SIGNATURE_HEADER: signing.signature_header(
            secrets=secrets, timestamp=int(timezone.now().timestamp()), body=body
        ),
        signing.EVENT_ID_HEADER: str(delivery.event_id),
        signing.EVENT_TYPE_HEADER: delivery.event_type,
    }
    answer = transport.post(
        target=target,
        address=address,
        body=body,
        headers=headers,
        timeout=settings.WEBHOOK_TIMEOUT_SECONDS,
        ca_certs=settings.WEBHOOK_CA_BUNDLE,
    )
    return Sent(answer, address, started)


def _error(answer: transport.Answer) -> str:
    if answer.error or answer.succeeded:
        return answer.error
    if answer.status is not None and 300 <= answer.status < 400:
        return f"answered {answer.status}; redirects are not followed"
    return f"answered {answer.status}"


def _record(delivery: WebhookDelivery, token: uuid.UUID, sent: Sent, *, schema_name: str) -> str:
    answer, now = sent.answer, timezone.now()
    is_test = delivery.event_type == WebhookEventType.TEST
    next_attempt_at, completed_at = None, now
    if answer.succeeded:
        status = Status.SUCCEEDED
    else:
        plan = retries.retry_after_attempt(
            attempts=delivery.attempts,
            jitter=random.random(),
            retry_after_seconds=retries.retry_after_header(answer.retry_after),
        )
        status = Status.GIVEN_UP if plan.give_up or is_test else Status.FAILED
        if status == Status.FAILED:
            next_attempt_at, completed_at = now + timedelta(seconds=plan.delay_seconds), None
    error = _error(answer)
    with transaction.atomic():
        recorded = WebhookDelivery.objects.filter(pk=delivery.pk, claim_token=token).update(
            status=status, claim_token=None, next_attempt_at=next_attempt_at, completed_at=completed_at,
            last_attempt_at=sent.started_at, last_response_status=answer.status, last_response_body=answer.body,
            last_latency_ms=answer.latency_ms, last_error=error,
        )  # fmt: skip
        # a claim the sweep took back after the lease still logs its attempt; a deleted delivery does not
        if recorded or WebhookDelivery.objects.filter(pk=delivery.pk).exists():
            WebhookAttempt.objects.create(
                delivery=delivery, number=delivery.attempts, started_at=sent.started_at, url=delivery.endpoint.url,
                address=sent.address, response_status=answer.status, response_body=answer.body,
                latency_ms=answer.latency_ms, error=error, succeeded=answer.succeeded,
            )  # fmt: skip
        if recorded and not is_test:
            disabled = _endpoint_outcome(
                delivery.endpoint, succeeded=answer.succeeded, error=error, now=now, schema=schema_name
            )
            status = Status.GIVEN_UP if disabled else status  # disabling gave up what was waiting, this one too
    return status


def _endpoint_outcome(endpoint: WebhookEndpoint, *, succeeded: bool, error: str, now: datetime, schema: str) -> bool:
    """Keep the endpoint's run of failures: reset by a success, counted by a failure, and the endpoint disabled
    (True) when the run is long enough. A success writes the row only when there is something to reset (or once a
    minute), so a busy, healthy endpoint does not become a hot row."""
    endpoints = WebhookEndpoint.objects.filter(pk=endpoint.pk)
    if succeeded:
        stale = now - timedelta(minutes=1)
        endpoints.filter(
            Q(consecutive_failures__gt=0) | Q(last_success_at__isnull=True) | Q(last_success_at__lt=stale)
        ).update(consecutive_failures=0, failing_since=None, last_success_at=now)
        return False
    endpoints.update(
        consecutive_failures=F("consecutive_failures") + 1, failing_since=Coalesce("failing_since", Value(now))
    )
    failures, since, enabled = endpoints.values_list("consecutive_failures", "failing_since", "enabled").get()
    if not enabled or not retries.should_disable(consecutive_failures=failures, failing_since=since, now=now):
        return False
    hours = (now - since).total_seconds() / 3600
    return webhook_endpoint_disable(
        tenant=tenant_for_schema(schema),
        endpoint=endpoint,
        reason=f"the last {failures} attempts failed, over {hours:.0f} hours",
        notify=True,
        last_error=error,
        actor_label="system",
        now=now,
    )
