"""The messaging side of the pre-send rules: what a message is, in the terms the compliance check takes.

Every outbound message is checked by `compliance.services.checks` when it is created and again just before it
leaves; this module gathers what only the messaging tables know (the sender and its pools, the contact's zone, the
recipient's recent marketing) and records what Twilio's 21610 means for the register.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta

from django.contrib.postgres.aggregates import ArrayAgg
from django.db.models import Q

from compliance.domain.rules import Category, Verdict
from compliance.models import OptOutEvent
from compliance.services.checks import Outbound, message_check
from compliance.services.inbound import sender_scopes
from compliance.services.register import opt_out_record
from compliance.services.settings import settings_get
from messaging.catalogue.selectors import current_catalogue
from messaging.domain.segments import count_segments
from messaging.errors import UnprocessableInput
from messaging.models import Contact, Message, Sender, SenderPool
from messaging.services.contacts import normalize_phone_number
from messaging.services.senders import pool_pick_sender
from tenants.models import Tenant

MARKETING_MEMORY = timedelta(days=7)  # the longest cap period the rules know (Brazil: 7 a week)
COUNTED = ["scheduled", "queued", "sending", "accepted", "sent", "delivered", "read", "undelivered"]


def scopes_of(sender: Sender, pool_id: int | None = None) -> tuple[str, ...]:
    """The opt-out scopes a message from `sender` (picked from pool `pool_id`) falls under, besides the tenant."""
    pools = set(sender.pools.values_list("id", flat=True))
    if pool_id is not None:
        pools.add(pool_id)
    return sender_scopes(sender.address, sorted(pools))


NO_MARKETING: tuple[bool, tuple[datetime, ...]] = (True, ())  # a number no marketing message has gone to


def marketing_history(to: str, now: datetime, *, exclude_id: int | None = None) -> tuple[bool, tuple[datetime, ...]]:
    """Whether no marketing message has gone to `to` yet, and when the recent ones were created (oldest first)."""
    return marketing_histories([to], now, exclude_id=exclude_id).get(to, NO_MARKETING)


def marketing_histories(
    numbers: Sequence[str], now: datetime, *, exclude_id: int | None = None
) -> dict[str, tuple[bool, tuple[datetime, ...]]]:
    """`marketing_history` of many numbers in one query: (first, recent) per number that has had a marketing
    message (`exclude_id` not counted); the others are `NO_MARKETING`."""
    recent_window = Q(created_at__gt=now - MARKETING_MEMORY, created_at__lte=now)
    marketing = Message.objects.filter(
        direction=Message.Direction.OUTBOUND, to__in=list(numbers), category=Category.MARKETING, status__in=COUNTED
    )
    if exclude_id is not None:
        marketing = marketing.exclude(pk=exclude_id)
    rows = (
        marketing.order_by()
        .values("to")
        .annotate(recent=ArrayAgg("created_at", filter=recent_window, order_by="created_at", default=[]))
        .values_list("to", "recent")
    )
    return {to: (False, tuple(recent)) for to, recent in rows}


def check(
    *,
    tenant: Tenant,
    to: str,
    body: str,
    segments: int,
    category: str,
    sender: Sender,
    pool_id: int | None,
    contact_zone: str,
    now: datetime,
    message_id: int | None = None,
    unsendable_reason: str = "",
) -> Verdict:
    """The compliance verdict of one message from `sender` to `to` at `now`."""
    first, recent = (False, ())
    if category == Category.MARKETING:
        first, recent = marketing_history(to, now, exclude_id=message_id)
    outbound = Outbound(
        to=to,
        category=category,
        body=body,
        segments=segments,
        sender_kind=sender.kind,
        sender_registration=sender.registration_state,
        scopes=scopes_of(sender, pool_id),
        alphanumeric_countries=_alphanumeric_countries(sender.kind),
        contact_zone=contact_zone,
        first_marketing=first,
        recent_marketing=recent,
    )
    return message_check(tenant=tenant, outbound=outbound, now=now)


def preview(
    *,
    tenant: Tenant,
    to: str,
    body: str,
    category: str,
    sender: Sender | None,
    pool: SenderPool | None,
    now: datetime,
) -> tuple[str, Sender, Verdict]:
    """What the rules would say of a message not sent: the recipient in E.164, the sender it would leave from (a
    pool's pick is not remembered) and the verdict. Nothing is stored."""
    to_e164, country = normalize_phone_number(to, default_country=tenant.default_country, field="to")
    if (sender is None) == (pool is None):
        raise UnprocessableInput("give either a sender or a pool", field="sender")
    if pool is not None:
        sender, _ = pool_pick_sender(
            pool=pool,
            phone_number=to_e164,
            country=country,
            alphanumeric_countries=current_catalogue().alphanumeric_countries,
            remember=False,
        )
    contact = Contact.objects.filter(phone_number=to_e164).first()
    verdict = check(
        tenant=tenant,
        to=to_e164,
        body=body,
        segments=count_segments(body).segments if body else 0,
        category=category,
        sender=sender,
        pool_id=pool.pk if pool else None,
        contact_zone=contact_zone(contact),
        now=now,
        unsendable_reason=contact_unsendable(contact),
    )
    return to_e164, sender, verdict


def _alphanumeric_countries(kind: str) -> frozenset[str]:
    if kind != Sender.Kind.ALPHANUMERIC:
        return frozenset()  # asked only of alphanumeric senders; the catalogue is three queries
    return current_catalogue().alphanumeric_countries


def contact_zone(contact: Contact | None) -> str:
    return contact.time_zone if contact is not None else ""


def contact_unsendable(contact: Contact | None) -> str:
    """Why the contact may not be sent to, when the tenant or a Lookup marked it so; "" otherwise."""
    if contact is None or contact.status != Contact.Status.UNSENDABLE:
        return ""
    return contact.unsendable_reason


def opted_out_at_twilio(*, tenant: Tenant, to: str, sender: Sender, pool_id: int | None, sid: str, detail: str) -> None:
    """Twilio refused a send (or a callback reported) 21610: the recipient opted out there; record it here too, for
    the scope the tenant's settings give a keyword opt-out on that sender."""
    settings = settings_get(tenant=tenant)
    scopes = ("tenant",) if settings.opt_out_scope == "tenant" else scopes_of(sender, pool_id)
    opt_out_record(
        tenant=tenant,
        number=to,
        scopes=scopes,
        source=OptOutEvent.Source.TWILIO,
        actor_label="twilio",
        message_sid=sid,
        evidence=detail[:500],
    )
