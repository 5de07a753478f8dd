"""The platform API on the public host, for the ISV's own automation: onboard and run tenants.

Authenticated with a platform key (`Authorization: Bearer <key>`, see `manage.py create_platform_key`).
"""

from django.shortcuts import get_object_or_404
from django.utils import timezone
from drf_spectacular.utils import extend_schema
from rest_framework import authentication, permissions, status
from rest_framework.response import Response
from rest_framework.views import APIView

from tenants import selectors, services
from tenants.api.serializers import (
    PlatformTenantCreateSerializer,
    PlatformTenantSerializer,
    PlatformTenantStatusSerializer,
)
from tenants.middleware import bearer_token
from tenants.models import PlatformApiKey, Tenant


class PlatformKeyPrincipal:
    is_authenticated = True
    is_anonymous = False
    is_staff = False
    pk = None

    def __init__(self, platform_key: PlatformApiKey):
        self.platform_key = platform_key


class PlatformKeyAuthentication(authentication.BaseAuthentication):
    def authenticate(self, request):
        presented = bearer_token(request._request)
        if presented is None:
            return None
        platform_key = selectors.platform_key_resolve(presented)
        if platform_key is None:
            from rest_framework.exceptions import AuthenticationFailed

            raise AuthenticationFailed("The platform key is unknown or revoked.")
        PlatformApiKey.objects.filter(pk=platform_key.pk).update(last_used_at=timezone.now())
        return PlatformKeyPrincipal(platform_key), platform_key

    def authenticate_header(self, request) -> str:
        return 'Bearer realm="platform"'


class IsPlatformKey(permissions.BasePermission):
    def has_permission(self, request, view) -> bool:
        return isinstance(request.auth, PlatformApiKey)


class PlatformView(APIView):
    authentication_classes = [PlatformKeyAuthentication]
    permission_classes = [IsPlatformKey]

    @staticmethod
    def label(request) -> str:
        return f"platform-key:{request.auth.prefix}"


class PlatformTenantListView(PlatformView):
    @extend_schema(
        responses=PlatformTenantSerializer(many=True), operation_id="platform_tenants_list", tags=["platform"]
    )
    def get(self, request):
        tenants = Tenant.objects.exclude(schema_name="public").prefetch_related("domains")
        return Response(PlatformTenantSerializer(tenants, many=True).data)

    @extend_schema(
        request=PlatformTenantCreateSerializer,
        responses={201: PlatformTenantSerializer},
        operation_id="platform_tenants_create",
        tags=["platform"],
    )
    def post(self, request):
        serializer = PlatformTenantCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        tenant = services.tenant_create(**serializer.validated_data, actor_label=self.label(request))
        return Response(PlatformTenantSerializer(tenant).data, status=status.HTTP_201_CREATED)


class PlatformTenantStatusView(PlatformView):
    """POST /api/platform/tenants/{slug}/{suspend|reactivate|close}."""

    actions = {
        "suspend": services.tenant_suspend,
        "reactivate": services.tenant_reactivate,
        "close": services.tenant_close,
    }

    @extend_schema(
        request=PlatformTenantStatusSerializer,
        responses=PlatformTenantSerializer,
        operation_id="platform_tenants_status",
        tags=["platform"],
    )
    def post(self, request, slug: str, action: str):
        tenant = get_object_or_404(Tenant.objects.exclude(schema_name="public"), slug=slug)
        serializer = PlatformTenantStatusSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        reason = serializer.validated_data["reason"]
        tenant = self.actions[action](tenant=tenant, reason=reason, actor_label=self.label(request))
        return Response(PlatformTenantSerializer(tenant).data)
