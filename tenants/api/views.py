"""API endpoints about the caller's own tenant and its keys."""

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.response import Response
from rest_framework.views import APIView

from tenants import selectors, services
from tenants.api.serializers import (
    ApiKeyCreatedSerializer,
    ApiKeyCreateSerializer,
    ApiKeySerializer,
    TenantSerializer,
)
from tenants.models import ApiKey


def actor_label(request) -> str:
    """How an API caller appears in the audit log."""
    return f"api-key:{request.auth.prefix}"


class CurrentTenantView(APIView):
    """GET /api/v1/tenant — the tenant that owns the API key."""

    required_scopes: tuple[str, ...] = ()

    @extend_schema(responses=TenantSerializer, operation_id="tenant_retrieve", tags=["tenant"])
    def get(self, request):
        return Response(TenantSerializer(request.tenant).data)


class ApiKeyListView(APIView):
    """List the tenant's keys or create one (the whole key is in the creation response only)."""

    required_scopes = ("admin",)

    @extend_schema(responses=ApiKeySerializer(many=True), operation_id="api_keys_list", tags=["api keys"])
    def get(self, request):
        return Response(ApiKeySerializer(selectors.api_keys_for(request.tenant), many=True).data)

    @extend_schema(
        request=ApiKeyCreateSerializer,
        responses={201: ApiKeyCreatedSerializer},
        operation_id="api_keys_create",
        tags=["api keys"],
    )
    def post(self, request):
        serializer = ApiKeyCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        api_key, plaintext = services.api_key_create(
            tenant=request.tenant, actor_label=actor_label(request), **serializer.validated_data
        )
        body = {**ApiKeySerializer(api_key).data, "key": plaintext}
        return Response(body, status=status.HTTP_201_CREATED)


class ApiKeyDetailView(APIView):
    """Revoke a key by its prefix."""

    required_scopes = ("admin",)

    @extend_schema(responses={204: None}, operation_id="api_keys_revoke", tags=["api keys"])
    def delete(self, request, prefix: str):
        api_key = get_object_or_404(ApiKey, tenant=request.tenant, prefix=prefix)
        services.api_key_revoke(api_key=api_key, actor_label=actor_label(request))
        return Response(status=status.HTTP_204_NO_CONTENT)
