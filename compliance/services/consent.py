"""Consent records: a number's agreement to a purpose, with its evidence; an opt-out revokes them."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone

from compliance.errors import ComplianceValidationError
from compliance.models import Consent, OptOutEvent
from compliance.services.numbers import e164
from compliance.services.register import opt_in_record
from tenants.audit import audit_record
from tenants.models import Tenant

CLOCK_SKEW = timedelta(minutes=5)


def consent_record(
    *,
    tenant: Tenant,
    number: str,
    purpose: str,
    source: str,
    evidence: str,
    actor_label: str,
    collected_at: datetime | None = None,
    disclosure: str = "",
    evidence_ref: str = "",
    ip_address: str | None = None,
    user_agent: str = "",
    lift_opt_out: bool = False,
    actor=None,
) -> Consent:
    """Keep a consent with its evidence. With `lift_opt_out`, the number's opt-outs are lifted too, this consent
    being the evidence of the opt-in (both events stay in the register)."""
    number = e164(number, default_country=tenant.default_country)
    _check(purpose, source, evidence)
    now = timezone.now()
    collected_at = collected_at or now
    if collected_at > now + CLOCK_SKEW:
        raise ComplianceValidationError("collected_at is in the future", field="collected_at")
    with transaction.atomic():
        consent = Consent.objects.create(
            number=number,
            purpose=purpose,
            source=source,
            evidence=evidence.strip(),
            evidence_ref=evidence_ref,
            disclosure=disclosure,
            ip_address=ip_address or None,
            user_agent=user_agent[:500],
            collected_at=collected_at,
            actor_label=actor_label,
        )
        if lift_opt_out:
            opt_in_record(
                tenant=tenant,
                number=number,
                source=OptOutEvent.Source.CONSENT,
                actor_label=actor_label,
                evidence=f"consent #{consent.pk} ({source}): {evidence.strip()}"[:2000],
                actor=actor,
                occurred_at=collected_at,
            )
        audit_record(
            action="compliance.consent_recorded",
            tenant=tenant,
            actor=actor,
            actor_label=actor_label,
            target=number,
            details={"purpose": purpose, "source": source},
        )
    return consent


def _check(purpose: str, source: str, evidence: str) -> None:
    if purpose not in Consent.Purpose.values:
        raise ComplianceValidationError(
            f"'{purpose}' is not one of {', '.join(Consent.Purpose.values)}", field="purpose"
        )
    if source not in Consent.Source.values:
        raise ComplianceValidationError(f"'{source}' is not one of {', '.join(Consent.Source.values)}", field="source")
    if not evidence.strip():
        raise ComplianceValidationError(
            "say what shows the consent: a form and its wording, a keyword, a file", field="evidence"
        )
    if source == Consent.Source.IMPORT and "attest" not in evidence.lower():
        raise ComplianceValidationError(
            "an imported consent needs an attestation in its evidence, e.g. 'We attest these numbers opted in on …'",
            field="evidence",
        )
