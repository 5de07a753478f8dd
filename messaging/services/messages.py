"""Messages: created as rows first, then queued for the dispatch engine; canceled while they have not left.

`message_send` checks everything that can be checked before Twilio (the tenant may send, the sender may send, the
number, the media, the size, the daily cap), stores the message and its first event, and once the transaction
commits puts it in its sender's lane and wakes the engine. If Redis cannot take it then, the message is not lost:
the sweeper puts every queued message back in its lane.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from datetime import datetime, timedelta

from django.core.cache import cache
from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import URLValidator
from django.db import connection, transaction
from django.utils import timezone

from compliance.domain import registration
from compliance.domain.rules import Category, Severity
from compliance.errors import ComplianceBlocked
from messaging.catalogue.selectors import current_catalogue
from messaging.dispatch import drain, redis_index
from messaging.dispatch.sending import pace_of
from messaging.domain.segments import MAX_BODY_CHARACTERS, count_segments
from messaging.errors import (
    DailyCapReached,
    MessageNotCancelable,
    MessagingValidationError,
    SenderNotReady,
    UnprocessableInput,
)
from messaging.gateways.base import MAX_MEDIA_URLS, MAX_VALIDITY_PERIOD_SECONDS
from messaging.models import Contact, Message, MessageEvent, Sender, SenderPool
from messaging.services import rules
from messaging.services.contacts import normalize_phone_number
from messaging.services.links import links_prepare, links_preview
from messaging.services.senders import pool_pick_sender
from messaging.services.sending import sending_credentials
from messaging.services.sequence_events import sequence_message_settled
from tenants.models import Tenant

logger = logging.getLogger(__name__)

MAX_SCHEDULE_AHEAD = timedelta(days=35)
_https = URLValidator(schemes=["https"])


def message_send(
    *,
    tenant: Tenant,
    to: str,
    body: str = "",
    media_urls: Sequence[str] = (),
    sender: Sender | None = None,
    pool: SenderPool | None = None,
    validity_period: int | None = None,
    send_at: datetime | None = None,
    lane: str = Message.Lane.PRIORITY,
    source: str = Message.Source.API,
    category: str = Category.TRANSACTIONAL,
    track_links: bool = False,
    now: datetime | None = None,
) -> Message:
    """Store an outbound message and queue it for its sender; refuses, naming the field, what cannot be sent, and
    with every finding what a compliance rule blocks. A deferring rule schedules it for the minute it allows.
    With `track_links`, the body's URLs become short links of the message (its id is the recipient ref); sizes and
    rules are checked on the body as it leaves."""
    now = now or timezone.now()
    sending_credentials(tenant=tenant)  # a suspended or closed tenant is refused before anything is stored
    to_e164, country = normalize_phone_number(to, default_country=tenant.default_country, field="to")
    preview = links_preview(tenant=tenant, body=body) if track_links else None
    tracked = preview is not None and preview.tracked
    checked_body = preview.sample() if tracked else body  # what leaves has exactly the sample's length
    report = _checked_content(checked_body, media_urls)
    _check_validity(validity_period)
    _check_send_at(send_at, now)
    chosen = _chosen_sender(sender=sender, pool=pool, to=to_e164, country=country)
    registered = registration.sending_verdict(chosen.kind, chosen.registration_state)
    if not registered.allowed:
        field = "pool" if pool else "sender"
        raise SenderNotReady(f"{chosen.address} cannot send yet: {registered.reason}", field=field)
    contact = Contact.objects.filter(phone_number=to_e164).first()
    leaves = max(send_at or now, now)
    verdict = rules.check(
        tenant=tenant,
        to=to_e164,
        body=checked_body,
        segments=report.segments if body else 0,
        category=category,
        sender=chosen,
        pool_id=pool.pk if pool else None,
        contact_zone=rules.contact_zone(contact),
        now=leaves,
        unsendable_reason=rules.contact_unsendable(contact),
    )
    if verdict.blocked:
        raise ComplianceBlocked(verdict.findings)
    send_at = verdict.send_at if verdict.send_at > now or send_at is not None else None
    scheduled = send_at is not None and send_at > now
    with transaction.atomic():
        _count_against_daily_cap(tenant, now)
        message_id = _next_message_id() if tracked else None
        if message_id is not None:
            prepared = links_prepare(tenant=tenant, body=body, owner_kind="message", owner_id=message_id)
            body = prepared.render(message_id)
        message = Message.objects.create(
            id=message_id,
            direction=Message.Direction.OUTBOUND,
            source=source,
            status=Message.Status.SCHEDULED if scheduled else Message.Status.QUEUED,
            to=to_e164,
            from_address=chosen.address,
            sender=chosen,
            pool=pool,
            contact=contact,
            body=body,
            media_urls=list(media_urls),
            encoding=report.encoding if body else "",
            segments=report.segments if body else 0,
            lane=lane,
            category=category,
            compliance=[finding.as_dict() for finding in verdict.findings],
            validity_period=validity_period,
            send_at=send_at,
            queued_at=None if scheduled else now,
        )
        MessageEvent.objects.create(
            message=message,
            kind=MessageEvent.Kind.CREATED,
            status=message.status,
            detail=f"from {chosen.address}" + (f", to leave at {send_at.isoformat()}" if scheduled else ""),
        )
        if verdict.deferred:
            MessageEvent.objects.create(
                message=message,
                kind=MessageEvent.Kind.DEFERRED,
                status=message.status,
                detail=_deferrals(verdict)[:300],
            )
        schema = connection.schema_name
        transaction.on_commit(lambda: enqueue(schema, [message]))
    return message


def _next_message_id() -> int:
    """A message id taken before its row is written, so that its short links can carry it."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT nextval(pg_get_serial_sequence('messaging_message', 'id'))")
        return cursor.fetchone()[0]


def _deferrals(verdict) -> str:
    return "; ".join(f"{f.rule}: {f.message}" for f in verdict.of(Severity.DEFER))


def sender_test_send(*, tenant: Tenant, sender: Sender, to: str, body: str) -> Message:
    """Queue one message from `sender` to `to` through the engine, to check a sender end to end; the same checks as
    any message (the tenant may send, the sender's registration allows it), and the body must not be blank."""
    if not body.strip():
        raise MessagingValidationError("body must not be blank", field="body")
    return message_send(tenant=tenant, to=to, body=body, sender=sender, source=Message.Source.TEST)


def message_content_check(*, body: str, media_urls: Sequence[str]) -> None:
    """Refuse, naming the field (`body`, `media_urls[i]`), content no message may have; for callers that check
    content before they store anything (the parts of a sequence)."""
    _checked_content(body, media_urls)


def _checked_content(body: str, media_urls: Sequence[str]):
    if not body and not media_urls:
        raise UnprocessableInput("give a body, media URLs, or both", field="body")
    report = count_segments(body, allow_empty=True)  # a media-only message has no text: 0 segments of it
    if report.characters > MAX_BODY_CHARACTERS:
        raise UnprocessableInput(
            f"body is {report.characters:,} characters; Twilio takes at most {MAX_BODY_CHARACTERS:,}", field="body"
        )
    if len(media_urls) > MAX_MEDIA_URLS:
        raise MessagingValidationError(f"at most {MAX_MEDIA_URLS} media URLs per message", field="media_urls")
    for index, url in enumerate(media_urls):
        try:
            _https(url)
        except DjangoValidationError as exc:
            raise UnprocessableInput(
                f"{url!r} is not an https URL Twilio can fetch", field=f"media_urls[{index}]"
            ) from exc
    return report


def _check_validity(validity_period: int | None) -> None:
    if validity_period is not None and not 1 <= validity_period <= MAX_VALIDITY_PERIOD_SECONDS:
        raise MessagingValidationError(
            f"validity_period must be between 1 and {MAX_VALIDITY_PERIOD_SECONDS:,} seconds", field="validity_period"
        )


def _check_send_at(send_at: datetime | None, now: datetime) -> None:
    if send_at is None:
        return
    if timezone.is_naive(send_at):
        raise MessagingValidationError("send_at needs a time zone, e.g. 2026-12-24T09:00:00Z", field="send_at")
    if send_at > now + MAX_SCHEDULE_AHEAD:
        raise UnprocessableInput("send_at must be within 35 days", field="send_at")


def _chosen_sender(*, sender: Sender | None, pool: SenderPool | None, to: str, country: str) -> Sender:
    if (sender is None) == (pool is None):
        raise UnprocessableInput("give either a sender or a pool", field="sender")
    if sender is not None:
        return sender
    chosen, _reason = pool_pick_sender(
        pool=pool, phone_number=to, country=country, alphanumeric_countries=current_catalogue().alphanumeric_countries
    )
    return chosen


def _count_against_daily_cap(tenant: Tenant, now: datetime) -> None:
    """Count one message against the tenant's cap for this UTC day; DailyCapReached beyond it."""
    cap = tenant.limits.daily_message_cap if hasattr(tenant, "limits") else 0
    if not cap:
        return
    key = f"daily-messages:{tenant.schema_name}:{now:%Y-%m-%d}"
    try:
        count = cache.incr(key)
    except ValueError:  # the day's first message (in this cache)
        count = 1 if cache.add(key, 1, timeout=2 * 86_400) else cache.incr(key)
    if count > cap:
        cache.decr(key)
        raise DailyCapReached(f"the daily cap of {cap:,} messages is reached; it resets at 00:00 UTC", field=None)


def enqueue(schema: str, messages: Sequence[Message]) -> None:
    """Put committed messages in their senders' lanes and wake the engine; Redis trouble only delays them."""
    try:
        redis_index.push(
            redis_index.Entry(
                schema=schema,
                sender_id=message.sender_id,
                message_id=message.pk,
                segments=message.segments,
                lane=message.lane,
                due=message.send_at or message.created_at,
                interval_us=pace_of(message.sender.mps),
            )
            for message in messages
        )
        drain.wake()
    except Exception:  # Redis down: the sweeper puts queued messages back in their lanes
        logger.warning("could not queue %d message(s) of %s in Redis; the sweeper will", len(messages), schema)


CANCEL = """
UPDATE messaging_message SET status = 'canceled', canceled_at = %(now)s
WHERE id = %(id)s AND status IN ('queued', 'scheduled', 'held')
"""


def message_cancel(*, message: Message, actor_label: str = "") -> Message:
    """Cancel a message that has not left: it never will. MessageNotCancelable once a worker has claimed it."""
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute(CANCEL, {"id": message.pk, "now": timezone.now()})
            canceled = cursor.rowcount == 1
        message.refresh_from_db()
        if not canceled:
            raise MessageNotCancelable(
                f"message {message.uuid} is {message.status}: only a queued or scheduled message can be canceled",
                field="status",
            )
        MessageEvent.objects.create(
            message=message, kind=MessageEvent.Kind.CANCELED, status="canceled", detail=f"canceled by {actor_label}"
        )
        sequence_message_settled(message_id=message.pk)
        schema = connection.schema_name
        transaction.on_commit(lambda: _unindex(schema, message))
    return message


def _unindex(schema: str, message: Message) -> None:
    try:
        redis_index.remove(schema=schema, sender_id=message.sender_id, message_id=message.pk, segments=message.segments)
    except Exception:  # the engine finds it canceled and drops it anyway
        logger.warning("could not take canceled message %s of %s out of its lane", message.pk, schema)
