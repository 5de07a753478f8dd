"""GET /api/v1/tenant: the tenant that owns the API key."""

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from tenants.models import Tenant


class TenantSerializer(serializers.ModelSerializer):
    """The caller's tenant as the API shows it."""

    class Meta:
        model = Tenant
        fields = ["slug", "name", "status", "time_zone", "default_country", "created_at"]
        read_only_fields = fields


class CurrentTenantView(APIView):
    """GET /api/v1/tenant — the tenant that owns the API key."""

    required_scopes: tuple[str, ...] = ()

    @extend_schema(responses=TenantSerializer, operation_id="tenant_retrieve", tags=["tenant"])
    def get(self, request):
        return Response(TenantSerializer(request.tenant).data)
