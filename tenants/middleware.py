"""Request routing: every request resolves its tenant before it touches a tenant table.

The UI routes by host (`<slug>.<platform domain>`); the API routes by API key (`Authorization: Bearer`),
resolved on the public schema, on every host: a call without a key is answered 401 wherever it arrives. On a
tenant's own host a key of another tenant is refused. The API's documents (`/api/v1/schema/...`) need no key.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import DisallowedHost
from django.db import connection
from django.http import HttpResponseForbidden, HttpResponseNotFound
from django.urls import set_urlconf
from django_tenants.middleware.main import TenantMainMiddleware

from config.api import problem_response
from tenants import selectors, support
from tenants.models import Tenant

API_PREFIX = "/api/v1/"
API_DOCS_PREFIX = "/api/v1/schema/"
# Probes reach the process by any address (a load balancer or orchestrator uses the pod or host IP).
HEALTH_PATHS = frozenset({"/healthz", "/readyz"})
# Short links (`/l/...`) find their tenant from the link domain or the path themselves, on any host, without a
# session: they go to the platform's routes with no read here.
SHORT_LINK_PREFIX = "/l/"


def bearer_token(request) -> str | None:
    """The credential of an `Authorization: Bearer <key>` header, or None when absent."""
    header = request.META.get("HTTP_AUTHORIZATION", "")
    scheme, _, credential = header.partition(" ")
    if scheme.lower() != "bearer" or not credential.strip():
        return None
    return credential.strip()


def _unauthorized(detail: str):
    response = problem_response(401, "Not authenticated", detail, "not_authenticated")
    response["WWW-Authenticate"] = 'Bearer realm="api"'
    return response


class TenantRoutingMiddleware(TenantMainMiddleware):
    """Pick the schema and URL configuration from the API key or, failing that, the host."""

    def process_request(self, request):
        connection.set_schema_to_public()
        request.api_key = None
        if request.path in HEALTH_PATHS or request.path.startswith(SHORT_LINK_PREFIX):
            # No database read here: /healthz must answer while the database is down.
            platform = Tenant(schema_name=settings.PUBLIC_SCHEMA_NAME, name="platform", slug="public")
            self._activate(request, platform, "platform")
            return None
        try:
            hostname = self.hostname_from_request(request)
        except DisallowedHost:
            return HttpResponseNotFound()
        host_tenant = selectors.tenant_for_host(hostname)
        if request.path.startswith(API_PREFIX) and not request.path.startswith(API_DOCS_PREFIX):
            return self._route_by_key(request, host_tenant)
        if host_tenant is None:
            return HttpResponseNotFound(f"No tenant for host {hostname}")
        self._activate(request, host_tenant, hostname)
        return None

    def _route_by_key(self, request, host_tenant: Tenant | None):
        presented = bearer_token(request)
        if presented is None:
            return _unauthorized("Send the API key as 'Authorization: Bearer <key>'.")
        api_key = selectors.api_key_resolve(presented)
        if api_key is None:
            return _unauthorized("The API key is unknown, revoked or expired.")
        if host_tenant is not None and not host_tenant.is_public and host_tenant.pk != api_key.tenant_id:
            return _unauthorized("The API key does not belong to the tenant of this host.")
        request.api_key = api_key
        self._activate(request, api_key.tenant, request.get_host().split(":")[0], force_tenant_urls=True)
        return None

    @staticmethod
    def _activate(request, tenant: Tenant, hostname: str, force_tenant_urls: bool = False) -> None:
        tenant.domain_url = hostname
        request.tenant = tenant
        connection.set_tenant(tenant)
        if tenant.is_public and not force_tenant_urls:
            request.urlconf = settings.PUBLIC_SCHEMA_URLCONF
        else:
            request.urlconf = settings.ROOT_URLCONF
        set_urlconf(request.urlconf)


SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
READ_ONLY_EXEMPT_PATHS = ("/logout/", "/support/exit/")
# Signing in changes nothing of the tenant's: members of a closed tenant still sign in to read it.
CLOSED_TENANT_EXEMPT_PREFIXES = ("/login/", "/password-reset/")


class TenantMembershipMiddleware:
    """Attach `request.membership` (the user's role in this host's tenant, a support stand-in, or None) and
    `request.read_only`; refuse writes while read-only (support mode, closed tenants), on the UI and the API."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        tenant = getattr(request, "tenant", None)
        request.membership = None
        request.read_only = False
        if tenant is None or tenant.is_public:
            return self.get_response(request)
        closed = tenant.status == Tenant.Status.CLOSED
        if request.api_key is not None:
            request.read_only = closed
            if closed and request.method not in SAFE_METHODS:
                return problem_response(
                    403, "Tenant closed", "This tenant is closed; it can only be read.", "tenant_closed"
                )
            return self.get_response(request)
        request.membership = self._membership(request, tenant)
        is_support = getattr(request.membership, "is_support", False)
        request.read_only = is_support or closed
        if request.read_only and request.method not in SAFE_METHODS and not self._exempt(request.path, is_support):
            reason = "Support mode is read-only." if is_support else "This tenant is closed; it can only be read."
            return HttpResponseForbidden(reason)
        return self.get_response(request)

    @staticmethod
    def _exempt(path: str, is_support: bool) -> bool:
        if path in READ_ONLY_EXEMPT_PATHS:
            return True
        return not is_support and path.startswith(CLOSED_TENANT_EXEMPT_PREFIXES)

    @staticmethod
    def _membership(request, tenant: Tenant):
        session_id = request.session.get(support.SESSION_KEY)
        if session_id:
            session = support.support_session_active(session_id=session_id, user=request.user, tenant=tenant)
            return support.SupportMembership(session=session) if session else None
        return selectors.membership_for(user=request.user, tenant=tenant)
