"""Inbound messages: a handset's message to one of the tenant's senders, stored with its sender and contact.

Storing is idempotent on Twilio's MessageSid: the fallback URL, a retried webhook or a replay store it once. A new
message is published to the tenant's webhook endpoints (`message.inbound`) in the transaction that stores it.
"""

from __future__ import annotations

from collections.abc import Mapping

from django.db import IntegrityError, transaction
from django.utils import timezone

from messaging.domain.webhooks.events import WebhookEventType
from messaging.errors import MessagingValidationError
from messaging.models import Contact, Message, MessageEvent, Sender
from messaging.outbound_webhooks.publish import message_webhook_publish
from messaging.services.contacts import normalize_phone_number

MAX_MEDIA = 10


class MalformedInbound(ValueError):
    """An inbound webhook without what every inbound webhook carries; the message names the field."""


def message_receive(*, params: Mapping[str, str], default_country: str) -> tuple[Message, bool]:
    """Store the inbound message a webhook describes (in the current schema); returns it and whether it is new."""
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
    except IntegrityError:  # the same message stored at the same moment by another request
        return Message.objects.get(twilio_sid=sid), False
    return message, True


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
