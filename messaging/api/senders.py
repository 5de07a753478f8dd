"""Senders and sender pools on the API."""

from __future__ import annotations

from decimal import Decimal

from django.core.validators import RegexValidator
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from compliance.domain import registration
from compliance.domain.registration import Mover
from config.api import PaginatedListMixin
from config.inputs import DecimalInput, InputSerializer, object_id, one_of
from config.openapi import problem
from messaging import selectors
from messaging.models import Sender, SenderPool
from messaging.services import numbers
from messaging.services.senders import (
    MESSAGING_SERVICE_SID,
    pool_create,
    sender_register,
    sender_registration_move,
)

REGISTRATION_STATES = sorted({state for moves in registration.TRANSITIONS.values() for state in moves})
COUNTRY_CODE = RegexValidator(r"^[A-Z]{2}\Z", "country must be an ISO 3166-1 alpha-2 code such as US")


class SenderSerializer(serializers.ModelSerializer):
    class Meta:
        model = Sender
        fields = [
            "id",
            "kind",
            "address",
            "label",
            "country",
            "mps",
            "two_way",
            "sms",
            "mms",
            "voice",
            "registration_state",
            "registration_reference",
            "twilio_sid",
            "synced_at",
            "created_at",
        ]
        read_only_fields = fields


class SenderCreateSerializer(InputSerializer):
    kind = serializers.ChoiceField(choices=Sender.Kind.choices)
    address = serializers.CharField(max_length=34, help_text="As the kind writes it: a number, short code, ID or SID")
    country = serializers.CharField(
        trim_whitespace=False, validators=[COUNTRY_CODE], help_text="ISO 3166-1 alpha-2, e.g. US"
    )
    mps = DecimalInput(
        max_value=Decimal("99999.99"),
        decimal_places=2,
        error_messages={"not_positive": "mps must be greater than 0"},
        help_text="Segments per second the sender sends",
    )
    label = serializers.CharField(max_length=80, required=False, allow_blank=True, default="")
    two_way = serializers.BooleanField(required=False, allow_null=True, default=None)


class RegistrationMoveSerializer(InputSerializer):
    state = one_of(REGISTRATION_STATES, help_text="Where the registration goes; the sender's kind says which moves")
    reference = serializers.CharField(max_length=64, required=False, allow_blank=True, default="")


class PoolSerializer(serializers.ModelSerializer):
    sender_ids = serializers.PrimaryKeyRelatedField(source="senders", many=True, read_only=True)

    class Meta:
        model = SenderPool
        fields = ["id", "name", "messaging_service_sid", "two_way", "sender_ids", "created_at"]
        read_only_fields = fields


class PoolCreateSerializer(InputSerializer):
    name = serializers.CharField(max_length=80)
    sender_ids = serializers.ListField(child=object_id(), allow_empty=False, min_length=1)
    two_way = serializers.BooleanField(default=True)
    messaging_service_sid = serializers.CharField(
        max_length=34,
        required=False,
        allow_blank=True,
        default="",
        trim_whitespace=False,
        validators=[RegexValidator(MESSAGING_SERVICE_SID, "MG followed by 32 hex digits")],
    )


class SenderListView(PaginatedListMixin, APIView):
    """GET lists the tenant's senders (messages:read); POST records one (admin)."""

    required_scopes = ("messages:read",)
    scopes_by_method = {"POST": ("admin",)}

    @extend_schema(responses=SenderSerializer(many=True), operation_id="senders_list", tags=["senders"])
    def get(self, request):
        return self.paginated(request, selectors.senders(), SenderSerializer)

    @extend_schema(
        request=SenderCreateSerializer,
        responses={201: SenderSerializer, **problem(422, "The address is not one a sender of this kind can have")},
        operation_id="senders_create",
        tags=["senders"],
    )
    def post(self, request):
        serializer = SenderCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        sender = sender_register(**serializer.validated_data)
        return Response(SenderSerializer(sender).data, status=status.HTTP_201_CREATED)


class SenderRegistrationView(APIView):
    """POST submits a sender's registration (10DLC campaign, toll-free verification, short code), or starts it
    again after a rejection; approval, rejection and suspension are for ISV staff (403)."""

    required_scopes = ("admin",)

    @extend_schema(
        request=RegistrationMoveSerializer,
        responses={200: SenderSerializer, **problem(409, "The registration cannot move from its state to this one")},
        operation_id="senders_registration_move",
        tags=["senders"],
        description="Move the sender's registration: a tenant may submit it (10DLC draft → submitted) or start again "
        "after a rejection (10DLC rejected → draft, toll-free rejected → pending, short code rejected → applied). "
        "Approval, rejection and suspension come from ISV staff, recording the carriers' or Twilio's decision: "
        "403 `registration_move_staff_only`. A move the state machine does not have: 409 "
        "`registration_transition_refused`.",
    )
    def post(self, request, sender_id: int):
        sender = get_object_or_404(selectors.senders(), pk=sender_id)
        serializer = RegistrationMoveSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        sender = sender_registration_move(
            tenant=request.tenant,
            sender=sender,
            target=serializer.validated_data["state"],
            by=Mover.TENANT,
            reference=serializer.validated_data["reference"],
            actor_label=str(request.user),
        )
        return Response(SenderSerializer(sender).data)


class PoolListView(PaginatedListMixin, APIView):
    """GET lists sender pools (messages:read); POST creates one (admin)."""

    required_scopes = ("messages:read",)
    scopes_by_method = {"POST": ("admin",)}

    @extend_schema(responses=PoolSerializer(many=True), operation_id="pools_list", tags=["senders"])
    def get(self, request):
        return self.paginated(request, selectors.pools(), PoolSerializer)

    @extend_schema(
        request=PoolCreateSerializer,
        responses={
            201: PoolSerializer,
            **problem(409, "A pool of this name exists"),
            **problem(422, "A sender id names no sender of the tenant"),
        },
        operation_id="pools_create",
        tags=["senders"],
    )
    def post(self, request):
        serializer = PoolCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        pool = pool_create(**serializer.validated_data)
        return Response(PoolSerializer(pool).data, status=status.HTTP_201_CREATED)


class SyncReportSerializer(serializers.Serializer):
    added = serializers.ListField(child=serializers.CharField())
    updated = serializers.ListField(child=serializers.CharField())
    missing = serializers.ListField(child=serializers.CharField())


class NumberBuySerializer(InputSerializer):
    """Either a phone number or an area code."""

    phone_number = serializers.CharField(max_length=20, required=False, allow_blank=True, default="")
    area_code = serializers.CharField(
        max_length=3,
        required=False,
        allow_blank=True,
        default="",
        trim_whitespace=False,
        validators=[RegexValidator(r"^[0-9]{3}\Z", "an area code is 3 digits, e.g. 415")],
    )
    label = serializers.CharField(max_length=80, required=False, allow_blank=True, default="")


PROVIDER_PROBLEMS = {
    **problem(409, "The tenant has no Twilio subaccount yet"),
    **problem(422, "Twilio refused the request"),
    **problem(502, "Twilio failed or could not be reached"),
}


class SenderSyncView(APIView):
    """POST brings the phone-number senders in line with the numbers the tenant's Twilio subaccount owns."""

    required_scopes = ("admin",)

    @extend_schema(
        request=None,
        responses={200: SyncReportSerializer, **PROVIDER_PROBLEMS},
        operation_id="senders_sync",
        tags=["senders"],
    )
    def post(self, request):
        report = numbers.senders_sync(tenant=request.tenant)
        return Response(SyncReportSerializer(report).data)


class NumberBuyView(APIView):
    """POST buys a phone number (a given one, or any in a US/CA area code) in the subaccount and adds it."""

    required_scopes = ("admin",)

    @extend_schema(
        request=NumberBuySerializer,
        responses={
            201: SenderSerializer,
            **problem(403, "The key lacks the scope, or the tenant is closed or suspended"),
            **PROVIDER_PROBLEMS,
            **problem(
                422,
                "Neither or both of phone number and area code, a phone number that is not one, or Twilio refused "
                "the number (not for sale, none in the area code)",
            ),
        },
        operation_id="senders_buy",
        tags=["senders"],
    )
    def post(self, request):
        serializer = NumberBuySerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        sender = numbers.number_obtain(tenant=request.tenant, **serializer.validated_data)
        return Response(SenderSerializer(sender).data, status=status.HTTP_201_CREATED)
