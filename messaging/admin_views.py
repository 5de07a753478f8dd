"""ISV staff pages in the platform admin for data that lives in tenant schemas: a tenant's senders and plans.

Staff often run 10DLC, toll-free and short-code registrations for their tenants, so they can move a sender's
registration here; each move is audited on the tenant.
"""

from __future__ import annotations

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django_tenants.utils import tenant_context

from messaging import selectors, services
from messaging.errors import MessagingError
from messaging.models import Sender, SenderPlan, SenderPool
from tenants.audit import audit_record, client_ip
from tenants.models import Tenant


def tenant_senders(request, slug: str):
    """A tenant's senders and pools, with the registration moves staff may make."""
    if not request.user.has_perm("tenants.view_tenant"):
        raise PermissionDenied
    tenant = get_object_or_404(Tenant.objects.exclude(schema_name="public"), slug=slug)
    if request.method == "POST":
        return _move(request, tenant)
    with tenant_context(tenant):
        senders = selectors.senders_with_registration()
        pools = [(pool, list(pool.senders.all())) for pool in SenderPool.objects.prefetch_related("senders")]
        plans = list(SenderPlan.objects.all()[:50])
    context = {
        **admin.site.each_context(request),
        "title": f"Senders of {tenant.name}",
        "tenant": tenant,
        "senders": senders,
        "pools": pools,
        "plans": plans,
        "can_change": request.user.has_perm("tenants.change_tenant"),
    }
    return TemplateResponse(request, "admin/messaging/tenant_senders.html", context)


def _move(request, tenant: Tenant):
    if not request.user.has_perm("tenants.change_tenant"):
        raise PermissionDenied
    with tenant_context(tenant):
        sender_id = request.POST.get("sender_id", "")
        sender = get_object_or_404(Sender, pk=int(sender_id) if sender_id.isdigit() else 0)
        before = sender.registration_state
        try:
            services.sender_registration_move(
                sender=sender, target=request.POST.get("state", ""), reference=request.POST.get("reference", "")
            )
        except MessagingError as exc:
            messages.error(request, f"{sender.address}: {exc.message}")
            return redirect("admin_tenant_senders", slug=tenant.slug)
    audit_record(
        action="sender.registration_moved",
        tenant=tenant,
        actor=request.user,
        target=sender.address,
        details={"from": before, "to": sender.registration_state},
        ip_address=client_ip(request),
    )
    messages.success(request, f"{sender.address}: registration is now {sender.registration_state}.")
    return redirect("admin_tenant_senders", slug=tenant.slug)
