"""The ISV staff admin on the platform's own host."""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django_tenants.admin import TenantAdminMixin

from tenants.models import ApiKey, Domain, Membership, Tenant, User


class DomainInline(admin.TabularInline):
    model = Domain
    extra = 0


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["user"]


@admin.register(Tenant)
class TenantAdmin(TenantAdminMixin, admin.ModelAdmin):
    list_display = ["name", "slug", "status", "schema_name", "twilio_subaccount_sid", "created_at"]
    list_filter = ["status", "default_country"]
    search_fields = ["name", "slug", "twilio_subaccount_sid"]
    readonly_fields = ["schema_name", "twilio_subaccount_sid", "created_at", "updated_at"]
    inlines = [DomainInline, MembershipInline]

    def get_queryset(self, request):
        return super().get_queryset(request).exclude(schema_name="public")


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    ordering = ["email"]
    list_display = ["email", "full_name", "is_staff", "is_active", "date_joined"]
    search_fields = ["email", "full_name"]
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        ("Profile", {"fields": ("full_name",)}),
        ("Permissions", {"fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions")}),
        ("Dates", {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = ((None, {"classes": ("wide",), "fields": ("email", "password1", "password2")}),)


@admin.register(ApiKey)
class ApiKeyAdmin(admin.ModelAdmin):
    list_display = [
        "name",
        "prefix",
        "tenant",
        "scopes",
        "created_at",
        "last_used_at",
        "expires_at",
        "revoked_at",
    ]
    list_filter = ["tenant"]
    search_fields = ["name", "prefix", "tenant__slug"]
    readonly_fields = ["prefix", "key_hash", "created_at", "last_used_at"]
