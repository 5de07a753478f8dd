"""Read-only queries on the tenant schema of the current request or task; they own select/prefetch_related."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import QuerySet

from compliance.domain import registration
from messaging.models import Contact, Message, MessageEvent, Sender, SenderPlan, SenderPool


@dataclass(frozen=True)
class DashboardSummary:
    contacts: int
    senders: int


def dashboard_summary() -> DashboardSummary:
    """Counts shown on the dashboard."""
    return DashboardSummary(contacts=Contact.objects.count(), senders=Sender.objects.count())


def senders() -> QuerySet[Sender]:
    """Every sender of the tenant, in kind and address order."""
    return Sender.objects.all()


def senders_with_registration(*, by: registration.Mover) -> list[Sender]:
    """Every sender, each with `next_states` (the registration moves `by` may make) and `verdict` (may it send)."""
    found = list(senders())
    for sender in found:
        sender.next_states = sorted(registration.allowed_moves(sender.kind, sender.registration_state, by=by))
        sender.verdict = registration.sending_verdict(sender.kind, sender.registration_state)
    return found


def pools() -> QuerySet[SenderPool]:
    """Every sender pool with its senders."""
    return SenderPool.objects.prefetch_related("senders")


def plans() -> QuerySet[SenderPlan]:
    """Saved sender plans, newest first."""
    return SenderPlan.objects.all()


def messages() -> QuerySet[Message]:
    """Every message of the tenant, newest first."""
    return Message.objects.order_by("-id")


def message_events(message: Message) -> QuerySet[MessageEvent]:
    """A message's events, oldest first."""
    return MessageEvent.objects.filter(message=message).order_by("id")
