"""A tenant's life: created with its schema, host and Twilio subaccount; suspended, reactivated, closed; purged."""

from __future__ import annotations

import zoneinfo
from datetime import datetime, timedelta

import phonenumbers
from django.conf import settings
from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone

from tenants import crypto, naming
from tenants.audit import audit_record
from tenants.errors import Conflict, ValidationFailed
from tenants.models import Domain, Tenant, TenantLimits, User
from tenants.ports import get_provisioner


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
    owner_email: str = "",
    actor: User | None = None,
    actor_label: str | None = None,
) -> Tenant:
    """Create a tenant: schema (cloned from the template), host, limits and Twilio subaccount, all or nothing.

    The subaccount is created inside the database transaction, so a Twilio failure leaves no tenant behind. If
    the commit fails after Twilio answered, the retry finds the subaccount by its friendly name and reuses it.
    The first owner is invited once the tenant exists.
    """
    _validate_tenant_fields(slug=slug, time_zone=time_zone, default_country=default_country)
    if not name.strip():
        raise ValidationFailed("name must not be blank", field="name")
    if owner_email:
        _validate_email(owner_email)
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
        TenantLimits.objects.create(tenant=tenant)
        _attach_subaccount(tenant)
        audit_record(
            action="tenant.created",
            tenant=tenant,
            actor=actor,
            actor_label=actor_label,
            target=slug,
            details={"name": tenant.name},
        )
        if owner_email:
            transaction.on_commit(lambda: _invite_owner(tenant, owner_email))
    return tenant


def _validate_email(email: str) -> None:
    try:
        validate_email(email)
    except DjangoValidationError as exc:
        raise ValidationFailed(f"'{email}' is not an email address", field="owner_email") from exc


def _invite_owner(tenant: Tenant, email: str) -> None:
    from tenants.people.services import owner_invite

    owner_invite(tenant=tenant, email=email)


def subaccount_friendly_name(tenant: Tenant) -> str:
    """The name that identifies a tenant's subaccount at Twilio."""
    return f"switchboard:{tenant.slug}"


def _attach_subaccount(tenant: Tenant) -> None:
    provisioner = get_provisioner()
    friendly_name = subaccount_friendly_name(tenant)
    subaccount = provisioner.find(friendly_name=friendly_name) or provisioner.create(friendly_name=friendly_name)
    tenant.twilio_subaccount_sid = subaccount.sid
    tenant.twilio_auth_token_encrypted = crypto.encrypt(subaccount.auth_token)
    tenant.save(update_fields=["twilio_subaccount_sid", "twilio_auth_token_encrypted", "updated_at"])


def tenant_provision(*, tenant: Tenant, actor: User | None = None, replace: bool = False) -> Tenant:
    """Give a tenant that has none (created before subaccounts, or restored) its Twilio subaccount.

    With `replace`, a tenant whose subaccount the provider no longer knows gets a new one.
    """
    if tenant.is_provisioned and not replace:
        return tenant
    with transaction.atomic():
        _attach_subaccount(tenant)
        audit_record(action="tenant.provisioned", tenant=tenant, actor=actor, target=tenant.slug)
    return tenant


STATUS_ACTIONS = {"active": "tenant.reactivated", "suspended": "tenant.suspended", "closed": "tenant.closed"}


def _change_status(
    *, tenant: Tenant, status: str, actor: User | None, reason: str, now: datetime, actor_label: str | None = None
) -> Tenant:
    if tenant.is_public:
        raise ValidationFailed("the platform's own tenant cannot change status", field="status")
    with transaction.atomic():
        # The row lock serialises concurrent changes, so Twilio and the database never disagree.
        locked = Tenant.objects.select_for_update().get(pk=tenant.pk)
        if locked.status == Tenant.Status.CLOSED:
            raise Conflict("a closed tenant cannot change status", field="status")
        if locked.status == status:
            _refresh(tenant, locked)
            return tenant
        if locked.twilio_subaccount_sid:
            # Twilio first: if it refuses, nothing changes here.
            get_provisioner().set_status(sid=locked.twilio_subaccount_sid, status=status)
        previous = locked.status
        locked.status = status
        fields = ["status", "updated_at"]
        if status == Tenant.Status.SUSPENDED:
            locked.suspended_at = now
            fields.append("suspended_at")
        if status == Tenant.Status.CLOSED:
            locked.closed_at = now
            locked.retain_until = now + timedelta(days=settings.TENANT_RETENTION_DAYS)
            fields += ["closed_at", "retain_until"]
        locked.save(update_fields=fields)
        audit_record(
            action=STATUS_ACTIONS[status],
            tenant=locked,
            actor=actor,
            actor_label=actor_label,
            target=locked.slug,
            details={"from": previous, "to": status, "reason": reason},
        )
    _refresh(tenant, locked)
    return tenant


def _refresh(tenant: Tenant, current: Tenant) -> None:
    for name in ("status", "suspended_at", "closed_at", "retain_until", "updated_at"):
        setattr(tenant, name, getattr(current, name))


def tenant_suspend(
    *, tenant: Tenant, actor: User | None = None, reason: str = "", actor_label: str | None = None
) -> Tenant:
    """Suspend the tenant and its subaccount: sending stops at once, reading goes on."""
    return _change_status(
        tenant=tenant,
        status=Tenant.Status.SUSPENDED,
        actor=actor,
        reason=reason,
        now=timezone.now(),
        actor_label=actor_label,
    )


def tenant_reactivate(
    *, tenant: Tenant, actor: User | None = None, reason: str = "", actor_label: str | None = None
) -> Tenant:
    """Lift a suspension: the subaccount is active again and sending resumes."""
    return _change_status(
        tenant=tenant,
        status=Tenant.Status.ACTIVE,
        actor=actor,
        reason=reason,
        now=timezone.now(),
        actor_label=actor_label,
    )


def tenant_close(
    *, tenant: Tenant, actor: User | None = None, reason: str = "", actor_label: str | None = None
) -> Tenant:
    """Close for good: the subaccount is closed, the tenant stays readable for TENANT_RETENTION_DAYS."""
    return _change_status(
        tenant=tenant,
        status=Tenant.Status.CLOSED,
        actor=actor,
        reason=reason,
        now=timezone.now(),
        actor_label=actor_label,
    )


def tenants_purge_expired(*, now: datetime | None = None) -> list[str]:
    """Drop closed tenants whose retention period is over: schema, host, members and keys go; the audit stays.

    Returns the slugs purged. Each tenant is purged in its own transaction, so one failure stops nothing else.
    """
    now = now or timezone.now()
    purged = []
    expired = Tenant.objects.filter(status=Tenant.Status.CLOSED, retain_until__lte=now).order_by("slug")
    for tenant in expired:
        with transaction.atomic():
            audit_record(
                action="tenant.purged",
                target=tenant.slug,
                details={"name": tenant.name, "closed_at": tenant.closed_at.isoformat() if tenant.closed_at else None},
            )
            tenant.delete(force_drop=True)
        purged.append(tenant.slug)
    return purged
