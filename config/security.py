"""Content-Security-Policy on every response (Django 5.2 has none of its own).

Pages load scripts, styles, images and fonts from our own origin only: no CDN and no inline code (the templates keep
their scripts and styles in `config/static/`). Nothing may frame a page, and forms post only to the platform's own
hosts: `'self'`, and the platform host and tenant hosts for the admin's support link, which answers a POST on the
platform host with a redirect to the tenant's host.

The API readers of drf-spectacular-sidecar are served from our origin too, with their start-up code in files
(`templates/drf_spectacular/`, Swagger UI's split view), but Swagger UI draws its icons from `data:` images, and
ReDoc styles its page with `<style>` elements it writes at run time and searches in a worker it starts from a
`blob:` URL: their pages alone allow these (never inline scripts). The Redocly logo ReDoc's bundle fetches from a
CDN is refused, and ReDoc then leaves it out.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from drf_spectacular.views import SpectacularRedocView, SpectacularSwaggerView

HEADER = "Content-Security-Policy"
API_READERS = (SpectacularSwaggerView, SpectacularRedocView)


def _policy(directives: dict[str, str]) -> str:
    return "; ".join(f"{name} {value}" for name, value in directives.items())


def page_directives(platform_domain: str) -> dict[str, str]:
    """The policy of every page but the API readers; a scheme-less host source keeps the page's own scheme."""
    return {
        "default-src": "'self'",
        "script-src": "'self'",
        "style-src": "'self'",
        "img-src": "'self'",
        "font-src": "'self'",
        "connect-src": "'self'",
        "object-src": "'none'",
        "base-uri": "'none'",
        "frame-ancestors": "'none'",
        "form-action": f"'self' {platform_domain}:* *.{platform_domain}:*",
    }


def api_reader_directives(platform_domain: str) -> dict[str, str]:
    """The pages' policy plus Swagger UI's `data:` icons, ReDoc's run-time `<style>` elements and search worker."""
    return {
        **page_directives(platform_domain),
        "style-src": "'self' 'unsafe-inline'",
        "img-src": "'self' data:",
        "worker-src": "'self' blob:",
    }


class ContentSecurityPolicyMiddleware:
    """Adds the Content-Security-Policy header to every response that does not carry one already."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.page_policy = _policy(page_directives(settings.PLATFORM_DOMAIN))
        self.api_reader_policy = _policy(api_reader_directives(settings.PLATFORM_DOMAIN))

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if HEADER not in response:
            response[HEADER] = self.api_reader_policy if _is_api_reader(request) else self.page_policy
        return response


def _is_api_reader(request: HttpRequest) -> bool:
    match = getattr(request, "resolver_match", None)
    view_class = getattr(match.func, "view_class", None) if match else None
    return isinstance(view_class, type) and issubclass(view_class, API_READERS)
