"""Read-only queries on the tenant schema of the current request or task."""

from dataclasses import dataclass

from messaging.models import Contact, Sender


@dataclass(frozen=True)
class DashboardSummary:
    contacts: int
    senders: int


def dashboard_summary() -> DashboardSummary:
    """Counts shown on the dashboard."""
    return DashboardSummary(contacts=Contact.objects.count(), senders=Sender.objects.count())
