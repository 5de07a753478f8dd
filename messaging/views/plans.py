"""Tenant UI: a saved sender plan, its recommendation, and its provisioning run with the log of each step."""

from __future__ import annotations

from datetime import datetime

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from messaging import selectors
from messaging.domain.recommend import USE_CASE_LABELS
from messaging.errors import MessagingError
from messaging.forms import SenderPlanProvisionForm
from messaging.models import SenderPlan
from messaging.services import plans
from tenants.decorators import permission_required


def _provision_form(request, plan: SenderPlan, data=None) -> SenderPlanProvisionForm:
    needs = plans.plan_provisioning_needs(plan)
    alphanumeric_id = plans.default_alphanumeric_id(request.tenant.name) if needs.alphanumeric_id else None
    return SenderPlanProvisionForm(data, area_code_countries=needs.area_code_countries, alphanumeric_id=alphanumeric_id)


def _plan_page(request, plan: SenderPlan, form: SenderPlanProvisionForm | None = None, *, status: int = 200):
    provisionable = plans.plan_provisionable(plan)
    if form is None and provisionable:
        form = _provision_form(request, plan)
    log = [{**entry, "when": datetime.fromisoformat(entry["at"])} for entry in plan.provisioning_log]
    context = {
        "plan": plan,
        "recommendation": plan.recommendation,
        "use_case_label": USE_CASE_LABELS.get(plan.request.get("use_case"), plan.request.get("use_case")),
        "provisionable": provisionable,
        "form": form,
        "log": log,
        "manual_steps": sum(1 for entry in log if entry["outcome"] == plans.MANUAL),
        "in_progress": plan.status == SenderPlan.Status.PROVISIONING,
    }
    return render(request, "messaging/wizard/plan.html", context, status=status)


@permission_required("senders.manage")
def sender_plan(request, plan_id: int):
    return _plan_page(request, get_object_or_404(selectors.plans(), pk=plan_id))


def _form_field(field: str | None) -> str | None:
    """The provisioning form's field for a service error's field ('area_codes.US' → 'area_code_US')."""
    if field and field.startswith("area_codes."):
        return "area_code_" + field.removeprefix("area_codes.")
    return field


@require_POST
@permission_required("senders.manage")
def sender_plan_provision(request, plan_id: int):
    plan = get_object_or_404(selectors.plans(), pk=plan_id)
    form = _provision_form(request, plan, request.POST)
    if not form.is_valid():
        return _plan_page(request, plan, form, status=400)
    try:
        plans.plan_provision_start(tenant=request.tenant, plan=plan, **form.provisioning_options(), actor=request.user)
    except MessagingError as exc:
        field = _form_field(exc.field)
        if field in form.fields:
            form.add_error(field, exc.message)
            return _plan_page(request, plan, form, status=400)
        messages.error(request, exc.message)
    else:
        messages.success(request, "Provisioning started: each country's step appears in the log below as it ends.")
    return redirect("ui:sender_plan", plan_id=plan.pk)
