"""The sender-selection wizard on the API: recommendations, saved sender plans, and provisioning a plan."""

from __future__ import annotations

from decimal import Decimal

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from messaging.domain import recommend as domain
from messaging.models import SenderPlan
from messaging.services import plans

# --- input ------------------------------------------------------------------------------------------------------


class RecommendationRequestSerializer(serializers.Serializer):
    """Shape only: the recommendation checks the values and ranges and names the field it refuses."""

    use_case = serializers.CharField(help_text="conversational, transactional, promotional or otp")
    two_way = serializers.BooleanField(default=False, help_text="Recipients reply")
    countries = serializers.ListField(
        child=serializers.CharField(), help_text='ISO 3166-1 alpha-2 destination codes, e.g. ["US", "GB"]; UK means GB'
    )
    daily_volume = serializers.IntegerField(help_text="Messages a day")
    peak_messages = serializers.IntegerField(
        required=False, allow_null=True, default=None, help_text="Messages in the busiest window (with the window)"
    )
    peak_window_seconds = serializers.IntegerField(
        required=False, allow_null=True, default=None, help_text="Length of that window in seconds, up to 86,400"
    )
    required_mps = serializers.DecimalField(
        max_digits=12,
        decimal_places=3,
        required=False,
        allow_null=True,
        default=None,
        help_text="Segments per second needed at peak, instead of peak_messages and peak_window_seconds",
    )
    segments_per_message = serializers.IntegerField(default=1, help_text="1 to 10")
    time_sensitive = serializers.BooleanField(default=False, help_text="Late messages are useless (like passcodes)")
    priority = serializers.CharField(default="balanced", help_text="cost, deliverability or balanced")
    voice = serializers.BooleanField(default=False, help_text="The senders must take voice calls too")
    go_live = serializers.DateField(help_text="When sending starts; not before today")
    tendlc_tier = serializers.CharField(
        required=False,
        allow_null=True,
        default=None,
        help_text="The brand's A2P 10DLC Trust Score tier (high, medium, low, sole_proprietor); null assumes low",
    )

    def validate_required_mps(self, value: Decimal | None) -> Decimal | None:
        # "25" stays 25, not the field's 25.000, so the recommendation reads it back as it was given.
        if value is None:
            return None
        return value.quantize(Decimal(1)) if value == value.to_integral_value() else value.normalize()


class SenderPlanCreateSerializer(RecommendationRequestSerializer):
    name = serializers.CharField(
        max_length=plans.MAX_NAME_LENGTH,
        required=False,
        allow_blank=True,
        default="",
        help_text="Blank names the plan after its use case and countries",
    )


class SenderPlanProvisionSerializer(serializers.Serializer):
    area_codes = serializers.DictField(
        child=serializers.CharField(allow_blank=True),
        required=False,
        default=dict,
        help_text='Area codes of the numbers to buy, by country: {"US": "212", "CA": "604"}; default 415 and 416',
    )
    alphanumeric_id = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        help_text="The alphanumeric sender ID to add; blank derives one from the tenant's name",
    )


# --- output (Recommendation.to_dict()) --------------------------------------------------------------------------


class RecommendationWarningSerializer(serializers.Serializer):
    code = serializers.CharField(help_text="Stable, e.g. tendlc_trust_score or short_code_lead_time")
    text = serializers.CharField()


class RecommendationExclusionSerializer(serializers.Serializer):
    sender_type = serializers.CharField()
    label = serializers.CharField()
    reason = serializers.CharField()


class LeadTimeCheckSerializer(serializers.Serializer):
    status = serializers.CharField(help_text="fits, at_risk, too_late or unknown")
    min_days = serializers.IntegerField(allow_null=True)
    max_days = serializers.IntegerField(allow_null=True)
    business_days = serializers.BooleanField(help_text="The days count Monday to Friday only")
    available = serializers.IntegerField(allow_null=True, help_text="Days (or business days) from today to go-live")
    go_live_in_days = serializers.IntegerField()
    text = serializers.CharField()


class SenderFeesSerializer(serializers.Serializer):
    recurring = serializers.BooleanField(allow_null=True, help_text="Null: unknown")
    recurring_text = serializers.CharField()
    carrier = serializers.BooleanField(allow_null=True, help_text="Null: unknown")
    carrier_text = serializers.CharField()
    recurring_usd = serializers.CharField(allow_null=True, help_text="Decimal string in USD, null when unknown")
    carrier_usd = serializers.CharField(allow_null=True, help_text="Decimal string in USD, null when unknown")


class SenderOptionSerializer(serializers.Serializer):
    rank = serializers.IntegerField(help_text="1 is the best")
    sender_type = serializers.CharField()
    label = serializers.CharField()
    kind = serializers.CharField(help_text="The sender kind a sender of this type gets")
    score = serializers.IntegerField()
    reasons = serializers.ListField(child=serializers.CharField(), help_text="The score's reasons in plain words")
    mps_per_sender = serializers.IntegerField(allow_null=True)
    senders_needed = serializers.IntegerField(allow_null=True)
    throughput_mps = serializers.IntegerField(allow_null=True)
    needed_mps = serializers.IntegerField(help_text=f"At peak, with {domain.HEADROOM_PERCENT} % headroom")
    meets_peak = serializers.BooleanField(allow_null=True)
    peak_drain_seconds = serializers.IntegerField(allow_null=True)
    lead_time = LeadTimeCheckSerializer()
    fees = SenderFeesSerializer()
    registration_steps = serializers.ListField(child=serializers.CharField())
    warnings = RecommendationWarningSerializer(many=True)
    two_way = serializers.BooleanField()
    voice = serializers.BooleanField()
    delivery_receipts = serializers.CharField()


class CountryRecommendationSerializer(serializers.Serializer):
    country = serializers.CharField()
    name = serializers.CharField()
    recommended = serializers.CharField(allow_null=True, help_text="The first option's sender type")
    options = SenderOptionSerializer(many=True)
    excluded = RecommendationExclusionSerializer(many=True)
    warnings = RecommendationWarningSerializer(many=True)
    notes = serializers.ListField(child=serializers.CharField())


class RecommendationInputSerializer(serializers.Serializer):
    """The request as the recommendation read it (codes upper-cased, defaults filled in, today's date)."""

    use_case = serializers.CharField()
    two_way = serializers.BooleanField()
    countries = serializers.ListField(child=serializers.CharField())
    daily_volume = serializers.IntegerField()
    today = serializers.DateField()
    go_live = serializers.DateField()
    peak_messages = serializers.IntegerField(allow_null=True)
    peak_window_seconds = serializers.IntegerField(allow_null=True)
    required_mps = serializers.CharField(allow_null=True, help_text="Decimal string")
    segments_per_message = serializers.IntegerField()
    time_sensitive = serializers.BooleanField()
    priority = serializers.CharField()
    voice = serializers.BooleanField()
    tendlc_tier = serializers.CharField(allow_null=True)


class RecommendationSerializer(serializers.Serializer):
    request = RecommendationInputSerializer()
    needed_mps = serializers.IntegerField(help_text="Segments per second at peak, with the headroom, rounded up")
    headroom_percent = serializers.IntegerField()
    peak_text = serializers.CharField()
    daily_segments = serializers.IntegerField()
    go_live_in_days = serializers.IntegerField()
    tendlc_tier = serializers.CharField(help_text="The 10DLC tier assumed")
    countries = CountryRecommendationSerializer(many=True, help_text="In the order of the request")
    warnings = RecommendationWarningSerializer(many=True)
    notes = serializers.ListField(child=serializers.CharField())


class ProvisioningStepSerializer(serializers.Serializer):
    country = serializers.CharField()
    country_name = serializers.CharField()
    sender_type = serializers.CharField(allow_null=True, help_text="The top-ranked type; null when none fits")
    label = serializers.CharField(allow_null=True)
    outcome = serializers.CharField(help_text="done, failed or manual")
    detail = serializers.CharField(help_text="What was obtained, Twilio's explanation, or what to do by hand")
    steps = serializers.ListField(child=serializers.CharField(), help_text="The sender type's registration steps")
    sender_id = serializers.IntegerField(allow_null=True)
    address = serializers.CharField(allow_null=True)
    at = serializers.DateTimeField()


class SenderPlanSerializer(serializers.ModelSerializer):
    status = serializers.CharField(help_text="draft, provisioning, provisioned or partly_provisioned")
    request = RecommendationInputSerializer()
    recommendation = RecommendationSerializer()
    provisioning_log = ProvisioningStepSerializer(many=True)

    class Meta:
        model = SenderPlan
        fields = [
            "id",
            "name",
            "status",
            "request",
            "recommendation",
            "created_by",
            "created_at",
            "provisioning_log",
            "provisioned_at",
        ]
        read_only_fields = fields


class SenderPlanSummarySerializer(serializers.ModelSerializer):
    status = serializers.CharField(help_text="draft, provisioning, provisioned or partly_provisioned")
    recommended = serializers.SerializerMethodField(help_text="Each country's top-ranked sender type (or null)")

    class Meta:
        model = SenderPlan
        fields = ["id", "name", "status", "recommended", "created_by", "created_at", "provisioned_at"]
        read_only_fields = fields

    @extend_schema_field({"type": "object", "additionalProperties": {"type": "string", "nullable": True}})
    def get_recommended(self, plan: SenderPlan) -> dict:
        return {item["country"]: item["recommended"] for item in plan.recommendation.get("countries", [])}


# --- views ------------------------------------------------------------------------------------------------------


class RecommendationView(APIView):
    """POST /api/v1/senders/recommendations — per country, the sender types for a workload, ranked and explained."""

    required_scopes = ("messages:read",)

    @extend_schema(
        request=RecommendationRequestSerializer,
        responses=RecommendationSerializer,
        operation_id="senders_recommend",
        tags=["senders"],
        description="Computes advice and changes nothing. A 400 problem names the field the recommendation refuses.",
    )
    def post(self, request):
        serializer = RecommendationRequestSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        return Response(plans.recommendation_for(serializer.validated_data).to_dict())


class SenderPlanListView(APIView):
    """GET lists the saved sender plans (messages:read); POST saves one from a recommendation request (admin)."""

    required_scopes = ("messages:read",)
    scopes_by_method = {"POST": ("admin",)}

    @extend_schema(responses=SenderPlanSummarySerializer(many=True), operation_id="sender_plans_list", tags=["senders"])
    def get(self, request):
        return Response(SenderPlanSummarySerializer(SenderPlan.objects.all(), many=True).data)

    @extend_schema(
        request=SenderPlanCreateSerializer,
        responses={201: SenderPlanSerializer},
        operation_id="sender_plans_create",
        tags=["senders"],
    )
    def post(self, request):
        serializer = SenderPlanCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        plan = plans.plan_save(name=data.pop("name"), data=data, created_by=str(request.user))
        return Response(SenderPlanSerializer(plan).data, status=status.HTTP_201_CREATED)


class SenderPlanDetailView(APIView):
    """GET one sender plan with its recommendation and provisioning log."""

    required_scopes = ("messages:read",)

    @extend_schema(responses=SenderPlanSerializer, operation_id="sender_plans_read", tags=["senders"])
    def get(self, request, plan_id: int):
        return Response(SenderPlanSerializer(get_object_or_404(SenderPlan, pk=plan_id)).data)


class SenderPlanProvisionView(APIView):
    """POST obtains each country's top-ranked sender where that can be done at once; the rest is logged as steps."""

    required_scopes = ("admin",)

    @extend_schema(
        request=SenderPlanProvisionSerializer,
        responses=SenderPlanSerializer,
        operation_id="sender_plans_provision",
        tags=["senders"],
        description="A step Twilio refuses is logged as failed and the plan ends partly provisioned; a second call "
        "retries the failed steps only. 409 when the plan is provisioned already.",
    )
    def post(self, request, plan_id: int):
        plan = get_object_or_404(SenderPlan, pk=plan_id)
        serializer = SenderPlanProvisionSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        plan = plans.plan_provision(request.tenant, plan, **serializer.validated_data, actor_label=str(request.user))
        return Response(SenderPlanSerializer(plan).data)
