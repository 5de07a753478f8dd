"""API keys of a tenant: created with the plaintext shown once, revoked at once, their use recorded."""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.utils import timezone

from tenants import keys
from tenants.audit import audit_record
from tenants.errors import Unprocessable, ValidationFailed
from tenants.models import ApiKey, PlatformApiKey, Tenant, User


def api_key_create(
    *,
    tenant: Tenant,
    name: str,
    scopes: list[str] | tuple[str, ...] = keys.SCOPES,
    created_by: User | None = None,
    expires_at: datetime | None = None,
    actor_label: str | None = None,
) -> tuple[ApiKey, str]:
    """Create a key; returns the row and the plaintext, which is shown once and never stored."""
    if not name.strip():
        raise ValidationFailed("name must not be blank", field="name")
    if not scopes:
        raise ValidationFailed("choose at least one scope", field="scopes")
    unknown = keys.invalid_scopes(scopes)
    if unknown:
        raise ValidationFailed(
            f"unknown scope(s) {', '.join(unknown)}; allowed: {', '.join(keys.SCOPES)}", field="scopes"
        )
    if expires_at is not None and expires_at <= timezone.now():
        raise Unprocessable("expires_at must be in the future", field="expires_at")
    generated = keys.generate_key()
    with transaction.atomic():
        api_key = ApiKey.objects.create(
            tenant=tenant,
            name=name.strip(),
            prefix=generated.prefix,
            key_hash=generated.key_hash,
            scopes=list(dict.fromkeys(scopes)),
            created_by=created_by,
            expires_at=expires_at,
        )
        audit_record(
            action="api_key.created",
            tenant=tenant,
            actor=created_by,
            actor_label=actor_label,
            target=f"{api_key.name} ({api_key.prefix})",
            details={"scopes": api_key.scopes},
        )
    return api_key, generated.plaintext


def api_key_revoke(*, api_key: ApiKey, actor: User | None = None, actor_label: str | None = None) -> ApiKey:
    """Revoke a key at once; revoking twice changes nothing."""
    return _revoke(api_key, "api_key.revoked", tenant=api_key.tenant, actor=actor, actor_label=actor_label)


def platform_key_create(
    *,
    name: str,
    expires_at: datetime | None = None,
    actor: User | None = None,
    actor_label: str | None = None,
) -> tuple[PlatformApiKey, str]:
    """Create a key for the platform API (`sbp_…`); returns the row and the plaintext, which is shown once."""
    if not name.strip():
        raise ValidationFailed("name must not be blank", field="name")
    if expires_at is not None and expires_at <= timezone.now():
        raise ValidationFailed("expires_at must be in the future", field="expires_at")
    generated = keys.generate_key(keys.PLATFORM_KEY_PREFIX)
    with transaction.atomic():
        platform_key = PlatformApiKey.objects.create(
            name=name.strip(), prefix=generated.prefix, key_hash=generated.key_hash, expires_at=expires_at
        )
        audit_record(
            action="platform_key.created",
            actor=actor,
            actor_label=actor_label,
            target=f"{platform_key.name} ({generated.prefix})",
            details={"expires_at": expires_at.isoformat() if expires_at else None},
        )
    return platform_key, generated.plaintext


def platform_key_revoke(
    *, platform_key: PlatformApiKey, actor: User | None = None, actor_label: str | None = None
) -> PlatformApiKey:
    """Revoke a platform key at once; revoking twice changes nothing."""
    return _revoke(platform_key, "platform_key.revoked", tenant=None, actor=actor, actor_label=actor_label)


def _revoke(key, action: str, *, tenant: Tenant | None, actor: User | None, actor_label: str | None):
    if key.revoked_at is not None:
        return key
    with transaction.atomic():
        key.revoked_at = timezone.now()
        key.save(update_fields=["revoked_at"])
        audit_record(
            action=action, tenant=tenant, actor=actor, actor_label=actor_label, target=f"{key.name} ({key.prefix})"
        )
    return key


def platform_key_touch(*, platform_key: PlatformApiKey, now: datetime) -> None:
    """Record a platform key's use, at most once a minute."""
    _touch(platform_key, now)


def api_key_touch(*, api_key: ApiKey, now: datetime) -> None:
    """Record use, at most once a minute per key to keep the hot path cheap."""
    _touch(api_key, now)


def _touch(key: ApiKey | PlatformApiKey, now: datetime) -> None:
    if key.last_used_at is None or (now - key.last_used_at).total_seconds() > 60:
        type(key).objects.filter(pk=key.pk).update(last_used_at=now)
        key.last_used_at = now
