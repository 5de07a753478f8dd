"""Inbound messages: a handset's message to one of the tenant's senders, stored with its sender and contact.

Storing is idempotent on Twilio's MessageSid: the fallback URL, a retried webhook or a replay store it once. This is
the one inbound hook: a new message goes to the compliance app in the same transaction, so an opt-out is in the
register before the webhook answers, and the reply it asks for (a confirmation, a HELP answer) is queued in the
priority lane of the sender it reached. A new message is
published to the tenant's webhook endpoints (`message.inbound`) in the transaction that stores it.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping

from django.db import IntegrityError, transaction
from django.utils import timezone

from compliance.services.inbound import Inbound, inbound_handle
from config.errors import ServiceError
from messaging.domain.webhooks.events import WebhookEventType
from messaging.errors import MessagingValidationError
from messaging.models import Contact, Message, MessageEvent, Sender
from messaging.outbound_webhooks.publish import message_webhook_publish
from messaging.services import rules
from messaging.services.contacts import normalize_phone_number
from tenants.models import Tenant

logger = logging.getLogger(__name__)

MAX_MEDIA = 10


class MalformedInbound(ValueError):
    """An inbound webhook without what every inbound webhook carries; the message names the field."""


def message_receive(*, params: Mapping[str, str], tenant: Tenant) -> tuple[Message, bool]:
    """Store the inbound message a webhook describes (in the current schema), and act on what it means for
    compliance; returns it and whether it is new."""
    default_country = tenant.default_country
    sid = params.get("MessageSid") or params.get("SmsMessageSid") or params.get("SmsSid") or ""
    handset, our_address = params.get("From", ""), params.get("To", "")
    for name, value in (("MessageSid", sid), ("From", handset), ("To", our_address)):
        if not value:
            raise MalformedInbound(f"{name} is missing")
    existing = Message.objects.filter(twilio_sid=sid).first()
    if existing is not None:
        return existing, False
    try:
        with transaction.atomic():
            message = Message.objects.create(
                direction=Message.Direction.INBOUND,
                source=Message.Source.TWILIO,
                status=Message.Status.RECEIVED,
                provider_status=(params.get("SmsStatus") or "received").lower()[:20],
                to=our_address[:16],
                from_address=handset[:34],
                sender=_our_sender(our_address, params.get("MessagingServiceSid", "")),
                contact=_contact(handset, default_country),
                body=params.get("Body", ""),
                media_urls=_media(params),
                twilio_sid=sid,
                received_at=timezone.now(),
            )
            MessageEvent.objects.create(
                message=message, kind=MessageEvent.Kind.RECEIVED, status="received", payload=dict(params)
            )
            message_webhook_publish(
                event_type=WebhookEventType.INBOUND, message=message, occurred_at=message.received_at
            )
            _compliance_hook(tenant, message, params.get("OptOutType", ""))
    except IntegrityError:  # the same message stored at the same moment by another request
        return Message.objects.get(twilio_sid=sid), False
    return message, True


def _compliance_hook(tenant: Tenant, message: Message, opt_out_type: str) -> None:
    """Tell the compliance app what arrived; send the reply it asks for, if the sender can send one."""
    sender = message.sender
    outcome = inbound_handle(
        tenant=tenant,
        inbound=Inbound(
            number=message.from_address,
            body=message.body,
            message_sid=message.twilio_sid,
            received_at=message.received_at,
            sender_kind=sender.kind if sender else "",
            sender_scopes=rules.scopes_of(sender) if sender else (),
            opt_out_type=opt_out_type,
        ),
    )
    if not outcome.reply or sender is None:
        return
    from messaging.services.messages import message_send  # messages imports the engine, which imports this module

    try:
        with transaction.atomic():
            message_send(
                tenant=tenant,
                to=message.from_address,
                body=outcome.reply,
                sender=sender,
                source=Message.Source.REPLY,
                category=outcome.reply_category,
            )
    except ServiceError as exc:  # the opt-out stands; only the reply could not go
        logger.warning("no %s reply to %s: %s", outcome.meaning, message.twilio_sid, exc)


def _our_sender(address: str, messaging_service_sid: str) -> Sender | None:
    """The sender that received it: the number itself, else the Messaging Service it belongs to."""
    sender = Sender.objects.filter(address=address).first()
    if sender is None and messaging_service_sid:
        sender = Sender.objects.filter(address=messaging_service_sid, kind=Sender.Kind.MESSAGING_SERVICE).first()
    return sender


def _contact(handset: str, default_country: str) -> Contact | None:
    """The handset's contact, made on its first message; None for a sender that is no phone number."""
    try:
        e164, country = normalize_phone_number(handset, default_country=default_country, field="From")
    except MessagingValidationError:
        return None
    contact, _ = Contact.objects.get_or_create(phone_number=e164, defaults={"country": country})
    return contact


def _media(params: Mapping[str, str]) -> list[str]:
    count = params.get("NumMedia", "0")
    number = int(count) if count.isdigit() else 0
    return [params[f"MediaUrl{index}"] for index in range(min(number, MAX_MEDIA)) if params.get(f"MediaUrl{index}")]
