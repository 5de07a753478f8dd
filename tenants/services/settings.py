"""The tenant's own settings, changed by its owners and admins or by ISV staff, checked and audited alike."""

from __future__ import annotations

import re
import zoneinfo

import phonenumbers
from django.conf import settings
from django.db import transaction

from tenants.audit import audit_record
from tenants.errors import ValidationFailed
from tenants.models import Domain, Tenant, User

_LABEL = re.compile(r"^(?!-)[a-z0-9-]{1,63}(?<!-)$")

SETTINGS_FIELDS = (
    "name",
    "time_zone",
    "default_country",
    "link_domain",
)


def tenant_settings_check(changes: dict, *, tenant: Tenant | None = None) -> None:
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
    if changes.get("link_domain"):
        link_domain_check(str(changes["link_domain"]), tenant=tenant)


def link_domain_check(value: str, *, tenant: Tenant | None) -> None:
    """Refuse a link domain that is no host name (lowercase labels, at least two), or that routes elsewhere already:
    the platform's own domain, a tenant's host, another tenant's link domain."""
    labels = value.split(".")
    if len(value) > 253 or len(labels) < 2 or not all(_LABEL.match(label) for label in labels):
        raise ValidationFailed(
            f"link_domain '{value}' is not a host name such as go.example.com (lowercase, no scheme or path)",
            field="link_domain",
        )
    if value == settings.PLATFORM_DOMAIN or Domain.objects.filter(domain=value).exists():
        raise ValidationFailed(f"link_domain '{value}' is a host of the platform already", field="link_domain")
    if Tenant.objects.filter(link_domain=value).exclude(pk=getattr(tenant, "pk", None)).exists():
        raise ValidationFailed(f"link_domain '{value}' is another tenant's", field="link_domain")


def tenant_settings_update(*, tenant: Tenant, actor: User | None, changes: dict) -> Tenant:
    """Change the tenant's own settings; only SETTINGS_FIELDS, validated, audited with the changed fields."""
    tenant_settings_check(changes, tenant=tenant)
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
