"""The email that tells a tenant's owners and admins that one of their webhook endpoints was switched off."""

from __future__ import annotations

from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse

from tenants.models import Membership, Tenant
from tenants.people.services import tenant_url
from tenants.roles import ADMIN, OWNER


def notified_emails(tenant: Tenant) -> list[str]:
    """The addresses of the tenant's active owners and admins, in order."""
    return list(
        Membership.objects.filter(tenant=tenant, role__in=[OWNER, ADMIN], user__is_active=True)
        .order_by("user__email")
        .values_list("user__email", flat=True)
    )


def endpoint_disabled_notice_send(*, tenant: Tenant, endpoint_id: int, url: str, reason: str, last_error: str) -> int:
    """Email the tenant's owners and admins that the endpoint was disabled and how to turn it back on; returns how
    many were told (0 when the tenant has none)."""
    recipients = notified_emails(tenant)
    if not recipients:
        return 0
    path = reverse("ui:webhook_endpoint", kwargs={"endpoint_id": endpoint_id}, urlconf="config.urls")
    context = {
        "tenant": tenant,
        "url": url,
        "reason": reason,
        "last_error": last_error,
        "page_url": tenant_url(tenant, path),
    }
    send_mail(
        subject=f"Switchboard: a webhook endpoint of {tenant.name} was disabled",
        message=render_to_string("messaging/email/webhook_endpoint_disabled.txt", context),
        from_email=None,
        recipient_list=recipients,
    )
    return len(recipients)
