"""Support mode: ISV staff enter a tenant's UI read-only, under a banner, each entry audited.

Staff start a session in the admin on the platform host; the admin redirects to a single-use link on the
tenant's host, which signs the staff member in there with a session that can only read.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from tenants.audit import audit_record, client_ip
from tenants.models import SupportSession, Tenant, User
from tenants.people.services import tenant_url
from tenants.tokens import token_generate, token_hash

SESSION_KEY = "support_session_id"


@dataclass(frozen=True)
class SupportMembership:
    """Stands in for a membership while staff support a tenant: an analyst's reading rights, never writes."""

    session: SupportSession
    role: str = "analyst"
    is_support: bool = True

    def get_role_display(self) -> str:
        return "Support (read-only)"


def support_session_start(*, staff: User, tenant: Tenant, reason: str, request) -> str:
    """Open a support session and return the single-use link that enters the tenant's host (with the scheme and
    port of PUBLIC_BASE_URL)."""
    token = token_generate()
    now = timezone.now()
    with transaction.atomic():
        SupportSession.objects.create(
            staff=staff,
            tenant=tenant,
            reason=reason[:200],
            token_hash=token_hash(token),
            started_at=now,
            expires_at=now + timedelta(minutes=settings.SUPPORT_SESSION_MINUTES),
        )
        audit_record(
            action="support.started", tenant=tenant, actor=staff, target=tenant.slug, ip_address=client_ip(request)
        )
    return tenant_url(tenant, f"/support/enter/{token}/")


def support_session_enter(*, token: str, tenant: Tenant, request) -> SupportSession | None:
    """Consume the link: the open session it names for this tenant, or None (unknown, used, expired)."""
    now = timezone.now()
    with transaction.atomic():
        session = (
            SupportSession.objects.select_for_update()
            .select_related("staff")
            .filter(token_hash=token_hash(token), tenant=tenant, ended_at__isnull=True, expires_at__gt=now)
            .first()
        )
        if session is None or not session.staff.is_staff:
            return None
        session.token_hash = f"used:{session.pk}"  # single use
        session.save(update_fields=["token_hash"])
        audit_record(
            action="support.entered",
            tenant=tenant,
            actor=session.staff,
            target=tenant.slug,
            details={"reason": session.reason},
            ip_address=client_ip(request),
        )
    return session


def support_session_end(*, session: SupportSession, request) -> None:
    """Close the session (staff leave support mode)."""
    with transaction.atomic():
        session.ended_at = timezone.now()
        session.save(update_fields=["ended_at"])
        audit_record(
            action="support.exited",
            tenant=session.tenant,
            actor=session.staff,
            target=session.tenant.slug,
            ip_address=client_ip(request),
        )


def support_session_active(*, session_id: int | None, user: User, tenant: Tenant) -> SupportSession | None:
    """The open support session behind a browser session, if it is still valid for this user and tenant."""
    if not session_id or not user.is_authenticated or not user.is_staff:
        return None
    return (
        SupportSession.objects.filter(
            pk=session_id, staff=user, tenant=tenant, ended_at__isnull=True, expires_at__gt=timezone.now()
        )
        .select_related("tenant")
        .first()
    )
