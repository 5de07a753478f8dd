"""The tenant's home page."""

from django.shortcuts import render

from messaging import selectors
from tenants.decorators import permission_required


@permission_required("dashboard.view")
def dashboard(request):
    """The tenant's home: what it has and where to go next."""
    return render(request, "messaging/dashboard.html", {"summary": selectors.dashboard_summary()})
