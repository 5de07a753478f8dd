"""The sender-selection wizard on the API: a workload in, per country the sender types ranked and explained."""

from __future__ import annotations

from decimal import Decimal

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from messaging.domain import recommend as domain
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
    segments_per_message = serializers.IntegerField(default=1, help_text="1 to 100")
    time_sensitive = serializers.BooleanField(default=False, help_text="Late messages are useless (like passcodes)")
    priority = serializers.CharField(default="balanced", help_text="cost, deliverability or balanced")
    voice = serializers.BooleanField(default=False, help_text="The senders must take voice calls too")
    go_live = serializers.DateField(help_text="When sending starts; not before today")
    tendlc_tier = serializers.CharField(
        required=False,
        allow_null=True,
        default=None,
        help_text="The brand's A2P 10DLC Trust Score tier (high, medium, low, low_volume_mixed, sole_proprietor); "
        "null assumes the catalogue's default tier",
    )

    def validate_required_mps(self, value: Decimal | None) -> Decimal | None:
        # "25" stays 25, not the field's 25.000, so the recommendation reads it back as it was given.
        if value is None:
            return None
        return value.quantize(Decimal(1)) if value == value.to_integral_value() else value.normalize()


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
    ready_on = serializers.DateField(
        allow_null=True, help_text="The latest the sender should be ready if started today; null when unknown"
    )


class SenderFeesSerializer(serializers.Serializer):
    recurring = serializers.BooleanField(allow_null=True, help_text="Null: unknown")
    recurring_text = serializers.CharField()
    carrier = serializers.BooleanField(allow_null=True, help_text="Null: unknown")
    carrier_text = serializers.CharField()
    recurring_usd = serializers.CharField(allow_null=True, help_text="Decimal string in USD, null when unknown")
    carrier_usd = serializers.CharField(allow_null=True, help_text="Decimal string in USD, null when unknown")
    one_time_text = serializers.CharField(help_text="Registration and vetting fees in words; empty when none known")
    one_time_usd = serializers.CharField(allow_null=True, help_text="Decimal string in USD, null when unknown")
    read_on = serializers.DateField(allow_null=True, help_text="When the amounts were read from Twilio's page")
    source = serializers.CharField(help_text="The page the amounts come from; empty when none")


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
    suitable_for_peak = serializers.BooleanField(
        allow_null=True,
        help_text="False: the peak would keep segments waiting past the sender queue (36,000 s) or the validity "
        "period; such options rank after every suitable one. Null: not known (no peak count, or MPS unknown)",
    )
    unsuitable_reason = serializers.CharField(allow_blank=True, help_text="Why it is unsuitable; empty when it is not")
    fee_lines = serializers.ListField(
        child=serializers.CharField(), help_text="One-time, recurring and carrier fees, one line each"
    )


class CountryRecommendationSerializer(serializers.Serializer):
    country = serializers.CharField()
    name = serializers.CharField()
    recommended = serializers.CharField(allow_null=True, help_text="The first option's sender type")
    options = SenderOptionSerializer(many=True)
    excluded = RecommendationExclusionSerializer(many=True)
    warnings = RecommendationWarningSerializer(many=True)
    notes = serializers.ListField(child=serializers.CharField())
    ready_by_go_live = serializers.BooleanField(help_text="An option fit for the peak is ready by go-live")
    fastest = serializers.CharField(allow_null=True, help_text="The sender type that can be ready soonest")
    fastest_ready_on = serializers.DateField(allow_null=True)


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
    validity_period_seconds = serializers.IntegerField(allow_null=True, help_text="Null: Twilio's 36,000 s")


class RecommendationSerializer(serializers.Serializer):
    request = RecommendationInputSerializer()
    needed_mps = serializers.IntegerField(help_text="Segments per second at peak, with the headroom, rounded up")
    headroom_percent = serializers.IntegerField()
    peak_text = serializers.CharField()
    daily_segments = serializers.IntegerField()
    go_live_in_days = serializers.IntegerField()
    tendlc_tier = serializers.CharField(help_text="The 10DLC tier assumed")
    countries = CountryRecommendationSerializer(many=True, help_text="In the order of the request")
    warnings = RecommendationWarningSerializer(
        many=True, help_text="not_ready_by_go_live first when a country has no sender ready by go-live"
    )
    notes = serializers.ListField(child=serializers.CharField())
    ready_by_go_live = serializers.BooleanField(help_text="Every country has a sender ready by go-live")
    meanwhile = serializers.ListField(
        child=serializers.CharField(),
        help_text="What to do until a sender is ready, the fastest path last; empty when every country is ready",
    )
    window_seconds = serializers.IntegerField(
        help_text="How long a segment may wait: the sender queue (36,000 s) or a shorter validity period"
    )


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
