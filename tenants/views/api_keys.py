"""Tenant UI: the tenant's API keys, created (the key shown once) and revoked."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from config.forms import add_service_error
from tenants import selectors
from tenants.decorators import permission_required
from tenants.errors import TenantsError
from tenants.forms import ApiKeyCreateForm
from tenants.services import api_keys as api_key_services


@permission_required("apikeys.manage")
def api_keys(request):
    form = ApiKeyCreateForm(request.POST or None)
    created_plaintext = None
    if request.method == "POST" and form.is_valid():
        try:
            _, created_plaintext = api_key_services.api_key_create(
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
    context = {"form": form, "keys": selectors.api_keys_of(request.tenant), "created_plaintext": created_plaintext}
    return render(request, "tenants/api_keys.html", context)


@require_POST
@permission_required("apikeys.manage")
def api_key_revoke(request, key_id: int):
    api_key = get_object_or_404(selectors.api_keys_of(request.tenant), pk=key_id)
    api_key_services.api_key_revoke(api_key=api_key, actor=request.user)
    messages.success(request, f"Key {api_key.name} ({api_key.prefix}…) revoked.")
    return redirect("ui:api_keys")
