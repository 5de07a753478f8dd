"""Messaging in the ISV staff admin, registered as pages of the tenant: its senders, pools and plans; its messages;
its webhook endpoints; its ordered sequences; its campaigns (read-only).

Staff often run 10DLC, toll-free and short-code registrations for their tenants, so they can move a sender's
registration here; the service audits each move on the tenant. The messages page is read-only: the tenant's recent
messages (or those its delivery-log search finds by number or SID, each search audited), the ones stranded in the
outbox, and its failures by reason. The webhooks page is read-only too: what a
tenant's endpoints are, whether they are failing, and their latest failed deliveries, for support.
"""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django_tenants.utils import tenant_context

from compliance.domain.registration import Mover
from messaging import selectors
from messaging.errors import MessagingError
from messaging.models import WebhookDelivery
from messaging.outbound_webhooks import selectors as webhook_selectors
from messaging.services.senders import sender_registration_move
from messaging.services.support import delivery_log_search
from tenants.admin import TenantPage, register_tenant_page
from tenants.audit import client_ip
from tenants.models import Tenant
from tenants.selectors import tenants_listed

PAGE_NAME = "tenants_tenant_senders"
MESSAGES_PAGE_NAME = "tenants_tenant_messages"
RECENT_PLANS = 50
RECENT_MESSAGES = 50
RECENT_FAILURES = 20
WEBHOOKS_PAGE_NAME = "tenants_tenant_webhooks"
STRANDED_QUEUED_AFTER = timedelta(minutes=15)  # the sweeper re-queues every minute: this long means something is off
FAILURES_SINCE = timedelta(days=7)


def _viewed_tenant(request, slug: str) -> Tenant:
    """The tenant a staff page is about, for staff who may view tenants."""
    if not request.user.has_perm("tenants.view_tenant"):
        raise PermissionDenied
    return get_object_or_404(tenants_listed(), slug=slug)


def tenant_senders(request, slug: str):
    """A tenant's senders and pools, with the registration moves staff may make."""
    tenant = _viewed_tenant(request, slug)
    if request.method == "POST":
        return _move(request, tenant)
    with tenant_context(tenant):
        senders = selectors.senders_with_registration(by=Mover.STAFF)
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


def tenant_messages(request, slug: str):
    """A tenant's recent messages, those stranded in the outbox, and its failures of the last 7 days by reason; with
    `?q=` a number or SID, the delivery log's messages that match it instead of the recent ones (audited)."""
    tenant = _viewed_tenant(request, slug)
    now = timezone.now()
    sending_lease = timedelta(seconds=settings.DISPATCH_SENDING_LEASE_SECONDS)
    query = request.GET.get("q", "").strip()
    found, search_error = None, ""
    with tenant_context(tenant):
        if query:
            try:
                found = delivery_log_search(
                    tenant=tenant, query=query, actor=request.user, ip_address=client_ip(request)
                )
            except MessagingError as exc:
                search_error = exc.message
        recent = list(selectors.messages()[:RECENT_MESSAGES])
        stranded = selectors.messages_stranded(
            queued_before=now - STRANDED_QUEUED_AFTER, sending_before=now - sending_lease
        )
        failures = selectors.failures_by_reason(since=now - FAILURES_SINCE)
    context = {
        **admin.site.each_context(request),
        "title": f"Messages of {tenant.name}",
        "tenant": tenant,
        "recent": recent,
        "stranded": stranded,
        "failures": failures,
        "stranded_queued_minutes": int(STRANDED_QUEUED_AFTER.total_seconds() // 60),
        "sending_lease_seconds": settings.DISPATCH_SENDING_LEASE_SECONDS,
        "failures_days": FAILURES_SINCE.days,
        "query": query,
        "found": found,
        "search_error": search_error,
    }
    return TemplateResponse(request, "admin/messaging/tenant_messages.html", context)


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
                by=Mover.STAFF,
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
register_tenant_page(
    TenantPage(route="<slug:slug>/messages/", name=MESSAGES_PAGE_NAME, view=tenant_messages, label="Messages")
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


SEQUENCES_PAGE_NAME = "tenants_tenant_sequences"
RECENT_SEQUENCES = 50


def tenant_sequences(request, slug: str):
    """A tenant's newest ordered sequences and each part's status (read-only), for support."""
    tenant = _viewed_tenant(request, slug)
    with tenant_context(tenant):
        sequences = list(selectors.sequences()[:RECENT_SEQUENCES])
    context = {**admin.site.each_context(request), "title": f"Ordered sequences of {tenant.name}", "tenant": tenant,
               "sequences": sequences, "limit": RECENT_SEQUENCES}  # fmt: skip
    return TemplateResponse(request, "admin/messaging/tenant_sequences.html", context)


register_tenant_page(
    TenantPage(
        route="<slug:slug>/sequences/", name=SEQUENCES_PAGE_NAME, view=tenant_sequences, label="Ordered sequences"
    )
)


CAMPAIGNS_PAGE_NAME = "tenants_tenant_campaigns"
RECENT_CAMPAIGNS = 50


def tenant_campaigns(request, slug: str):
    """A tenant's recent campaigns with their progress (read-only, for support)."""
    tenant = _viewed_tenant(request, slug)
    with tenant_context(tenant):
        campaigns = [
            (campaign, selectors.campaign_progress(campaign) if campaign.state != "draft" else None)
            for campaign in selectors.campaigns()[:RECENT_CAMPAIGNS]
        ]
    context = {**admin.site.each_context(request), "title": f"Campaigns of {tenant.name}", "tenant": tenant,
               "campaigns": campaigns}  # fmt: skip
    return TemplateResponse(request, "admin/messaging/tenant_campaigns.html", context)


register_tenant_page(
    TenantPage(route="<slug:slug>/campaigns/", name=CAMPAIGNS_PAGE_NAME, view=tenant_campaigns, label="Campaigns")
)
