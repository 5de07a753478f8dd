"""Tenant UI pages of the messaging app."""

import json

from django.http import JsonResponse
from django.shortcuts import render
from django.views.decorators.http import require_POST

from messaging import selectors
from messaging.api.tools import SegmentsRequestSerializer, segment_report_data
from messaging.domain import throughput
from messaging.domain.segments import count_segments
from messaging.forms import ThroughputForm
from tenants.decorators import permission_required


@permission_required("dashboard.view")
def dashboard(request):
    """The tenant's home: what it has and where to go next."""
    return render(request, "messaging/dashboard.html", {"summary": selectors.dashboard_summary()})


@permission_required("dashboard.view")
def segments_tool(request):
    return render(request, "messaging/tools/segments.html")


@require_POST
@permission_required("dashboard.view")
def segments_preview(request):
    """The live counter under compose boxes: {body, smart_encoding} in, the segment report out."""
    try:
        payload = json.loads(request.body or b"{}")
    except (json.JSONDecodeError, UnicodeDecodeError):
        return JsonResponse({"detail": "the request body must be JSON"}, status=400)
    serializer = SegmentsRequestSerializer(data=payload if isinstance(payload, dict) else None)
    if not serializer.is_valid():
        errors = "; ".join(f"{field}: {' '.join(map(str, messages))}" for field, messages in serializer.errors.items())
        return JsonResponse({"detail": errors}, status=400)
    data = serializer.validated_data
    report = count_segments(data["body"], smart_encoding=data["smart_encoding"])
    return JsonResponse(segment_report_data(report))


@permission_required("dashboard.view")
def throughput_tool(request):
    """The throughput calculator: a GET form; the figures are computed here and rendered under it."""
    form = ThroughputForm(request.GET or None)
    result = None
    if form.is_bound and form.is_valid():
        try:
            result = throughput.calculate_throughput(throughput.ThroughputInput(**form.cleaned_data))
        except throughput.ThroughputInputError as exc:
            form.add_error(exc.field, exc.message)
    return render(request, "messaging/tools/throughput.html", {"form": form, "result": result})
