"""Tenant UI: the tenant's audit log."""

from django.shortcuts import render

from tenants import selectors
from tenants.decorators import permission_required


@permission_required("audit.view")
def audit_log(request):
    return render(request, "tenants/audit.html", {"events": selectors.audit_events_for(request.tenant)})
