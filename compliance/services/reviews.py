"""Revocation reviews: a person decides whether a reply such as "Stop please" revoked consent."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from compliance.errors import ComplianceValidationError, ReviewDecided
from compliance.models import OptOutEvent, RevocationReview, Suppression
from compliance.services.register import opt_in_record, opt_out_record
from tenants.audit import audit_record
from tenants.models import Tenant


def review_decide(
    *, tenant: Tenant, review: RevocationReview, revoked: bool, actor_label: str, note: str = "", source: str = "ui",
    actor=None,
) -> RevocationReview:  # fmt: skip
    """Decide a review: a revocation opts the number out (if it is not already); not one lifts a suppression
    made at once, with the decision as its evidence."""
    if not revoked and not note.strip():
        raise ComplianceValidationError("say why the reply is not a request to stop", field="note")
    with transaction.atomic():
        review = RevocationReview.objects.select_for_update().get(pk=review.pk)
        if review.status != RevocationReview.Status.OPEN:
            raise ReviewDecided(f"this reply was decided already: {review.get_status_display()}", field=None)
        if revoked and not review.suppressed_at_once:
            change = opt_out_record(
                tenant=tenant,
                number=review.number,
                scopes=review.scopes,
                source=OptOutEvent.Source.REVOCATION,
                actor_label=actor_label,
                message_sid=review.message_sid,
                body=review.body,
                evidence=f"reviewed by {actor_label}: {note}".strip(": "),
                actor=actor,
            )
            review.opt_out_event = change.event
        if not revoked and review.suppressed_at_once:
            still = Suppression.objects.filter(number=review.number, event=review.opt_out_event).values_list(
                "scope", flat=True
            )
            if still:
                opt_in_record(
                    tenant=tenant,
                    number=review.number,
                    scopes=list(still),
                    source=source,
                    actor_label=actor_label,
                    evidence=f"review: not a request to stop — {note}",
                    actor=actor,
                )
        review.status = RevocationReview.Status.REVOKED if revoked else RevocationReview.Status.DISMISSED
        review.decided_at, review.decided_by, review.note = timezone.now(), actor_label, note[:500]
        review.save(update_fields=["status", "decided_at", "decided_by", "note", "opt_out_event"])
        audit_record(
            action="compliance.review_decided",
            tenant=tenant,
            actor=actor,
            actor_label=actor_label,
            target=review.number,
            details={"revoked": revoked, "note": note},
        )
    return review
