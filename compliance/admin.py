"""Compliance in the ISV staff admin: a read-only page of one tenant's opt-out register and rule settings, reached
from the tenant's page. Staff change nothing here; the tenant's owners and admins do on its Compliance pages."""

from __future__ import annotations

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django_tenants.utils import tenant_context

from compliance import selectors
from compliance.domain.rules import rule_book
from compliance.models import Keyword
from compliance.services.settings import settings_get
from tenants.admin import TenantPage, register_tenant_page
from tenants.selectors import tenants_listed

PAGE_NAME = "tenants_tenant_compliance"
RECENT_EVENTS = 50


def tenant_compliance(request, slug: str):
    """A tenant's compliance settings, keywords, register figures, latest register events and open reviews."""
    if not request.user.has_perm("tenants.view_tenant"):
        raise PermissionDenied
    tenant = get_object_or_404(tenants_listed(), slug=slug)
    with tenant_context(tenant):
        context = {
            "settings": settings_get(tenant=tenant),
            "keywords": list(Keyword.objects.all()),
            "counts": selectors.register_counts(),
            "events": list(selectors.register_events()[:RECENT_EVENTS]),
            "reviews": list(selectors.reviews(status="open")[:RECENT_EVENTS]),
        }
    context.update(
        admin.site.each_context(request),
        title=f"Opt-outs and rules of {tenant.name}",
        tenant=tenant,
        page="Opt-outs and rules",
        rules=rule_book(),
    )
    return TemplateResponse(request, "admin/compliance/tenant_compliance.html", context)


register_tenant_page(
    TenantPage(route="<slug:slug>/compliance/", name=PAGE_NAME, view=tenant_compliance, label="Opt-outs and rules")
)
