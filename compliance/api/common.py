"""What the compliance API's endpoints share: CSV answers, the finding's schema, and the actor of a request."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiParameter
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


class FindingSerializer(serializers.Serializer):
    rule = serializers.CharField(help_text="The rule's id, e.g. OPT-01, TIME-02")
    severity = serializers.ChoiceField(choices=["block", "defer", "warn"])
    message = serializers.CharField()
    field = serializers.CharField(allow_null=True)
    until = serializers.DateTimeField(allow_null=True, help_text="A deferral: when the rule allows it")
