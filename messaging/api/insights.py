"""Insights and incidents on the API: the figures of a date range (summary, by day or hour, by a dimension, latency
percentiles) read from the tenant's hourly rollup, and the tenant's health incidents. Every insights endpoint asks
for the `insights:read` scope."""

from __future__ import annotations

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import generics, serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from compliance.domain.rules import Category
from config.api import CursorPagination
from config.inputs import object_id, one_of
from config.openapi import problem
from messaging import selectors
from messaging.domain.insights import RULE_TITLES, Rule
from messaging.insights import queries, report
from messaging.insights.campaigns import campaign_results
from messaging.insights.models import Incident
from messaging.models import Sender

RANGE_REFUSED = problem(422, "The range ends before it starts, spans more than 400 days, or asks for hours over 31")
QUERY_REFUSED = problem(400, "A query parameter is not as documented: `errors` names it")


class InsightsQuerySerializer(serializers.Serializer):
    start = serializers.DateField(required=False, help_text="First day, in the tenant's time zone (default: 6 days "
                                  "before `end`)")  # fmt: skip
    end = serializers.DateField(required=False, help_text="Last day, included (default: today)")
    sender = object_id(required=False, help_text="Only messages of this sender (its id)")
    sender_type = one_of([k.value for k in Sender.Kind], required=False, help_text="Only senders of this type")
    country = serializers.RegexField(
        r"^[A-Z]{2}$",
        required=False,
        trim_whitespace=False,
        help_text="Only numbers of this country, ISO 3166-1 alpha-2",
        error_messages={"invalid": "must be two capital letters"},
    )
    category = one_of([c.value for c in Category], required=False, help_text="Only messages of this category")
    campaign = object_id(required=False, help_text="Only messages of this campaign (its id)")
    variant = one_of(list("ABCDE"), required=False, help_text="Only messages of this A/B variant (with `campaign`, "
                     "of that campaign's)")  # fmt: skip

    def validate(self, attrs):
        # A parameter given blank is refused, not read as absent (DRF skips blank optional query values).
        blank = [name for name in self.fields if self.initial_data.get(name, None) == ""]
        if blank:
            raise serializers.ValidationError({name: ["must not be blank"] for name in blank})
        return attrs

    def scope(self, tenant) -> tuple[report.DateRange, queries.Scope]:
        data = self.validated_data
        span = report.date_range(
            first=data.get("start"),
            last=data.get("end"),
            time_zone=tenant.time_zone,
            today=timezone.localtime(timezone.now(), _zone(tenant)).date(),
        )
        return span, queries.Scope(
            start=span.start,
            end=span.end,
            days=(span.first, span.last),
            sender_id=data.get("sender"),
            sender_kind=data.get("sender_type", ""),
            country=data.get("country", ""),
            category=data.get("category", ""),
            campaign_id=data.get("campaign"),
            variant=data.get("variant", ""),
        )


def _zone(tenant):
    from zoneinfo import ZoneInfo

    return ZoneInfo(tenant.time_zone)


class TimeseriesQuerySerializer(InsightsQuerySerializer):
    bucket = one_of(["day", "hour"], required=False, default="day", help_text="Days of the tenant's time zone, or "
                    "hours (at most 31 days)")  # fmt: skip


class BreakdownQuerySerializer(InsightsQuerySerializer):
    by = one_of(
        ["sender", "sender_type", "country", "category", "error_code", "campaign", "variant"],
        help_text="The dimension (`campaign` 0 and `variant` blank: messages sent on their own)",
    )


class HistogramBucketSerializer(serializers.Serializer):
    from_seconds = serializers.IntegerField()
    to_seconds = serializers.IntegerField(allow_null=True, help_text="null: no upper bound")
    count = serializers.IntegerField()


class LatencySerializer(serializers.Serializer):
    count = serializers.IntegerField(help_text="Messages measured")
    p50 = serializers.FloatField(allow_null=True, help_text="Seconds, read from the buckets; null when none")
    p95 = serializers.FloatField(allow_null=True)
    histogram = HistogramBucketSerializer(many=True)


class LatenciesSerializer(serializers.Serializer):
    queued_to_sent = LatencySerializer(help_text="From queued (creation, or send time when scheduled) to sent")
    sent_to_delivered = LatencySerializer()


class ErrorRowSerializer(serializers.Serializer):
    code = serializers.IntegerField(help_text="Twilio's error code")
    title = serializers.CharField(allow_blank=True)
    count = serializers.IntegerField()
    rate = serializers.FloatField(allow_null=True, help_text="Of finished messages (delivered or failed)")


class FiguresSerializer(serializers.Serializer):
    messages = serializers.IntegerField(help_text="Outbound messages created in the range")
    segments = serializers.IntegerField()
    cost = serializers.DecimalField(max_digits=16, decimal_places=5, help_text="Twilio's price, summed")
    inbound = serializers.IntegerField()
    delivered = serializers.IntegerField(help_text="Delivered or read")
    failed = serializers.IntegerField(help_text="Failed or undelivered")
    finished = serializers.IntegerField(help_text="Delivered plus failed")
    opt_outs = serializers.IntegerField(help_text="Opt-outs recipients asked for (0 in a filtered view)")
    delivery_rate = serializers.FloatField(allow_null=True, help_text="Delivered / finished, 0-1")
    error_rate = serializers.FloatField(allow_null=True, help_text="Failed / finished, 0-1")
    opt_out_rate = serializers.FloatField(allow_null=True, help_text="Opt-outs / delivered, 0-1")
    linked_delivered = serializers.IntegerField(help_text="Delivered messages whose body carried tracked links")
    clicks = serializers.IntegerField(help_text="Clicks of tracked links in the range (0 where not counted)")
    clickers = serializers.IntegerField(help_text="Recipients who clicked, each once per campaign or message")
    click_through_rate = serializers.FloatField(
        allow_null=True,
        help_text="Clickers / linked_delivered, 0-1; null without linked messages, or in a view by sender, sender "
        "type, country or category (clicks are counted per campaign and variant only)",
    )
    by_status = serializers.DictField(child=serializers.IntegerField())
    errors = ErrorRowSerializer(many=True)
    latency = LatenciesSerializer()


class SummarySerializer(serializers.Serializer):
    start = serializers.DateField()
    end = serializers.DateField()
    time_zone = serializers.CharField()
    figures = FiguresSerializer()


@extend_schema_field({"type": "string", "format": "date-time"})
class LocalTimeField(serializers.CharField):
    """An instant written in the tenant's time zone (ISO 8601 with its offset)."""


class TimeseriesPointSerializer(serializers.Serializer):
    start = LocalTimeField(help_text="The bucket's first instant, in the tenant's time zone")
    figures = FiguresSerializer()


class TimeseriesSerializer(SummarySerializer):
    figures = None
    bucket = serializers.ChoiceField(choices=["day", "hour"])
    results = TimeseriesPointSerializer(many=True, help_text="Oldest first; buckets without messages are left out")


class BreakdownRowSerializer(serializers.Serializer):
    key = serializers.CharField(help_text="The value: a sender's id, a type, a country, a category, an error code, a "
                                "campaign's id or a variant's label")  # fmt: skip
    label = serializers.CharField(help_text="The sender's address, the campaign's name, or the key again")
    figures = FiguresSerializer()


class BreakdownSerializer(SummarySerializer):
    figures = None
    by = serializers.CharField()
    results = BreakdownRowSerializer(many=True, help_text="Most messages first")


def _read(serializer_class, request):
    query = serializer_class(data=request.query_params)
    query.is_valid(raise_exception=True)
    span, scope = query.scope(request.tenant)
    return query, span, scope


def _head(span: report.DateRange) -> dict:
    return {"start": span.first, "end": span.last, "time_zone": span.time_zone}


class InsightsSummaryView(APIView):
    """GET the figures of a date range, added up."""

    required_scopes = ("insights:read",)

    @extend_schema(
        parameters=[InsightsQuerySerializer],
        responses={200: SummarySerializer, **QUERY_REFUSED, **RANGE_REFUSED},
        operation_id="insights_summary",
        tags=["insights"],
        description="Volume, segments and cost; delivery, error and opt-out rates; errors by code; latency "
        "percentiles. Read from the hourly rollup, which the squash brings up to date every minute.",
    )
    def get(self, request):
        _, span, scope = _read(InsightsQuerySerializer, request)
        data = {**_head(span), "figures": report.figures_data(queries.summary(scope))}
        return Response(SummarySerializer(data).data)


class InsightsTimeseriesView(APIView):
    """GET the figures per day or per hour."""

    required_scopes = ("insights:read",)

    @extend_schema(
        parameters=[TimeseriesQuerySerializer],
        responses={200: TimeseriesSerializer, **QUERY_REFUSED, **RANGE_REFUSED},
        operation_id="insights_timeseries",
        tags=["insights"],
    )
    def get(self, request):
        query, span, scope = _read(TimeseriesQuerySerializer, request)
        bucket = query.validated_data["bucket"]
        if bucket == "hour":
            report.hourly_allowed(span)
        points = queries.timeseries(scope, bucket=bucket, time_zone=span.time_zone)
        zone = _zone(request.tenant)
        results = [
            {"start": start.astimezone(zone).isoformat(), "figures": report.figures_data(figures)}
            for start, figures in points
        ]
        return Response(TimeseriesSerializer({**_head(span), "bucket": bucket, "results": results}).data)


class InsightsBreakdownView(APIView):
    """GET the figures per sender, sender type, country, category, error code, campaign or A/B variant."""

    required_scopes = ("insights:read",)

    @extend_schema(
        parameters=[BreakdownQuerySerializer],
        responses={200: BreakdownSerializer, **QUERY_REFUSED, **RANGE_REFUSED},
        operation_id="insights_breakdown",
        tags=["insights"],
    )
    def get(self, request):
        query, span, scope = _read(BreakdownQuerySerializer, request)
        by = query.validated_data["by"]
        rows = queries.breakdown(scope, by=by)
        names = report.breakdown_labels(by, [key for key, _ in rows])
        results = [
            {"key": str(key), "label": names.get(key, str(key) or "unknown"), "figures": report.figures_data(figures)}
            for key, figures in rows
        ]
        return Response(BreakdownSerializer({**_head(span), "by": by, "results": results}).data)


class ComparisonSerializer(serializers.Serializer):
    control_rate = serializers.FloatField(allow_null=True, help_text="The control's rate, 0-1")
    rate = serializers.FloatField(allow_null=True, help_text="This variant's rate, 0-1")
    difference = serializers.FloatField(help_text="rate − control_rate")
    lift = serializers.FloatField(allow_null=True, help_text="difference ÷ control_rate; null when that is 0")
    z = serializers.FloatField(help_text="The two-proportion z statistic (pooled)")
    p_value = serializers.FloatField(help_text="Two-sided")
    significant = serializers.BooleanField(help_text="p_value below 0.05")
    needed_per_variant = serializers.IntegerField(
        allow_null=True, help_text="Recipients each group needs for this difference to show at 0.05 with 80 % power; "
        "null when the rates are equal"
    )  # fmt: skip
    more_needed = serializers.IntegerField(help_text="How many more the smaller group needs; 0 once significant")


class VariantResultSerializer(serializers.Serializer):
    label = serializers.CharField(allow_blank=True, help_text="A to E; blank for a campaign without variants")
    percent = serializers.IntegerField(allow_null=True, help_text="Its share of the audience")
    figures = FiguresSerializer()
    delivery = ComparisonSerializer(allow_null=True, help_text="Delivered of finished, against the control")
    click_through = ComparisonSerializer(
        allow_null=True, help_text="Recipients who clicked of delivered messages, against the control (campaigns "
        "that track links)"
    )  # fmt: skip


class CampaignResultsSerializer(serializers.Serializer):
    campaign = serializers.IntegerField()
    control = serializers.CharField(allow_blank=True, help_text="The variant the others are compared with")
    figures = FiguresSerializer(help_text="The whole campaign")
    variants = VariantResultSerializer(many=True)


class CampaignResultsView(APIView):
    """GET a campaign's figures per A/B variant, each compared with the control."""

    required_scopes = ("insights:read",)

    @extend_schema(
        responses=CampaignResultsSerializer,
        operation_id="campaigns_results",
        tags=["insights"],
        description="Every message of the campaign so far, per variant: volume, outcomes, errors, click-through. Each "
        "variant after the first is compared with the first by a two-sided two-proportion z-test on delivery rate "
        "and, when the campaign tracks links, on click-through rate, with the sample size still needed while the "
        "difference is not significant.",
    )
    def get(self, request, campaign_id: int):
        results = campaign_results(get_object_or_404(selectors.campaigns(), pk=campaign_id))
        data = {
            "campaign": results.campaign.pk,
            "control": results.control,
            "figures": report.figures_data(results.total),
            "variants": [
                {
                    "label": row.label,
                    "percent": row.percent,
                    "figures": report.figures_data(row.figures),
                    "delivery": report.comparison_data(row.delivery),
                    "click_through": report.comparison_data(row.click_through),
                }
                for row in results.variants
            ],
        }
        return Response(CampaignResultsSerializer(data).data)


class InsightsLatencyView(APIView):
    """GET the latency percentiles and buckets of a date range."""

    required_scopes = ("insights:read",)

    @extend_schema(
        parameters=[InsightsQuerySerializer],
        responses={200: LatenciesSerializer, **QUERY_REFUSED, **RANGE_REFUSED},
        operation_id="insights_latency",
        tags=["insights"],
    )
    def get(self, request):
        _, _, scope = _read(InsightsQuerySerializer, request)
        return Response(LatenciesSerializer(report.figures_data(queries.summary(scope))["latency"]).data)


class IncidentSerializer(serializers.ModelSerializer):
    title = serializers.SerializerMethodField()
    rule = serializers.ChoiceField(choices=[r.value for r in Rule])
    figures = serializers.DictField(help_text="The window's figures when it opened")
    value = serializers.FloatField(help_text="The figure when it opened: a fraction for rates, else a count")

    class Meta:
        model = Incident
        fields = ["id", "rule", "title", "status", "started_at", "ended_at", "value", "threshold", "peak", "figures"]
        read_only_fields = fields

    def get_title(self, incident: Incident) -> str:
        return RULE_TITLES[Rule(incident.rule)]


def incidents_of(tenant) -> QuerySet[Incident]:
    return Incident.objects.filter(tenant=tenant).order_by("-id")


class IncidentListView(generics.ListAPIView):
    """GET the tenant's health incidents, newest first."""

    required_scopes = ("insights:read",)
    serializer_class = IncidentSerializer
    pagination_class = CursorPagination

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Incident.objects.none()
        return incidents_of(self.request.tenant)

    @extend_schema(operation_id="incidents_list", tags=["incidents"])
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


class IncidentDetailView(APIView):
    """GET one incident."""

    required_scopes = ("insights:read",)

    @extend_schema(responses=IncidentSerializer, operation_id="incidents_read", tags=["incidents"])
    def get(self, request, incident_id: int):
        return Response(IncidentSerializer(get_object_or_404(incidents_of(request.tenant), pk=incident_id)).data)
