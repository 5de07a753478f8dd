"""Tenant UI: the sender-selection wizard, three steps of questions, then the recommendation, saved as a plan.

The steps are GET forms that carry the earlier answers as hidden fields, so Back and Next keep everything typed and
nothing is written until the plan is saved (a POST).
"""

from __future__ import annotations

from dataclasses import dataclass

from django import forms
from django.contrib import messages
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from config.forms import add_service_error
from messaging import selectors
from messaging.domain.recommend import USE_CASE_LABELS
from messaging.errors import MessagingError
from messaging.forms import SenderPlanSaveForm, WizardTimingForm, WizardUseCaseForm, WizardVolumeForm
from messaging.services import plans
from tenants.decorators import permission_required


@dataclass(frozen=True)
class Step:
    number: int
    title: str
    form_class: type[forms.Form]
    marker: str  # a field the step always submits: present in the data once the step was answered


STEPS = (
    Step(1, "Use case", WizardUseCaseForm, "two_way"),
    Step(2, "Countries and volume", WizardVolumeForm, "daily_volume"),
    Step(3, "Timing and priorities", WizardTimingForm, "go_live"),
)
RESULT_STEP = len(STEPS) + 1
RECENT_PLANS = 20

# The recommendation's field names, and the step and form field that ask for each.
FIELD_STEPS = {
    "use_case": (1, "use_case"),
    "two_way": (1, "two_way"),
    "countries": (2, "countries"),
    "daily_volume": (2, "daily_volume"),
    "peak_messages": (2, "peak_messages"),
    "peak_window_seconds": (2, "peak_window_minutes"),
    "required_mps": (2, "required_mps"),
    "segments_per_message": (2, "segments_per_message"),
    "go_live": (3, "go_live"),
    "time_sensitive": (3, "time_sensitive"),
    "validity_period_seconds": (3, "validity_period_minutes"),
    "priority": (3, "priority"),
    "voice": (3, "voice"),
    "tendlc_tier": (3, "tendlc_tier"),
}


def _step_number(data) -> int:
    try:
        return min(max(int(data.get("step", 1)), 1), RESULT_STEP)
    except ValueError:
        return 1


def _bound_forms(data) -> list[forms.Form]:
    return [step.form_class(data) for step in STEPS]


def _carried(data, visible: forms.Form | None = None) -> list[tuple[str, str]]:
    """The answers not on the visible form, to be sent along as hidden fields."""
    shown = set(visible.fields) if visible is not None else set()
    names = [name for step in STEPS for name in step.form_class.base_fields if name not in shown]
    return [(name, value) for name in names for value in data.getlist(name)]


def _step_page(request, number: int, data, form: forms.Form | None = None, *, status: int = 200):
    step = STEPS[number - 1]
    if form is None:
        form = step.form_class(data) if step.marker in data else step.form_class()
    context = {
        "steps": STEPS,
        "step": step,
        "current": number,
        "result_step": RESULT_STEP,
        "form": form,
        "carried": _carried(data, form),
        "plans": selectors.plans()[:RECENT_PLANS] if number == 1 else (),
    }
    return render(request, "messaging/wizard/step.html", context, status=status)


def _result_page(request, data, recommendation: dict, save_form: forms.Form, *, status: int = 200):
    context = {
        "steps": STEPS,
        "current": RESULT_STEP,
        "result_step": RESULT_STEP,
        "recommendation": recommendation,
        "use_case_label": USE_CASE_LABELS[recommendation["request"]["use_case"]],
        "carried": _carried(data),
        "save_form": save_form,
    }
    return render(request, "messaging/wizard/result.html", context, status=status)


def _request_data(step_forms: list[forms.Form]) -> dict:
    """The answers as the recommendation's fields (the peak window in seconds)."""
    first, second, third = (form.cleaned_data for form in step_forms)
    minutes = second["peak_window_minutes"]
    validity = third["validity_period_minutes"]
    return {
        "use_case": first["use_case"],
        "two_way": first["two_way"],
        "countries": second["countries"],
        "daily_volume": second["daily_volume"],
        "peak_messages": second["peak_messages"],
        "peak_window_seconds": minutes * 60 if minutes is not None else None,
        "required_mps": second["required_mps"],
        "segments_per_message": second["segments_per_message"],
        "go_live": third["go_live"],
        "time_sensitive": third["time_sensitive"],
        "validity_period_seconds": validity * 60 if validity is not None else None,
        "priority": third["priority"],
        "voice": third["voice"],
        "tendlc_tier": third["tendlc_tier"] or None,
    }


def _first_invalid(request, data, step_forms: list[forms.Form]):
    """The first step whose answers do not validate, rendered with its errors; None when all do."""
    for step, form in zip(STEPS, step_forms, strict=True):
        if not form.is_valid():
            return _step_page(request, step.number, data, form, status=400)
    return None


def _refused(request, data, step_forms: list[forms.Form], exc: MessagingError):
    """Back to the step that asks for the refused answer, the reason under its field."""
    number, field = FIELD_STEPS.get(exc.field, (len(STEPS), None))
    form = step_forms[number - 1]
    form.add_error(field, exc.message)
    return _step_page(request, number, data, form, status=400)


@require_http_methods(["GET", "POST"])
@permission_required("senders.manage")
def sender_wizard(request):
    """The wizard: GET walks the steps and shows the recommendation; POST saves it as a plan."""
    if request.method == "POST":
        return _save(request)
    data = request.GET
    if "step" not in data:
        return _step_page(request, 1, data, STEPS[0].form_class())
    number = _step_number(data)
    if data.get("action") == "back":
        return _step_page(request, max(number - 1, 1), data)
    if number < len(STEPS):
        form = STEPS[number - 1].form_class(data)
        if not form.is_valid():
            return _step_page(request, number, data, form, status=400)
        return _step_page(request, number + 1, data)
    step_forms = _bound_forms(data)
    invalid = _first_invalid(request, data, step_forms)
    if invalid is not None:
        return invalid
    try:
        recommendation = plans.recommendation_for(_request_data(step_forms))
    except MessagingError as exc:
        return _refused(request, data, step_forms, exc)
    return _result_page(request, data, recommendation.to_dict(), SenderPlanSaveForm())


def _save(request):
    data = request.POST
    step_forms = _bound_forms(data)
    invalid = _first_invalid(request, data, step_forms)
    if invalid is not None:
        return invalid
    save_form = SenderPlanSaveForm(data)
    answers = _request_data(step_forms)
    try:
        if save_form.is_valid():
            plan = plans.plan_save(name=save_form.cleaned_data["name"], data=answers, created_by=request.user.email)
            messages.success(request, f"Plan “{plan.name}” saved.")
            return redirect("ui:sender_plan", plan_id=plan.pk)
        recommendation = plans.recommendation_for(answers)
    except MessagingError as exc:
        if exc.field in FIELD_STEPS:
            return _refused(request, data, step_forms, exc)
        add_service_error(save_form, exc)
        recommendation = plans.recommendation_for(answers)
    return _result_page(request, data, recommendation.to_dict(), save_form, status=400)
