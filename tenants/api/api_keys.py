"""The tenant's API keys on the API: list, create (the whole key in the answer only) and revoke."""

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from config.api import PaginatedListMixin
from config.inputs import InputSerializer
from config.openapi import problem
from tenants import keys, selectors
from tenants.models import ApiKey
from tenants.services import api_keys as api_key_services


class ApiKeySerializer(serializers.ModelSerializer):
    class Meta:
        model = ApiKey
        fields = ["id", "name", "prefix", "scopes", "created_at", "last_used_at", "expires_at", "revoked_at"]
        read_only_fields = fields


class ApiKeyCreatedSerializer(ApiKeySerializer):
    key = serializers.CharField(help_text="The whole key. Shown in this response only; store it now.")

    class Meta(ApiKeySerializer.Meta):
        fields = [*ApiKeySerializer.Meta.fields, "key"]
        read_only_fields = fields


class ApiKeyCreateSerializer(InputSerializer):
    name = serializers.CharField(max_length=80)
    scopes = serializers.ListField(child=serializers.ChoiceField(choices=keys.SCOPES), allow_empty=False, min_length=1)
    expires_at = serializers.DateTimeField(required=False, allow_null=True, help_text="In the future; null: never")


def actor_label(request) -> str:
    """How an API caller appears in the audit log."""
    return f"api-key:{request.auth.prefix}"


class ApiKeyListView(PaginatedListMixin, APIView):
    """List the tenant's keys or create one (the whole key is in the creation response only)."""

    required_scopes = ("admin",)

    @extend_schema(responses=ApiKeySerializer(many=True), operation_id="api_keys_list", tags=["api keys"])
    def get(self, request):
        return self.paginated(request, selectors.api_keys_of(request.tenant), ApiKeySerializer)

    @extend_schema(
        request=ApiKeyCreateSerializer,
        responses={201: ApiKeyCreatedSerializer, **problem(422, "`expires_at` is not in the future")},
        operation_id="api_keys_create",
        tags=["api keys"],
    )
    def post(self, request):
        serializer = ApiKeyCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        api_key, plaintext = api_key_services.api_key_create(
            tenant=request.tenant, actor_label=actor_label(request), **serializer.validated_data
        )
        body = {**ApiKeySerializer(api_key).data, "key": plaintext}
        return Response(body, status=status.HTTP_201_CREATED)


class ApiKeyDetailView(APIView):
    """Revoke a key by its prefix."""

    required_scopes = ("admin",)

    @extend_schema(responses={204: None}, operation_id="api_keys_revoke", tags=["api keys"])
    def delete(self, request, prefix: str):
        api_key = get_object_or_404(selectors.api_keys_of(request.tenant), prefix=prefix)
        api_key_services.api_key_revoke(api_key=api_key, actor_label=actor_label(request))
        return Response(status=status.HTTP_204_NO_CONTENT)
