"""The staff's own pages on the platform host, inside the admin's frame: two-factor sign-in."""

from __future__ import annotations

from django.contrib import admin

from tenants.people.views import two_factor_page


def staff_two_factor(request):
    """The same two-factor page as on tenant hosts; its changes are audited on the platform (no tenant)."""
    context = {**admin.site.each_context(request), "title": "Two-factor sign-in"}
    return two_factor_page(request, tenant=None, template_name="admin/people/two_factor.html", context=context)
