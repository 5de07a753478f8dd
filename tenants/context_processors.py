from tenants.roles import permissions_of


def tenant(request) -> dict:
    """The current tenant, the membership and what its role may do, for templates."""
    current = getattr(request, "tenant", None)
    membership = getattr(request, "membership", None)
    return {
        "current_tenant": None if current is None or current.is_public else current,
        "membership": membership,
        "permissions": permissions_of(membership.role) if membership is not None else frozenset(),
    }
