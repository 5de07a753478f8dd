"""The platform API on the public host, for the ISV's own automation: onboard and run tenants.

Authenticated with a platform key (`Authorization: Bearer <key>`, see `manage.py create_platform_key`).
"""

import zoneinfo

import phonenumbers
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from config.api import PaginatedListMixin
from config.inputs import InputSerializer
from config.openapi import problem
from tenants import naming, selectors
from tenants.api.platform.authentication import IsPlatformKey, PlatformKeyAuthentication
from tenants.models import Tenant
from tenants.services import lifecycle


class PlatformTenantSerializer(serializers.ModelSerializer):
    host = serializers.SerializerMethodField()

    class Meta:
        model = Tenant
        fields = [
            "slug",
            "name",
            "status",
            "time_zone",
            "default_country",
            "twilio_subaccount_sid",
            "host",
            "created_at",
            "suspended_at",
            "closed_at",
            "retain_until",
        ]
        read_only_fields = fields

    def get_host(self, tenant: Tenant) -> str:
        return tenant.get_primary_domain().domain


TIME_ZONES = sorted(zoneinfo.available_timezones())
REGIONS = sorted(phonenumbers.SUPPORTED_REGIONS)


@extend_schema_field({"type": "string", "pattern": naming.SLUG_DOCUMENT_PATTERN})
class SlugField(serializers.CharField):
    """A tenant slug as `naming.validate_slug` takes it, refused in its words."""

    def __init__(self, **kwargs):
        super().__init__(trim_whitespace=False, **kwargs)

    def to_internal_value(self, data) -> str:
        try:
            return naming.validate_slug(super().to_internal_value(data))
        except naming.InvalidSlug as exc:
            raise serializers.ValidationError(f"slug {exc}") from exc


# An enum without a component of its own: the choices' labels are the values, so drf-spectacular's list of them
# would only repeat 600 time zones.
@extend_schema_field({"type": "string", "enum": TIME_ZONES})
class TimeZoneField(serializers.ChoiceField):
    def __init__(self, **kwargs):
        messages = {"invalid_choice": "time_zone '{input}' is not an IANA time zone"}
        super().__init__(choices=TIME_ZONES, error_messages=messages, **kwargs)


@extend_schema_field({"type": "string", "enum": REGIONS})
class RegionField(serializers.ChoiceField):
    def __init__(self, **kwargs):
        messages = {"invalid_choice": "default_country '{input}' is not an ISO 3166-1 alpha-2 code"}
        super().__init__(choices=REGIONS, error_messages=messages, **kwargs)


class PlatformTenantCreateSerializer(InputSerializer):
    name = serializers.CharField(max_length=120)
    slug = SlugField(help_text="3 to 31 lowercase letters, digits and inner hyphens; names the host and schema")
    time_zone = TimeZoneField(default="UTC", help_text="IANA time zone")
    default_country = RegionField(default="US", help_text="For phone numbers written without a country code")
    owner_email = serializers.EmailField(required=False, allow_blank=True, default="")


class PlatformTenantStatusSerializer(InputSerializer):
    reason = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")


class PlatformView(APIView):
    authentication_classes = [PlatformKeyAuthentication]
    permission_classes = [IsPlatformKey]
    throttle_classes = []  # the tenants' API rate limits do not apply to the ISV's own automation

    @staticmethod
    def label(request) -> str:
        return f"platform-key:{request.auth.prefix}"


class PlatformTenantListView(PaginatedListMixin, PlatformView):
    @extend_schema(
        responses=PlatformTenantSerializer(many=True), operation_id="platform_tenants_list", tags=["platform"]
    )
    def get(self, request):
        return self.paginated(request, selectors.tenants_listed(), PlatformTenantSerializer)

    @extend_schema(
        request=PlatformTenantCreateSerializer,
        responses={
            201: PlatformTenantSerializer,
            **problem(409, "The slug is taken"),
            **problem(502, "Twilio refused or did not answer the subaccount's creation: nothing was created"),
        },
        operation_id="platform_tenants_create",
        tags=["platform"],
    )
    def post(self, request):
        serializer = PlatformTenantCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        tenant = lifecycle.tenant_create(**serializer.validated_data, actor_label=self.label(request))
        return Response(PlatformTenantSerializer(tenant).data, status=status.HTTP_201_CREATED)


class PlatformTenantStatusView(PlatformView):
    """POST /api/platform/tenants/{slug}/{suspend|reactivate|close}."""

    actions = {
        "suspend": lifecycle.tenant_suspend,
        "reactivate": lifecycle.tenant_reactivate,
        "close": lifecycle.tenant_close,
    }

    @extend_schema(
        request=PlatformTenantStatusSerializer,
        responses={
            200: PlatformTenantSerializer,
            **problem(409, "The tenant is closed: its status cannot change"),
            **problem(502, "Twilio refused or did not answer the subaccount's change: nothing was changed"),
        },
        operation_id="platform_tenants_status",
        tags=["platform"],
    )
    def post(self, request, slug: str, action: str):
        tenant = get_object_or_404(selectors.tenants_listed(), slug=slug)
        serializer = PlatformTenantStatusSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        reason = serializer.validated_data["reason"]
        tenant = self.actions[action](tenant=tenant, reason=reason, actor_label=self.label(request))
        return Response(PlatformTenantSerializer(tenant).data)
