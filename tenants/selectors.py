"""Read-only queries on the public schema."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils import timezone

from tenants import crypto, keys
from tenants.models import ApiKey, AuditEvent, Membership, PlatformApiKey, Tenant, User


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


@dataclass(frozen=True)
class TenantHealth:
    """Volume and rates for the staff admin; None until delivery insights are recorded for the tenant."""

    volume_24h: int | None = None
    volume_7d: int | None = None
    delivery_rate_24h: float | None = None
    delivery_rate_7d: float | None = None
    error_rate_24h: float | None = None
    opt_out_rate_24h: float | None = None


def tenant_health(tenant: Tenant) -> TenantHealth:
    """The tenant's traffic health from the public rollups (none are recorded yet: every figure is None)."""
    return TenantHealth()


def audit_events_for(tenant: Tenant, *, limit: int = 200) -> list[AuditEvent]:
    """The tenant's most recent audit events, newest first."""
    return list(AuditEvent.objects.filter(tenant=tenant).select_related("actor")[:limit])


def api_keys_for(tenant: Tenant) -> list[ApiKey]:
    """The tenant's keys, newest first, revoked ones included."""
    return list(ApiKey.objects.filter(tenant=tenant).select_related("created_by"))


def platform_key_resolve(plaintext: str) -> PlatformApiKey | None:
    """The unrevoked platform key matching a presented plaintext, or None."""
    prefix = keys.prefix_of(plaintext)
    if prefix is None:
        return None
    platform_key = PlatformApiKey.objects.filter(prefix=prefix, revoked_at__isnull=True).first()
    if platform_key is None or not keys.matches(plaintext, platform_key.key_hash):
        return None
    return platform_key


def subaccount_auth(tenant: Tenant) -> tuple[str, str] | None:
    """The tenant's subaccount SID and auth token (decrypted now, never stored in clear), or None."""
    if not tenant.is_provisioned:
        return None
    return tenant.twilio_subaccount_sid, crypto.decrypt(tenant.twilio_auth_token_encrypted)
