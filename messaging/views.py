"""Tenant UI pages of the messaging app."""

from django.shortcuts import render

from messaging import selectors
from tenants.decorators import membership_required


@membership_required()
def dashboard(request):
    """The tenant's home: what it has and where to go next."""
    return render(request, "messaging/dashboard.html", {"summary": selectors.dashboard_summary()})
