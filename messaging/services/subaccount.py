"""The tenant's Twilio subaccount seen from messaging: credentials, number sync, obtaining senders, a test send.

Every call that would make Twilio send something goes through `sending_credentials`, which refuses a tenant that
is suspended or closed before any request leaves, so nothing reaches Twilio (or the sandbox) for it.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

import phonenumbers
from django.db import transaction
from django.utils import timezone

from compliance.domain import registration
from messaging.catalogue.selectors import default_mps
from messaging.errors import MessagingError, MessagingValidationError
from messaging.gateways import get_gateway
from messaging.gateways.base import Credentials, IncomingNumber, OutboundMessage, SendResult
from messaging.gateways.errors import GatewayError, OptedOutError, PermanentError
from messaging.models import Sender
from messaging.services.contacts import normalize_phone_number
from messaging.services.senders import sender_register
from tenants.models import Tenant
from tenants.selectors import subaccount_auth

logger = logging.getLogger(__name__)

# NANP toll-free area codes (800, 833, 844, 855, 866, 877, 888).
TOLL_FREE_AREA_CODES = frozenset({"800", "833", "844", "855", "866", "877", "888"})


class TenantNotSending(MessagingError):
    """The tenant may not send: suspended or closed by ISV staff."""

    status = 403


class SenderNotReady(MessagingError):
    """The sender's registration does not allow sending yet (Twilio would refuse it with 30032 or 30034)."""

    status = 409
    code = "sender_not_registered"


class SubaccountMissing(MessagingError):
    status = 409
    code = "subaccount_missing"


class ProviderRefused(MessagingError):
    """Twilio (or the sandbox) refused the request; the message carries its code and advice.

    422 when Twilio refused what was asked (a number not for sale, a bad recipient, an opted-out handset): asking
    again the same way will not work. 502 when Twilio or the way to it failed, or the account is misconfigured.
    """

    status = 502
    code = "provider_refused"

    def __init__(self, exc: GatewayError, *, field: str | None = None):
        super().__init__(str(exc), field=field)
        self.twilio_code = exc.code
        if isinstance(exc, PermanentError | OptedOutError):
            self.status = 422


def _credentials(tenant: Tenant) -> Credentials:
    auth = subaccount_auth(tenant)
    if auth is None:
        raise SubaccountMissing(
            f"tenant {tenant.slug} has no Twilio subaccount yet; ISV staff can provision it from the admin"
        )
    return Credentials(*auth)


def sending_credentials(tenant: Tenant) -> Credentials:
    """The subaccount credentials for a send; a suspended or closed tenant gets a clear error instead."""
    if tenant.status == Tenant.Status.SUSPENDED:
        error = TenantNotSending(f"tenant suspended: {tenant.name} cannot send messages until ISV staff reactivate it")
        error.code = "tenant_suspended"
        raise error
    if tenant.status == Tenant.Status.CLOSED:
        error = TenantNotSending(f"tenant closed: {tenant.name} can no longer send messages")
        error.code = "tenant_closed"
        raise error
    return _credentials(tenant)


def _kind_of(number: IncomingNumber) -> tuple[str, str]:
    parsed = phonenumbers.parse(number.phone_number)
    country = phonenumbers.region_code_for_number(parsed) or "US"
    national = phonenumbers.national_significant_number(parsed)
    if parsed.country_code == 1 and national[:3] in TOLL_FREE_AREA_CODES:
        return Sender.Kind.TOLL_FREE, country
    if country == "US":
        return Sender.Kind.A2P_10DLC, country  # US local numbers send A2P traffic only once 10DLC-registered
    return Sender.Kind.LONG_CODE, country


@dataclass
class SyncReport:
    """What a sync found: numbers added, already known, and known here but no longer in the subaccount."""

    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)


def senders_sync(tenant: Tenant) -> SyncReport:
    """Bring the tenant's phone-number senders in line with the numbers its subaccount owns.

    New numbers become senders (kind from the number, MPS from the catalogue); known ones get their SID and sync
    time; senders whose number the subaccount no longer owns are reported, never deleted (their history stays).
    """
    try:
        numbers = get_gateway().list_incoming_numbers(_credentials(tenant))
    except GatewayError as exc:
        raise ProviderRefused(exc) from exc
    report = SyncReport()
    now = timezone.now()
    owned = set()
    with transaction.atomic():
        for number in numbers:
            owned.add(number.phone_number)
            sender = Sender.objects.filter(address=number.phone_number).first()
            if sender is None:
                kind, country = _kind_of(number)
                sender = sender_register(
                    kind=kind,
                    address=number.phone_number,
                    country=country,
                    mps=default_mps(kind, country),
                    label=number.friendly_name[:80],
                    twilio_sid=number.sid,
                    from_provider=True,
                )
                report.added.append(number.phone_number)
            else:
                report.updated.append(number.phone_number)
            sender.twilio_sid = number.sid
            sender.mms = number.mms_capable
            sender.sms = number.sms_capable
            sender.synced_at = now
            sender.save(update_fields=["twilio_sid", "mms", "sms", "synced_at"])
        report.missing = sorted(
            Sender.objects.filter(kind__in=(Sender.Kind.LONG_CODE, Sender.Kind.A2P_10DLC, Sender.Kind.TOLL_FREE))
            .exclude(twilio_sid="")
            .exclude(address__in=owned)
            .values_list("address", flat=True)
        )
    logger.info(
        "senders synced for %s: %d added, %d updated, %d missing",
        tenant.slug,
        len(report.added),
        len(report.updated),
        len(report.missing),
    )
    return report


def number_obtain(
    tenant: Tenant, *, phone_number: str | None = None, area_code: str | None = None, label: str = ""
) -> Sender:
    """Buy a phone number in the tenant's subaccount (a given number, or any in a US/CA area code) as a sender."""
    if bool(phone_number) == bool(area_code):
        raise MessagingValidationError("give either a phone number or an area code", field="phone_number")
    if area_code and not (len(area_code) == 3 and area_code.isdigit()):
        raise MessagingValidationError("an area code is 3 digits, e.g. 415", field="area_code")
    if phone_number:
        phone_number, _ = normalize_phone_number(phone_number, default_country=tenant.default_country)
    credentials = sending_credentials(tenant)
    try:
        number = get_gateway().provision_number(
            credentials, phone_number=phone_number or None, area_code=area_code or None, friendly_name=label or None
        )
    except GatewayError as exc:
        raise ProviderRefused(exc, field="phone_number" if phone_number else "area_code") from exc
    kind, country = _kind_of(number)
    sender = sender_register(
        kind=kind,
        address=number.phone_number,
        country=country,
        mps=default_mps(kind, country),
        label=label,
        twilio_sid=number.sid,
        from_provider=True,
    )
    sender.synced_at = timezone.now()
    sender.save(update_fields=["synced_at"])
    return sender


def sender_test_send(tenant: Tenant, *, sender: Sender, to: str, body: str) -> SendResult:
    """Send one message from `sender` to `to` right away, e.g. to check a new sender works end to end."""
    if not body.strip():
        raise MessagingValidationError("body must not be blank", field="body")
    to_e164, _ = normalize_phone_number(to, default_country=tenant.default_country, field="to")
    credentials = sending_credentials(tenant)
    verdict = registration.sending_verdict(sender.kind, sender.registration_state)
    if not verdict.allowed:
        raise SenderNotReady(f"{sender.address} cannot send yet: {verdict.reason}", field="sender")
    if sender.kind == Sender.Kind.MESSAGING_SERVICE:
        message = OutboundMessage(to=to_e164, body=body, messaging_service_sid=sender.address)
    else:
        message = OutboundMessage(to=to_e164, body=body, from_=sender.address)
    try:
        return get_gateway().send(credentials, message)
    except GatewayError as exc:
        raise ProviderRefused(exc, field="to") from exc
