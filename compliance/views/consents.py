"""Tenant UI: consent records — listed by number and purpose, and added with their evidence."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from compliance import selectors
from compliance.errors import ComplianceError
from compliance.forms import ConsentForm
from compliance.models import Consent
from compliance.services.consent import consent_record
from config.forms import add_service_error
from tenants.decorators import permission_required

PAGE_SIZE = 50


def _page(request, *, form: ConsentForm | None = None, status: int = 200):
    number = request.GET.get("number", "").strip()[:32]
    purpose = request.GET.get("purpose", "")
    purpose = purpose if purpose in Consent.Purpose.values else ""
    found = selectors.consents(purpose=purpose, search=number)
    page = Paginator(found, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "number": number,
        "purpose": purpose,
        "purposes": Consent.Purpose.choices,
        "form": form or ConsentForm(),
    }
    return render(request, "compliance/consents.html", context, status=status)


@permission_required("compliance.view")
def consent_list(request):
    return _page(request)


@require_POST
@permission_required("compliance.manage")
def consent_add(request):
    form = ConsentForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            consent = consent_record(
                tenant=request.tenant,
                number=data["number"],
                purpose=data["purpose"],
                source=data["source"],
                evidence=data["evidence"],
                disclosure=data["disclosure"],
                collected_at=data["collected_at"],
                lift_opt_out=data["lift_opt_out"],
                actor=request.user,
                actor_label=request.user.email,
            )
        except ComplianceError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, f"Consent of {consent.number} to {consent.get_purpose_display()} recorded.")
            return redirect("ui:consents")
    return _page(request, form=form, status=400)
