"""Tenant UI: the segment and throughput calculators, and the live segment counter under compose boxes."""

import json

from django.http import JsonResponse
from django.shortcuts import render
from django.views.decorators.http import require_POST

from messaging.domain.segments import count_segments
from messaging.errors import MessagingValidationError
from messaging.forms import SegmentsPreviewForm, ThroughputForm
from messaging.services.tools import throughput_calculate
from tenants.decorators import permission_required


@permission_required("dashboard.view")
def segments_tool(request):
    return render(request, "messaging/tools/segments.html")


@require_POST
@permission_required("dashboard.view")
def segments_preview(request):
    """The live counter under compose boxes: {body, smart_encoding} in, the segment report out.

    An empty box answers 0 segments rather than an error: the person is still typing, and sending is what refuses it.
    """
    try:
        payload = json.loads(request.body or b"{}")
    except (json.JSONDecodeError, UnicodeDecodeError):
        return JsonResponse({"detail": "the request body must be JSON"}, status=400)
    if not isinstance(payload, dict):
        return JsonResponse({"detail": "non_field_errors: No data provided"}, status=400)
    form = SegmentsPreviewForm(payload)
    if not form.is_valid():
        detail = "; ".join(f"{field}: {' '.join(map(str, messages))}" for field, messages in form.errors.items())
        return JsonResponse({"detail": detail}, status=400)
    report = count_segments(
        form.cleaned_data["body"], smart_encoding=form.cleaned_data["smart_encoding"], allow_empty=True
    )
    return JsonResponse(report.to_dict())


@permission_required("dashboard.view")
def throughput_tool(request):
    """The throughput calculator: a GET form; the figures are computed here and rendered under it."""
    form = ThroughputForm(request.GET or None)
    result = None
    if form.is_bound and form.is_valid():
        try:
            result = throughput_calculate(**form.cleaned_data)
        except MessagingValidationError as exc:
            form.add_error(exc.field, exc.message)
    return render(request, "messaging/tools/throughput.html", {"form": form, "result": result})
