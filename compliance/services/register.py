"""The opt-out register: record opt-outs and opt-ins (append-only), keep the suppressions in force in step.

An opt-out is written in the caller's transaction, before the webhook that brought it answers. Scopes are strings:
`tenant` (everything the tenant sends), `sender:<address>` (one number, short code or Messaging Service),
`pool:<id>` (one of the tenant's sender pools). An opt-out of the whole tenant also revokes the number's consents.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from django.db import connection, transaction
from django.utils import timezone

from compliance.errors import ComplianceValidationError, NotOptedOut
from compliance.models import Consent, OptOutEvent, Suppression
from compliance.services import events
from compliance.services.numbers import e164
from tenants.audit import audit_record
from tenants.models import Tenant

TENANT_SCOPE = "tenant"
AUDITED_SOURCES = {OptOutEvent.Source.API, OptOutEvent.Source.UI, OptOutEvent.Source.STAFF, OptOutEvent.Source.IMPORT}


@dataclass(frozen=True)
class RegisterChange:
    event: OptOutEvent | None
    scopes: tuple[str, ...]  # the scopes this change newly suppressed (opt-out) or lifted (opt-in)


def check_scope(scope: str) -> str:
    """`tenant`, `sender:<address>` or `pool:<id>`; ComplianceValidationError otherwise."""
    kind, _, ref = scope.partition(":")
    if scope == TENANT_SCOPE or (kind in ("sender", "pool") and ref and len(scope) <= 48):
        return scope
    raise ComplianceValidationError(f"'{scope}' is not a scope: tenant, sender:<address> or pool:<id>", field="scope")


INSERT_SUPPRESSIONS = """
INSERT INTO compliance_suppression (number, scope, opted_out_at, event_id)
SELECT %(number)s, scope, %(at)s, %(event)s FROM unnest(%(scopes)s::text[]) AS scope
ON CONFLICT (number, scope) DO NOTHING
RETURNING scope
"""


def opt_out_record(
    *,
    tenant: Tenant,
    number: str,
    source: str,
    actor_label: str,
    scopes: Sequence[str] = (TENANT_SCOPE,),
    keyword: str = "",
    message_sid: str = "",
    body: str = "",
    evidence: str = "",
    occurred_at: datetime | None = None,
    actor=None,
) -> RegisterChange:
    """Record an opt-out of `number` for `scopes`; returns the event and the scopes it newly suppressed (none when
    the number was opted out of all of them already: the event is kept all the same)."""
    number = e164(number, default_country=tenant.default_country)
    scopes = tuple(dict.fromkeys(check_scope(s) for s in scopes))
    at = occurred_at or timezone.now()
    with transaction.atomic():
        event = OptOutEvent.objects.create(
            number=number,
            kind=OptOutEvent.Kind.OPT_OUT,
            scopes=list(scopes),
            source=source,
            keyword=keyword,
            message_sid=message_sid,
            body=body[:1600],
            evidence=evidence,
            actor_label=actor_label,
            occurred_at=at,
        )
        with connection.cursor() as cursor:
            cursor.execute(INSERT_SUPPRESSIONS, {"number": number, "at": at, "event": event.pk, "scopes": list(scopes)})
            added = tuple(row[0] for row in cursor.fetchall())
        if TENANT_SCOPE in scopes:
            Consent.objects.filter(number=number, revoked_at__isnull=True).update(revoked_at=at, revoked_by=event)
        if source in AUDITED_SOURCES:
            audit_record(
                action="compliance.opt_out_recorded",
                tenant=tenant,
                actor=actor,
                actor_label=actor_label,
                target=number,
                details={"scopes": list(scopes), "source": source},
            )
        if added:
            events.publish(tenant=tenant, kind="opted_out", number=number, scopes=added, source=source, at=at)
    return RegisterChange(event, added)


def opt_in_record(
    *,
    tenant: Tenant,
    number: str,
    source: str,
    actor_label: str,
    evidence: str,
    scopes: Sequence[str] | None = None,
    keyword: str = "",
    message_sid: str = "",
    occurred_at: datetime | None = None,
    actor=None,
    require_opted_out: bool = True,
) -> RegisterChange:
    """Lift the number's opt-outs in `scopes` (all of them when None) with the evidence that it opted back in; the
    opt-outs stay in the register beside this event. NotOptedOut when nothing was in force (unless not required)."""
    number = e164(number, default_country=tenant.default_country)
    if not evidence.strip():
        raise ComplianceValidationError(
            "say why the opt-out may be lifted: the evidence of the opt-in", field="evidence"
        )
    at = occurred_at or timezone.now()
    with transaction.atomic():
        held = Suppression.objects.select_for_update().filter(number=number)
        if scopes is not None:
            held = held.filter(scope__in=[check_scope(s) for s in scopes])
        lifted = tuple(sorted(held.values_list("scope", flat=True)))
        if not lifted:
            if require_opted_out:
                raise NotOptedOut(
                    f"{number} is not opted out" + (f" of {', '.join(scopes)}" if scopes else ""), field="number"
                )
            return RegisterChange(None, ())
        event = OptOutEvent.objects.create(
            number=number,
            kind=OptOutEvent.Kind.OPT_IN,
            scopes=list(lifted),
            source=source,
            keyword=keyword,
            message_sid=message_sid,
            evidence=evidence.strip(),
            actor_label=actor_label,
            occurred_at=at,
        )
        Suppression.objects.filter(number=number, scope__in=lifted).delete()
        if source in AUDITED_SOURCES:
            audit_record(
                action="compliance.opt_out_lifted",
                tenant=tenant,
                actor=actor,
                actor_label=actor_label,
                target=number,
                details={"scopes": list(lifted), "evidence": evidence.strip()},
            )
        events.publish(tenant=tenant, kind="opted_in", number=number, scopes=lifted, source=source, at=at)
    return RegisterChange(event, lifted)
