"""Form helpers shared by the apps' UI views."""

from __future__ import annotations

from config.errors import ServiceError


def add_service_error(form, exc: ServiceError, aliases: dict[str, str] | None = None) -> None:
    """Show a service's refusal under the field it names (through `aliases` when the form names it otherwise),
    or above the form when the form has no such field."""
    field = exc.field
    alias = (aliases or {}).get(field)
    if alias in form.fields:
        field = alias
    form.add_error(field if field in form.fields else None, exc.message)
