"""View decorators for the tenant UI: every page names the permission (tenants.roles.MATRIX) it needs."""

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied

from tenants.roles import MATRIX, role_allows


def permission_required(permission: str):
    """Require a signed-in member of this host's tenant whose role holds `permission`.

    The permission is kept on the view as `required_permission`, so tests can enumerate every page.
    """
    if permission not in MATRIX:
        raise ValueError(f"unknown permission {permission!r}")

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            membership = getattr(request, "membership", None)
            if membership is None:
                return redirect_to_login(request.get_full_path())
            if not role_allows(membership.role, permission):
                raise PermissionDenied("Your role does not allow this page.")
            return view(request, *args, **kwargs)

        wrapped.required_permission = permission
        return wrapped

    return decorator


def membership_required():
    """Any member of this host's tenant (the dashboard)."""
    return permission_required("dashboard.view")
