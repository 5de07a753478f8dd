"""Tenant UI: the tenant's own settings."""

from django.contrib import messages
from django.shortcuts import redirect, render

from config.forms import add_service_error
from tenants.decorators import permission_required
from tenants.errors import TenantsError
from tenants.forms import TenantSettingsForm
from tenants.services.settings import tenant_settings_update


@permission_required("settings.manage")
def tenant_settings(request):
    tenant = request.tenant
    form = TenantSettingsForm(request.POST or None, instance=tenant)
    if request.method == "POST" and form.is_valid():
        changes = {name: form.cleaned_data[name] for name in form.fields}
        tenant.refresh_from_db()  # the form wrote onto the instance; the service compares with stored values
        try:
            tenant_settings_update(tenant=tenant, actor=request.user, changes=changes)
        except TenantsError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, "Settings saved.")
            return redirect("ui:settings")
    return render(request, "tenants/settings.html", {"form": form})
