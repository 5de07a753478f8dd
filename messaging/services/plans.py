"""Sender plans: the wizard's recommendation, saved, and the provisioning of each country's top-ranked sender.

Provisioning obtains at once what the gateway can: a US A2P 10DLC number or a US/Canadian local number in an area
code, a toll-free number, an alphanumeric sender ID. The rest (short codes, pre-registered sender IDs, numbers of
other countries) is a manual step with its lead time. Every step lands in the plan's log as done, failed (with
Twilio's explanation) or manual; a failed step leaves no sender behind, and a second run retries only the countries
whose last step failed.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, fields
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any, Final

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from messaging.catalogue.selectors import current_catalogue, default_mps
from messaging.domain.catalogue import (
    ALPHANUMERIC_REGISTERED,
    ALPHANUMERIC_UNREGISTERED,
    INTERNATIONAL_LONG_CODE,
    LONG_CODE,
    SHORT_CODE,
    TEN_DLC,
    TOLL_FREE,
)
from messaging.domain.recommend import Recommendation, RecommendationInputError, RecommendationRequest, recommend
from messaging.errors import MessagingError, MessagingValidationError
from messaging.gateways.errors import GatewayError
from messaging.models import Sender, SenderPlan
from messaging.services.senders import ALPHANUMERIC_ID, sender_register
from messaging.services.subaccount import (
    TOLL_FREE_AREA_CODES,
    number_obtain,
    sending_credentials,
)
from tenants.audit import audit_record
from tenants.models import Tenant, User

logger = logging.getLogger(__name__)

USE_CASE_LABELS: Final = {
    "conversational": "Conversations",
    "transactional": "Transactional messages",
    "promotional": "Promotional messages",
    "otp": "One-time passcodes",
}
COUNTRY_ALIASES: Final = {"UK": "GB"}  # what people type for the United Kingdom; ISO 3166-1 says GB
DEFAULT_AREA_CODES: Final = {"US": "415", "CA": "416"}
NANP_COUNTRIES: Final = frozenset(DEFAULT_AREA_CODES)
TOLL_FREE_AREA_CODE: Final = "844"
MAX_NAME_LENGTH: Final = 120

DONE, FAILED, MANUAL = "done", "failed", "manual"
OUTCOMES: Final = (DONE, FAILED, MANUAL)

_REQUEST_FIELDS: Final = tuple(f.name for f in fields(RecommendationRequest) if f.name != "today")
_REQUIRED_FIELDS: Final = ("use_case", "two_way", "countries", "daily_volume", "go_live")


class PlanNotProvisionable(MessagingError):
    """The plan is provisioned already, or being provisioned right now."""

    status = 409
    code = "plan_not_provisionable"


def recommendation_for(data: Mapping[str, Any], *, today: date | None = None) -> Recommendation:
    """The recommendation for the wizard's answers, keyed as RecommendationRequest's fields (UK is read as GB).

    Raises RecommendationInputError naming the field; `today` defaults to the local date.
    """
    values = {name: data[name] for name in _REQUEST_FIELDS if name in data}
    for name in _REQUIRED_FIELDS:
        if values.get(name) is None:
            raise RecommendationInputError(name, "is required")
    values["countries"] = _countries(values["countries"])
    request = RecommendationRequest(today=today or timezone.localdate(), **values)
    return recommend(request, current_catalogue())


def _countries(value: Any) -> Any:
    if not isinstance(value, (list, tuple)):
        return value  # the request names what is wrong with it
    return [COUNTRY_ALIASES.get(item.strip().upper(), item) if isinstance(item, str) else item for item in value]


def plan_default_name(recommendation: Recommendation) -> str:
    """A name for a plan nobody named: its use case and countries, e.g. 'One-time passcodes to US, GB'."""
    request = recommendation.request
    return f"{USE_CASE_LABELS[request.use_case]} to {', '.join(request.countries)}"[:MAX_NAME_LENGTH]


def plan_save(*, name: str, data: Mapping[str, Any], created_by: str = "") -> SenderPlan:
    """Compute the recommendation for `data` and keep it as a draft plan; a blank name is made from the request."""
    name = name.strip()
    if len(name) > MAX_NAME_LENGTH:
        raise MessagingValidationError(f"name must be at most {MAX_NAME_LENGTH} characters", field="name")
    recommendation = recommendation_for(data)
    payload = recommendation.to_dict()
    return SenderPlan.objects.create(
        name=name or plan_default_name(recommendation),
        request=payload["request"],
        recommendation=payload,
        created_by=created_by[:254],
    )


# --- provisioning ----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ProvisioningNeeds:
    """What a provisioning run asks for: area codes for these countries, and an alphanumeric sender ID or not."""

    area_code_countries: tuple[str, ...]
    alphanumeric_id: bool


def plan_provisioning_needs(plan: SenderPlan) -> ProvisioningNeeds:
    """The inputs the countries still to provision need (their top-ranked sender types decide)."""
    countries: list[str] = []
    alphanumeric = False
    for country in _pending_countries(plan):
        sender_type = _top_type(country)
        if sender_type == TEN_DLC or (sender_type == LONG_CODE and country["country"] in NANP_COUNTRIES):
            countries.append(country["country"])
        alphanumeric = alphanumeric or sender_type == ALPHANUMERIC_UNREGISTERED
    return ProvisioningNeeds(tuple(countries), alphanumeric)


# A run buys a handful of numbers, each call bounded by the gateway's timeout; one still "provisioning" after this
# long died with its process and may be started again (its completed steps are in the log and are not redone).
STALE_RUN_AFTER = timedelta(minutes=10)


def _stale_run(plan: SenderPlan, now: datetime) -> bool:
    started = plan.provisioning_started_at
    return plan.status == SenderPlan.Status.PROVISIONING and (started is None or started < now - STALE_RUN_AFTER)


def plan_provisionable(plan: SenderPlan) -> bool:
    """Whether a provisioning run may start: a draft, a plan whose last run left failed steps, or a dead run."""
    startable = plan.status in (SenderPlan.Status.DRAFT, SenderPlan.Status.PARTLY_PROVISIONED)
    return startable or _stale_run(plan, timezone.now())


def default_alphanumeric_id(name: str) -> str:
    """A sender ID from a tenant name: its first words within 11 characters ('Acme Appointments' gives 'Acme')."""
    chosen = ""
    for word in re.findall(r"[A-Za-z0-9]+", name):
        candidate = f"{chosen} {word}" if chosen else word[:11]
        if len(candidate) > 11:
            break
        chosen = candidate
    return chosen if ALPHANUMERIC_ID.match(chosen) else "SMS"


def plan_provision(
    tenant: Tenant,
    plan: SenderPlan,
    *,
    area_codes: Mapping[str, str] | None = None,
    alphanumeric_id: str = "",
    actor: User | None = None,
    actor_label: str | None = None,
) -> SenderPlan:
    """Obtain each pending country's top-ranked sender where the gateway can at once; log every step and audit the run.

    Refuses (before anything is bought) bad area codes or sender IDs, a suspended or closed tenant, a tenant without
    a subaccount, and a plan that is provisioned or being provisioned (PlanNotProvisionable).
    """
    codes = _checked_area_codes(area_codes or {})
    sender_id = _checked_alphanumeric_id(alphanumeric_id.strip() or default_alphanumeric_id(tenant.name))
    sending_credentials(tenant)
    _claim(plan)
    entries: list[dict[str, Any]] = []
    try:
        for country in _pending_countries(plan):
            entries.append(_provision_country(tenant, plan, country, codes, sender_id))
            # Kept at once: a run that dies later is restarted without redoing (and re-buying) this step.
            SenderPlan.objects.filter(pk=plan.pk).update(provisioning_log=[*plan.provisioning_log, *entries])
    finally:
        _finish(tenant, plan, entries, actor=actor, actor_label=actor_label)
    return plan


def _checked_area_codes(area_codes: Mapping[str, str]) -> dict[str, str]:
    codes = dict(DEFAULT_AREA_CODES)
    for country, code in area_codes.items():
        field = f"area_codes.{country}"
        if country not in NANP_COUNTRIES:
            raise MessagingValidationError("area codes are given for US and CA only", field=field)
        code = (code or "").strip() or DEFAULT_AREA_CODES[country]
        if not (len(code) == 3 and code.isdigit() and code[0] not in "01"):
            raise MessagingValidationError("an area code is 3 digits, e.g. 415", field=field)
        if code in TOLL_FREE_AREA_CODES:
            raise MessagingValidationError(f"{code} is a toll-free prefix, not a local area code", field=field)
        codes[country] = code
    return codes


def _checked_alphanumeric_id(value: str) -> str:
    if not ALPHANUMERIC_ID.match(value):
        raise MessagingValidationError(
            "an alphanumeric sender ID is 1 to 11 letters, digits or spaces, with at least one letter",
            field="alphanumeric_id",
        )
    return value


def _claim(plan: SenderPlan) -> None:
    # A conditional update, so two clicks (or two API calls) never provision the same plan twice.
    now = timezone.now()
    startable = Q(status__in=(SenderPlan.Status.DRAFT, SenderPlan.Status.PARTLY_PROVISIONED))
    dead_run = Q(status=SenderPlan.Status.PROVISIONING) & (
        Q(provisioning_started_at__isnull=True) | Q(provisioning_started_at__lt=now - STALE_RUN_AFTER)
    )
    claimed = SenderPlan.objects.filter(startable | dead_run, pk=plan.pk).update(
        status=SenderPlan.Status.PROVISIONING, provisioning_started_at=now
    )
    plan.refresh_from_db(fields=["status", "provisioning_log", "provisioning_started_at"])
    if claimed:
        return
    if plan.status == SenderPlan.Status.PROVISIONING:
        raise PlanNotProvisionable(f"plan {plan.name!r} is being provisioned right now", field="status")
    raise PlanNotProvisionable(f"plan {plan.name!r} is provisioned already: see its log", field="status")


def _pending_countries(plan: SenderPlan) -> list[dict[str, Any]]:
    """The plan's countries without a step yet, or whose last step failed."""
    last_outcome = {entry["country"]: entry["outcome"] for entry in plan.provisioning_log}
    return [
        country
        for country in plan.recommendation.get("countries", [])
        if last_outcome.get(country["country"]) in (None, FAILED)
    ]


def _top_type(country: Mapping[str, Any]) -> str | None:
    options = country.get("options") or []
    return options[0]["sender_type"] if options else None


def _finish(
    tenant: Tenant, plan: SenderPlan, entries: list[dict[str, Any]], *, actor: User | None, actor_label: str | None
) -> None:
    log = [*plan.provisioning_log, *entries]
    last_outcome = {entry["country"]: entry["outcome"] for entry in log}
    if FAILED not in last_outcome.values():
        status = SenderPlan.Status.PROVISIONED
    elif any(entry["outcome"] == DONE for entry in log):
        status = SenderPlan.Status.PARTLY_PROVISIONED
    else:
        status = SenderPlan.Status.DRAFT  # nothing obtained yet: the plan may simply start again
    with transaction.atomic():
        plan.provisioning_log = log
        plan.status = status
        plan.provisioned_at = timezone.now()
        plan.save(update_fields=["provisioning_log", "status", "provisioned_at"])
        audit_record(
            action="sender_plan.provisioned",
            tenant=tenant,
            actor=actor,
            actor_label=actor_label,
            target=f"plan {plan.pk}: {plan.name}",
            details={
                "status": status,
                **{outcome: [e["country"] for e in entries if e["outcome"] == outcome] for outcome in OUTCOMES},
            },
        )
    logger.info("sender plan %s of %s: %s after %d steps", plan.pk, tenant.slug, status, len(entries))


@dataclass(frozen=True)
class _Step:
    """One country's provisioning: where it sends, its top-ranked option, and the run's inputs."""

    tenant: Tenant
    plan: SenderPlan
    country: Mapping[str, Any]
    option: Mapping[str, Any]
    area_codes: Mapping[str, str]
    alphanumeric_id: str

    @property
    def code(self) -> str:
        return self.country["country"]

    @property
    def name(self) -> str:
        return self.country["name"]

    @property
    def label(self) -> str:
        return self.plan.name[:80]

    def mps(self, kind: str) -> Decimal:
        """The option's MPS per sender, else the catalogue's default for the kind."""
        value = self.option.get("mps_per_sender")
        return Decimal(value) if value else default_mps(kind, self.code)


def _entry(
    country: Mapping[str, Any],
    option: Mapping[str, Any] | None,
    outcome: str,
    detail: str,
    *,
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


def _provision_country(
    tenant: Tenant, plan: SenderPlan, country: Mapping[str, Any], area_codes: Mapping[str, str], alphanumeric_id: str
) -> dict[str, Any]:
    options = country.get("options") or []
    if not options:
        detail = f"No sender type fits this request for {country['name']}: change the request or ask ISV staff."
        return _entry(country, None, MANUAL, detail)
    step = _Step(tenant, plan, country, options[0], area_codes, alphanumeric_id)
    handler = _HANDLERS.get(step.option["sender_type"], _manual)
    try:
        return handler(step)
    except MessagingError as exc:
        return _entry(country, step.option, FAILED, exc.message)
    except GatewayError as exc:
        return _entry(country, step.option, FAILED, str(exc))


def _buy_tendlc(step: _Step) -> dict[str, Any]:
    area_code = step.area_codes["US"]
    with transaction.atomic():
        sender = number_obtain(step.tenant, area_code=area_code, label=step.label)  # a US number: an A2P 10DLC sender
        sender.mps = step.mps(Sender.Kind.A2P_10DLC)  # the throughput of the plan's Trust Score tier
        sender.save(update_fields=["mps"])
    detail = (
        f"Bought {sender.address} (area code {area_code}) as an A2P 10DLC sender, registration "
        f"{sender.registration_state}: register the brand and the campaign next."
    )
    return _entry(step.country, step.option, DONE, detail, sender=sender)


def _buy_toll_free(step: _Step) -> dict[str, Any]:
    with transaction.atomic():
        sender = number_obtain(step.tenant, area_code=TOLL_FREE_AREA_CODE, label=step.label)
    detail = (
        f"Bought the toll-free number {sender.address}, verification {sender.registration_state}: submit toll-free "
        "verification before it sends."
    )
    return _entry(step.country, step.option, DONE, detail, sender=sender)


def _buy_long_code(step: _Step) -> dict[str, Any]:
    if step.code not in NANP_COUNTRIES:
        detail = (
            f"Buy a number of {step.name} in the Twilio console, or with Buy a number on the senders page (give the "
            "number), then sync numbers from Twilio."
        )
        return _entry(step.country, step.option, MANUAL, detail)
    area_code = step.area_codes[step.code]
    with transaction.atomic():
        sender = number_obtain(step.tenant, area_code=area_code, label=step.label)
    detail = f"Bought the local number {sender.address} (area code {area_code})."
    return _entry(step.country, step.option, DONE, detail, sender=sender)


def _register_alphanumeric(step: _Step) -> dict[str, Any]:
    existing = Sender.objects.filter(address=step.alphanumeric_id, kind=Sender.Kind.ALPHANUMERIC).first()
    if existing is not None:
        detail = f"The alphanumeric sender ID {existing.address} is a sender already; it sends to {step.name} too."
        return _entry(step.country, step.option, DONE, detail, sender=existing)
    with transaction.atomic():
        sender = sender_register(
            kind=Sender.Kind.ALPHANUMERIC,
            address=step.alphanumeric_id,
            country=step.code,
            mps=step.mps(Sender.Kind.ALPHANUMERIC),
            label=step.label,
        )
    detail = f"Added the alphanumeric sender ID {sender.address} for {step.name}; it needs no registration."
    return _entry(step.country, step.option, DONE, detail, sender=sender)


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
