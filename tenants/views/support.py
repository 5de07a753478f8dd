"""Support mode on the tenant host: enter by single-use link; leaving is signing out (`tenants.views.signin`)."""

from django.contrib.auth import login
from django.http import HttpResponseForbidden
from django.shortcuts import redirect

from tenants import support


def support_enter(request, token: str):
    session = support.support_session_enter(token=token, tenant=request.tenant, request=request)
    if session is None:
        return HttpResponseForbidden("This support link is unknown, already used or expired.")
    login(request, session.staff, backend="django.contrib.auth.backends.ModelBackend")
    request.session[support.SESSION_KEY] = session.pk
    return redirect("ui:dashboard")
