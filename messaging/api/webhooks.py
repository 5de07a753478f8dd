"""Webhook endpoints on the API: add one (its secret in that answer only), read, change, enable or disable, delete,
rotate its secret, send it a test event; list its deliveries, read one with every attempt, send one again."""

from __future__ import annotations

import json

import django_filters
from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import generics, serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from config.api import CursorPagination, OldestFirstPagination, PaginatedListMixin, StrictFilterSet, TextFilter
from config.inputs import InputSerializer
from config.openapi import problem
from messaging.domain.webhooks.events import SUBSCRIBABLE
from messaging.models import WebhookAttempt, WebhookDelivery, WebhookEndpoint
from messaging.outbound_webhooks import endpoints as services
from messaging.outbound_webhooks import selectors
from messaging.outbound_webhooks.endpoints import MAX_GRACE_HOURS
from tenants.api.api_keys import actor_label

EVENT_TYPES = [event.value for event in SUBSCRIBABLE]
TAGS = ["webhooks"]


def _who(request) -> dict:
    return {"tenant": request.tenant, "actor_label": actor_label(request)}


def _endpoint(endpoint_id: int) -> WebhookEndpoint:
    return get_object_or_404(selectors.webhook_endpoints(), pk=endpoint_id)


URL_REFUSED = problem(422, "The URL is not https, or its host is private or resolves to a private address")


AT_LEAST_ONE = {"min_length": "choose at least one event type"}


class WebhookEndpointSerializer(serializers.ModelSerializer):
    event_types = serializers.ListField(child=serializers.ChoiceField(choices=EVENT_TYPES))

    class Meta:
        model = WebhookEndpoint
        fields = [
            "id", "url", "description", "event_types", "enabled", "disabled_reason", "disabled_at",
            "consecutive_failures", "failing_since", "last_success_at", "secret_created_at",
            "previous_secret_expires_at", "created_at", "updated_at",
        ]  # fmt: skip
        read_only_fields = fields


class WebhookEndpointSecretSerializer(WebhookEndpointSerializer):
    secret = serializers.CharField(help_text="The signing secret (whsec_…). Shown in this response only; store it now.")

    class Meta(WebhookEndpointSerializer.Meta):
        fields = [*WebhookEndpointSerializer.Meta.fields, "secret"]
        read_only_fields = fields


class WebhookEndpointCreateSerializer(InputSerializer):
    url = serializers.CharField(max_length=2000, help_text="https, on a host whose addresses are all public")
    description = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    event_types = serializers.ListField(
        child=serializers.ChoiceField(choices=EVENT_TYPES), min_length=1, error_messages=AT_LEAST_ONE
    )


class WebhookEndpointUpdateSerializer(InputSerializer):
    url = serializers.CharField(max_length=2000, required=False)
    description = serializers.CharField(max_length=200, required=False, allow_blank=True)
    event_types = serializers.ListField(
        child=serializers.ChoiceField(choices=EVENT_TYPES), min_length=1, error_messages=AT_LEAST_ONE, required=False
    )
    enabled = serializers.BooleanField(
        required=False, help_text="false disables it (waiting deliveries are given up); true enables it again"
    )


class SecretRotateSerializer(InputSerializer):
    grace_hours = serializers.IntegerField(
        min_value=0,
        max_value=MAX_GRACE_HOURS,
        required=False,
        allow_null=True,
        default=None,
        help_text="How long the current secret keeps signing beside the new one; 0 stops it now. Default 24.",
    )


class WebhookAttemptSerializer(serializers.ModelSerializer):
    class Meta:
        model = WebhookAttempt
        fields = ["number", "started_at", "url", "address", "response_status", "response_body", "latency_ms",
                  "error", "succeeded"]  # fmt: skip
        read_only_fields = fields


class WebhookDeliverySerializer(serializers.ModelSerializer):
    status = serializers.ChoiceField(choices=WebhookDelivery.Status.choices, read_only=True)
    redelivery_of = serializers.IntegerField(source="redelivery_of_id", read_only=True, allow_null=True)

    class Meta:
        model = WebhookDelivery
        fields = [
            "id", "event_id", "event_type", "status", "attempts", "occurred_at", "created_at", "next_attempt_at",
            "last_attempt_at", "last_response_status", "last_response_body", "last_latency_ms", "last_error",
            "completed_at", "redelivery_of",
        ]  # fmt: skip
        read_only_fields = fields


class WebhookDeliveryDetailSerializer(WebhookDeliverySerializer):
    payload = serializers.SerializerMethodField(help_text="The body as sent, parsed")
    attempt_log = WebhookAttemptSerializer(many=True, read_only=True, help_text="Every attempt, oldest first")

    class Meta(WebhookDeliverySerializer.Meta):
        fields = [*WebhookDeliverySerializer.Meta.fields, "payload", "attempt_log"]
        read_only_fields = fields

    @extend_schema_field(OpenApiTypes.OBJECT)
    def get_payload(self, delivery: WebhookDelivery) -> dict:
        return json.loads(delivery.body)


class WebhookEndpointListView(PaginatedListMixin, APIView):
    """GET lists the tenant's webhook endpoints; POST adds one (admin)."""

    required_scopes = ("admin",)

    pagination_class = OldestFirstPagination

    @extend_schema(responses=WebhookEndpointSerializer(many=True), operation_id="webhook_endpoints_list", tags=TAGS)
    def get(self, request):
        return self.paginated(request, selectors.webhook_endpoints(), WebhookEndpointSerializer)

    @extend_schema(
        request=WebhookEndpointCreateSerializer,
        responses={
            201: WebhookEndpointSecretSerializer,
            **problem(409, "The tenant has as many endpoints as it may"),
            **URL_REFUSED,
        },
        operation_id="webhook_endpoints_create",
        tags=TAGS,
        description="Refused, naming the field, when the URL is not https, its host is private or resolves to a "
        "private, loopback, link-local, multicast or reserved address, or an event type is unknown.",
    )
    def post(self, request):
        serializer = WebhookEndpointCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        endpoint, secret = services.webhook_endpoint_create(**serializer.validated_data, **_who(request))
        body = WebhookEndpointSerializer(endpoint).data | {"secret": secret}
        return Response(body, status=status.HTTP_201_CREATED)


class WebhookEndpointDetailView(APIView):
    """GET one endpoint; PATCH changes it (or enables or disables it); DELETE removes it with its deliveries."""

    required_scopes = ("admin",)

    @extend_schema(responses=WebhookEndpointSerializer, operation_id="webhook_endpoints_read", tags=TAGS)
    def get(self, request, endpoint_id: int):
        return Response(WebhookEndpointSerializer(_endpoint(endpoint_id)).data)

    @extend_schema(
        request=WebhookEndpointUpdateSerializer,
        responses={200: WebhookEndpointSerializer, **URL_REFUSED},
        operation_id="webhook_endpoints_update",
        tags=TAGS,
    )
    def patch(self, request, endpoint_id: int):
        endpoint = _endpoint(endpoint_id)
        serializer = WebhookEndpointUpdateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        changes = dict(serializer.validated_data)
        enabled = changes.pop("enabled", None)
        endpoint = services.webhook_endpoint_update(endpoint=endpoint, **changes, **_who(request))
        if enabled is True:
            endpoint = services.webhook_endpoint_enable(endpoint=endpoint, **_who(request))
        elif enabled is False:
            reason = f"disabled through the API by {actor_label(request)}"
            services.webhook_endpoint_disable(endpoint=endpoint, reason=reason, **_who(request))
        return Response(WebhookEndpointSerializer(_endpoint(endpoint_id)).data)

    @extend_schema(request=None, responses={204: None}, operation_id="webhook_endpoints_delete", tags=TAGS)
    def delete(self, request, endpoint_id: int):
        services.webhook_endpoint_delete(endpoint=_endpoint(endpoint_id), **_who(request))
        return Response(status=status.HTTP_204_NO_CONTENT)


class WebhookEndpointRotateView(APIView):
    """POST makes a new signing secret, returned in this response only."""

    required_scopes = ("admin",)

    @extend_schema(
        request=SecretRotateSerializer,
        responses=WebhookEndpointSecretSerializer,
        operation_id="webhook_endpoints_rotate_secret",
        tags=TAGS,
        description="During the grace period every delivery carries a v1 signature for each secret, so receivers "
        "switch to the new secret at their own pace.",
    )
    def post(self, request, endpoint_id: int):
        endpoint = _endpoint(endpoint_id)
        serializer = SecretRotateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        endpoint, secret = services.webhook_endpoint_secret_rotate(
            endpoint=endpoint, grace_hours=serializer.validated_data["grace_hours"], **_who(request)
        )
        return Response(WebhookEndpointSerializer(endpoint).data | {"secret": secret})


class WebhookEndpointTestView(APIView):
    """POST sends the endpoint a `webhook.test` event (once, not retried); read its answer from the delivery."""

    required_scopes = ("admin",)

    @extend_schema(
        request=None,
        responses={202: WebhookDeliverySerializer},
        operation_id="webhook_endpoints_test",
        tags=TAGS,
    )
    def post(self, request, endpoint_id: int):
        delivery = services.webhook_endpoint_test(endpoint=_endpoint(endpoint_id), **_who(request))
        return Response(WebhookDeliverySerializer(delivery).data, status=status.HTTP_202_ACCEPTED)


class WebhookDeliveryFilter(StrictFilterSet):
    status = django_filters.MultipleChoiceFilter(choices=WebhookDelivery.Status.choices)
    event_type = TextFilter(help_text="Exactly this event type, e.g. message.delivered")

    class Meta:
        model = WebhookDelivery
        fields = ["status", "event_type"]


class WebhookDeliveryListView(generics.ListAPIView):
    """GET an endpoint's deliveries, newest first, filtered by status and event type."""

    required_scopes = ("admin",)
    serializer_class = WebhookDeliverySerializer
    pagination_class = CursorPagination
    filterset_class = WebhookDeliveryFilter

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return WebhookDelivery.objects.none()
        return selectors.webhook_deliveries(_endpoint(self.kwargs["endpoint_id"]))

    @extend_schema(operation_id="webhook_deliveries_list", tags=TAGS)
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


class WebhookDeliveryDetailView(APIView):
    """GET one delivery with its body and every attempt."""

    required_scopes = ("admin",)

    @extend_schema(responses=WebhookDeliveryDetailSerializer, operation_id="webhook_deliveries_read", tags=TAGS)
    def get(self, request, endpoint_id: int, delivery_id: int):
        deliveries = selectors.webhook_deliveries_with_attempts(_endpoint(endpoint_id))
        return Response(WebhookDeliveryDetailSerializer(get_object_or_404(deliveries, pk=delivery_id)).data)


class WebhookDeliveryRedeliverView(APIView):
    """POST sends a delivery again: a failed one waiting for its retry is tried now; a succeeded or given-up one is
    sent as a new delivery of the same event (same id and body). 409 while it is in flight or the endpoint is off."""

    required_scopes = ("admin",)

    @extend_schema(
        request=None,
        responses={202: WebhookDeliverySerializer},
        operation_id="webhook_deliveries_redeliver",
        tags=TAGS,
    )
    def post(self, request, endpoint_id: int, delivery_id: int):
        endpoint = _endpoint(endpoint_id)
        delivery = get_object_or_404(selectors.webhook_deliveries(endpoint).select_related("endpoint"), pk=delivery_id)
        again = services.webhook_delivery_redeliver(delivery=delivery, **_who(request))
        return Response(WebhookDeliverySerializer(again).data, status=status.HTTP_202_ACCEPTED)
