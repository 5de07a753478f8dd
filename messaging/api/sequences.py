"""Ordered sequences on the API: start one (with `Idempotency-Key`), list them, read one with its parts' statuses,
cancel one. Reading asks for `messages:read`, starting and canceling for `messages:send`, as for messages."""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from compliance.domain.rules import SENDABLE_CATEGORIES
from config.api import PaginatedListMixin
from config.inputs import InputSerializer, bounded_int, object_id, one_of
from config.openapi import problem
from messaging import selectors
from messaging.api.writes import answered_once, named_row
from messaging.domain.segments import MAX_BODY_CHARACTERS
from messaging.gateways.base import MAX_MEDIA_URLS
from messaging.models import Message, Sequence, SequencePart
from messaging.models.sequences import (
    DEFAULT_PART_TIMEOUT_SECONDS,
    MAX_PART_TIMEOUT_SECONDS,
    MIN_PART_TIMEOUT_SECONDS,
)
from messaging.services.sequences import MAX_PARTS, MIN_PARTS, PartContent, sequence_cancel, sequence_create


class PartInputSerializer(InputSerializer):
    body = serializers.CharField(
        required=False, allow_blank=True, default="", trim_whitespace=False, max_length=MAX_BODY_CHARACTERS
    )
    media_urls = serializers.ListField(
        child=serializers.CharField(max_length=2048),
        required=False,
        default=list,
        max_length=MAX_MEDIA_URLS,
        help_text=f"https URLs of images and other media, at most {MAX_MEDIA_URLS}",
    )


class SequenceCreateSerializer(InputSerializer):
    to = serializers.CharField(max_length=32, help_text="The recipient; E.164 or a number of the tenant's country")
    sender = object_id(required=False, allow_null=True, default=None, help_text="A sender's id")
    pool = object_id(required=False, allow_null=True, default=None, help_text="Or a pool's id")
    category = one_of(
        [c.value for c in SENDABLE_CATEGORIES],
        default="transactional",
        help_text="What the parts are for; every part is checked by the compliance rules of its category",
    )
    policy = one_of(
        Sequence.Policy.values,
        default=Sequence.Policy.HALT,
        help_text="After a part that was not delivered (undelivered, failed, timed out): halt, or continue",
    )
    part_timeout_seconds = bounded_int(
        MIN_PART_TIMEOUT_SECONDS,
        MAX_PART_TIMEOUT_SECONDS,
        default=DEFAULT_PART_TIMEOUT_SECONDS,
        help_text="How long a part may wait for its delivery report before it times out",
    )
    parts = serializers.ListField(
        child=PartInputSerializer(), min_length=MIN_PARTS, max_length=MAX_PARTS, help_text="The parts, in order"
    )


class SequencePartSerializer(serializers.ModelSerializer):
    status = serializers.ChoiceField(choices=SequencePart.Status.values, read_only=True)
    message_id = serializers.UUIDField(source="message.uuid", read_only=True, allow_null=True, default=None)
    message_status = serializers.CharField(source="message.status", read_only=True, allow_null=True, default=None)

    class Meta:
        model = SequencePart
        fields = ["position", "status", "body", "media_urls", "message_id", "message_status", "detail", "sent_at",
                  "deadline_at", "finished_at"]  # fmt: skip
        read_only_fields = fields


class SequenceSerializer(serializers.ModelSerializer):
    id = serializers.UUIDField(source="uuid", read_only=True)
    sender_id = serializers.IntegerField(read_only=True, allow_null=True)
    pool_id = serializers.IntegerField(read_only=True, allow_null=True)
    status = serializers.ChoiceField(choices=Sequence.Status.values, read_only=True)
    policy = serializers.ChoiceField(choices=Sequence.Policy.values, read_only=True)
    parts = SequencePartSerializer(many=True, read_only=True)

    class Meta:
        model = Sequence
        fields = ["id", "to", "sender_id", "pool_id", "category", "policy", "part_timeout_seconds", "status",
                  "reason", "source", "created_at", "finished_at", "parts"]  # fmt: skip
        read_only_fields = fields


def _read(sequence: Sequence) -> dict:
    return SequenceSerializer(selectors.sequences().get(pk=sequence.pk)).data


class SequenceListView(PaginatedListMixin, APIView):
    """GET lists ordered sequences, newest first (messages:read); POST starts one (messages:send)."""

    required_scopes = ("messages:read",)
    scopes_by_method = {"POST": ("messages:send",)}
    accepts_idempotency_key = True

    @extend_schema(responses=SequenceSerializer(many=True), operation_id="sequences_list", tags=["sequences"])
    def get(self, request):
        return self.paginated(request, selectors.sequences(), SequenceSerializer)

    @extend_schema(
        request=SequenceCreateSerializer,
        responses={
            201: SequenceSerializer,
            **problem(409, "The sender's registration does not allow sending yet"),
            **problem(422, "A part Twilio would refuse, no sender or pool (or both), or part 1 blocked by a rule"),
        },
        operation_id="sequences_create",
        tags=["sequences"],
        description="Stores the parts and sends part 1 to the recipient; part k+1 is sent only once part k's "
        "status callback reports it `delivered`, so the parts arrive in order. A part with no final status within "
        "`part_timeout_seconds` times out. After a part that is undelivered, failed or timed out, `policy` halts the "
        "sequence or continues with the next part; a recipient who opted out halts it whatever the policy. Before "
        "anything is stored, every part's content is checked (a part without a body or media, or a media URL that "
        "is not https, answers 422 naming `parts.<i>`) and part 1 passes the compliance rules like any message (a "
        "blocking rule answers 422 `compliance_blocked` with its findings); the other parts pass them when their "
        "turn comes.",
    )
    def post(self, request):
        serializer = SequenceCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data

        def write() -> tuple[int, dict]:
            sequence = sequence_create(
                tenant=request.tenant,
                to=data["to"],
                parts=[PartContent(body=p["body"], media_urls=tuple(p["media_urls"])) for p in data["parts"]],
                sender=named_row(selectors.senders(), data["sender"], "sender"),
                pool=named_row(selectors.pools(), data["pool"], "pool"),
                category=data["category"],
                policy=data["policy"],
                part_timeout_seconds=data["part_timeout_seconds"],
                source=Message.Source.API,
            )
            return status.HTTP_201_CREATED, _read(sequence)

        return answered_once(request, write)


class SequenceDetailView(APIView):
    """GET one sequence with its parts, each with its status and its message."""

    required_scopes = ("messages:read",)

    @extend_schema(responses=SequenceSerializer, operation_id="sequences_read", tags=["sequences"])
    def get(self, request, sequence_id):
        return Response(SequenceSerializer(get_object_or_404(selectors.sequences(), uuid=sequence_id)).data)


class SequenceCancelView(APIView):
    """POST cancels a pending or running sequence: no further part is sent; 409 once it has ended."""

    required_scopes = ("messages:send",)

    @extend_schema(
        request=None,
        responses={200: SequenceSerializer, **problem(409, "The sequence has ended already")},
        operation_id="sequences_cancel",
        tags=["sequences"],
        description="No further part is sent, and a part still waiting in the outbox is withdrawn; a part that has "
        "left keeps its outcome.",
    )
    def post(self, request, sequence_id):
        sequence = get_object_or_404(selectors.sequences(), uuid=sequence_id)
        sequence = sequence_cancel(sequence=sequence, actor_label=str(request.user))
        return Response(_read(sequence))
