"""Messaging in the ISV staff admin: a tenant's senders, pools and plans, and its webhook endpoints, each registered
as a page of the tenant.

Staff often run 10DLC, toll-free and short-code registrations for their tenants, so they can move a sender's
registration here; the service audits each move on the tenant. The webhooks page is read-only: what a tenant's
endpoints are, whether they are failing, and their latest failed deliveries, for support.
"""

from __future__ import annotations

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django_tenants.utils import tenant_context

from messaging import selectors
from messaging.errors import MessagingError
from messaging.models import WebhookDelivery
from messaging.outbound_webhooks import selectors as webhook_selectors
from messaging.services.senders import sender_registration_move
from tenants.admin import TenantPage, register_tenant_page
from tenants.audit import client_ip
from tenants.models import Tenant
from tenants.selectors import tenants_listed

PAGE_NAME = "tenants_tenant_senders"
WEBHOOKS_PAGE_NAME = "tenants_tenant_webhooks"
RECENT_PLANS = 50
RECENT_FAILURES = 20


def tenant_senders(request, slug: str):
    """A tenant's senders and pools, with the registration moves staff may make."""
    if not request.user.has_perm("tenants.view_tenant"):
        raise PermissionDenied
    tenant = get_object_or_404(tenants_listed(), slug=slug)
    if request.method == "POST":
        return _move(request, tenant)
    with tenant_context(tenant):
        senders = selectors.senders_with_registration()
        pools = [(pool, list(pool.senders.all())) for pool in selectors.pools()]
        plans = list(selectors.plans()[:RECENT_PLANS])
    context = {
        **admin.site.each_context(request),
        "title": f"Senders of {tenant.name}",
        "tenant": tenant,
        "senders": senders,
        "pools": pools,
        "plans": plans,
        "can_change": request.user.has_perm("tenants.manage_sender_registrations"),
    }
    return TemplateResponse(request, "admin/messaging/tenant_senders.html", context)


def _move(request, tenant: Tenant):
    if not request.user.has_perm("tenants.manage_sender_registrations"):
        raise PermissionDenied
    sender_id = request.POST.get("sender_id", "")
    with tenant_context(tenant):
        sender = get_object_or_404(selectors.senders(), pk=int(sender_id) if sender_id.isdigit() else 0)
        try:
            sender_registration_move(
                tenant=tenant,
                sender=sender,
                target=request.POST.get("state", ""),
                reference=request.POST.get("reference", ""),
                actor=request.user,
                ip_address=client_ip(request),
            )
        except MessagingError as exc:
            messages.error(request, f"{sender.address}: {exc.message}")
        else:
            messages.success(request, f"{sender.address}: registration is now {sender.registration_state}.")
    return redirect(f"admin:{PAGE_NAME}", slug=tenant.slug)


register_tenant_page(
    TenantPage(route="<slug:slug>/senders/", name=PAGE_NAME, view=tenant_senders, label="Senders and registrations")
)


def tenant_webhooks(request, slug: str):
    """A tenant's webhook endpoints and the latest failed deliveries of each (read-only; secrets never shown)."""
    if not request.user.has_perm("tenants.view_tenant"):
        raise PermissionDenied
    tenant = get_object_or_404(tenants_listed(), slug=slug)
    failing = [WebhookDelivery.Status.FAILED, WebhookDelivery.Status.GIVEN_UP]
    with tenant_context(tenant):
        endpoints = [
            (
                endpoint,
                list(webhook_selectors.webhook_deliveries(endpoint).filter(status__in=failing)[:RECENT_FAILURES]),
            )
            for endpoint in webhook_selectors.webhook_endpoints()
        ]
    context = {**admin.site.each_context(request), "title": f"Webhooks of {tenant.name}", "tenant": tenant,
               "endpoints": endpoints}  # fmt: skip
    return TemplateResponse(request, "admin/messaging/tenant_webhooks.html", context)


register_tenant_page(
    TenantPage(route="<slug:slug>/webhooks/", name=WEBHOOKS_PAGE_NAME, view=tenant_webhooks, label="Webhook endpoints")
)
