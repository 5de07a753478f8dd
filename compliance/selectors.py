"""Reads of the compliance tables: the register, suppressions, consent, reviews."""

from __future__ import annotations

from collections.abc import Sequence

from django.db.models import Count, QuerySet

from compliance.models import Consent, OptOutEvent, RevocationReview, Suppression
from compliance.services.register import TENANT_SCOPE


def is_suppressed(number: str, scopes: Sequence[str] = ()) -> bool:
    """Whether an opt-out in force covers `number` for the tenant or any of `scopes`."""
    return Suppression.objects.filter(number=number, scope__in=[TENANT_SCOPE, *scopes]).exists()


def suppressions(*, search: str = "", scope: str = "") -> QuerySet[Suppression]:
    """The opt-outs in force, newest first; `search` matches part of the number."""
    found = Suppression.objects.select_related("event")
    if search:
        found = found.filter(number__contains=search.strip())
    if scope:
        found = found.filter(scope=scope)
    return found.order_by("-opted_out_at", "-id")


def register_events(*, number: str = "", kind: str = "", source: str = "") -> QuerySet[OptOutEvent]:
    """The register, newest first, optionally for one number, kind or source."""
    found = OptOutEvent.objects.all()
    if number:
        found = found.filter(number=number)
    if kind:
        found = found.filter(kind=kind)
    if source:
        found = found.filter(source=source)
    return found.order_by("-occurred_at", "-id")


def consents(*, number: str = "", purpose: str = "", active: bool | None = None, search: str = "") -> QuerySet[Consent]:
    """Consent records, newest first; `search` matches part of the number."""
    found = Consent.objects.select_related("revoked_by")
    if number:
        found = found.filter(number=number)
    if search:
        found = found.filter(number__contains=search.strip())
    if purpose:
        found = found.filter(purpose=purpose)
    if active is not None:
        found = found.filter(revoked_at__isnull=active)
    return found.order_by("-collected_at", "-id")


def reviews(*, status: str = "") -> QuerySet[RevocationReview]:
    found = RevocationReview.objects.all()
    if status:
        found = found.filter(status=status)
    return found.order_by("due_at", "id")


def register_counts() -> dict[str, int]:
    """Numbers opted out now, open reviews, active consents: the compliance page's headline figures."""
    return {
        "opted_out": Suppression.objects.values("number").distinct().count(),
        "open_reviews": RevocationReview.objects.filter(status=RevocationReview.Status.OPEN).count(),
        "active_consents": Consent.objects.filter(revoked_at__isnull=True).count(),
        "by_source": dict(
            OptOutEvent.objects.filter(kind=OptOutEvent.Kind.OPT_OUT)
            .values_list("source")
            .annotate(n=Count("id"))
            .values_list("source", "n")
        ),
    }


# Opt-outs the recipients asked for themselves, which an opt-out rate counts (not imports, staff or API entries).
RECIPIENT_SOURCES = (OptOutEvent.Source.KEYWORD, OptOutEvent.Source.TWILIO, OptOutEvent.Source.REVOCATION)


def opt_outs_after(*, after_id: int, limit: int = 10_000) -> list[tuple[int, object]]:
    """(id, occurred_at) of the register's opt-outs asked for by recipients, recorded after event `after_id`, in
    id order, at most `limit`; the register is append-only, so a reader that remembers the last id misses none."""
    return list(
        OptOutEvent.objects.filter(pk__gt=after_id, kind=OptOutEvent.Kind.OPT_OUT, source__in=RECIPIENT_SOURCES)
        .order_by("pk")
        .values_list("pk", "occurred_at")[:limit]
    )
