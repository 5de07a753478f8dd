"""Calculators on the API: segments now, throughput and sender recommendations alongside."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from messaging.domain.segments import MAX_BODY_CHARACTERS, SegmentReport, count_segments


class SegmentsRequestSerializer(serializers.Serializer):
    body = serializers.CharField(allow_blank=True, trim_whitespace=False, max_length=10 * MAX_BODY_CHARACTERS)
    smart_encoding = serializers.BooleanField(default=False)


class ForcingCharacterSerializer(serializers.Serializer):
    character = serializers.CharField(help_text="A character outside GSM-7 that forces UCS-2")
    replacement = serializers.CharField(allow_null=True, help_text="What Smart Encoding sends instead, if anything")


class SegmentsResponseSerializer(serializers.Serializer):
    encoding = serializers.ChoiceField(choices=["GSM-7", "UCS-2"])
    segments = serializers.IntegerField()
    characters = serializers.IntegerField(help_text="Characters as a reader counts them (grapheme clusters)")
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


def segment_report_data(report: SegmentReport) -> dict:
    """The JSON shape of a segment report, shared by the API and the compose boxes of the UI."""
    replacement_of = dict(report.replacements)
    return {
        "encoding": report.encoding,
        "segments": report.segments,
        "characters": report.characters,
        "code_units": report.code_units,
        "message_bits": report.message_bits,
        "total_bits": report.total_bits,
        "body_sent": report.body,
        "smart_encoding": report.smart_encoding,
        "exceeds_max_body": report.exceeds_max_body,
        "segment_texts": list(report.segment_texts),
        "forcing_ucs2": [{"character": c, "replacement": replacement_of.get(c)} for c in report.non_gsm_characters],
        "replacements": [list(pair) for pair in report.replacements],
    }


class SegmentsView(APIView):
    """POST /api/v1/tools/segments — encoding and segment count of a body, exactly as Twilio bills it."""

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
        report = count_segments(
            serializer.validated_data["body"], smart_encoding=serializer.validated_data["smart_encoding"]
        )
        return Response(segment_report_data(report))
