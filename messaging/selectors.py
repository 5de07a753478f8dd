"""Read-only queries on the tenant schema of the current request or task."""

from dataclasses import dataclass

from compliance.domain import registration
from messaging.models import Contact, Sender


@dataclass(frozen=True)
class DashboardSummary:
    contacts: int
    senders: int


def dashboard_summary() -> DashboardSummary:
    """Counts shown on the dashboard."""
    return DashboardSummary(contacts=Contact.objects.count(), senders=Sender.objects.count())


def senders_with_registration() -> list[Sender]:
    """Every sender, each with `next_states` (the registration moves it may make) and `verdict` (may it send)."""
    senders = list(Sender.objects.all())
    for sender in senders:
        sender.next_states = sorted(registration.next_states(sender.kind, sender.registration_state))
        sender.verdict = registration.sending_verdict(sender.kind, sender.registration_state)
    return senders
