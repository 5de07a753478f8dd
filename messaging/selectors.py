"""Read-only queries on the tenant schema of the current request or task."""

from dataclasses import dataclass
from decimal import Decimal

from messaging.models import Contact, Sender


@dataclass(frozen=True)
class DashboardSummary:
    contacts: int
    senders: int


def dashboard_summary() -> DashboardSummary:
    """Counts shown on the dashboard."""
    return DashboardSummary(contacts=Contact.objects.count(), senders=Sender.objects.count())


def catalogue_mps(kind: str, country: str) -> Decimal:
    """Default outbound MPS of a sender kind towards its own country (twilio.md §6 defaults)."""
    from messaging.catalogue.selectors import default_mps

    return default_mps(kind, country)
