"""The sender-selection wizard on the API: a workload in, per country the sender types ranked and explained."""

from __future__ import annotations

from decimal import Decimal

from django.core.validators import RegexValidator
from django.db import DatabaseError
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from config.inputs import DecimalInput, InputSerializer, UniqueListField, bounded_int, one_of
from config.openapi import problem
from messaging.catalogue.selectors import current_catalogue
from messaging.domain import recommend as domain
from messaging.domain.catalogue import DEFAULT_CATALOGUE
from messaging.domain.recommend.request import MAX_COUNTRIES, MAX_DAILY_VOLUME, MAX_PEAK_WINDOW_SECONDS
from messaging.domain.throughput import MAX_SEGMENTS_PER_MESSAGE, MAX_TOTAL_MPS
from messaging.services import plans

COUNTRY_CODE = RegexValidator(r"^[A-Za-z]{2}\Z", "%(value)r is not a two-letter ISO 3166-1 country code")
MPS_RANGE = f"must be more than 0 and at most {MAX_TOTAL_MPS:,}"
RULES_REFUSED = (
    "A rule that ties values together refuses the request: the peak given both ways or half of it, more peak "
    "messages than daily ones, a go-live before today, a country listed twice (UK is GB)"
)

# --- input ------------------------------------------------------------------------------------------------------


class RecommendationRequestSerializer(InputSerializer):
    """The recommendation's own ranges and choices, so that the document states them (the recommendation checks
    them again); what ties values together (the peak, go-live not before today) it refuses with 422."""

    use_case = one_of(
        [use_case.value for use_case in domain.UseCase],
        help_text="conversational, transactional, promotional or otp",
    )
    two_way = serializers.BooleanField(default=False, help_text="Recipients reply")
    countries = UniqueListField(
        child=serializers.CharField(trim_whitespace=False, validators=[COUNTRY_CODE]),
        allow_empty=False,
        min_length=1,
        max_length=MAX_COUNTRIES,
        error_messages={
            "empty": "must list at least one country",
            "max_length": f"must list at most {MAX_COUNTRIES} countries",
        },
        help_text='ISO 3166-1 alpha-2 destination codes, e.g. ["US", "GB"]; UK means GB',
    )
    daily_volume = bounded_int(1, MAX_DAILY_VOLUME, help_text="Messages a day")
    peak_messages = bounded_int(
        1,
        MAX_DAILY_VOLUME,
        required=False,
        allow_null=True,
        default=None,
        help_text="Messages in the busiest window (with the window)",
    )
    peak_window_seconds = bounded_int(
        1,
        MAX_PEAK_WINDOW_SECONDS,
        required=False,
        allow_null=True,
        default=None,
        help_text="Length of that window in seconds, up to 86,400",
    )
    required_mps = DecimalInput(
        max_value=MAX_TOTAL_MPS,
        decimal_places=3,
        required=False,
        allow_null=True,
        default=None,
        error_messages={"not_positive": MPS_RANGE, "too_large": MPS_RANGE},
        help_text="Segments per second needed at peak, instead of peak_messages and peak_window_seconds",
    )
    segments_per_message = bounded_int(
        1, MAX_SEGMENTS_PER_MESSAGE, default=1, help_text=f"1 to {MAX_SEGMENTS_PER_MESSAGE}"
    )
    time_sensitive = serializers.BooleanField(default=False, help_text="Late messages are useless (like passcodes)")
    priority = one_of(
        [priority.value for priority in domain.Priority],
        default=domain.Priority.BALANCED.value,
        help_text="cost, deliverability or balanced",
    )
    voice = serializers.BooleanField(default=False, help_text="The senders must take voice calls too")
    go_live = serializers.DateField(help_text="When sending starts; not before today")
    tendlc_tier = serializers.CharField(
        required=False,
        allow_null=True,
        default=None,
        help_text="The brand's A2P 10DLC Trust Score tier (high, medium, low, low_volume_mixed, sole_proprietor); "
        "null assumes the catalogue's default tier",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The tiers are ISV staff's to keep (the sender catalogue): the choices are read when the request is.
        declared = self.fields["tendlc_tier"]
        self.fields["tendlc_tier"] = one_of(
            _tier_codes(bound=hasattr(self, "initial_data")),
            required=False,
            allow_null=True,
            default=None,
            help_text=declared.help_text,
        )

    def validate_required_mps(self, value: Decimal | None) -> Decimal | None:
        # "25" stays 25, not the field's 25.000, so the recommendation reads it back as it was given.
        if value is None:
            return None
        return value.quantize(Decimal(1)) if value == value.to_integral_value() else value.normalize()


def _tier_codes(*, bound: bool) -> list[str]:
    """The catalogue's tiers; documenting the API without a database (`check --deploy` before `migrate`) shows the
    built-in ones."""
    if bound:
        return current_catalogue().tendlc_tier_codes()
    try:
        return current_catalogue().tendlc_tier_codes()
    except DatabaseError:
        return DEFAULT_CATALOGUE.tendlc_tier_codes()


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
        operation_id="senders_recommend",
        tags=["senders"],
        description="Computes advice and changes nothing. A 400 or 422 problem names the field it refuses.",
        responses={200: RecommendationSerializer, **problem(422, RULES_REFUSED)},
    )
    def post(self, request):
        serializer = RecommendationRequestSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        return Response(plans.recommendation_for(serializer.validated_data).to_dict())
