"""Tenant UI: the revocation review queue — replies that read as a request to stop, decided by a person."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from compliance import selectors
from compliance.errors import ComplianceError
from compliance.forms import ReviewDecisionForm
from compliance.models import RevocationReview
from compliance.services.reviews import review_decide
from tenants.decorators import permission_required


@permission_required("compliance.view")
def review_list(request):
    status = request.GET.get("status", RevocationReview.Status.OPEN)
    status = status if status in RevocationReview.Status.values or status == "" else RevocationReview.Status.OPEN
    page = Paginator(selectors.reviews(status=status), 50).get_page(request.GET.get("page"))
    context = {"page": page, "status": status, "statuses": RevocationReview.Status.choices}
    return render(request, "compliance/reviews.html", context)


@require_POST
@permission_required("compliance.manage")
def review_decision(request, review_id: int):
    review = get_object_or_404(RevocationReview, pk=review_id)
    form = ReviewDecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choose whether the reply asked to stop.")
        return redirect("ui:compliance_reviews")
    try:
        review_decide(
            tenant=request.tenant,
            review=review,
            revoked=form.cleaned_data["revoked"],
            note=form.cleaned_data["note"],
            actor=request.user,
            actor_label=request.user.email,
        )
    except ComplianceError as exc:
        messages.error(request, f"{review.number}: {exc.message}")
    else:
        messages.success(request, f"The reply from {review.number} is decided.")
    return redirect("ui:compliance_reviews")
