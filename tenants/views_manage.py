"""Tenant UI pages for running the tenant: settings, API keys, audit log."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from config.forms import add_service_error
from tenants import selectors, services
from tenants.decorators import permission_required
from tenants.errors import TenantsError
from tenants.forms import ApiKeyCreateForm, TenantSettingsForm
from tenants.models import ApiKey


@permission_required("settings.manage")
def tenant_settings(request):
    tenant = request.tenant
    form = TenantSettingsForm(request.POST or None, instance=tenant)
    if request.method == "POST" and form.is_valid():
        changes = {name: form.cleaned_data[name] for name in form.fields}
        tenant.refresh_from_db()  # the form wrote onto the instance; the service compares with stored values
        try:
            services.tenant_settings_update(tenant=tenant, actor=request.user, changes=changes)
        except TenantsError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, "Settings saved.")
            return redirect("ui:settings")
    return render(request, "tenants/settings.html", {"form": form})


@permission_required("apikeys.manage")
def api_keys(request):
    form = ApiKeyCreateForm(request.POST or None)
    created_plaintext = None
    if request.method == "POST" and form.is_valid():
        try:
            _, created_plaintext = services.api_key_create(
                tenant=request.tenant,
                name=form.cleaned_data["name"],
                scopes=form.cleaned_data["scopes"],
                expires_at=form.cleaned_data["expires_at"],
                created_by=request.user,
            )
        except TenantsError as exc:
            add_service_error(form, exc)
        else:
            form = ApiKeyCreateForm()
    context = {"form": form, "keys": selectors.api_keys_for(request.tenant), "created_plaintext": created_plaintext}
    return render(request, "tenants/api_keys.html", context)


@require_POST
@permission_required("apikeys.manage")
def api_key_revoke(request, key_id: int):
    api_key = get_object_or_404(ApiKey, pk=key_id, tenant=request.tenant)
    services.api_key_revoke(api_key=api_key, actor=request.user)
    messages.success(request, f"Key {api_key.name} ({api_key.prefix}…) revoked.")
    return redirect("ui:api_keys")


@permission_required("audit.view")
def audit_log(request):
    return render(request, "tenants/audit.html", {"events": selectors.audit_events_for(request.tenant)})
