"""What the compliance API's endpoints share: CSV answers, the finding's schema, and the actor of a request."""

from __future__ import annotations

import re
from datetime import time

from drf_spectacular.utils import OpenApiParameter, extend_schema_field
from rest_framework import renderers, serializers

READ = ("compliance:read",)
WRITE = ("compliance:write",)


def actor_label(request) -> str:
    """How the register and the audit log name the caller: the API key's prefix."""
    return str(request.user)


class CsvRenderer(renderers.BaseRenderer):
    """Lets a client ask for text/csv; the CSV itself streams past the renderer, which only writes a refusal."""

    media_type = "text/csv"
    format = "csv"

    def render(self, data, accepted_media_type=None, renderer_context=None) -> bytes:
        return renderers.JSONRenderer().render(data)


# DRF's ?format= override exists for any view with several renderers; CSV answers are asked for with Accept.
NO_FORMAT_PARAMETER = OpenApiParameter("format", exclude=True)


class RuleFindingSerializer(serializers.Serializer):
    rule = serializers.CharField(help_text="The rule's id, e.g. OPT-01, TIME-02")
    severity = serializers.ChoiceField(choices=["block", "defer", "warn"])
    message = serializers.CharField()
    field = serializers.CharField(allow_null=True)
    until = serializers.DateTimeField(allow_null=True, help_text="A deferral: when the rule allows it")


CLOCK_PATTERN = r"^([01][0-9]|2[0-3]):[0-5][0-9]$"


@extend_schema_field({"type": "string", "pattern": CLOCK_PATTERN, "example": "08:00"})
class ClockField(serializers.CharField):
    """A time of day written HH:MM (24-hour), read into a `time`, written back the same way."""

    default_error_messages = {"clock": "give a time of day as HH:MM, e.g. 08:00"}

    def __init__(self, **kwargs):
        super().__init__(trim_whitespace=False, **kwargs)

    def to_internal_value(self, data) -> time:
        text = super().to_internal_value(data)
        if not re.fullmatch(CLOCK_PATTERN, text):
            self.fail("clock")
        hours, minutes = text.split(":")
        return time(int(hours), int(minutes))

    def to_representation(self, value: time) -> str:
        return value.strftime("%H:%M")
