"""Tracked links on the API: a body's short links previewed, a message's links with their clicks, a link's clicks.

Reading links and clicks asks for the `messages:read` scope; the preview, a calculator, for none.
"""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import generics, serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from config.api import CursorPagination
from config.inputs import InputSerializer
from messaging import selectors
from messaging.api.tools import EMPTY_BODY, SegmentsResponseSerializer
from messaging.domain.links import CODE_LENGTH, PLACEHOLDER_CODE
from messaging.domain.segments import MAX_BODY_CHARACTERS
from messaging.models import LinkClick, TrackedLink
from messaging.services.links import links_preview
from messaging.services.tools import segments_count


class LinksPreviewRequestSerializer(InputSerializer):
    body = serializers.CharField(
        trim_whitespace=False, max_length=10 * MAX_BODY_CHARACTERS, error_messages={"blank": EMPTY_BODY}
    )
    smart_encoding = serializers.BooleanField(default=False)


class PreviewLinkSerializer(serializers.Serializer):
    url = serializers.CharField(help_text="A URL of the body, as found")
    short_link = serializers.CharField(help_text="What replaces it, with a code that leads nowhere")


class LinksPreviewResponseSerializer(serializers.Serializer):
    body = serializers.CharField(
        trim_whitespace=False, help_text="The body as every recipient gets it, but with a code that leads nowhere"
    )
    links = PreviewLinkSerializer(many=True, help_text="The distinct URLs that become short links, in order")
    short_link_length = serializers.IntegerField(help_text="Characters of every short link of the tenant")
    segments = SegmentsResponseSerializer(help_text="Of the rewritten body: the same for every recipient")
    original_segments = SegmentsResponseSerializer(help_text="Of the body as given")


class LinksPreviewView(APIView):
    """POST /api/v1/tools/links — a body with its URLs as short links, and its segments then; nothing is stored."""

    required_scopes: tuple[str, ...] = ()

    @extend_schema(
        request=LinksPreviewRequestSerializer,
        responses=LinksPreviewResponseSerializer,
        operation_id="tools_links",
        tags=["tools"],
        description="Every http(s) URL of the body (not one with a template tag such as `{{`, not one of the "
        "tenant's short links) becomes `<link base><code>`: the link base is `https://<link domain>/l/` when the "
        f"tenant has a link domain, else the platform host's `/l/<tenant slug>/`; the code has {CODE_LENGTH} "
        "letters and digits for every recipient, so every recipient's body has the same length and segments.",
    )
    def post(self, request):
        serializer = LinksPreviewRequestSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        original = segments_count(body=data["body"], smart_encoding=data["smart_encoding"])
        preview = links_preview(tenant=request.tenant, body=data["body"])
        rewritten = preview.sample()
        short_link = preview.base + PLACEHOLDER_CODE
        return Response(
            {
                "body": rewritten,
                "links": [{"url": url, "short_link": short_link} for url in preview.links.values()],
                "short_link_length": len(short_link),
                "segments": segments_count(body=rewritten, smart_encoding=data["smart_encoding"]).to_dict(),
                "original_segments": original.to_dict(),
            }
        )


class TrackedLinkSerializer(serializers.ModelSerializer):
    clicks = serializers.IntegerField(source="click_count", read_only=True, help_text="Every click, repeated ones too")
    clicking_recipients = serializers.IntegerField(read_only=True, help_text="Distinct recipients who clicked")

    class Meta:
        model = TrackedLink
        fields = ["id", "url", "owner_kind", "clicks", "clicking_recipients", "created_at"]
        read_only_fields = fields


class MessageLinksSerializer(serializers.Serializer):
    links = TrackedLinkSerializer(many=True)
    clicked = serializers.BooleanField(help_text="The recipient clicked at least one of the links")
    clicks = serializers.IntegerField()


class MessageLinksView(APIView):
    """GET a message's tracked links (sent with `track_links`) and their clicks."""

    required_scopes = ("messages:read",)

    @extend_schema(responses=MessageLinksSerializer, operation_id="messages_links", tags=["messages"])
    def get(self, request, message_id):
        message = get_object_or_404(selectors.messages(), uuid=message_id)
        links = list(selectors.tracked_links(owner_kind=TrackedLink.OwnerKind.MESSAGE, owner_id=message.pk))
        (overall,) = selectors.click_through(
            owner_kind=TrackedLink.OwnerKind.MESSAGE, owner_id=message.pk, recipients={"": 1}
        )
        return Response(
            {
                "links": TrackedLinkSerializer(links, many=True).data,
                "clicked": overall.clicking_recipients > 0,
                "clicks": overall.clicks,
            }
        )


class LinkClickSerializer(serializers.ModelSerializer):
    variant = serializers.CharField(help_text="The variant's label; empty for none")

    class Meta:
        model = LinkClick
        fields = ["id", "clicked_at", "variant", "user_agent"]
        read_only_fields = fields


class LinkClicksView(generics.ListAPIView):
    """GET a tracked link's clicks, newest first (cursor pages)."""

    required_scopes = ("messages:read",)
    serializer_class = LinkClickSerializer
    pagination_class = CursorPagination

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # the schema is drawn without a link
            return LinkClick.objects.none()
        link = get_object_or_404(TrackedLink.objects.all(), pk=self.kwargs["link_id"])
        return selectors.link_clicks(link)

    @extend_schema(operation_id="links_clicks_list", tags=["links"])
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)
