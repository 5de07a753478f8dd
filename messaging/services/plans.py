"""Sender plans: the wizard's recommendation, saved, and the start of a provisioning run.

Starting a run checks its inputs, claims the plan (draft or partly provisioned → provisioning) and hands the run to
a task (`messaging.tasks.plan_provision_task`); `messaging.services.provisioning` does the work and the plan's log
shows each step as it ends.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, fields
from datetime import date
from typing import Any, Final

from django.db import transaction
from django.utils import timezone

from config.celery import enqueue_on_commit
from messaging.catalogue.selectors import current_catalogue
from messaging.domain.catalogue import ALPHANUMERIC_UNREGISTERED, LONG_CODE, TEN_DLC
from messaging.domain.recommend import (
    USE_CASE_LABELS,
    Recommendation,
    RecommendationInputError,
    RecommendationRequest,
    recommend,
)
from messaging.errors import MessagingValidationError, PlanNotProvisionable, UnprocessableInput
from messaging.models import SenderPlan
from messaging.services.numbers import TOLL_FREE_AREA_CODES
from messaging.services.senders import ALPHANUMERIC_ID, alphanumeric_id_check
from messaging.services.sending import sending_credentials
from tenants.audit import audit_record
from tenants.models import Tenant, User

COUNTRY_ALIASES: Final = {"UK": "GB"}  # what people type for the United Kingdom; ISO 3166-1 says GB
DEFAULT_AREA_CODES: Final = {"US": "415", "CA": "416"}
NANP_COUNTRIES: Final = frozenset(DEFAULT_AREA_CODES)
MAX_NAME_LENGTH: Final = 120

DONE, FAILED, MANUAL = "done", "failed", "manual"
OUTCOMES: Final = (DONE, FAILED, MANUAL)

_REQUEST_FIELDS: Final = tuple(f.name for f in fields(RecommendationRequest) if f.name != "today")
_REQUIRED_FIELDS: Final = ("use_case", "two_way", "countries", "daily_volume", "go_live")
STARTABLE: Final = (SenderPlan.Status.DRAFT, SenderPlan.Status.PARTLY_PROVISIONED)


def recommendation_for(data: Mapping[str, Any], *, today: date | None = None) -> Recommendation:
    """The recommendation for the wizard's answers, keyed as RecommendationRequest's fields (UK is read as GB).

    Refuses a value with UnprocessableInput naming the field; `today` defaults to the local date.
    """
    values = {name: data[name] for name in _REQUEST_FIELDS if name in data}
    try:
        for name in _REQUIRED_FIELDS:
            if values.get(name) is None:
                raise RecommendationInputError(name, "is required")
        values["countries"] = _countries(values["countries"])
        request = RecommendationRequest(today=today or timezone.localdate(), **values)
        return recommend(request, current_catalogue())
    except RecommendationInputError as exc:
        raise UnprocessableInput(exc.message, field=exc.field) from exc


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


# --- what a run asks for, and starting one ----------------------------------------------------------------------


@dataclass(frozen=True)
class ProvisioningNeeds:
    """What a provisioning run asks for: area codes for these countries, and an alphanumeric sender ID or not."""

    area_code_countries: tuple[str, ...]
    alphanumeric_id: bool


def pending_countries(plan: SenderPlan) -> list[dict[str, Any]]:
    """The plan's countries without a step yet, or whose last step failed."""
    last_outcome = {entry["country"]: entry["outcome"] for entry in plan.provisioning_log}
    return [
        country
        for country in plan.recommendation.get("countries", [])
        if last_outcome.get(country["country"]) in (None, FAILED)
    ]


def top_option(country: Mapping[str, Any]) -> Mapping[str, Any] | None:
    """A country's top-ranked option of the recommendation, or None when no sender type fits."""
    options = country.get("options") or []
    return options[0] if options else None


def plan_provisioning_needs(plan: SenderPlan) -> ProvisioningNeeds:
    """The inputs the countries still to provision need (their top-ranked sender types decide)."""
    countries: list[str] = []
    alphanumeric = False
    for country in pending_countries(plan):
        option = top_option(country)
        sender_type = option["sender_type"] if option else None
        if sender_type == TEN_DLC or (sender_type == LONG_CODE and country["country"] in NANP_COUNTRIES):
            countries.append(country["country"])
        alphanumeric = alphanumeric or sender_type == ALPHANUMERIC_UNREGISTERED
    return ProvisioningNeeds(tuple(countries), alphanumeric)


def plan_provisionable(plan: SenderPlan) -> bool:
    """Whether a provisioning run may start: a draft, or a plan whose last run left failed steps."""
    return plan.status in STARTABLE


def default_alphanumeric_id(name: str) -> str:
    """A sender ID from a tenant name: its first words within 11 characters ('Acme Appointments' gives 'Acme')."""
    chosen = ""
    for word in re.findall(r"[A-Za-z0-9]+", name):
        candidate = f"{chosen} {word}" if chosen else word[:11]
        if len(candidate) > 11:
            break
        chosen = candidate
    return chosen if ALPHANUMERIC_ID.match(chosen) else "SMS"


def plan_provision_start(
    *,
    tenant: Tenant,
    plan: SenderPlan,
    area_codes: Mapping[str, str] | None = None,
    alphanumeric_id: str = "",
    actor: User | None = None,
    actor_label: str | None = None,
) -> SenderPlan:
    """Claim the plan for a provisioning run and hand the run to a task; returns at once, the plan provisioning.

    Refuses (before anything is bought) bad area codes or sender IDs, a suspended or closed tenant, a tenant without
    a subaccount, and a plan that is provisioned or being provisioned (PlanNotProvisionable).
    """
    from messaging.tasks import plan_provision_task

    options = {
        "area_codes": _checked_area_codes(area_codes or {}),
        "alphanumeric_id": alphanumeric_id_check(
            alphanumeric_id.strip() or default_alphanumeric_id(tenant.name), field="alphanumeric_id"
        ),
        "actor_id": actor.pk if actor is not None else None,
        "actor_label": actor_label or (actor.email if actor is not None else "system"),
        "in_flight": None,
    }
    sending_credentials(tenant=tenant)
    with transaction.atomic():
        claimed = SenderPlan.objects.filter(pk=plan.pk, status__in=STARTABLE).update(
            status=SenderPlan.Status.PROVISIONING, provisioning_started_at=timezone.now(), provisioning_options=options
        )
        plan.refresh_from_db()
        if not claimed:
            if plan.status == SenderPlan.Status.PROVISIONING:
                raise PlanNotProvisionable(f"plan {plan.name!r} is being provisioned right now", field="status")
            raise PlanNotProvisionable(f"plan {plan.name!r} is provisioned already: see its log", field="status")
        audit_record(
            action="sender_plan.provisioning_started",
            tenant=tenant,
            actor=actor,
            actor_label=actor_label,
            target=f"plan {plan.pk}: {plan.name}",
            details={"countries": [country["country"] for country in pending_countries(plan)]},
        )
        enqueue_on_commit(plan_provision_task, plan_id=plan.pk)
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
