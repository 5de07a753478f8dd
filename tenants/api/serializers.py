"""Shapes of the tenants API: input and output serializers kept apart where they differ."""

from rest_framework import serializers

from tenants import keys
from tenants.models import ApiKey, Tenant


class TenantSerializer(serializers.ModelSerializer):
    """The caller's tenant as the API shows it."""

    class Meta:
        model = Tenant
        fields = ["slug", "name", "status", "time_zone", "default_country", "created_at"]
        read_only_fields = fields


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


class ApiKeyCreateSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=80)
    scopes = serializers.ListField(child=serializers.ChoiceField(choices=keys.SCOPES), allow_empty=False)
    expires_at = serializers.DateTimeField(required=False, allow_null=True)


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


class PlatformTenantCreateSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=120)
    slug = serializers.CharField(max_length=31)
    time_zone = serializers.CharField(max_length=64, default="UTC")
    default_country = serializers.CharField(max_length=2, default="US")
    owner_email = serializers.EmailField(required=False, allow_blank=True, default="")


class PlatformTenantStatusSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
