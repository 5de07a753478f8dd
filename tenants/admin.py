"""The ISV staff admin on the platform's own host: tenants, people, keys, audit and support mode."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join
from django_tenants.admin import TenantAdminMixin

from config.forms import add_service_error
from tenants import support
from tenants.errors import TenantsError
from tenants.models import ApiKey, AuditEvent, Domain, Membership, PlatformApiKey, Tenant, TenantLimits, User
from tenants.people.signin_forms import AdminLoginForm
from tenants.services import api_keys, lifecycle
from tenants.services import settings as tenant_settings


class DomainInline(admin.TabularInline):
    model = Domain
    extra = 0


class MembershipInline(admin.TabularInline):
    """Shown, not edited here: roles change on the tenant's Team page, where the owner rules and audit apply."""

    model = Membership
    extra = 0
    readonly_fields = ["user", "role", "created_at"]
    fields = readonly_fields
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False


class LimitsInline(admin.StackedInline):
    model = TenantLimits
    can_delete = False
    extra = 0


class TenantChangeForm(forms.ModelForm):
    """Staff edit a tenant's settings with the same checks (and audit) as the tenant's own settings page."""

    def settings_changes(self) -> dict:
        """The tenant settings this form changes, by field name."""
        fields = tenant_settings.SETTINGS_FIELDS
        return {name: self.cleaned_data[name] for name in self.changed_data if name in fields}

    def clean(self):
        cleaned = super().clean()
        try:
            tenant_settings.tenant_settings_check(self.settings_changes(), tenant=self.instance)
        except TenantsError as exc:
            add_service_error(self, exc)
        return cleaned


class TenantCreateForm(forms.ModelForm):
    """What staff fill in to onboard a tenant; the service does the rest."""

    owner_email = forms.EmailField(required=False, help_text="The first owner gets an invitation by email.")

    class Meta:
        model = Tenant
        fields = ["name", "slug", "time_zone", "default_country"]


@dataclass(frozen=True)
class TenantPage:
    """A staff page about one tenant's data, added to the tenant's admin by another app's admin module."""

    route: str  # below /admin/tenants/tenant/, with a `slug` parameter, e.g. "<slug:slug>/senders/"
    name: str  # URL name in the admin namespace, e.g. "tenants_tenant_senders"
    view: Callable[..., HttpResponse]  # view(request, slug)
    label: str  # the button on the tenant's page


TENANT_PAGES: list[TenantPage] = []


@dataclass(frozen=True)
class TenantColumn:
    """A column of the tenant list filled by another app's admin module: the queryset annotations it reads (one
    query for the whole page, no loop over tenant schemas) and how a row shows them."""

    name: str  # the column's key, e.g. "health_error_rate"
    label: str  # its heading
    annotations: Callable[[], dict[str, Any]]  # {"attribute": expression} added to the changelist's queryset
    render: Callable[[Tenant], str]  # the cell, from the annotated tenant ("—" when there is nothing)


TENANT_COLUMNS: list[TenantColumn] = []


def register_tenant_column(column: TenantColumn) -> None:
    """Add a column to the tenant list (the apps that roll up tenant data call this from their admin module)."""
    if all(existing.name != column.name for existing in TENANT_COLUMNS):
        TENANT_COLUMNS.append(column)


def register_tenant_page(page: TenantPage) -> None:
    """Add a staff page about one tenant (the apps that own tenant-schema data call this from their admin module)."""
    if all(existing.name != page.name for existing in TENANT_PAGES):
        TENANT_PAGES.append(page)


def _column_cell(column: TenantColumn) -> Callable[[Tenant], str]:
    def cell(obj: Tenant) -> str:
        return column.render(obj)

    cell.short_description = column.label  # type: ignore[attr-defined]
    cell.__name__ = column.name
    return cell


@admin.register(Tenant)
class TenantAdmin(TenantAdminMixin, admin.ModelAdmin):
    list_display = ["name", "slug", "status", "twilio_subaccount_sid", "created_at"]
    list_filter = ["status", "default_country"]
    search_fields = ["name", "slug", "twilio_subaccount_sid"]
    readonly_fields = [
        "slug",
        "schema_name",
        "status",
        "twilio_subaccount_sid",
        "suspended_at",
        "closed_at",
        "retain_until",
        "created_at",
        "updated_at",
        "tenant_pages",
        "support_link",
    ]
    exclude = ["twilio_auth_token_encrypted"]
    inlines = [LimitsInline, DomainInline, MembershipInline]
    actions = ["suspend_selected", "reactivate_selected", "close_selected", "provision_selected"]

    def get_queryset(self, request):
        queryset = super().get_queryset(request).exclude(schema_name="public")
        for column in TENANT_COLUMNS:
            queryset = queryset.annotate(**column.annotations())
        return queryset

    def get_list_display(self, request):
        return [*self.list_display, *(_column_cell(column) for column in TENANT_COLUMNS)]

    def get_form(self, request, obj=None, change=False, **kwargs):
        kwargs["form"] = TenantCreateForm if obj is None else TenantChangeForm
        return super().get_form(request, obj, change=change, **kwargs)

    def get_fields(self, request, obj=None):
        if obj is None:
            return ["name", "slug", "time_zone", "default_country", "owner_email"]
        return super().get_fields(request, obj)

    def get_inlines(self, request, obj):
        return [] if obj is None else self.inlines

    def save_model(self, request, obj, form, change):
        if change:
            current = Tenant.objects.get(pk=obj.pk)
            tenant_settings.tenant_settings_update(tenant=current, actor=request.user, changes=form.settings_changes())
            return None
        data = form.cleaned_data
        created = lifecycle.tenant_create(
            name=data["name"],
            slug=data["slug"],
            time_zone=data["time_zone"],
            default_country=data["default_country"],
            owner_email=data.get("owner_email") or "",
            actor=request.user,
        )
        obj.pk = created.pk
        obj.__dict__.update({key: value for key, value in created.__dict__.items() if not key.startswith("_")})
        return None

    def add_view(self, request, form_url="", extra_context=None):
        try:
            return super().add_view(request, form_url, extra_context)
        except TenantsError as exc:
            self.message_user(request, f"Tenant not created: {exc.message}", messages.ERROR)
            return HttpResponseRedirect(request.get_full_path())

    @admin.display(description="Tenant data")
    def tenant_pages(self, obj: Tenant) -> str:
        links = [(reverse(f"admin:{page.name}", args=[obj.slug]), page.label) for page in TENANT_PAGES]
        return format_html_join(" ", '<a class="button" href="{}">{}</a>', links) or "—"

    @admin.display(description="Support mode")
    def support_link(self, obj: Tenant) -> str:
        url = reverse("admin:tenants_tenant_support", args=[obj.pk])
        return format_html('<a class="button" href="{}">Enter {} read-only</a>', url, obj.name)

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return []
        hidden = set() if self.has_support_permission(request) else {"support_link"}
        return [name for name in self.readonly_fields if name not in hidden]

    def get_urls(self):
        extra = [
            path(
                "<int:tenant_id>/support/",
                self.admin_site.admin_view(self.support_view),
                name="tenants_tenant_support",
            ),
            *(path(page.route, self.admin_site.admin_view(page.view), name=page.name) for page in TENANT_PAGES),
        ]
        return extra + super().get_urls()

    def support_view(self, request, tenant_id: int):
        """GET asks why (a page with a form); only the POST, with its CSRF token, opens the support session."""
        tenant = self.get_object(request, str(tenant_id))
        if tenant is None or not self.has_support_permission(request):
            raise PermissionDenied
        reason = request.POST.get("reason", "").strip()
        if request.method == "POST" and reason:
            entry_url = support.support_session_start(staff=request.user, tenant=tenant, reason=reason, request=request)
            return HttpResponseRedirect(entry_url)
        context = {
            **self.admin_site.each_context(request),
            "title": f"Enter {tenant.name} read-only",
            "tenant": tenant,
            "opts": self.model._meta,
            "error": "Say why you enter this tenant (e.g. a ticket number)." if request.method == "POST" else "",
        }
        return TemplateResponse(
            request, "admin/tenants/support_start.html", context, status=400 if request.method == "POST" else 200
        )

    # --- what staff may do, by permission (the staff groups in tenants.staff_roles grant them) -------------

    def has_delete_permission(self, request, obj=None) -> bool:
        return False  # a tenant goes only by closing, then the retention purge

    def has_suspend_permission(self, request) -> bool:
        return request.user.has_perm("tenants.suspend_tenant")

    def has_close_permission(self, request) -> bool:
        return request.user.has_perm("tenants.close_tenant")

    def has_provision_permission(self, request) -> bool:
        return request.user.has_perm("tenants.provision_tenant")

    def has_support_permission(self, request) -> bool:
        return request.user.has_perm("tenants.view_tenant") and request.user.has_perm("tenants.support_tenant")

    def _apply(self, request, queryset, service, verb: str, reason: str) -> None:
        done, failed = 0, []
        for tenant in queryset:
            try:
                service(tenant=tenant, actor=request.user, reason=reason)
                done += 1
            except TenantsError as exc:
                failed.append(f"{tenant.slug}: {exc.message}")
        if done:
            self.message_user(request, f"{done} tenant(s) {verb}.", messages.SUCCESS)
        for failure in failed:
            self.message_user(request, f"Not {verb}: {failure}", messages.ERROR)

    @admin.action(description="Suspend selected tenants (stops sending at once)", permissions=["suspend"])
    def suspend_selected(self, request, queryset):
        self._apply(request, queryset, lifecycle.tenant_suspend, "suspended", f"admin action by {request.user.email}")

    @admin.action(description="Reactivate selected tenants", permissions=["suspend"])
    def reactivate_selected(self, request, queryset):
        self._apply(
            request, queryset, lifecycle.tenant_reactivate, "reactivated", f"admin action by {request.user.email}"
        )

    @admin.action(description="Close selected tenants (final; asks to confirm)", permissions=["close"])
    def close_selected(self, request, queryset):
        """First a page naming the tenants and what closing does, with a reason to give; then the close."""
        reason = request.POST.get("reason", "").strip()
        if request.POST.get("confirm") == "yes" and reason:
            self._apply(request, queryset, lifecycle.tenant_close, "closed", reason)
            return None
        context = {
            **self.admin_site.each_context(request),
            "title": "Close tenants",
            "tenants": list(queryset),
            "retention_days": settings.TENANT_RETENTION_DAYS,
            "opts": self.model._meta,
            "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
            "error": "Say why these tenants are closed." if request.POST.get("confirm") == "yes" else "",
        }
        return TemplateResponse(request, "admin/tenants/close_confirm.html", context)

    @admin.action(description="Provision missing Twilio subaccounts", permissions=["provision"])
    def provision_selected(self, request, queryset):
        def provision(*, tenant, actor, reason):
            return lifecycle.tenant_provision(tenant=tenant, actor=actor)

        self._apply(request, queryset, provision, "provisioned", "")


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    ordering = ["email"]
    list_display = ["email", "full_name", "is_staff", "is_active", "two_factor", "date_joined"]
    list_filter = ["is_staff", "is_active"]
    search_fields = ["email", "full_name"]
    exclude = ["totp_secret_encrypted"]
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        ("Profile", {"fields": ("full_name",)}),
        ("Permissions", {"fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions")}),
        ("Dates", {"fields": ("last_login", "date_joined", "totp_enabled_at")}),
    )
    readonly_fields = ["totp_enabled_at", "last_login", "date_joined"]
    add_fieldsets = ((None, {"classes": ("wide",), "fields": ("email", "password1", "password2")}),)

    @admin.display(boolean=True, description="2FA")
    def two_factor(self, obj: User) -> bool:
        return obj.has_two_factor


class RevocableKeyAdmin(admin.ModelAdmin):
    """Keys are revoked (audited), never deleted: the audit log and the key's history keep naming it."""

    actions = ["revoke_selected"]

    @staticmethod
    def revoke(key, *, actor: User) -> None:
        """Revoke one key through its service."""
        raise NotImplementedError

    def has_add_permission(self, request) -> bool:
        return False  # created where the plaintext can be shown once

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    @admin.action(description="Revoke selected keys (at once)", permissions=["change"])
    def revoke_selected(self, request, queryset):
        revoked = [key for key in queryset if key.revoked_at is None]
        for key in revoked:
            self.revoke(key, actor=request.user)
        self.message_user(request, f"{len(revoked)} key(s) revoked.", messages.SUCCESS)


@admin.register(ApiKey)
class ApiKeyAdmin(RevocableKeyAdmin):
    """Tenants' API keys (created on the tenant's API keys page, through the API or `create_api_key`)."""

    list_display = ["name", "prefix", "tenant", "scopes", "created_at", "last_used_at", "expires_at", "revoked_at"]
    list_filter = ["tenant"]
    search_fields = ["name", "prefix", "tenant__slug"]
    fields = [
        "tenant",
        "name",
        "prefix",
        "scopes",
        "created_by",
        "created_at",
        "last_used_at",
        "expires_at",
        "revoked_at",
    ]
    readonly_fields = fields

    @staticmethod
    def revoke(key: ApiKey, *, actor: User) -> None:
        api_keys.api_key_revoke(api_key=key, actor=actor)


@admin.register(PlatformApiKey)
class PlatformApiKeyAdmin(RevocableKeyAdmin):
    """Keys of the ISV's own automation (created with `manage.py create_platform_key`)."""

    list_display = ["name", "prefix", "created_at", "last_used_at", "expires_at", "revoked_at"]
    fields = ["name", "prefix", "created_at", "last_used_at", "expires_at", "revoked_at"]
    readonly_fields = fields

    @staticmethod
    def revoke(key: PlatformApiKey, *, actor: User) -> None:
        api_keys.platform_key_revoke(platform_key=key, actor=actor)


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    list_display = ["created_at", "tenant", "actor_label", "action", "target", "ip_address"]
    list_filter = ["action", "tenant"]
    search_fields = ["actor_label", "action", "target", "tenant__slug"]
    date_hierarchy = "created_at"

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


# Sign-in to the admin: throttled like tenant hosts, with the two-factor code on the same form.
admin.site.login_form = AdminLoginForm
