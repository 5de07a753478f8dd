"""Read-only queries on the public schema."""

from __future__ import annotations

from django.utils import timezone

from tenants import keys
from tenants.models import ApiKey, Membership, Tenant, User


def api_key_resolve(plaintext: str) -> ApiKey | None:
    """The usable key matching a presented plaintext, with its tenant; None if unknown, revoked or expired."""
    prefix = keys.prefix_of(plaintext)
    if prefix is None:
        return None
    api_key = ApiKey.objects.select_related("tenant").filter(prefix=prefix).first()
    if api_key is None or not keys.matches(plaintext, api_key.key_hash):
        return None
    return api_key if api_key.is_usable(timezone.now()) else None


def membership_for(*, user: User, tenant: Tenant) -> Membership | None:
    """The user's membership in the tenant, if any."""
    if not user.is_authenticated:
        return None
    return Membership.objects.filter(user=user, tenant=tenant).first()


def tenants_active() -> list[Tenant]:
    """Every tenant that may send, excluding the public schema."""
    return list(Tenant.objects.exclude(schema_name="public").filter(status=Tenant.Status.ACTIVE))
