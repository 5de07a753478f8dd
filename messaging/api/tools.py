"""Calculators on the API: segments now, throughput and sender recommendations alongside."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from config.inputs import DecimalInput, InputSerializer, bounded_int
from messaging.domain import throughput
from messaging.domain.segments import MAX_BODY_CHARACTERS
from messaging.services.tools import segments_count, throughput_calculate

EMPTY_BODY = "must not be empty: Twilio refuses a message without a body (error 21602)"
MPS_RANGE = f"must be more than 0 and at most {throughput.MAX_TOTAL_MPS:,}"


class SegmentsRequestSerializer(InputSerializer):
    body = serializers.CharField(
        trim_whitespace=False,
        max_length=10 * MAX_BODY_CHARACTERS,
        error_messages={"blank": EMPTY_BODY},
    )
    smart_encoding = serializers.BooleanField(default=False)


class ForcingCharacterSerializer(serializers.Serializer):
    character = serializers.CharField(help_text="A character outside GSM-7 that forces UCS-2")
    replacement = serializers.CharField(allow_null=True, help_text="What Smart Encoding sends instead, if anything")


class SegmentsResponseSerializer(serializers.Serializer):
    encoding = serializers.ChoiceField(choices=["GSM-7", "UCS-2"])
    segments = serializers.IntegerField()
    characters = serializers.IntegerField(
        help_text="The length that counts against 160/153 (GSM-7: an extension character such as { or € counts 2) "
        "or 70/67 (UCS-2: characters as a reader counts them)"
    )
    code_units = serializers.IntegerField(help_text="GSM-7 septets or UCS-2 code units")
    message_bits = serializers.IntegerField()
    total_bits = serializers.IntegerField(help_text="Including the 6-octet header of each concatenated segment")
    body_sent = serializers.CharField(help_text="The body after Smart Encoding, when enabled")
    smart_encoding = serializers.BooleanField()
    exceeds_max_body = serializers.BooleanField(help_text=f"More than {MAX_BODY_CHARACTERS} characters")
    segment_texts = serializers.ListField(child=serializers.CharField(trim_whitespace=False))
    forcing_ucs2 = ForcingCharacterSerializer(many=True)
    replacements = serializers.ListField(
        child=serializers.ListField(child=serializers.CharField(trim_whitespace=False))
    )


class SegmentsView(APIView):
    """POST /api/v1/tools/segments — encoding and segment count of a body, exactly as Twilio bills it.

    An empty body is refused with a 400 naming `body`, as Twilio refuses a message without one (error 21602).
    """

    required_scopes: tuple[str, ...] = ()

    @extend_schema(
        request=SegmentsRequestSerializer,
        responses=SegmentsResponseSerializer,
        operation_id="tools_segments",
        tags=["tools"],
    )
    def post(self, request):
        serializer = SegmentsRequestSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        report = segments_count(**serializer.validated_data)
        return Response(report.to_dict())


class ThroughputRequestSerializer(InputSerializer):
    """The calculator's ranges, so that the document states them; the calculator checks them again."""

    recipients = bounded_int(0, throughput.MAX_RECIPIENTS, help_text=f"0 to {throughput.MAX_RECIPIENTS:,}")
    segments_per_message = bounded_int(
        1, throughput.MAX_SEGMENTS_PER_MESSAGE, help_text=f"1 to {throughput.MAX_SEGMENTS_PER_MESSAGE}"
    )
    total_mps = DecimalInput(
        max_value=throughput.MAX_TOTAL_MPS,
        decimal_places=2,
        error_messages={"not_positive": MPS_RANGE, "too_large": MPS_RANGE},
        help_text="Segments per second of all the senders used, summed",
    )
    queue_horizon_seconds = bounded_int(
        1,
        throughput.MAX_QUEUE_SECONDS,
        default=throughput.DEFAULT_QUEUE_HORIZON_SECONDS,
        help_text="How long a sender queues segments: 36,000 (10 h) today; 14,400 reproduces the older 4 h guide",
    )
    validity_period_seconds = bounded_int(
        1,
        throughput.MAX_QUEUE_SECONDS,
        required=False,
        allow_null=True,
        default=None,
        help_text="ValidityPeriod of the messages, 1 to 36,000",
    )
    api_latency_ms = bounded_int(
        1,
        throughput.MAX_API_LATENCY_MS,
        default=throughput.DEFAULT_API_LATENCY_MS,
        help_text="Round trip of one REST request, 1 to 60,000",
    )
    margin_percent = bounded_int(
        0,
        throughput.MAX_MARGIN_PERCENT,
        default=throughput.DEFAULT_MARGIN_PERCENT,
        help_text="Extra throughput on top of the minimum, 0 to 100",
    )


class ThroughputInputSerializer(ThroughputRequestSerializer):
    """The input as calculated, defaults filled in."""

    queue_horizon_seconds = serializers.IntegerField()
    validity_period_seconds = serializers.IntegerField(allow_null=True)
    api_latency_ms = serializers.IntegerField()
    margin_percent = serializers.IntegerField()


class ThroughputResponseSerializer(serializers.Serializer):
    input = ThroughputInputSerializer()
    total_segments = serializers.IntegerField()
    seconds_to_drain = serializers.IntegerField(help_text="To send every segment at total_mps, rounded up")
    drain_time = serializers.CharField(help_text='seconds_to_drain as "2 h 5 min"')
    window_seconds = serializers.IntegerField(help_text="The shorter of the queue horizon and the validity period")
    window_limited_by = serializers.ChoiceField(choices=["queue", "validity"])
    queue_capacity_segments = serializers.IntegerField(help_text="total_mps × window, rounded down")
    overflows = serializers.BooleanField()
    overflow_segments = serializers.IntegerField(help_text="Refused (21611/30001) or expired (30036)")
    seconds_beyond_window = serializers.IntegerField()
    minimum_mps = serializers.IntegerField(help_text="Least whole MPS that sends everything within the window")
    recommended_mps = serializers.IntegerField(help_text="minimum_mps with the margin, rounded up")
    api_requests_per_second = serializers.DecimalField(
        max_digits=14, decimal_places=2, help_text="Messages per second at total_mps: one request each"
    )
    api_concurrency = serializers.IntegerField(help_text="Requests in flight at total_mps: rate × latency / 1000")
    recommended_api_requests_per_second = serializers.DecimalField(max_digits=14, decimal_places=2)
    recommended_api_concurrency = serializers.IntegerField()
    notes = serializers.ListField(child=serializers.CharField())


class ThroughputView(APIView):
    """POST /api/v1/tools/throughput — drain time, queue overflow, and the MPS and API concurrency a send needs."""

    required_scopes: tuple[str, ...] = ()

    @extend_schema(
        request=ThroughputRequestSerializer,
        responses=ThroughputResponseSerializer,
        operation_id="tools_throughput",
        tags=["tools"],
    )
    def post(self, request):
        serializer = ThroughputRequestSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        result = throughput_calculate(**serializer.validated_data)
        return Response(ThroughputResponseSerializer(result).data)
