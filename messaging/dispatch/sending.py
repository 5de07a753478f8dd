"""One message through the engine: claim it, send it, record what Twilio said; retry, fail or reconcile.

Every write here is one SQL statement with the state in its WHERE clause written as a literal (reference/engine.md
§3): the claim moves `queued` → `sending` only if still queued, so a message taken twice (a redelivered wake-up, two
workers, a rebuilt index) is claimed once; the record of Twilio's answer only applies for the claim that asked.
"""

from __future__ import annotations

import logging
import random
import threading
import time
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from compliance.domain.rules import Severity, Verdict
from messaging.dispatch import redis_index
from messaging.domain import backoff
from messaging.domain.failures import FailureReason, reason_for
from messaging.domain.pacing import interval_for
from messaging.domain.reconcile import Candidate, reconcile
from messaging.domain.webhooks.events import WebhookEventType
from messaging.gateways import get_gateway
from messaging.gateways.base import Credentials, OutboundMessage, SendResult
from messaging.gateways.errors import (
    ERROR_TABLE,
    GatewayError,
    MisconfiguredError,
    OptedOutError,
    OutcomeUnknownError,
    RetryableError,
)
from messaging.models import Contact, Message, MessageEvent, Sender
from messaging.outbound_webhooks.publish import message_webhook_publish
from messaging.services import rules
from messaging.services.sequence_events import sequence_message_settled
from messaging.webhooks.addresses import status_callback_url
from tenants.models import Tenant
from tenants.selectors import subaccount_auth

logger = logging.getLogger(__name__)

TENANT_CACHE_SECONDS = 1.0  # a suspension stops sends within a second


# --- the tenant, as the engine sees it ----------------------------------------------------------------------


@dataclass(frozen=True)
class SendingTenant:
    schema: str
    slug: str
    may_send: bool
    credentials: Credentials | None
    dispatch_share: Decimal
    tenant: Tenant


_tenants: dict[str, tuple[float, SendingTenant]] = {}
_tenants_lock = threading.Lock()


def sending_tenant(schema: str) -> SendingTenant:
    """The tenant of a schema as the engine needs it, read at most once a second per process."""
    now = time.monotonic()
    with _tenants_lock:
        cached = _tenants.get(schema)
        if cached and now - cached[0] < TENANT_CACHE_SECONDS:
            return cached[1]
    tenant = Tenant.objects.select_related("limits").get(schema_name=schema)
    auth = subaccount_auth(tenant)
    limits = getattr(tenant, "limits", None)
    found = SendingTenant(
        schema=schema,
        slug=tenant.slug,
        may_send=tenant.status == Tenant.Status.ACTIVE and auth is not None,
        credentials=Credentials(*auth) if auth else None,
        dispatch_share=limits.dispatch_share if limits is not None else Decimal(1),
        tenant=tenant,
    )
    with _tenants_lock:
        _tenants[schema] = (now, found)
    return found


def forget_tenant(schema: str) -> None:
    """Drop the cached view of a tenant (its status or subaccount just changed)."""
    with _tenants_lock:
        _tenants.pop(schema, None)


# --- claim ----------------------------------------------------------------------------------------------------

CLAIM = """
UPDATE messaging_message AS m
SET status = 'sending', claim_token = %(token)s, sending_at = %(now)s, attempts = m.attempts + 1
FROM messaging_sender AS s
WHERE m.id = %(id)s AND m.status IN ('queued', 'scheduled') AND (m.send_at IS NULL OR m.send_at <= %(now)s)
  AND s.id = m.sender_id AND NOT s.paused
RETURNING m.uuid, m.to, m.body, m.media_urls, m.validity_period, m.created_at, m.attempts, m.segments, m.lane,
          s.id, s.kind, s.address, s.mps, m.category, m.pool_id, s.registration_state, m.contact_id
"""


@dataclass(frozen=True)
class Claimed:
    id: int
    uuid: uuid.UUID
    token: uuid.UUID
    to: str
    body: str
    media_urls: list[str]
    validity_period: int | None
    created_at: datetime
    attempts: int
    segments: int
    lane: str
    sender_id: int
    sender_kind: str
    sender_address: str
    sender_mps: Decimal
    category: str = "transactional"
    pool_id: int | None = None
    sender_registration: str = ""
    contact_id: int | None = None


def claim(message_id: int) -> Claimed | None:
    """Move the message from queued to sending for this worker; None when it is not ours to send now."""
    token = uuid.uuid4()
    with connection.cursor() as cursor:
        cursor.execute(CLAIM, {"token": token, "id": message_id, "now": timezone.now()})
        row = cursor.fetchone()
    if row is None:
        return None
    (message_uuid, to, body, media, validity, created, attempts, segments, lane, sender_id, kind, address, mps,
     category, pool_id, registration_state, contact_id) = row  # fmt: skip
    return Claimed(
        message_id, message_uuid, token, to, body, media or [], validity, created, attempts, segments, lane,
        sender_id, kind, address, mps, category, pool_id, registration_state, contact_id,
    )  # fmt: skip


def claimed_of(message: Message) -> Claimed:
    """The claim a message in `sending` holds (for the sweeper, which resolves claims whose worker died)."""
    return Claimed(
        message.pk, message.uuid, message.claim_token, message.to, message.body, message.media_urls,
        message.validity_period, message.created_at, message.attempts, message.segments, message.lane,
        message.sender_id, message.sender.kind, message.sender.address, message.sender.mps, message.category,
        message.pool_id, message.sender.registration_state, message.contact_id,
    )  # fmt: skip


# --- the path of one message --------------------------------------------------------------------------------


def process(schema: str, message_id: int) -> str:
    """Send one message taken from its lane, in the current schema (`schema`); returns what became of it."""
    tenant = sending_tenant(schema)
    if not tenant.may_send:
        return _requeue_unclaimed(schema, message_id, reason="held: the tenant may not send")
    claimed = claim(message_id)
    if claimed is None:
        return _requeue_unclaimed(schema, message_id, reason="not claimable now")
    _event(claimed.id, MessageEvent.Kind.CLAIMED, "sending", detail=f"attempt {claimed.attempts}")
    verdict = _last_check(tenant, claimed)
    if verdict.blocked:
        return _blocked(claimed, verdict)
    if verdict.send_at > timezone.now():
        return _deferred(schema, claimed, verdict)
    expires = _remaining_validity(claimed)
    if expires is not None and expires <= 0:
        return _fail(claimed, FailureReason.EXPIRED, None, "the validity period ran out before the message could leave")
    message = OutboundMessage(
        to=claimed.to,
        body=claimed.body,
        media_urls=tuple(claimed.media_urls),
        status_callback=status_callback_url(claimed.uuid),
        validity_period=expires,
        **_sender_argument(claimed),
    )
    try:
        result = get_gateway().send(tenant.credentials, message)
    except OutcomeUnknownError as exc:
        return _outcome_unknown(schema, claimed, tenant.credentials, exc)
    except GatewayError as exc:
        return _refused(schema, claimed, exc, tenant.tenant)
    return _accepted(claimed, result)


# --- the rules, once more just before the send ----------------------------------------------------------------


def _sender_of(claimed: Claimed) -> Sender:
    return Sender(id=claimed.sender_id, kind=claimed.sender_kind, address=claimed.sender_address,
                  registration_state=claimed.sender_registration)  # fmt: skip


def _last_check(tenant: SendingTenant, claimed: Claimed) -> Verdict:
    """The compliance verdict now: an opt-out, a suspended registration or the hours may have changed since."""
    sender = _sender_of(claimed)
    zone = Contact.objects.filter(pk=claimed.contact_id).first() if claimed.contact_id else None
    return rules.check(
        tenant=tenant.tenant, to=claimed.to, body=claimed.body, segments=claimed.segments, category=claimed.category,
        sender=sender, pool_id=claimed.pool_id, contact_zone=rules.contact_zone(zone), now=timezone.now(),
        unsendable_reason=rules.contact_unsendable(zone),
        message_id=claimed.id,
    )  # fmt: skip


def _blocked(claimed: Claimed, verdict: Verdict) -> str:
    blocks = verdict.of(Severity.BLOCK)
    reason = FailureReason.OPTED_OUT if any(f.rule == "OPT-01" for f in blocks) else FailureReason.COMPLIANCE
    return _fail(claimed, reason, None, "; ".join(f"{f.rule}: {f.message}" for f in blocks))


DEFER = """
UPDATE messaging_message SET status = 'scheduled', send_at = %(at)s, claim_token = NULL, attempts = attempts - 1
WHERE id = %(id)s AND claim_token = %(token)s
"""


def _deferred(schema: str, claimed: Claimed, verdict: Verdict) -> str:
    with connection.cursor() as cursor:
        cursor.execute(DEFER, {"at": verdict.send_at, "id": claimed.id, "token": claimed.token})
    detail = "; ".join(f"{f.rule}: {f.message}" for f in verdict.of(Severity.DEFER))
    _event(claimed.id, MessageEvent.Kind.DEFERRED, "scheduled", detail=detail[:300])
    requeue(schema, claimed.id, claimed.sender_id, claimed.segments, claimed.lane, verdict.send_at, claimed.sender_mps)
    return "deferred"


def _sender_argument(claimed: Claimed) -> dict[str, str]:
    if claimed.sender_kind == Sender.Kind.MESSAGING_SERVICE:
        return {"messaging_service_sid": claimed.sender_address}
    return {"from_": claimed.sender_address}


def _remaining_validity(claimed: Claimed) -> int | None:
    if claimed.validity_period is None:
        return None
    waited = (timezone.now() - claimed.created_at).total_seconds()
    return int(claimed.validity_period - waited)


ACCEPT = """
UPDATE messaging_message SET
  status = CASE WHEN status = 'sending' THEN 'accepted' ELSE status END,
  provider_status = CASE WHEN status = 'sending' THEN %(provider_status)s ELSE provider_status END,
  twilio_sid = COALESCE(twilio_sid, %(sid)s),
  accepted_at = COALESCE(accepted_at, %(now)s),
  from_address = COALESCE(NULLIF(%(from_address)s, ''), from_address),
  segments = CASE WHEN %(segments)s > 0 THEN %(segments)s ELSE segments END,
  price = COALESCE(%(price)s, price),
  price_unit = COALESCE(NULLIF(%(price_unit)s, ''), price_unit),
  claim_token = NULL
WHERE id = %(id)s AND claim_token = %(token)s
"""


def _accepted(claimed: Claimed, result: SendResult) -> str:
    adopt(claimed, sid=result.sid, provider_status=result.status, from_address=result.from_ or "",
          segments=result.num_segments, price=result.price, price_unit=result.price_unit or "")  # fmt: skip
    return "accepted"


def adopt(
    claimed: Claimed,
    *,
    sid: str,
    provider_status: str,
    from_address: str = "",
    segments: int = 0,
    price: Decimal | None = None,
    price_unit: str = "",
    detail: str = "",
) -> None:
    """Record that Twilio has the message under `sid` (its answer, or what reconciliation found)."""
    with connection.cursor() as cursor:
        cursor.execute(
            ACCEPT,
            {
                "provider_status": provider_status,
                "sid": sid,
                "from_address": from_address,
                "segments": segments,
                "price": price,
                "price_unit": price_unit,
                "id": claimed.id,
                "token": claimed.token,
                "now": timezone.now(),
            },
        )
    _event(claimed.id, MessageEvent.Kind.ACCEPTED, "accepted", provider_status=provider_status,
           detail=detail or f"Twilio accepted it as {sid}", payload={"sid": sid})  # fmt: skip


def _refused(schema: str, claimed: Claimed, exc: GatewayError, tenant: Tenant) -> str:
    if isinstance(exc, RetryableError):
        return _retry(schema, claimed, exc)
    if isinstance(exc, OptedOutError):
        with transaction.atomic():
            outcome = _fail(claimed, FailureReason.OPTED_OUT, exc.code, str(exc))
            rules.opted_out_at_twilio(
                tenant=tenant, to=claimed.to, sender=_sender_of(claimed), pool_id=claimed.pool_id, sid="",
                detail=f"Twilio refused message {claimed.uuid} with {exc.code}: {exc}",
            )  # fmt: skip
        return outcome
    reason = reason_for(exc.code, "misconfigured" if isinstance(exc, MisconfiguredError) else "permanent")
    return _fail(claimed, reason, exc.code, str(exc))


RETRY = """
UPDATE messaging_message SET status = 'queued', claim_token = NULL, next_attempt_at = %(at)s, queued_at = %(now)s
WHERE id = %(id)s AND claim_token = %(token)s
"""


def _retry(schema: str, claimed: Claimed, exc: GatewayError) -> str:
    plan = backoff.retry_after_failure(
        attempts=claimed.attempts, jitter=random.random(), retry_after_seconds=_retry_after(exc)
    )
    if plan.give_up:
        return _fail(
            claimed, FailureReason.PROVIDER_ERROR, exc.code, f"gave up after {claimed.attempts} attempts: {exc}"
        )
    at = timezone.now() + timedelta(seconds=plan.delay_seconds)
    with connection.cursor() as cursor:
        cursor.execute(RETRY, {"at": at, "id": claimed.id, "token": claimed.token, "now": timezone.now()})
    _event(claimed.id, MessageEvent.Kind.RETRY, "queued", error_code=exc.code,
           detail=f"{exc}; trying again in {plan.delay_seconds:.1f} s")  # fmt: skip
    requeue(schema, claimed.id, claimed.sender_id, claimed.segments, claimed.lane, at, claimed.sender_mps)
    return "retry"


def _retry_after(exc: GatewayError) -> float | None:
    info = ERROR_TABLE.get(exc.code) if exc.code is not None else None
    return float(info.retry_after_seconds) if info and info.retry_after_seconds else None


FAIL = """
UPDATE messaging_message SET status = 'failed', claim_token = NULL, failed_at = %(now)s, failure_reason = %(reason)s,
  error_code = %(code)s, error_message = %(detail)s
WHERE id = %(id)s AND claim_token = %(token)s
"""


def _fail(claimed: Claimed, reason: FailureReason, code: int | None, detail: str) -> str:
    now = timezone.now()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            FAIL,
            {
                "reason": reason.value,
                "code": code,
                "detail": detail[:300],
                "id": claimed.id,
                "token": claimed.token,
                "now": now,
            },
        )
        failed_now = cursor.rowcount == 1
        detail = f"{reason.value}: {detail}"[:300]
        _event(claimed.id, MessageEvent.Kind.FAILED, "failed", error_code=code, detail=detail)
        if failed_now:  # the claim was still ours: tell the tenant's webhook endpoints, once
            message_webhook_publish(event_type=WebhookEventType.FAILED, message_id=claimed.id, occurred_at=now)
            sequence_message_settled(message_id=claimed.id)  # no callback will come for it
    return "failed"


# --- an outcome Twilio did not tell us --------------------------------------------------------------------------


def _outcome_unknown(schema: str, claimed: Claimed, credentials: Credentials, exc: GatewayError) -> str:
    _event(claimed.id, MessageEvent.Kind.UNKNOWN, "sending", detail=f"{exc}: looking for it at Twilio"[:300])
    return resolve_unknown(schema, claimed, credentials)


LOOKED = """
UPDATE messaging_message SET reconcile_lookups = reconcile_lookups + 1 WHERE id = %(id)s RETURNING reconcile_lookups
"""
RESEND = """
UPDATE messaging_message SET status = 'queued', claim_token = NULL, reconcile_lookups = 0, queued_at = %(now)s
WHERE id = %(id)s AND claim_token = %(token)s
"""


def resolve_unknown(schema: str, claimed: Claimed, credentials: Credentials) -> str:
    """Look for the message at Twilio: adopt it, look again later, or, once surely never created, send again."""
    try:
        found = get_gateway().find_messages(credentials, to=claimed.to, limit=50)
    except GatewayError as exc:
        logger.warning(
            "reconciling message %s of %s: lookup failed (%s); the sweeper tries again", claimed.id, schema, exc
        )
        return "unknown"
    with connection.cursor() as cursor:
        cursor.execute(LOOKED, {"id": claimed.id})
        (lookups,) = cursor.fetchone()
    candidates = [
        Candidate(info.sid, info.to, info.from_, info.messaging_service_sid, info.body, info.date_created)
        for info in found
    ]
    taken = set(
        Message.objects.filter(twilio_sid__in=[c.sid for c in candidates])
        .exclude(pk=claimed.id)
        .values_list("twilio_sid", flat=True)
    )
    decision = reconcile(
        to=claimed.to,
        from_=None if claimed.sender_kind == Sender.Kind.MESSAGING_SERVICE else claimed.sender_address,
        messaging_service_sid=claimed.sender_address if claimed.sender_kind == Sender.Kind.MESSAGING_SERVICE else None,
        body=claimed.body,
        attempt_started_at=_attempt_started(claimed.id),
        candidates=candidates,
        taken_sids=taken,
        lookups_done=lookups,
    )
    if decision.action == "adopt":
        info = next(i for i in found if i.sid == decision.sid)
        adopt(claimed, sid=info.sid, provider_status=info.status, from_address=info.from_ or "",
              segments=info.num_segments, detail=f"reconciled: {decision.reason} ({info.sid})")  # fmt: skip
        return "reconciled"
    if decision.action == "wait":
        _event(claimed.id, MessageEvent.Kind.RECONCILED, "sending", detail=decision.reason)
        return "unknown"
    with connection.cursor() as cursor:
        cursor.execute(RESEND, {"id": claimed.id, "token": claimed.token, "now": timezone.now()})
    _event(claimed.id, MessageEvent.Kind.RECONCILED, "queued", detail=f"{decision.reason}; sending it again")
    requeue(schema, claimed.id, claimed.sender_id, claimed.segments, claimed.lane, timezone.now(), claimed.sender_mps)
    return "resend"


def _attempt_started(message_id: int) -> datetime:
    return Message.objects.filter(pk=message_id).values_list("sending_at", flat=True).get()


# --- back to the lane -----------------------------------------------------------------------------------------


def requeue(
    schema: str, message_id: int, sender_id: int, segments: int, lane: str, due: datetime, mps: Decimal
) -> None:
    """Put a message back in its lane, due at `due`."""
    redis_index.push(
        [
            redis_index.Entry(
                schema=schema,
                sender_id=sender_id,
                message_id=message_id,
                segments=segments,
                lane=lane,
                due=due,
                interval_us=pace_of(mps),
            )
        ]
    )


def pace_of(mps: Decimal) -> int:
    """Microseconds per segment for a sender at `mps`, within the configured margin."""
    return interval_for(mps, margin=settings.DISPATCH_PACING_MARGIN)


def _requeue_unclaimed(schema: str, message_id: int, *, reason: str) -> str:
    """A message taken but not claimed: still waiting (a held tenant or sender, a later send time) goes back to its
    lane for a second from now; anything else (claimed elsewhere, canceled, sent) is dropped from the index."""
    row = (
        Message.objects.filter(pk=message_id, status__in=[Message.Status.QUEUED, Message.Status.SCHEDULED])
        .select_related("sender")
        .values_list("sender_id", "segments", "lane", "send_at", "sender__mps")
        .first()
    )
    if row is None:
        return "skipped"
    sender_id, segments, lane, send_at, mps = row
    due = max(timezone.now() + timedelta(seconds=1), send_at or timezone.now())
    requeue(schema, message_id, sender_id, segments, lane, due, mps)
    logger.debug("message %s of %s put back: %s", message_id, schema, reason)
    return "held"


def _event(message_id: int, kind: str, status: str, **fields: Any) -> None:
    MessageEvent.objects.create(message_id=message_id, kind=kind, status=status, **fields)
