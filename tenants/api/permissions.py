"""DRF permissions: the key belongs to the request's tenant and carries the view's scopes."""

from rest_framework import permissions


class HasTenantApiKey(permissions.BasePermission):
    """Allow a request whose API key belongs to `request.tenant` and holds the view's scopes.

    A view names them in `required_scopes`, or per method through `get_required_scopes(request)`.
    """

    message = "This API key lacks a scope this endpoint needs."

    def has_permission(self, request, view) -> bool:
        api_key = request.auth
        tenant = getattr(request, "tenant", None)
        if api_key is None or tenant is None or api_key.tenant_id != tenant.pk:
            return False
        scopes_for = getattr(view, "get_required_scopes", None)
        required = set(scopes_for(request) if scopes_for else getattr(view, "required_scopes", ()))
        granted = set(api_key.scopes)
        return "admin" in granted or required <= granted
