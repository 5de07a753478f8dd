"""Read-only queries on the public schema."""

from __future__ import annotations

from django.db.models import QuerySet
from django.utils import timezone

from tenants import crypto, keys, request_cache
from tenants.models import ApiKey, AuditEvent, Domain, Membership, PlatformApiKey, Tenant, TenantLimits, User


def api_key_resolve(plaintext: str, *, generation: str | None = None) -> ApiKey | None:
    """The usable key matching a presented plaintext, with its tenant and the tenant's limits; None if unknown,
    revoked or expired. With the request's cache `generation`, a key already read in it is not read again (the
    object is then shared by the process's threads)."""
    prefix = keys.prefix_of(plaintext)
    if prefix is None:
        return None

    def load() -> ApiKey | None:
        return ApiKey.objects.select_related("tenant", "tenant__limits").filter(prefix=prefix).first()

    api_key = request_cache.cached("api_key", prefix, generation, load, keep_none=False)
    if api_key is None or not keys.matches(plaintext, api_key.key_hash):
        return None
    return api_key if api_key.is_usable(timezone.now()) else None


def tenant_for_subaccount(account_sid: str) -> Tenant | None:
    """The tenant whose Twilio subaccount has this SID, or None."""
    return Tenant.objects.filter(twilio_subaccount_sid=account_sid).first()


def tenant_for_host(hostname: str, *, generation: str | None = None) -> Tenant | None:
    """The tenant (or the platform's public row) a host name routes to, or None for an unknown host. With the
    request's cache `generation`, a host already read in it is not read again (the object is then shared)."""

    def load() -> Tenant | None:
        domain = Domain.objects.select_related("tenant").filter(domain=hostname).first()
        return domain.tenant if domain else None

    return request_cache.cached("host", hostname, generation, load)


def api_rate_limit_of(tenant: Tenant) -> int:
    """API requests a minute allowed to all the tenant's keys together; 0 means no limit (nor limits)."""
    try:
        return tenant.limits.api_requests_per_minute
    except TenantLimits.DoesNotExist:
        return 0


def membership_for(*, user: User, tenant: Tenant) -> Membership | None:
    """The user's membership in the tenant, if any."""
    if not user.is_authenticated:
        return None
    return Membership.objects.filter(user=user, tenant=tenant).first()


def tenant_for_schema(schema_name: str) -> Tenant:
    """The tenant that owns a schema (a task's `schema_name`); Tenant.DoesNotExist for an unknown one."""
    return Tenant.objects.get(schema_name=schema_name)


def tenants_listed() -> QuerySet[Tenant]:
    """Every tenant (the platform's own public row excluded), with its hosts."""
    return Tenant.objects.exclude(schema_name="public").prefetch_related("domains")


def audit_events_for(tenant: Tenant, *, limit: int = 200) -> list[AuditEvent]:
    """The tenant's most recent audit events, newest first."""
    return list(AuditEvent.objects.filter(tenant=tenant).select_related("actor")[:limit])


def api_keys_of(tenant: Tenant) -> QuerySet[ApiKey]:
    """The tenant's keys, newest first, revoked ones included."""
    return ApiKey.objects.filter(tenant=tenant).select_related("created_by")


def platform_key_resolve(plaintext: str) -> PlatformApiKey | None:
    """The usable platform key matching a presented plaintext; None if unknown, revoked or expired."""
    prefix = keys.prefix_of(plaintext, keys.PLATFORM_KEY_PREFIX)
    if prefix is None:
        return None
    platform_key = PlatformApiKey.objects.filter(prefix=prefix).first()
    if platform_key is None or not keys.matches(plaintext, platform_key.key_hash):
        return None
    return platform_key if platform_key.is_usable(timezone.now()) else None


def subaccount_auth(tenant: Tenant) -> tuple[str, str] | None:
    """The tenant's subaccount SID and auth token (decrypted now, never stored in clear), or None."""
    if not tenant.is_provisioned:
        return None
    return tenant.twilio_subaccount_sid, crypto.decrypt(tenant.twilio_auth_token_encrypted)
