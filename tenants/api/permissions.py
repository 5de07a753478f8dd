"""DRF permissions: the key belongs to the request's tenant and carries the view's scopes.

Each permission also describes itself for the OpenAPI document (`describe_access`, `refusal`, read by
`config.openapi`), from the same attributes it checks, so the document cannot drift from the check.
"""

from rest_framework import permissions

ALL_SCOPES = "admin"


def required_scopes(view, method: str) -> tuple[str, ...]:
    """The scopes a view needs for `method`: `scopes_by_method[method]` where given, else `required_scopes`."""
    by_method = getattr(view, "scopes_by_method", {})
    return tuple(by_method.get(method.upper(), getattr(view, "required_scopes", ())))


class HasTenantApiKey(permissions.BasePermission):
    """Allow a request whose API key belongs to `request.tenant` and holds the view's scopes.

    A view names them in `required_scopes`, and per HTTP method where they differ in `scopes_by_method`
    (e.g. `{"POST": ("admin",)}`). A key with the `admin` scope holds them all.
    """

    message = "This API key lacks a scope this endpoint needs."

    def has_permission(self, request, view) -> bool:
        api_key = request.auth
        tenant = getattr(request, "tenant", None)
        if api_key is None or tenant is None or api_key.tenant_id != tenant.pk:
            return False
        granted = set(api_key.scopes)
        return ALL_SCOPES in granted or set(required_scopes(view, request.method)) <= granted

    def describe_access(self, view, method: str) -> str:
        scopes = required_scopes(view, method)
        if not scopes:
            needs = "any API key of the tenant"
        else:
            needs = "an API key with the scope " + " and ".join(f"`{scope}`" for scope in scopes)
            if ALL_SCOPES not in scopes:
                needs += f" (or `{ALL_SCOPES}`, which holds every scope)"
        if method.upper() not in permissions.SAFE_METHODS:
            needs += "; a closed tenant's keys can only read"
        return needs + "."

    def refusal(self, view, method: str) -> str:
        reasons = []
        if required_scopes(view, method):
            reasons.append("the key lacks the scope")
        if method.upper() not in permissions.SAFE_METHODS:
            reasons.append("the tenant is closed (`tenant_closed`)")
        return " or ".join(reasons).capitalize()
