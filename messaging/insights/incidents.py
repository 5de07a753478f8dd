"""Health incidents: the tenant's recent traffic held to its thresholds, an incident opened for each rule it breaks and
closed when the rule holds again; the tenant's owners and admins and the ISV staff are emailed both times, and the
tenant's webhook endpoints get `incident.updated`.

`incidents_evaluate` runs in the tenant's schema (after each squash, so on the rollup the squash just wrote); the
window is the hour buckets that the last `window_minutes` touch.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string

from messaging.domain.insights import RULE_TITLES, Breach, Figures, Rule, Thresholds, breaches
from messaging.domain.webhooks.events import WebhookEventType
from messaging.insights import queries
from messaging.insights.models import DebuggerEvent, HealthThresholds, Incident
from messaging.outbound_webhooks.notices import notified_emails
from messaging.outbound_webhooks.publish import webhook_event_publish
from tenants.models import Tenant, User
from tenants.people.services import tenant_url

RATE_RULES = frozenset({Rule.DELIVERY_ERRORS, Rule.OPT_OUTS, Rule.FILTERING})


@dataclass
class Evaluation:
    opened: list[Incident] = field(default_factory=list)
    closed: list[Incident] = field(default_factory=list)
    still_open: list[Incident] = field(default_factory=list)


def thresholds_of(tenant: Tenant) -> HealthThresholds:
    """The tenant's thresholds row, or an unsaved one with the defaults."""
    return HealthThresholds.objects.filter(tenant=tenant).first() or HealthThresholds(tenant=tenant)


def as_limits(row: HealthThresholds) -> Thresholds:
    return Thresholds(
        error_rate=float(row.error_rate_percent) / 100,
        opt_out_rate=float(row.opt_out_rate_percent) / 100,
        filtering_rate=float(row.filtering_rate_percent) / 100,
        registration_errors=row.registration_errors,
        queue_overflows=row.queue_overflows,
        debugger_errors=row.debugger_errors,
        min_messages=row.min_messages,
    )


def window_figures(*, tenant: Tenant, now: datetime, minutes: int) -> tuple[Figures, int]:
    """The figures of the hour buckets the last `minutes` touch (current schema), and the debugger errors then."""
    since = now - timedelta(minutes=minutes)
    start = since.replace(minute=0, second=0, microsecond=0)
    figures = queries.summary(queries.Scope(start=start, end=now + timedelta(hours=1)))
    errors = DebuggerEvent.objects.filter(tenant=tenant, level="error", occurred_at__gte=since).count()
    return figures, errors


def figures_dict(figures: Figures, debugger_errors: int) -> dict:
    """The window's figures as the incident keeps them (JSON)."""
    return {
        "messages": figures.messages,
        "finished": figures.finished,
        "delivered": figures.delivered,
        "failed": figures.failed,
        "opt_outs": figures.opt_outs,
        "error_rate": figures.error_rate,
        "opt_out_rate": figures.opt_out_rate,
        "by_code": {str(code): count for code, count in sorted(figures.by_code.items())},
        "debugger_errors": debugger_errors,
    }


def incidents_evaluate(*, tenant: Tenant, now: datetime) -> Evaluation:
    """Open an incident for each rule the tenant's window breaks and has none open, close the open ones whose rule
    holds again; notifications leave after the transaction commits."""
    settings_row = thresholds_of(tenant)
    figures, debugger_errors = window_figures(tenant=tenant, now=now, minutes=settings_row.window_minutes)
    found = breaches(figures, debugger_errors, as_limits(settings_row))
    snapshot = figures_dict(figures, debugger_errors)
    result = Evaluation()
    with transaction.atomic():
        opened = Incident.objects.select_for_update().filter(tenant=tenant, status=Incident.Status.OPEN)
        open_now = {incident.rule: incident for incident in opened}
        for rule, breach in found.items():
            incident = open_now.pop(rule.value, None)
            if incident is None:
                result.opened.append(_open(tenant, breach, snapshot, now))
            else:
                incident.peak = max(incident.peak, breach.value)
                incident.last_figures = snapshot
                incident.save(update_fields=["peak", "last_figures"])
                result.still_open.append(incident)
        for incident in open_now.values():
            incident.status, incident.ended_at, incident.last_figures = Incident.Status.CLOSED, now, snapshot
            incident.save(update_fields=["status", "ended_at", "last_figures"])
            result.closed.append(incident)
        for incident in [*result.opened, *result.closed]:
            _publish(incident, now)
        changed = [*result.opened, *result.closed]
        if changed:
            transaction.on_commit(lambda: incidents_notify(tenant=tenant, incidents=changed))
    return result


def _open(tenant: Tenant, breach: Breach, snapshot: dict, now: datetime) -> Incident:
    return Incident.objects.create(
        tenant=tenant,
        rule=breach.rule.value,
        started_at=now,
        value=breach.value,
        threshold=breach.threshold,
        peak=breach.value,
        figures=snapshot,
        last_figures=snapshot,
    )


def _publish(incident: Incident, now: datetime) -> None:
    webhook_event_publish(
        event_type=WebhookEventType.INCIDENT,
        payload=incident_payload(incident),
        occurred_at=incident.ended_at or incident.started_at or now,
    )


def incident_payload(incident: Incident) -> dict:
    """An incident as the API and the webhook show it."""
    return {
        "id": incident.pk,
        "rule": incident.rule,
        "title": RULE_TITLES[Rule(incident.rule)],
        "status": incident.status,
        "started_at": incident.started_at.isoformat(),
        "ended_at": incident.ended_at.isoformat() if incident.ended_at else None,
        "value": incident.value,
        "threshold": incident.threshold,
        "peak": incident.peak,
        "figures": incident.figures,
    }


def describe(rule: str, value: float) -> str:
    """`value` as a person reads it: a percentage for rate rules, else a count."""
    return f"{value * 100:.2f} %" if Rule(rule) in RATE_RULES else f"{value:g}"


def staff_emails() -> list[str]:
    return list(User.objects.filter(is_staff=True, is_active=True).order_by("email").values_list("email", flat=True))


def incidents_notify(*, tenant: Tenant, incidents: list[Incident]) -> int:
    """Email the tenant's owners and admins and the ISV staff about incidents opened or closed; returns the number of
    emails sent."""
    recipients = sorted(set(notified_emails(tenant)) | set(staff_emails()))
    if not recipients:
        return 0
    sent = 0
    for incident in incidents:
        verb = "opened" if incident.status == Incident.Status.OPEN else "closed"
        context = {
            "tenant": tenant,
            "incident": incident,
            "verb": verb,
            "title": RULE_TITLES[Rule(incident.rule)],
            "value": describe(incident.rule, incident.value),
            "threshold": describe(incident.rule, incident.threshold),
            "peak": describe(incident.rule, incident.peak),
            "page_url": tenant_url(tenant, "/insights/incidents/"),
        }
        sent += send_mail(
            subject=f"Switchboard: incident {verb} for {tenant.name}: {context['title']}",
            message=render_to_string("messaging/email/incident.txt", context),
            from_email=None,
            recipient_list=recipients,
        )
    return sent
