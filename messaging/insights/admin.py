"""Insights in the ISV staff admin: the figures of every tenant from the public rollup (one query per figure, no loop
over tenant schemas), the worst tenants and senders by error, filtering and opt-out rate, the incidents of every
tenant, and health columns on the tenant list."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

from django import forms
from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.db.models import Count, IntegerField, OuterRef, Q, Subquery, Sum
from django.db.models.functions import Coalesce
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.safestring import mark_safe

from messaging.domain.insights import DELIVERED, FAILED, FILTERED_CODE, RULE_TITLES, Figures, Rule
from messaging.insights import charts, queries
from messaging.insights.forms import DATE
from messaging.insights.incidents import describe
from messaging.insights.models import DebuggerEvent, Incident, TenantOptOutHour, TenantRollup
from messaging.insights.report import DateRange, error_rows, every_bucket
from tenants.admin import TenantColumn, register_tenant_column
from tenants.models import Tenant

RANKED = 10
HEALTH_HOURS = 24


class RangeForm(forms.Form):
    start = forms.DateField(required=False, widget=DATE, help_text="First UTC day (default: a week ago)")
    end = forms.DateField(required=False, widget=DATE, help_text="Last UTC day, included (default: today)")
    min_messages = forms.IntegerField(
        required=False, min_value=1, initial=20, help_text="Rank only those with this many outcomes"
    )


def _span(form: RangeForm) -> DateRange:
    today = timezone.now().astimezone(UTC).date()
    data = form.cleaned_data if form.is_valid() else {}
    last = data.get("end") or today
    first = data.get("start") or last - timedelta(days=6)
    if first > last:
        first, last = last, first
    return DateRange(first, min(last, first + timedelta(days=399)), "UTC")


def _rank(rows, value, minimum: int) -> list:
    kept = [(key, figures, value(figures)) for key, figures in rows if figures.finished >= minimum]
    kept = [row for row in kept if row[2] is not None and row[2] > 0]
    return sorted(kept, key=lambda row: (-row[2], -row[1].finished))[:RANKED]


def isv_figures(scope: queries.Scope) -> tuple[Figures, list, list, list]:
    """The ISV page's figures of a range of days: the summary (the days added up: one read of the day totals gives
    both), the days, and the outcomes of the tenants and of their senders (what the rankings show; the tenants' are
    their senders' added up, with opt-outs)."""
    days = queries.timeseries(scope, bucket="day")
    senders = queries.outcomes(scope, by="tenant_sender", codes=[FILTERED_CODE])
    tenants = queries.tenant_outcomes(scope, senders)
    return Figures.total(figures for _, figures in days), days, tenants, senders


def isv_insights(request):
    """The ISV's figures across tenants for a range of UTC days, and the rankings."""
    if not request.user.has_perm("tenants.view_tenant"):
        raise PermissionDenied
    form = RangeForm(request.GET or None)
    span = _span(form)
    minimum = (form.cleaned_data.get("min_messages") if form.is_valid() else None) or 20
    scope = queries.Scope(start=datetime.combine(span.first, time(0), UTC),
                          end=datetime.combine(span.last + timedelta(days=1), time(0), UTC),
                          days=(span.first, span.last), public=True)  # fmt: skip
    summary, days, tenants, senders = isv_figures(scope)
    points = every_bucket(days, span, "day")
    names = dict(Tenant.objects.values_list("pk", "name"))
    slugs = dict(Tenant.objects.values_list("pk", "slug"))

    def tenant_rows(ranked):
        return [{"name": names.get(key, key), "slug": slugs.get(key), "figures": f, "value": v} for key, f, v in ranked]

    def sender_rows(ranked):
        rows = []
        for key, figures, value in ranked:
            tenant_id, _, address = str(key).partition(" ")
            rows.append({"name": names.get(int(tenant_id), tenant_id), "slug": slugs.get(int(tenant_id)),
                         "address": address or "—", "figures": figures, "value": value})  # fmt: skip
        return rows

    def filtering(figures: Figures) -> float | None:
        return figures.code_rate([FILTERED_CODE])

    labels = [start.strftime("%b %d") for start, _ in points]
    volume = charts.line_chart(
        title="Messages per day, every tenant",
        description="Outbound messages of every tenant each UTC day, delivered and failed.",
        labels=labels,
        series=[
            charts.Series("Messages", [f.messages for _, f in points]),
            charts.Series("Delivered", [f.delivered for _, f in points]),
            charts.Series("Failed", [f.failed for _, f in points]),
        ],
    )
    worst = _rank(tenants, lambda f: f.error_rate, minimum)
    errors_chart = charts.bar_chart(
        title="Error rate of the worst tenants (%)",
        description="Failed messages as a share of finished ones, the worst tenants first.",
        rows=[(names.get(key, str(key)), round(value * 100, 2)) for key, _, value in worst],
        unit="%",
    )
    context = {
        **admin.site.each_context(request),
        "title": "Insights across tenants",
        "form": form,
        "span": span,
        "minimum": minimum,
        "summary": summary,
        "latency": {
            "sent_p50": summary.latency("sent", 0.5),
            "sent_p95": summary.latency("sent", 0.95),
            "delivered_p50": summary.latency("delivered", 0.5),
            "delivered_p95": summary.latency("delivered", 0.95),
        },
        "errors": error_rows(summary)[:RANKED],
        "charts": {"volume": mark_safe(volume), "errors": mark_safe(errors_chart)},
        "tenants_by_errors": tenant_rows(worst),
        "tenants_by_filtering": tenant_rows(_rank(tenants, filtering, minimum)),
        "tenants_by_opt_outs": tenant_rows(_rank(tenants, lambda f: f.opt_out_rate, minimum)),
        "senders_by_errors": sender_rows(_rank(senders, lambda f: f.error_rate, minimum)),
        "senders_by_filtering": sender_rows(_rank(senders, filtering, minimum)),
        "open_incidents": _incident_rows(Incident.objects.filter(status="open").select_related("tenant")[:50]),
    }
    return TemplateResponse(request, "admin/insights/isv_insights.html", context)


def _incident_rows(incidents) -> list[dict]:
    return [
        {"incident": i, "title": RULE_TITLES[Rule(i.rule)], "value": describe(i.rule, i.value),
         "threshold": describe(i.rule, i.threshold), "peak": describe(i.rule, i.peak)}
        for i in incidents
    ]  # fmt: skip


@admin.register(TenantRollup)
class InsightsAdmin(admin.ModelAdmin):
    """The ISV insights page stands in the admin's index as "Insights across tenants"; it has no rows to edit."""

    def get_model_perms(self, request):
        return {"view": request.user.has_perm("tenants.view_tenant")}

    def has_view_permission(self, request, obj=None) -> bool:
        return request.user.has_perm("tenants.view_tenant")

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def changelist_view(self, request, extra_context=None):
        return isv_insights(request)


@admin.register(Incident)
class IncidentAdmin(admin.ModelAdmin):
    list_display = ["started_at", "tenant", "rule_title", "status", "ended_at", "opened_at", "worst"]
    list_filter = ["status", "rule"]
    search_fields = ["tenant__name", "tenant__slug"]
    list_select_related = ["tenant"]
    readonly_fields = ["tenant", "rule", "status", "started_at", "ended_at", "value", "threshold", "peak", "figures",
                       "last_figures"]  # fmt: skip

    @admin.display(description="Rule")
    def rule_title(self, obj: Incident) -> str:
        return RULE_TITLES[Rule(obj.rule)]

    @admin.display(description="When it opened")
    def opened_at(self, obj: Incident) -> str:
        return f"{describe(obj.rule, obj.value)} (threshold {describe(obj.rule, obj.threshold)})"

    @admin.display(description="Worst")
    def worst(self, obj: Incident) -> str:
        return describe(obj.rule, obj.peak)

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(DebuggerEvent)
class DebuggerEventAdmin(admin.ModelAdmin):
    list_display = ["occurred_at", "tenant", "level", "error_code", "sid"]
    list_filter = ["level"]
    search_fields = ["sid", "tenant__slug"]
    list_select_related = ["tenant"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


# --- the tenant list's health columns: the last 24 hours of the public rollup, as annotations -------------------


def _since() -> datetime:
    return (timezone.now() - timedelta(hours=HEALTH_HOURS)).replace(minute=0, second=0, microsecond=0)


def _rollup_sum(condition: Q) -> Subquery:
    rows = TenantRollup.objects.filter(Q(tenant=OuterRef("pk"), hour__gte=_since(), direction="outbound") & condition)
    total = rows.values("tenant").annotate(total=Sum("messages")).values("total")
    return Coalesce(Subquery(total, output_field=IntegerField()), 0)


def _health_annotations() -> dict:
    opt_outs = (
        TenantOptOutHour.objects.filter(tenant=OuterRef("pk"), hour__gte=_since())
        .values("tenant").annotate(total=Sum("opt_outs")).values("total")
    )  # fmt: skip
    open_incidents = (
        Incident.objects.filter(tenant=OuterRef("pk"), status="open")
        .values("tenant").annotate(total=Count("pk")).values("total")
    )  # fmt: skip
    return {
        "health_messages": _rollup_sum(Q()),
        "health_delivered": _rollup_sum(Q(status__in=sorted(DELIVERED))),
        "health_failed": _rollup_sum(Q(status__in=sorted(FAILED))),
        "health_filtered": _rollup_sum(Q(status__in=sorted(FAILED), error_code=FILTERED_CODE)),
        "health_opt_outs": Coalesce(Subquery(opt_outs, output_field=IntegerField()), 0),
        "health_incidents": Coalesce(Subquery(open_incidents, output_field=IntegerField()), 0),
    }


def _share(part: int | None, whole: int | None) -> str:
    return f"{part / whole * 100:.2f} %" if whole else "—"


def _finished(tenant) -> int:
    return (getattr(tenant, "health_delivered", 0) or 0) + (getattr(tenant, "health_failed", 0) or 0)


for column in (
    TenantColumn("health_messages", "Messages (24 h)", _health_annotations,
                 lambda t: f"{t.health_messages:,}" if getattr(t, "health_messages", 0) else "—"),
    TenantColumn("health_error_rate", "Error rate (24 h)", dict,
                 lambda t: _share(getattr(t, "health_failed", 0), _finished(t))),
    TenantColumn("health_filtering", "Filtered 30007 (24 h)", dict,
                 lambda t: _share(getattr(t, "health_filtered", 0), _finished(t))),
    TenantColumn("health_opt_outs", "Opt-out rate (24 h)", dict,
                 lambda t: _share(getattr(t, "health_opt_outs", 0), getattr(t, "health_delivered", 0))),
    TenantColumn("health_incidents", "Open incidents", dict,
                 lambda t: str(t.health_incidents) if getattr(t, "health_incidents", 0) else "—"),
):  # fmt: skip
    register_tenant_column(column)
