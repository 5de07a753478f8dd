"""Support mode on the tenant host: enter by single-use link, leave by button."""

from django.contrib.auth import login, logout
from django.http import HttpResponseForbidden
from django.shortcuts import redirect
from django.views.decorators.http import require_POST

from tenants import support


def support_enter(request, token: str):
    session = support.support_session_enter(token=token, tenant=request.tenant, request=request)
    if session is None:
        return HttpResponseForbidden("This support link is unknown, already used or expired.")
    login(request, session.staff, backend="django.contrib.auth.backends.ModelBackend")
    request.session[support.SESSION_KEY] = session.pk
    return redirect("ui:dashboard")


@require_POST
def support_exit(request):
    membership = getattr(request, "membership", None)
    if getattr(membership, "is_support", False):
        support.support_session_end(session=membership.session, request=request)
    logout(request)
    return redirect("ui:login")
