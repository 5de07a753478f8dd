"""A sender plan's provisioning run: each pending country's top-ranked sender, obtained where the gateway can.

What can be obtained at once is: a US A2P 10DLC number or a US/Canadian local number in an area code, a toll-free
number, an alphanumeric sender ID. The rest (short codes, pre-registered sender IDs, numbers of other countries) is a
manual step with its lead time. Every step lands in the plan's log as it ends, as done, failed (with Twilio's
explanation) or manual; a failed step leaves no sender behind, and a later run retries only the countries whose
last step failed.

A run is safe to start twice: it holds a PostgreSQL advisory lock for the plan, so a second copy finds the plan busy
and leaves; a country being bought is marked in flight before the purchase, and a run that finds a mark left by a
dead run first looks for the number in the subaccount (by the friendly name the purchase gave it) and adopts it
rather than buying a second one.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Final

from django.db import connection, transaction
from django.utils import timezone

from messaging.catalogue.selectors import default_mps
from messaging.domain.catalogue import (
    ALPHANUMERIC_REGISTERED,
    ALPHANUMERIC_UNREGISTERED,
    INTERNATIONAL_LONG_CODE,
    LONG_CODE,
    SHORT_CODE,
    TEN_DLC,
    TOLL_FREE,
)
from messaging.errors import MessagingError
from messaging.gateways import get_gateway
from messaging.gateways.errors import GatewayError
from messaging.models import Sender, SenderPlan
from messaging.services.numbers import number_adopt, number_obtain, webhooks_point
from messaging.services.plans import DONE, FAILED, MANUAL, NANP_COUNTRIES, OUTCOMES, pending_countries, top_option
from messaging.services.senders import sender_register
from messaging.services.sending import subaccount_credentials
from tenants.audit import audit_record
from tenants.models import Tenant, User

logger = logging.getLogger(__name__)

TOLL_FREE_AREA_CODE: Final = "844"
LOCK_NAMESPACE: Final = "sender-plan"


def plan_provision_run(*, tenant: Tenant, plan_id: int) -> SenderPlan | None:
    """Run (or resume) the provisioning of a plan being provisioned; None when another run holds it or none is due."""
    with _plan_lock(plan_id) as acquired:
        if not acquired:
            logger.info("sender plan %s of %s: another run is at work", plan_id, tenant.slug)
            return None
        plan = SenderPlan.objects.filter(pk=plan_id, status=SenderPlan.Status.PROVISIONING).first()
        if plan is None:
            return None
        entries: list[dict[str, Any]] = []
        try:
            for country in pending_countries(plan):
                entry = _provision_country(tenant, plan, country)
                entries.append(entry)
                # Kept at once: a run that dies later resumes without redoing (and re-buying) this step.
                plan.provisioning_log = [*plan.provisioning_log, entry]
                plan.provisioning_options = {**plan.provisioning_options, "in_flight": None}
                plan.save(update_fields=["provisioning_log", "provisioning_options"])
        finally:
            _finish(tenant, plan, entries)
        return plan


@contextmanager
def _plan_lock(plan_id: int) -> Iterator[bool]:
    """A session-level advisory lock on (schema, plan): held by one run at a time, freed if its connection dies."""
    key = f"{LOCK_NAMESPACE}:{connection.schema_name}:{plan_id}"
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_lock(hashtextextended(%s, 0))", [key])
        acquired = cursor.fetchone()[0]
    try:
        yield acquired
    finally:
        if acquired:
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_unlock(hashtextextended(%s, 0))", [key])


def _finish(tenant: Tenant, plan: SenderPlan, entries: list[dict[str, Any]]) -> None:
    last_outcome = {entry["country"]: entry["outcome"] for entry in plan.provisioning_log}
    if FAILED not in last_outcome.values():
        status = SenderPlan.Status.PROVISIONED
    elif any(entry["outcome"] == DONE for entry in plan.provisioning_log):
        status = SenderPlan.Status.PARTLY_PROVISIONED
    else:
        status = SenderPlan.Status.DRAFT  # nothing obtained yet: the plan may simply start again
    options = plan.provisioning_options
    actor = User.objects.filter(pk=options.get("actor_id")).first() if options.get("actor_id") else None
    with transaction.atomic():
        plan.status = status
        plan.provisioned_at = timezone.now()
        plan.save(update_fields=["status", "provisioned_at"])
        audit_record(
            action="sender_plan.provisioned",
            tenant=tenant,
            actor=actor,
            actor_label=options.get("actor_label"),
            target=f"plan {plan.pk}: {plan.name}",
            details={
                "status": status,
                **{outcome: [e["country"] for e in entries if e["outcome"] == outcome] for outcome in OUTCOMES},
            },
        )
    logger.info("sender plan %s of %s: %s after %d steps", plan.pk, tenant.slug, status, len(entries))


# --- one country ------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Step:
    """One country's provisioning: where it sends, its top-ranked option, and the run's inputs."""

    tenant: Tenant
    plan: SenderPlan
    country: Mapping[str, Any]
    option: Mapping[str, Any]

    @property
    def code(self) -> str:
        return self.country["country"]

    @property
    def name(self) -> str:
        return self.country["name"]

    @property
    def label(self) -> str:
        return self.plan.name[:80]

    @property
    def friendly_name(self) -> str:
        """The name a number bought for this step carries at Twilio: it finds the number again after a crash."""
        return f"switchboard plan {self.plan.pk} {self.code}"

    @property
    def area_codes(self) -> Mapping[str, str]:
        return self.plan.provisioning_options["area_codes"]

    @property
    def alphanumeric_id(self) -> str:
        return self.plan.provisioning_options["alphanumeric_id"]

    def mps(self, kind: str) -> Decimal:
        """The option's MPS per sender, else the catalogue's default for the kind."""
        value = self.option.get("mps_per_sender")
        return Decimal(value) if value else default_mps(kind, self.code)


def _entry(
    country: Mapping[str, Any],
    option: Mapping[str, Any] | None,
    outcome: str,
    detail: str,
    sender: Sender | None = None,
) -> dict[str, Any]:
    return {
        "country": country["country"],
        "country_name": country["name"],
        "sender_type": option["sender_type"] if option else None,
        "label": option["label"] if option else None,
        "outcome": outcome,
        "detail": detail,
        "steps": list(option["registration_steps"]) if option else [],
        "sender_id": sender.pk if sender else None,
        "address": sender.address if sender else None,
        "at": timezone.now().isoformat(),
    }


def _provision_country(tenant: Tenant, plan: SenderPlan, country: Mapping[str, Any]) -> dict[str, Any]:
    option = top_option(country)
    if option is None:
        detail = f"No sender type fits this request for {country['name']}: change the request or ask ISV staff."
        return _entry(country, None, MANUAL, detail)
    step = _Step(tenant, plan, country, option)
    handler = _HANDLERS.get(option["sender_type"], _manual)
    try:
        return handler(step)
    except MessagingError as exc:
        return _entry(country, option, FAILED, exc.message)
    except GatewayError as exc:
        return _entry(country, option, FAILED, str(exc))


def _buy(step: _Step, *, area_code: str, kind: str | None = None) -> Sender:
    """The step's number, adopted when a dead run bought it already, else bought now.

    The in-flight mark is committed before Twilio is asked, so a run that dies during the purchase leaves it behind.
    """
    if step.plan.provisioning_options.get("in_flight") == step.code:
        credentials = subaccount_credentials(tenant=step.tenant)
        numbers = get_gateway().list_incoming_numbers(credentials)
        bought = next((number for number in numbers if number.friendly_name == step.friendly_name), None)
        if bought is not None:
            webhooks_point(credentials=credentials, number=bought)
            with transaction.atomic():
                return _with_mps(number_adopt(number=bought, label=step.label), step, kind)
    step.plan.provisioning_options = {**step.plan.provisioning_options, "in_flight": step.code}
    step.plan.save(update_fields=["provisioning_options"])
    with transaction.atomic():
        sender = number_obtain(
            tenant=step.tenant, area_code=area_code, label=step.label, friendly_name=step.friendly_name
        )
        return _with_mps(sender, step, kind)


def _with_mps(sender: Sender, step: _Step, kind: str | None) -> Sender:
    """A 10DLC number sends at the throughput of the plan's Trust Score tier, not the catalogue's default."""
    if kind is not None:
        sender.mps = step.mps(kind)
        sender.save(update_fields=["mps"])
    return sender


def _buy_tendlc(step: _Step) -> dict[str, Any]:
    area_code = step.area_codes["US"]
    sender = _buy(step, area_code=area_code, kind=Sender.Kind.A2P_10DLC)  # a US number: an A2P 10DLC sender
    detail = (
        f"Bought {sender.address} (area code {area_code}) as an A2P 10DLC sender, registration "
        f"{sender.registration_state}: register the brand and the campaign next."
    )
    return _entry(step.country, step.option, DONE, detail, sender)


def _buy_toll_free(step: _Step) -> dict[str, Any]:
    sender = _buy(step, area_code=TOLL_FREE_AREA_CODE)
    detail = (
        f"Bought the toll-free number {sender.address}, verification {sender.registration_state}: submit toll-free "
        "verification before it sends."
    )
    return _entry(step.country, step.option, DONE, detail, sender)


def _buy_long_code(step: _Step) -> dict[str, Any]:
    if step.code not in NANP_COUNTRIES:
        detail = (
            f"Buy a number of {step.name} in the Twilio console, or with Buy a number on the senders page (give the "
            "number), then sync numbers from Twilio."
        )
        return _entry(step.country, step.option, MANUAL, detail)
    area_code = step.area_codes[step.code]
    sender = _buy(step, area_code=area_code)
    detail = f"Bought the local number {sender.address} (area code {area_code})."
    return _entry(step.country, step.option, DONE, detail, sender)


def _register_alphanumeric(step: _Step) -> dict[str, Any]:
    existing = Sender.objects.filter(address=step.alphanumeric_id, kind=Sender.Kind.ALPHANUMERIC).first()
    if existing is not None:
        detail = f"The alphanumeric sender ID {existing.address} is a sender already; it sends to {step.name} too."
        return _entry(step.country, step.option, DONE, detail, existing)
    with transaction.atomic():
        sender = sender_register(
            kind=Sender.Kind.ALPHANUMERIC,
            address=step.alphanumeric_id,
            country=step.code,
            mps=step.mps(Sender.Kind.ALPHANUMERIC),
            label=step.label,
        )
    detail = f"Added the alphanumeric sender ID {sender.address} for {step.name}; it needs no registration."
    return _entry(step.country, step.option, DONE, detail, sender)


def _manual(step: _Step) -> dict[str, Any]:
    lead = step.option["lead_time"]
    takes = f"it takes {lead['text']}" if lead.get("min_days") is not None else "its lead time is country specific"
    go_live = f"go-live is in {lead['go_live_in_days']} days"
    sender_type = step.option["sender_type"]
    if sender_type == SHORT_CODE:
        detail = f"Apply for a short code for {step.name} with the short code application form: {takes}; {go_live}."
    elif sender_type == ALPHANUMERIC_REGISTERED:
        detail = (
            f"Pre-register the alphanumeric sender ID {step.alphanumeric_id} for {step.name} with Twilio: {takes}; "
            f"{go_live}. Add it as a sender once approved."
        )
    elif sender_type == INTERNATIONAL_LONG_CODE:
        detail = (
            f"Send to {step.name} from one of your numbers of another country, or buy one with Buy a number on the "
            "senders page."
        )
    else:
        detail = f"Follow the registration steps of {step.option['label']} for {step.name}: {takes}; {go_live}."
    return _entry(step.country, step.option, MANUAL, detail)


_HANDLERS: Final[dict[str, Callable[[_Step], dict[str, Any]]]] = {
    TEN_DLC: _buy_tendlc,
    TOLL_FREE: _buy_toll_free,
    LONG_CODE: _buy_long_code,
    ALPHANUMERIC_UNREGISTERED: _register_alphanumeric,
}
