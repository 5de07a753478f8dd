"""DRF permissions: the key belongs to the request's tenant and carries the view's scopes."""

from rest_framework import permissions


class HasTenantApiKey(permissions.BasePermission):
    """Allow a request whose API key belongs to `request.tenant` and holds the view's scopes.

    A view names them in `required_scopes`, and per HTTP method where they differ in `scopes_by_method`
    (e.g. `{"POST": ("admin",)}`).
    """

    message = "This API key lacks a scope this endpoint needs."

    def has_permission(self, request, view) -> bool:
        api_key = request.auth
        tenant = getattr(request, "tenant", None)
        if api_key is None or tenant is None or api_key.tenant_id != tenant.pk:
            return False
        by_method = getattr(view, "scopes_by_method", {})
        required = set(by_method.get(request.method, getattr(view, "required_scopes", ())))
        granted = set(api_key.scopes)
        return "admin" in granted or required <= granted
