"""Senders and sender pools of the current tenant schema."""

from __future__ import annotations

import re
from decimal import Decimal

from django.db import transaction

from compliance.domain import registration
from messaging.domain import pools
from messaging.errors import (
    AlreadyExists,
    MessagingValidationError,
    RegistrationMoveNotPermitted,
    RegistrationRefused,
    UnprocessableInput,
)
from messaging.models import Sender, SenderPool, StickySender
from messaging.services.contacts import normalize_phone_number
from tenants.audit import audit_record
from tenants.models import Tenant, User

SHORT_CODE = re.compile(r"^[0-9]{5,6}$")
ALPHANUMERIC_ID = re.compile(r"^(?=.*[A-Za-z])[A-Za-z0-9 ]{1,11}\Z")
MESSAGING_SERVICE_SID = re.compile(r"^MG[0-9a-fA-F]{32}\Z")
REFERENCE_MAX_LENGTH = Sender._meta.get_field("registration_reference").max_length
NUMBER_KINDS = {Sender.Kind.LONG_CODE, Sender.Kind.A2P_10DLC, Sender.Kind.TOLL_FREE}


E164 = re.compile(r"^\+[1-9][0-9]{6,14}$")
ALPHANUMERIC_ID_RULE = "an alphanumeric sender ID is 1 to 11 letters, digits or spaces, with at least one letter"


def alphanumeric_id_check(value: str, *, field: str) -> str:
    """The sender ID itself when it is one Twilio accepts; otherwise refused, naming `field`."""
    if not ALPHANUMERIC_ID.match(value):
        raise UnprocessableInput(ALPHANUMERIC_ID_RULE, field=field)
    return value


def _normalized_address(kind: str, address: str, country: str, *, from_provider: bool = False) -> str:
    address = address.strip()
    if kind in NUMBER_KINDS and from_provider and E164.match(address):
        return address  # a number Twilio sold us is real even where the local numbering data lags behind
    if kind in NUMBER_KINDS:
        e164, _ = normalize_phone_number(address, default_country=country or "US", field="address")
        return e164
    if kind == Sender.Kind.SHORT_CODE and not SHORT_CODE.match(address):
        raise UnprocessableInput("a short code is 5 or 6 digits", field="address")
    if kind == Sender.Kind.ALPHANUMERIC:
        alphanumeric_id_check(address, field="address")
    if kind == Sender.Kind.MESSAGING_SERVICE and not MESSAGING_SERVICE_SID.match(address):
        raise UnprocessableInput(
            "a Messaging Service is named by its SID: MG followed by 32 hex digits", field="address"
        )
    return address


def sender_register(
    *,
    kind: str,
    address: str,
    country: str,
    mps: Decimal,
    label: str = "",
    two_way: bool | None = None,
    twilio_sid: str = "",
    from_provider: bool = False,
) -> Sender:
    """Record a sender the tenant owns, or update it (idempotent on the address); registration starts fresh.

    `from_provider`: the address comes from Twilio (a number just bought or synced), so its E.164 form is taken
    as it is rather than checked against the local numbering data.
    """
    if kind not in Sender.Kind.values:
        raise MessagingValidationError(f"kind must be one of {', '.join(Sender.Kind.values)}", field="kind")
    if len(country) != 2 or not country.isalpha() or not country.isupper():
        raise MessagingValidationError("country must be an ISO 3166-1 alpha-2 code such as US", field="country")
    if mps <= 0:
        raise MessagingValidationError("mps must be greater than 0", field="mps")
    if kind == Sender.Kind.LONG_CODE and country == "US":
        raise UnprocessableInput(
            "a US local number sends application-to-person messages only as A2P 10DLC: add it as a2p_10dlc and "
            "register its brand and campaign",
            field="kind",
        )
    normalized = _normalized_address(kind, address, country, from_provider=from_provider)
    if kind == Sender.Kind.ALPHANUMERIC:
        two_way = False  # nobody can reply to a name
    defaults = {"kind": kind, "country": country, "mps": mps, "label": label}
    if twilio_sid:
        defaults["twilio_sid"] = twilio_sid
    if two_way is not None:
        defaults["two_way"] = two_way
    previous_kind = Sender.objects.filter(address=normalized).values_list("kind", flat=True).first()
    sender, created = Sender.objects.update_or_create(address=normalized, defaults=defaults)
    if created or previous_kind != kind:
        # A new sender, or one whose kind changed, starts its (new) registration from the beginning.
        sender.registration_state = registration.initial_state(kind)
        sender.registration_reference = ""
        sender.save(update_fields=["registration_state", "registration_reference"])
    return sender


def sender_registration_move(
    *,
    tenant: Tenant,
    sender: Sender,
    target: str,
    by: registration.Mover,
    reference: str = "",
    actor: User | None = None,
    actor_label: str | None = None,
    ip_address: str | None = None,
) -> Sender:
    """Move the sender's registration (e.g. a 10DLC campaign from submitted to approved); audited on the tenant.

    `by` says who moves it: the tenant (its UI and API) may only submit and resubmit; approving, rejecting and
    suspending are for ISV staff (the admin), or RegistrationMoveNotPermitted.
    """
    if len(reference) > REFERENCE_MAX_LENGTH:
        raise MessagingValidationError(
            f"reference must be at most {REFERENCE_MAX_LENGTH} characters", field="reference"
        )
    before = sender.registration_state
    try:
        new_state = registration.transition(sender.kind, before, target, by=by)
    except registration.InvalidTransition as exc:
        raise RegistrationRefused(str(exc), field="registration_state") from exc
    except registration.MoveNotPermitted as exc:
        raise RegistrationMoveNotPermitted(str(exc), field="registration_state") from exc
    sender.registration_state = new_state
    fields = ["registration_state"]
    if reference:
        sender.registration_reference = reference
        fields.append("registration_reference")
    with transaction.atomic():
        sender.save(update_fields=fields)
        audit_record(
            action="sender.registration_moved",
            tenant=tenant,
            actor=actor,
            actor_label=actor_label,
            target=sender.address,
            details={"from": before, "to": new_state, **({"reference": reference} if reference else {})},
            ip_address=ip_address,
        )
    return sender


def pool_create(
    *, name: str, sender_ids: list[int], two_way: bool = True, messaging_service_sid: str = ""
) -> SenderPool:
    """A named pool of the tenant's senders."""
    if not name.strip():
        raise MessagingValidationError("name must not be blank", field="name")
    if SenderPool.objects.filter(name=name.strip()).exists():
        raise AlreadyExists(f"a pool named '{name.strip()}' exists already", field="name")
    senders = list(Sender.objects.filter(pk__in=sender_ids))
    missing = sorted(set(sender_ids) - {s.pk for s in senders})
    if missing:
        raise UnprocessableInput(f"no sender with id {', '.join(map(str, missing))}", field="sender_ids")
    if messaging_service_sid and not MESSAGING_SERVICE_SID.match(messaging_service_sid):
        raise MessagingValidationError("MG followed by 32 hex digits", field="messaging_service_sid")
    with transaction.atomic():
        pool = SenderPool.objects.create(
            name=name.strip(), two_way=two_way, messaging_service_sid=messaging_service_sid
        )
        pool.senders.set(senders)
    return pool


def _pool_sender(sender: Sender, load: float) -> pools.PoolSender:
    verdict = registration.sending_verdict(sender.kind, sender.registration_state)
    return pools.PoolSender(
        sender_id=sender.pk,
        kind=sender.kind,
        country=sender.country,
        address=sender.address,
        two_way=sender.two_way,
        load=load,
        usable=verdict.allowed,
    )


def pool_pick_sender(
    *,
    pool: SenderPool,
    phone_number: str,
    country: str,
    alphanumeric_countries: frozenset[str],
    loads: dict[int, float] | None = None,
    remember: bool = True,
) -> tuple[Sender, str]:
    """The pool's sender for this recipient and why; remembers it so the next message sticks to it (unless asked
    only what it would be, `remember=False`)."""
    members = list(pool.senders.all())
    sticky = StickySender.objects.filter(pool=pool, phone_number=phone_number).first()
    try:
        choice = pools.choose_sender(
            [_pool_sender(s, (loads or {}).get(s.pk, 0.0)) for s in members],
            pools.Recipient(phone_number=phone_number, country=country),
            sticky_sender_id=sticky.sender_id if sticky else None,
            two_way=pool.two_way,
            alphanumeric_countries=alphanumeric_countries,
        )
    except pools.NoSenderAvailable as exc:
        raise MessagingValidationError(str(exc), field="pool") from exc
    sender = next(s for s in members if s.pk == choice.sender_id)
    if not remember:
        return sender, choice.reason
    StickySender.objects.update_or_create(pool=pool, phone_number=phone_number, defaults={"sender": sender})
    return sender, choice.reason
