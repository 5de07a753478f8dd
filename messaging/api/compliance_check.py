"""The rule check of one prospective message on the API: every finding the pre-send rules would make, without
sending or storing anything. It lives with messaging because it reads the sender and its pools; the rules
themselves are compliance's. Scope `compliance:read`."""

from __future__ import annotations

from django.utils import timezone
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from compliance.api.common import RuleFindingSerializer
from compliance.domain.rules import SENDABLE_CATEGORIES
from config.inputs import InputSerializer, object_id
from config.openapi import problem
from messaging import selectors
from messaging.api.writes import named_row
from messaging.services import rules

CATEGORY_CHOICES = [c.value for c in SENDABLE_CATEGORIES]


class CheckSerializer(InputSerializer):
    to = serializers.CharField(max_length=32, help_text="The recipient; E.164 or a number of the tenant's country")
    body = serializers.CharField(required=False, allow_blank=True, default="", trim_whitespace=False, max_length=16_000)
    sender = object_id(required=False, allow_null=True, default=None, help_text="A sender's id")
    pool = object_id(required=False, allow_null=True, default=None, help_text="Or a pool's id")
    category = serializers.ChoiceField(choices=CATEGORY_CHOICES, default="transactional")
    send_at = serializers.DateTimeField(
        required=False, allow_null=True, default=None, help_text="When it would leave; default now"
    )


class CheckResultSerializer(serializers.Serializer):
    to = serializers.CharField(help_text="The recipient in E.164")
    sender = serializers.IntegerField(help_text="The sender it would leave from (a pool's pick for this recipient)")
    from_address = serializers.CharField()
    allowed = serializers.BooleanField(help_text="false: a rule blocks it")
    send_at = serializers.DateTimeField(allow_null=True, help_text="When the rules let it leave; null when blocked")
    findings = RuleFindingSerializer(many=True, help_text="Every finding, each naming its rule, severity and reason")


class ComplianceCheckView(APIView):
    """POST checks one prospective message against every pre-send rule and lists every finding."""

    required_scopes = ("compliance:read",)

    @extend_schema(
        request=CheckSerializer,
        responses={
            200: CheckResultSerializer,
            **problem(422, "A recipient that is no phone number; no sender or pool, or one that does not exist"),
        },
        operation_id="compliance_check",
        tags=["compliance"],
        description="Nothing is sent or stored. A blocked message answers 200 with `allowed` false and the blocking "
        "findings; a deferred one with the moment it may leave in `send_at`. 422 naming the field: neither or both "
        "of `sender` and `pool`, or one that does not exist, or a recipient that is no phone number.",
    )
    def post(self, request):
        serializer = CheckSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        to, sender, verdict = rules.preview(
            tenant=request.tenant,
            to=data["to"],
            body=data["body"],
            category=data["category"],
            sender=named_row(selectors.senders(), data["sender"], "sender"),
            pool=named_row(selectors.pools(), data["pool"], "pool"),
            now=max(data["send_at"] or timezone.now(), timezone.now()),
        )
        body = {
            "to": to,
            "sender": sender.pk,
            "from_address": sender.address,
            "allowed": not verdict.blocked,
            "send_at": verdict.send_at,
            "findings": [f.as_dict() for f in verdict.findings],
        }
        return Response(CheckResultSerializer(body).data)
