"""Messages on the API: send one (with `Idempotency-Key`), list and filter them, read one and its events, cancel."""

from __future__ import annotations

import django_filters
from django import forms
from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import generics, serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from compliance.domain.rules import SENDABLE_CATEGORIES
from config.api import CursorPagination, OldestFirstPagination, PaginatedListMixin, StrictFilterSet, TextFilter
from config.inputs import InputSerializer
from config.openapi import problem
from messaging import selectors
from messaging.api.writes import answered_once, named_row
from messaging.domain.failures import FailureReason
from messaging.domain.statuses import MessageStatus
from messaging.gateways.base import MAX_MEDIA_URLS, MAX_VALIDITY_PERIOD_SECONDS
from messaging.models import Message, MessageEvent
from messaging.services.idempotency import MAX_KEY_LENGTH
from messaging.services.messages import message_cancel, message_send

IDEMPOTENCY_HEADER = OpenApiParameter(
    "Idempotency-Key",
    {"type": "string", "minLength": 1, "maxLength": MAX_KEY_LENGTH, "pattern": "^[\\x20-\\x7e]+$"},
    OpenApiParameter.HEADER,
    description="Accepted: the same key and the same request within 24 hours create one message and get the same "
    "answer; the same key with another request answers 409.",
)


class MessageCreateSerializer(InputSerializer):
    to = serializers.CharField(max_length=32, help_text="The recipient; E.164 or a number of the tenant's country")
    body = serializers.CharField(required=False, allow_blank=True, default="", trim_whitespace=False, max_length=16_000)
    media_urls = serializers.ListField(
        child=serializers.CharField(max_length=2048),
        required=False,
        default=list,
        max_length=MAX_MEDIA_URLS,
        help_text=f"https URLs of images and other media, at most {MAX_MEDIA_URLS}",
    )
    sender = serializers.IntegerField(required=False, allow_null=True, default=None, help_text="A sender's id")
    pool = serializers.IntegerField(required=False, allow_null=True, default=None, help_text="Or a pool's id")
    validity_period = serializers.IntegerField(
        required=False, allow_null=True, default=None, min_value=1, max_value=MAX_VALIDITY_PERIOD_SECONDS
    )
    send_at = serializers.DateTimeField(required=False, allow_null=True, default=None, help_text="Within 35 days")
    lane = serializers.ChoiceField(choices=Message.Lane.choices, default=Message.Lane.PRIORITY)
    category = serializers.ChoiceField(
        choices=[c.value for c in SENDABLE_CATEGORIES],
        default="transactional",
        help_text="What the message is for: marketing needs consent and keeps every sending-hours rule; "
        "transactional and passcode messages keep the tenant's window unless it exempts them",
    )
    track_links = serializers.BooleanField(
        default=False,
        help_text="Replace each http(s) URL of the body with a short link of the tenant that records clicks "
        "(`GET /api/v1/messages/{id}/links`); the stored body, its size and its segments are those of the short links",
    )


class FindingSerializer(serializers.Serializer):
    rule = serializers.CharField(help_text="The rule's id, e.g. OPT-01, TIME-02")
    severity = serializers.ChoiceField(choices=["block", "defer", "warn"])
    message = serializers.CharField()
    field = serializers.CharField(allow_null=True)
    until = serializers.DateTimeField(allow_null=True, help_text="A deferral: when the rule allows it")


class MessageSerializer(serializers.ModelSerializer):
    id = serializers.UUIDField(source="uuid", read_only=True)
    sender_id = serializers.IntegerField(read_only=True, allow_null=True)
    pool_id = serializers.IntegerField(read_only=True, allow_null=True)
    status = serializers.ChoiceField(choices=[s.value for s in MessageStatus], read_only=True)
    failure_reason = serializers.ChoiceField(choices=["", *(r.value for r in FailureReason)], read_only=True)
    compliance = FindingSerializer(many=True, read_only=True, help_text="The rules' warnings and deferrals")

    class Meta:
        model = Message
        fields = [
            "id", "direction", "source", "status", "provider_status", "to", "from_address", "sender_id", "pool_id",
            "body", "media_urls", "encoding", "segments", "lane", "category", "compliance", "twilio_sid", "error_code",
            "failure_reason", "error_message", "price", "price_unit", "validity_period", "send_at", "attempts",
            "created_at", "queued_at", "sending_at", "accepted_at", "sent_at", "delivered_at", "failed_at", "read_at",
            "canceled_at", "received_at",
        ]  # fmt: skip
        read_only_fields = fields


class MessageEventSerializer(serializers.ModelSerializer):
    class Meta:
        model = MessageEvent
        fields = ["kind", "status", "provider_status", "error_code", "detail", "payload", "provider_time", "applied",
                  "created_at"]  # fmt: skip
        read_only_fields = fields


@extend_schema_field(OpenApiTypes.INT)
class WholeNumberFilter(django_filters.NumberFilter):
    """A filter on a whole number: `0.5` is refused (400), not rounded."""

    field_class = forms.IntegerField


class MessageFilter(StrictFilterSet):
    to = TextFilter(help_text="Exactly this number, E.164")
    sender = WholeNumberFilter(field_name="sender_id", help_text="A sender's id")
    status = django_filters.MultipleChoiceFilter(choices=[(s.value, s.value) for s in MessageStatus])
    direction = django_filters.ChoiceFilter(choices=Message.Direction.choices)
    error_code = WholeNumberFilter(help_text="Twilio's error code")
    created_after = django_filters.IsoDateTimeFilter(field_name="created_at", lookup_expr="gte")
    created_before = django_filters.IsoDateTimeFilter(field_name="created_at", lookup_expr="lt")

    class Meta:
        model = Message
        fields = ["to", "sender", "status", "direction", "error_code", "created_after", "created_before"]


class MessageListView(generics.ListAPIView):
    """GET lists messages, newest first, filtered (messages:read); POST sends one (messages:send)."""

    required_scopes = ("messages:read",)
    scopes_by_method = {"POST": ("messages:send",)}
    serializer_class = MessageSerializer
    pagination_class = CursorPagination
    filterset_class = MessageFilter

    def get_queryset(self):
        return selectors.messages()

    @extend_schema(operation_id="messages_list", tags=["messages"])
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    @extend_schema(
        request=MessageCreateSerializer,
        responses={
            201: MessageSerializer,
            **problem(
                409,
                "The sender's registration does not allow sending, or the Idempotency-Key was used with another body",
            ),
            **problem(
                422,
                "A value only the server can judge (a number that is no phone number, a sender or pool id that names "
                "none, media that is not https, a body over 1,600 characters, `send_at` beyond 35 days), or "
                "`compliance_blocked` with every finding",
            ),
        },
        parameters=[IDEMPOTENCY_HEADER],
        operation_id="messages_send",
        tags=["messages"],
        description="Stores the message and queues it for its sender (or a sender of the pool, picked for the "
        "recipient); it leaves at the sender's pace. Refused before anything is stored: a number that is not one, "
        "an unknown sender or pool, a sender whose registration does not allow sending (409), a suspended tenant "
        "(403), media that is not https, a body over 1,600 characters, the daily cap reached (429), and a message a "
        "compliance rule blocks (422 `compliance_blocked`, with every finding: rule, severity, message). A rule "
        "that defers (sending hours, frequency caps) schedules the message for the minute it allows; warnings and "
        "deferrals are listed in `compliance`. Every message is checked again just before it leaves.",
    )
    def post(self, request):
        serializer = MessageCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data

        def write() -> tuple[int, dict]:
            message = message_send(
                tenant=request.tenant,
                to=data["to"],
                body=data["body"],
                media_urls=data["media_urls"],
                sender=named_row(selectors.senders(), data["sender"], "sender"),
                pool=named_row(selectors.pools(), data["pool"], "pool"),
                validity_period=data["validity_period"],
                send_at=data["send_at"],
                lane=data["lane"],
                category=data["category"],
                track_links=data["track_links"],
                source=Message.Source.API,
            )
            return status.HTTP_201_CREATED, MessageSerializer(message).data

        return answered_once(request, write)


class MessageDetailView(APIView):
    """GET one message by its id."""

    required_scopes = ("messages:read",)

    @extend_schema(responses=MessageSerializer, operation_id="messages_read", tags=["messages"])
    def get(self, request, message_id):
        return Response(MessageSerializer(get_object_or_404(selectors.messages(), uuid=message_id)).data)


class MessageEventsView(PaginatedListMixin, APIView):
    """GET a message's events, oldest first: every change and every callback, as it came."""

    required_scopes = ("messages:read",)
    pagination_class = OldestFirstPagination

    @extend_schema(responses=MessageEventSerializer(many=True), operation_id="messages_events", tags=["messages"])
    def get(self, request, message_id):
        message = get_object_or_404(selectors.messages(), uuid=message_id)
        return self.paginated(request, selectors.message_events(message), MessageEventSerializer)


class MessageCancelView(APIView):
    """POST cancels a message that has not left yet (queued or scheduled); 409 once it is leaving or gone."""

    required_scopes = ("messages:send",)

    @extend_schema(request=None, responses=MessageSerializer, operation_id="messages_cancel", tags=["messages"])
    def post(self, request, message_id):
        message = get_object_or_404(selectors.messages(), uuid=message_id)
        message = message_cancel(message=message, actor_label=str(request.user))
        return Response(MessageSerializer(message).data)
