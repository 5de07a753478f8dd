def tenant(request) -> dict:
    """The current tenant and membership for templates."""
    current = getattr(request, "tenant", None)
    return {
        "current_tenant": None if current is None or current.is_public else current,
        "membership": getattr(request, "membership", None),
    }
