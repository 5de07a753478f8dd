"""Phone numbers in the tenant's subaccount: bought as senders, or synced from what the subaccount owns."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

import phonenumbers
from django.db import transaction
from django.utils import timezone

from messaging.catalogue.selectors import default_mps
from messaging.errors import MessagingValidationError, ProviderRefused, UnprocessableInput
from messaging.gateways import get_gateway
from messaging.gateways.base import Credentials, IncomingNumber
from messaging.gateways.errors import GatewayError
from messaging.models import Sender
from messaging.services.contacts import normalize_phone_number
from messaging.services.senders import sender_register
from messaging.services.sending import sending_credentials, subaccount_credentials
from messaging.webhooks import addresses
from tenants.models import Tenant

logger = logging.getLogger(__name__)

# NANP toll-free area codes (800, 833, 844, 855, 866, 877, 888).
TOLL_FREE_AREA_CODES = frozenset({"800", "833", "844", "855", "866", "877", "888"})


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


def senders_sync(*, tenant: Tenant) -> SyncReport:
    """Bring the tenant's phone-number senders in line with the numbers its subaccount owns.

    New numbers become senders (kind from the number, MPS from the catalogue); known ones get their SID and sync
    time; senders whose number the subaccount no longer owns are reported, never deleted (their history stays).
    """
    credentials = subaccount_credentials(tenant=tenant)
    try:
        numbers = get_gateway().list_incoming_numbers(credentials)
    except GatewayError as exc:
        raise ProviderRefused(exc) from exc
    report = SyncReport()
    now = timezone.now()
    owned = set()
    with transaction.atomic():
        for number in numbers:
            owned.add(number.phone_number)
            webhooks_point(credentials=credentials, number=number)
            sender = Sender.objects.filter(address=number.phone_number).first()
            if sender is None:
                sender = number_adopt(number=number, label=number.friendly_name[:80])
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
    *,
    tenant: Tenant,
    phone_number: str | None = None,
    area_code: str | None = None,
    label: str = "",
    friendly_name: str | None = None,
) -> Sender:
    """Buy a phone number in the tenant's subaccount (a given number, or any in a US/CA area code) as a sender.

    `friendly_name` is what Twilio shows for the number (the label when not given).
    """
    if bool(phone_number) == bool(area_code):
        raise UnprocessableInput("give either a phone number or an area code", field="phone_number")
    if area_code and not (len(area_code) == 3 and area_code.isdigit()):
        raise MessagingValidationError("an area code is 3 digits, e.g. 415", field="area_code")
    if phone_number:
        phone_number, _ = normalize_phone_number(phone_number, default_country=tenant.default_country)
    credentials = sending_credentials(tenant=tenant)
    try:
        number = get_gateway().provision_number(
            credentials,
            phone_number=phone_number or None,
            area_code=area_code or None,
            friendly_name=friendly_name or label or None,
        )
    except GatewayError as exc:
        raise ProviderRefused(exc, field="phone_number" if phone_number else "area_code") from exc
    webhooks_point(credentials=credentials, number=number)
    return number_adopt(number=number, label=label)


def webhooks_point(*, credentials: Credentials, number: IncomingNumber) -> bool:
    """Point a number's inbound and fallback webhooks at the platform when they point elsewhere; True when changed.

    A refusal is logged, not raised: the number is ours either way, and the next sync points it again.
    """
    wanted = (addresses.inbound_url(), addresses.inbound_fallback_url())
    if (number.sms_url, number.sms_fallback_url) == wanted:
        return False
    try:
        get_gateway().set_number_sms_url(credentials, number.sid, wanted[0], sms_fallback_url=wanted[1])
    except GatewayError as exc:
        logger.warning("could not point the webhooks of %s at the platform: %s", number.phone_number, exc)
        return False
    return True


def number_adopt(*, number: IncomingNumber, label: str = "") -> Sender:
    """Record a number the subaccount owns as a sender: kind from the number, MPS from the catalogue."""
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
