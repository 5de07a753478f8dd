"""API endpoints about the caller's own tenant."""

from drf_spectacular.utils import extend_schema
from rest_framework.response import Response
from rest_framework.views import APIView

from tenants.api.serializers import TenantSerializer


class CurrentTenantView(APIView):
    """GET /api/v1/tenant — the tenant that owns the API key."""

    required_scopes: tuple[str, ...] = ()

    @extend_schema(responses=TenantSerializer, operation_id="tenant_retrieve", tags=["tenant"])
    def get(self, request):
        return Response(TenantSerializer(request.tenant).data)
