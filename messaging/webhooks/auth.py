"""Who posted a webhook: the tenant of its `AccountSid`, and whether the subaccount's token signed it."""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field

from django.conf import settings

from messaging.gateways import get_gateway
from messaging.gateways.signatures import request_public_url
from tenants.selectors import subaccount_auth, tenant_for_subaccount

CACHE_SECONDS = 30.0  # a rotated token is read again at once when a signature fails with the cached one


@dataclass(frozen=True)
class WebhookTenant:
    schema: str
    slug: str
    default_country: str
    auth_token: str = field(repr=False)


_cache: dict[str, tuple[float, WebhookTenant]] = {}
_lock = threading.Lock()


def webhook_tenant(account_sid: str, *, fresh: bool = False) -> WebhookTenant | None:
    """The tenant whose subaccount is `account_sid`, with its token; None for an account that is no tenant's."""
    now = time.monotonic()
    if not fresh:
        with _lock:
            cached = _cache.get(account_sid)
        if cached is not None and now - cached[0] < CACHE_SECONDS:
            return cached[1]
    tenant = tenant_for_subaccount(account_sid) if account_sid else None
    auth = subaccount_auth(tenant) if tenant is not None else None
    if tenant is None or auth is None:
        return None
    found = WebhookTenant(tenant.schema_name, tenant.slug, tenant.default_country, auth[1])
    with _lock:
        _cache[account_sid] = (now, found)
    return found


def signed_by(request, tenant: WebhookTenant) -> bool:
    """Whether the request carries Twilio's signature, made with the tenant's subaccount token, of the URL it
    called and every parameter it posted."""
    signature = request.META.get("HTTP_X_TWILIO_SIGNATURE", "")
    url = request_public_url(request, trust_proxy=settings.WEBHOOK_TRUSTED_PROXY)
    return get_gateway().validate_signature(
        auth_token=tenant.auth_token, url=url, params=request.POST, signature=signature
    )


def authenticated_tenant(request) -> tuple[WebhookTenant | None, str]:
    """The tenant that posted the request, or None and why not ("unknown" or "forged")."""
    account_sid = request.POST.get("AccountSid", "")
    tenant = webhook_tenant(account_sid)
    if tenant is None:
        return None, "unknown"
    if signed_by(request, tenant):
        return tenant, ""
    fresh = webhook_tenant(account_sid, fresh=True)  # the token may have been rotated since it was cached
    if fresh is not None and fresh.auth_token != tenant.auth_token and signed_by(request, fresh):
        return fresh, ""
    return None, "forged"
