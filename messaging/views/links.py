"""The short-link redirect: `/l/<code>` on a tenant's link domain, `/l/<tenant slug>/<code>` on any host.

No session, no tenant host, no sign-in: the tenant comes from the link domain or the path (cached per process), the
code's MAC is checked without a query, and one statement reads the URL and records the click. Anything else, from
a forged code to a link of another tenant, is a plain 404 page.
"""

from __future__ import annotations

from django.core.exceptions import DisallowedHost
from django.http import HttpResponse, HttpResponseRedirect
from django.views.decorators.http import require_safe

from messaging.services.links import link_click_record, link_code_verify, link_route
from tenants.audit import client_ip

NOT_FOUND = "This link is not valid. Check that it was copied whole.\n"


def _not_found() -> HttpResponse:
    return HttpResponse(NOT_FOUND, status=404, content_type="text/plain; charset=utf-8")


@require_safe
def link_on_domain(request, code: str):
    """A short link on the tenant's own link domain."""
    try:
        host = request.get_host().split(":")[0].lower()
    except DisallowedHost:
        return _not_found()
    return _follow(request, link_route(link_domain=host), code)


@require_safe
def link_on_platform(request, slug: str, code: str):
    """A short link on the platform host, the tenant's slug first."""
    return _follow(request, link_route(slug=slug), code)


def _follow(request, route, code: str):
    verified = link_code_verify(route, code) if route is not None else None
    if verified is None:
        return _not_found()
    url = link_click_record(
        route=route,
        code=verified,
        user_agent=request.META.get("HTTP_USER_AGENT", ""),
        ip=client_ip(request),
        record=request.method == "GET",  # a HEAD is a checker or a preview, not a person following the link
    )
    if url is None:
        return _not_found()
    response = HttpResponseRedirect(url)
    response["Cache-Control"] = "no-store"  # every click reaches us, none is answered by a cache on the way
    response["Referrer-Policy"] = "no-referrer"  # the code never reaches the target site
    return response
