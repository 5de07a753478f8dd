"""Staff must set up two-factor sign-in before the admin opens, while STAFF_REQUIRE_TWO_FACTOR is on.

A staff user signed in on the platform host without two-factor is sent to the set-up page from every admin page
but that one and signing out. Static files are served before this runs; tenant hosts are left alone.
"""

from __future__ import annotations

from django.shortcuts import redirect
from django.urls import reverse

from tenants.people import totp


class StaffTwoFactorMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if self._admin_page(request) and totp.totp_setup_required(request.user):
            return redirect("staff_two_factor")
        return self.get_response(request)

    @staticmethod
    def _admin_page(request) -> bool:
        tenant = getattr(request, "tenant", None)
        if tenant is None or not tenant.is_public or not request.path.startswith(reverse("admin:index")):
            return False
        return request.path not in (reverse("staff_two_factor"), reverse("admin:logout"))
