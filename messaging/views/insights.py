"""Tenant UI: insights. The dashboard (figures, SVG charts and tables of a date range, filtered), its CSV export, the
health incidents, and the thresholds that open them."""

from __future__ import annotations

import csv
import io
from zoneinfo import ZoneInfo

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.safestring import mark_safe

from messaging import selectors
from messaging.domain.insights import RULE_TITLES, Rule
from messaging.errors import MessagingError
from messaging.insights import charts, queries, report
from messaging.insights.forms import HealthThresholdsForm, InsightsFilterForm
from messaging.insights.incidents import describe, thresholds_of
from messaging.insights.models import Incident
from messaging.insights.services import THRESHOLD_FIELDS, health_thresholds_update
from tenants.decorators import permission_required

TOP_ROWS = 10


def _scope(request, form):
    wanted = form.filters()
    zone = ZoneInfo(request.tenant.time_zone)
    span = report.date_range(
        first=wanted["first"], last=wanted["last"], time_zone=request.tenant.time_zone,
        today=timezone.localtime(timezone.now(), zone).date(),
    )  # fmt: skip
    if wanted["bucket"] == "hour":
        report.hourly_allowed(span)
    scope = queries.Scope(
        start=span.start,
        end=span.end,
        days=(span.first, span.last),
        sender_id=wanted["sender_id"],
        sender_kind=wanted["sender_kind"],
        country=wanted["country"],
        category=wanted["category"],
        campaign_id=wanted["campaign_id"],
        variant=wanted["variant"],
    )
    return span, scope, wanted["bucket"], zone


def _read_form(request):
    form = InsightsFilterForm(request.GET or None, senders=selectors.senders(), campaigns=selectors.campaigns())
    if form.is_bound and not form.is_valid():
        return form, None
    try:
        return form, _scope(request, form)
    except MessagingError as exc:
        form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        return form, None


def _label(start, bucket: str, zone) -> str:
    local = start.astimezone(zone)
    return local.strftime("%b %d %H:00") if bucket == "hour" else local.strftime("%b %d")


def _percent(value: float | None) -> float | None:
    return round(value * 100, 2) if value is not None else None


def _charts(points, bucket, zone, rows_by) -> dict[str, str]:
    labels = [_label(start, bucket, zone) for start, _ in points]
    unit = "hour" if bucket == "hour" else "day"
    volume = charts.line_chart(
        title=f"Messages per {unit}",
        description=f"Outbound messages created each {unit}, and how many of them were delivered and failed.",
        labels=labels,
        series=[
            charts.Series("Messages", [f.messages for _, f in points]),
            charts.Series("Delivered", [f.delivered for _, f in points]),
            charts.Series("Failed", [f.failed for _, f in points]),
        ],
    )
    rates = charts.line_chart(
        title=f"Error and opt-out rate per {unit} (%)",
        description="Failed messages as a share of finished ones, and opt-outs as a share of delivered ones.",
        labels=labels,
        series=[
            charts.Series("Error rate", [_percent(f.error_rate) for _, f in points]),
            charts.Series("Opt-out rate", [_percent(f.opt_out_rate) for _, f in points]),
        ],
        unit="%",
    )
    bars = {
        name: charts.bar_chart(title=title, description=title + ", the largest first.", rows=rows)
        for name, (title, rows) in rows_by.items()
    }
    return {"volume": mark_safe(volume), "rates": mark_safe(rates), **{k: mark_safe(v) for k, v in bars.items()}}


@permission_required("insights.view")
def insights_dashboard(request):
    """Figures, charts and tables of a date range; filters in the query string."""
    form, read = _read_form(request)
    if read is None:
        return render(request, "messaging/insights/dashboard.html", {"form": form}, status=400)
    span, scope, bucket, zone = read
    summary = queries.summary(scope)
    points = report.every_bucket(
        queries.timeseries(scope, bucket=bucket, time_zone=span.time_zone, latency=False), span, bucket
    )
    senders = queries.breakdown(scope, by="sender", latency=False)[:TOP_ROWS]
    addresses = report.breakdown_labels("sender", [key for key, _ in senders])
    by_sender = [(addresses.get(k, str(k)), f) for k, f in senders]
    by_country = [(k or "unknown", f) for k, f in queries.breakdown(scope, by="country", latency=False)][:TOP_ROWS]
    by_type = queries.breakdown(scope, by="sender_type", latency=False)
    campaigns = queries.breakdown(scope, by="campaign", latency=False)[:TOP_ROWS]
    names = report.breakdown_labels("campaign", [key for key, _ in campaigns])
    by_campaign = [(key, names.get(key, f"Campaign {key}"), figures) for key, figures in campaigns]
    by_variant = queries.breakdown(scope, by="variant", latency=False) if scope.campaign_id else []
    errors = report.error_rows(summary)[:TOP_ROWS]
    context = {
        "form": form,
        "span": span,
        "bucket": bucket,
        "summary": summary,
        "latency": {
            "sent_p50": summary.latency("sent", 0.5),
            "sent_p95": summary.latency("sent", 0.95),
            "delivered_p50": summary.latency("delivered", 0.5),
            "delivered_p95": summary.latency("delivered", 0.95),
        },
        "points": [(_label(start, bucket, zone), figures) for start, figures in points],
        "by_sender": by_sender,
        "by_country": by_country,
        "by_type": by_type,
        "by_campaign": by_campaign if any(key for key, _, _ in by_campaign) else [],
        "by_variant": by_variant,
        "errors": errors,
        "open_incidents": list(Incident.objects.filter(tenant=request.tenant, status="open")),
        "charts": _charts(
            points,
            bucket,
            zone,
            {
                "errors": (
                    "Failed messages by error code",
                    [(f"{r['code']} {r['title']}", r["count"]) for r in errors],
                ),
                "senders": ("Messages by sender", [(label, f.messages) for label, f in by_sender]),
                "countries": ("Messages by country", [(label, f.messages) for label, f in by_country]),
            },
        ),
        "query": request.GET.urlencode(),
    }
    return render(request, "messaging/insights/dashboard.html", context)


@permission_required("insights.view")
def insights_export(request):
    """The dashboard's buckets as CSV, one row per day or hour and a total."""
    form, read = _read_form(request)
    if read is None:
        return HttpResponse("; ".join(f"{k}: {' '.join(v)}" for k, v in form.errors.items()), status=400,
                            content_type="text/plain; charset=utf-8")  # fmt: skip
    span, scope, bucket, zone = read
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(report.CSV_HEADER)
    for start, figures in queries.timeseries(scope, bucket=bucket, time_zone=span.time_zone):
        writer.writerow(report.csv_row(start.astimezone(zone).isoformat(), figures))
    writer.writerow(report.csv_row("total", queries.summary(scope)))
    response = HttpResponse(out.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="insights-{span.first}-{span.last}.csv"'
    return response


@permission_required("insights.view")
def incident_list(request):
    """The tenant's incidents, open ones first, then the latest 200."""
    incidents = list(Incident.objects.filter(tenant=request.tenant).order_by("status", "-started_at", "-id")[:200])
    rows = [
        {
            "incident": incident,
            "title": RULE_TITLES[Rule(incident.rule)],
            "value": describe(incident.rule, incident.value),
            "threshold": describe(incident.rule, incident.threshold),
            "peak": describe(incident.rule, incident.peak),
        }
        for incident in incidents
    ]
    return render(request, "messaging/insights/incidents.html", {"rows": rows})


@permission_required("settings.manage")
def health_thresholds(request):
    """The thresholds that open incidents, editable by owners and admins (audited)."""
    current = thresholds_of(request.tenant)
    form = HealthThresholdsForm(request.POST or None, instance=current)
    if form.is_bound and form.is_valid():
        changes = {name: form.cleaned_data[name] for name in THRESHOLD_FIELDS}
        try:
            health_thresholds_update(tenant=request.tenant, changes=changes, actor=request.user)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, "Health thresholds saved.")
            return redirect("ui:insights_thresholds")
    status = 400 if form.is_bound else 200
    return render(request, "messaging/insights/thresholds.html", {"form": form}, status=status)
