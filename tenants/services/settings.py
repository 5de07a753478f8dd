"""The tenant's own settings, changed by its owners and admins or by ISV staff, checked and audited alike."""

from __future__ import annotations

import zoneinfo

import phonenumbers
from django.db import transaction

from tenants.audit import audit_record
from tenants.errors import ValidationFailed
from tenants.models import Tenant, User

SETTINGS_FIELDS = (
    "name",
    "time_zone",
    "default_country",
    "link_domain",
)


def tenant_settings_check(changes: dict) -> None:
    """Refuse, naming the field, a settings change that is not allowed or not valid."""
    unknown = sorted(set(changes) - set(SETTINGS_FIELDS))
    if unknown:
        raise ValidationFailed(f"these fields cannot be changed here: {', '.join(unknown)}", field=unknown[0])
    if "time_zone" in changes and changes["time_zone"] not in zoneinfo.available_timezones():
        raise ValidationFailed(f"time_zone '{changes['time_zone']}' is not an IANA time zone", field="time_zone")
    if "default_country" in changes and changes["default_country"] not in phonenumbers.SUPPORTED_REGIONS:
        raise ValidationFailed(
            f"default_country '{changes['default_country']}' is not an ISO 3166-1 alpha-2 code", field="default_country"
        )
    if "name" in changes and not str(changes["name"]).strip():
        raise ValidationFailed("name must not be blank", field="name")


def tenant_settings_update(*, tenant: Tenant, actor: User | None, changes: dict) -> Tenant:
    """Change the tenant's own settings; only SETTINGS_FIELDS, validated, audited with the changed fields."""
    tenant_settings_check(changes)
    changed = {key: value for key, value in changes.items() if getattr(tenant, key) != value}
    if not changed:
        return tenant
    for key, value in changed.items():
        setattr(tenant, key, value)
    with transaction.atomic():
        tenant.save(update_fields=[*changed, "updated_at"])
        audit_record(
            action="tenant.settings_changed",
            tenant=tenant,
            actor=actor,
            target=tenant.slug,
            details={"fields": sorted(changed)},
        )
    return tenant
