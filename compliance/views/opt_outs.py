"""Tenant UI: the opt-out register — search the opt-outs in force, a number's history, add one, lift one with the
evidence of an opt-in, import a CSV file (with its rejected rows) and export the register."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from compliance import selectors
from compliance.domain.register_csv import csv_lines
from compliance.errors import ComplianceError, ComplianceValidationError
from compliance.forms import ImportForm, LiftForm, OptOutForm, OptOutSearchForm
from compliance.models import OptOutEvent, Suppression
from compliance.services.numbers import e164
from compliance.services.register import opt_in_record, opt_out_record
from compliance.services.register_files import opt_outs_export, opt_outs_import
from config.forms import add_service_error
from tenants.decorators import permission_required

PAGE_SIZE = 50


def _filters(request) -> tuple[OptOutSearchForm, dict]:
    form = OptOutSearchForm(request.GET or None)
    if not form.is_valid():
        return form, {}
    return form, {"search": form.cleaned_data.get("q") or "", "scope": form.cleaned_data.get("scope") or ""}


def _register_page(request, *, add_form: OptOutForm | None = None, status: int = 200):
    search, filters = _filters(request)
    page = Paginator(selectors.suppressions(**filters), PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "search": search,
        "page": page,
        "query": query.urlencode(),
        "counts": selectors.register_counts(),
        "add_form": add_form or OptOutForm(),
    }
    return render(request, "compliance/opt_outs.html", context, status=status)


@permission_required("compliance.view")
def opt_out_list(request):
    return _register_page(request)


@require_POST
@permission_required("optouts.manage")
def opt_out_add(request):
    form = OptOutForm(request.POST)
    if form.is_valid():
        try:
            change = opt_out_record(
                tenant=request.tenant,
                number=form.cleaned_data["number"],
                scopes=[form.cleaned_data["scope"].strip()],
                source=OptOutEvent.Source.UI,
                evidence=form.cleaned_data["evidence"],
                actor=request.user,
                actor_label=request.user.email,
            )
        except ComplianceError as exc:
            add_service_error(form, exc, aliases={"scope": "scope"})
        else:
            number = change.event.number
            note = "opted out" if change.scopes else "was opted out already; the event is kept"
            messages.success(request, f"{number} {note}.")
            return redirect("ui:opt_out", number=number)
    return _register_page(request, add_form=form, status=400)


def _number_or_404(raw: str, tenant) -> str:
    try:
        number = e164(raw, default_country=tenant.default_country)
    except ComplianceValidationError as exc:
        raise Http404 from exc
    if not OptOutEvent.objects.filter(number=number).exists():
        raise Http404
    return number


def _history_page(request, number: str, *, lift_form: LiftForm | None = None, status: int = 200):
    context = {
        "number": number,
        "events": selectors.register_events(number=number),
        "in_force": Suppression.objects.filter(number=number).order_by("scope"),
        "lift_form": lift_form or LiftForm(),
    }
    return render(request, "compliance/opt_out.html", context, status=status)


@permission_required("compliance.view")
def opt_out_history(request, number: str):
    return _history_page(request, _number_or_404(number, request.tenant))


@require_POST
@permission_required("optouts.manage")
def opt_out_lift(request, number: str):
    number = _number_or_404(number, request.tenant)
    form = LiftForm(request.POST)
    if form.is_valid():
        try:
            opt_in_record(
                tenant=request.tenant,
                number=number,
                source=OptOutEvent.Source.UI,
                evidence=form.cleaned_data["evidence"],
                actor=request.user,
                actor_label=request.user.email,
            )
        except ComplianceError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, f"The opt-out of {number} is lifted; both events stay in the register.")
            return redirect("ui:opt_out", number=number)
    return _history_page(request, number, lift_form=form, status=400)


@permission_required("optouts.manage")
def opt_out_import(request):
    form, report = ImportForm(), None
    if request.method == "POST":
        form = ImportForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                report = opt_outs_import(
                    tenant=request.tenant,
                    upload=form.cleaned_data["file"],
                    actor=request.user,
                    actor_label=request.user.email,
                )
            except ComplianceError as exc:
                add_service_error(form, exc)
    status = 400 if form.errors else 200
    return render(request, "compliance/opt_out_import.html", {"form": form, "report": report}, status=status)


@permission_required("compliance.view")
def opt_out_export(request):
    _, filters = _filters(request)
    rows = opt_outs_export(tenant=request.tenant, actor=request.user, actor_label=request.user.email, **filters)
    response = StreamingHttpResponse(
        (line.encode() for line in csv_lines(rows)), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="opt-outs-{timezone.localdate().isoformat()}.csv"'
    return response
