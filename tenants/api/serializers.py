from rest_framework import serializers

from tenants.models import Tenant


class TenantSerializer(serializers.ModelSerializer):
    """The caller's tenant as the API shows it."""

    class Meta:
        model = Tenant
        fields = ["slug", "name", "status", "time_zone", "default_country", "created_at"]
        read_only_fields = fields
