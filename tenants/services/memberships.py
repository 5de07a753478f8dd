"""Memberships: a user's role in a tenant."""

from __future__ import annotations

from django.db import transaction

from tenants.audit import audit_record
from tenants.errors import ValidationFailed
from tenants.models import Membership, Tenant, User


def membership_grant(*, tenant: Tenant, user: User, role: str, actor: User | None = None) -> Membership:
    """Give a user a role in a tenant (or change the role they have); audited when it changes."""
    if role not in Membership.Role.values:
        raise ValidationFailed(f"role must be one of {', '.join(Membership.Role.values)}", field="role")
    with transaction.atomic():
        existing = Membership.objects.filter(user=user, tenant=tenant).first()
        membership, _ = Membership.objects.update_or_create(user=user, tenant=tenant, defaults={"role": role})
        if existing is None or existing.role != role:
            audit_record(
                action="membership.role_changed" if existing else "membership.granted",
                tenant=tenant,
                actor=actor,
                target=user.email,
                details={"from": existing.role if existing else None, "to": role},
            )
    return membership
