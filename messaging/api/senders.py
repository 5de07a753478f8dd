"""Senders and sender pools on the API."""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from config.api import PaginatedListMixin
from messaging import selectors
from messaging.models import Sender, SenderPool
from messaging.services import numbers
from messaging.services.senders import pool_create, sender_register, sender_registration_move


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


class SenderCreateSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=Sender.Kind.choices)
    address = serializers.CharField(max_length=34)
    country = serializers.CharField(max_length=2, min_length=2)
    mps = serializers.DecimalField(max_digits=7, decimal_places=2)
    label = serializers.CharField(max_length=80, required=False, allow_blank=True, default="")
    two_way = serializers.BooleanField(required=False, allow_null=True, default=None)


class RegistrationMoveSerializer(serializers.Serializer):
    state = serializers.CharField(max_length=12)
    reference = serializers.CharField(max_length=64, required=False, allow_blank=True, default="")


class PoolSerializer(serializers.ModelSerializer):
    sender_ids = serializers.PrimaryKeyRelatedField(source="senders", many=True, read_only=True)

    class Meta:
        model = SenderPool
        fields = ["id", "name", "messaging_service_sid", "two_way", "sender_ids", "created_at"]
        read_only_fields = fields


class PoolCreateSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=80)
    sender_ids = serializers.ListField(child=serializers.IntegerField(min_value=1), allow_empty=False)
    two_way = serializers.BooleanField(default=True)
    messaging_service_sid = serializers.CharField(max_length=34, required=False, allow_blank=True, default="")


class SenderListView(PaginatedListMixin, APIView):
    """GET lists the tenant's senders (messages:read); POST records one (admin)."""

    required_scopes = ("messages:read",)
    scopes_by_method = {"POST": ("admin",)}

    @extend_schema(responses=SenderSerializer(many=True), operation_id="senders_list", tags=["senders"])
    def get(self, request):
        return self.paginated(request, selectors.senders(), SenderSerializer)

    @extend_schema(
        request=SenderCreateSerializer,
        responses={201: SenderSerializer},
        operation_id="senders_create",
        tags=["senders"],
    )
    def post(self, request):
        serializer = SenderCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        sender = sender_register(**serializer.validated_data)
        return Response(SenderSerializer(sender).data, status=status.HTTP_201_CREATED)


class SenderRegistrationView(APIView):
    """POST moves a sender's registration (10DLC campaign, toll-free verification, short code) to a new state."""

    required_scopes = ("admin",)

    @extend_schema(
        request=RegistrationMoveSerializer,
        responses=SenderSerializer,
        operation_id="senders_registration_move",
        tags=["senders"],
    )
    def post(self, request, sender_id: int):
        sender = get_object_or_404(selectors.senders(), pk=sender_id)
        serializer = RegistrationMoveSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        sender = sender_registration_move(
            tenant=request.tenant,
            sender=sender,
            target=serializer.validated_data["state"],
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
        request=PoolCreateSerializer, responses={201: PoolSerializer}, operation_id="pools_create", tags=["senders"]
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


class NumberBuySerializer(serializers.Serializer):
    phone_number = serializers.CharField(max_length=20, required=False, allow_blank=True, default="")
    area_code = serializers.CharField(max_length=3, required=False, allow_blank=True, default="")
    label = serializers.CharField(max_length=80, required=False, allow_blank=True, default="")


class SenderSyncView(APIView):
    """POST brings the phone-number senders in line with the numbers the tenant's Twilio subaccount owns."""

    required_scopes = ("admin",)

    @extend_schema(request=None, responses=SyncReportSerializer, operation_id="senders_sync", tags=["senders"])
    def post(self, request):
        report = numbers.senders_sync(tenant=request.tenant)
        return Response(SyncReportSerializer(report).data)


class NumberBuyView(APIView):
    """POST buys a phone number (a given one, or any in a US/CA area code) in the subaccount and adds it."""

    required_scopes = ("admin",)

    @extend_schema(
        request=NumberBuySerializer, responses={201: SenderSerializer}, operation_id="senders_buy", tags=["senders"]
    )
    def post(self, request):
        serializer = NumberBuySerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        sender = numbers.number_obtain(tenant=request.tenant, **serializer.validated_data)
        return Response(SenderSerializer(sender).data, status=status.HTTP_201_CREATED)
