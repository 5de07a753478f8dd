"""Write operations on tenants, people and API keys."""

from __future__ import annotations

import zoneinfo
from datetime import datetime

import phonenumbers
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from tenants import keys, naming
from tenants.errors import Conflict, ValidationFailed
from tenants.models import ApiKey, Domain, Membership, Tenant, User


def _validate_tenant_fields(*, slug: str, time_zone: str, default_country: str) -> None:
    try:
        naming.validate_slug(slug)
    except naming.InvalidSlug as exc:
        raise ValidationFailed(f"slug {exc}", field="slug") from exc
    if time_zone not in zoneinfo.available_timezones():
        raise ValidationFailed(f"time_zone '{time_zone}' is not an IANA time zone", field="time_zone")
    if default_country not in phonenumbers.SUPPORTED_REGIONS:
        raise ValidationFailed(
            f"default_country '{default_country}' is not an ISO 3166-1 alpha-2 code", field="default_country"
        )
    if Tenant.objects.filter(slug=slug).exists():
        raise Conflict(f"slug '{slug}' is already taken", field="slug")


def public_tenant_ensure() -> Tenant:
    """The row and host of the public schema (ISV staff admin), created once."""
    tenant, _ = Tenant.objects.get_or_create(
        schema_name=settings.PUBLIC_SCHEMA_NAME, defaults={"name": "Switchboard platform", "slug": "public"}
    )
    Domain.objects.get_or_create(domain=settings.PLATFORM_DOMAIN, defaults={"tenant": tenant, "is_primary": True})
    return tenant


def tenant_create(
    *,
    name: str,
    slug: str,
    time_zone: str = "UTC",
    default_country: str = "US",
    extra_hosts: tuple[str, ...] = (),
) -> Tenant:
    """Create a tenant, its schema (cloned from the template) and its host `<slug>.<platform domain>`."""
    _validate_tenant_fields(slug=slug, time_zone=time_zone, default_country=default_country)
    if not name.strip():
        raise ValidationFailed("name must not be blank", field="name")
    with transaction.atomic():
        tenant = Tenant(
            name=name.strip(),
            slug=slug,
            schema_name=naming.schema_name_for(slug),
            time_zone=time_zone,
            default_country=default_country,
        )
        tenant.save(verbosity=0)
        Domain.objects.create(domain=naming.host_for(slug, settings.PLATFORM_DOMAIN), tenant=tenant, is_primary=True)
        for host in extra_hosts:
            Domain.objects.create(domain=host, tenant=tenant, is_primary=False)
    return tenant


def membership_grant(*, tenant: Tenant, user: User, role: str) -> Membership:
    """Give a user a role in a tenant (or change the role they have)."""
    if role not in Membership.Role.values:
        raise ValidationFailed(f"role must be one of {', '.join(Membership.Role.values)}", field="role")
    membership, _ = Membership.objects.update_or_create(user=user, tenant=tenant, defaults={"role": role})
    return membership


def api_key_create(
    *,
    tenant: Tenant,
    name: str,
    scopes: list[str] | tuple[str, ...] = keys.SCOPES,
    created_by: User | None = None,
    expires_at: datetime | None = None,
) -> tuple[ApiKey, str]:
    """Create a key; returns the row and the plaintext, which is shown once and never stored."""
    if not name.strip():
        raise ValidationFailed("name must not be blank", field="name")
    unknown = keys.invalid_scopes(scopes)
    if unknown:
        raise ValidationFailed(
            f"unknown scope(s) {', '.join(unknown)}; allowed: {', '.join(keys.SCOPES)}", field="scopes"
        )
    if expires_at is not None and expires_at <= timezone.now():
        raise ValidationFailed("expires_at must be in the future", field="expires_at")
    generated = keys.generate_key()
    api_key = ApiKey.objects.create(
        tenant=tenant,
        name=name.strip(),
        prefix=generated.prefix,
        key_hash=generated.key_hash,
        scopes=list(dict.fromkeys(scopes)),
        created_by=created_by,
        expires_at=expires_at,
    )
    return api_key, generated.plaintext


def api_key_touch(*, api_key: ApiKey, now: datetime) -> None:
    """Record use, at most once a minute per key to keep the hot path cheap."""
    if api_key.last_used_at is None or (now - api_key.last_used_at).total_seconds() > 60:
        ApiKey.objects.filter(pk=api_key.pk).update(last_used_at=now)
        api_key.last_used_at = now
