"""Writing the audit log: one function every service calls."""

from __future__ import annotations

import logging
from typing import Any

from django.conf import settings

from tenants.models import AuditEvent, Tenant, User

logger = logging.getLogger("switchboard.audit")


def audit_record(
    *,
    action: str,
    tenant: Tenant | None = None,
    actor: User | None = None,
    actor_label: str | None = None,
    target: str = "",
    details: dict[str, Any] | None = None,
    ip_address: str | None = None,
) -> AuditEvent:
    """Append an audit event; the actor is a user, or a label such as an API key prefix or 'system'."""
    label = actor_label or (actor.email if actor is not None else "system")
    logger.info(
        "%s by %s on %s%s",
        action,
        label,
        tenant.slug if tenant is not None else "platform",
        f" ({target})" * bool(target),
    )
    return AuditEvent.objects.create(
        tenant=tenant,
        actor=actor,
        actor_label=label,
        action=action,
        target=target,
        details=details or {},
        ip_address=ip_address,
    )


def client_ip(request) -> str | None:
    """The caller's address: as the web server saw it, or, behind TRUSTED_PROXY_COUNT proxies, as the outermost
    of them saw it (each proxy appends the address it received from to X-Forwarded-For)."""
    proxies = settings.TRUSTED_PROXY_COUNT
    if proxies > 0:
        forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
        if len(forwarded) >= proxies:
            return forwarded[-proxies]
    return request.META.get("REMOTE_ADDR") or None
