"""Each tenant's API rate limit, as ISV staff set it (`TenantLimits.api_requests_per_minute`; 0: no limit).

A fixed one-minute window counted in the cache (Redis in production), so the limit holds across every web
process. Over the limit, DRF answers 429 with Retry-After, as problem+json.
"""

from __future__ import annotations

import time

from django.core.cache import cache
from rest_framework.throttling import BaseThrottle

from tenants.selectors import api_rate_limit_of

WINDOW_SECONDS = 60
clock = time.time  # replaceable in tests


class TenantApiRateThrottle(BaseThrottle):
    """Counts the requests of the key's tenant in the current minute against the tenant's limit."""

    def allow_request(self, request, view) -> bool:
        api_key = getattr(request, "auth", None)
        tenant_id = getattr(api_key, "tenant_id", None)
        if tenant_id is None:
            return True  # platform keys and unauthenticated calls are refused or limited elsewhere
        limit = api_rate_limit_of(request.tenant)  # read with the key (tenants.request_cache)
        if not limit:
            return True
        now = clock()
        window = int(now // WINDOW_SECONDS)
        key = f"api-rate:{tenant_id}:{window}"
        try:
            count = cache.incr(key)
        except ValueError:  # the window's first request (in this cache)
            count = 1 if cache.add(key, 1, timeout=WINDOW_SECONDS * 2) else cache.incr(key)
        self._wait = (window + 1) * WINDOW_SECONDS - now
        return count <= limit

    def wait(self) -> float | None:
        return getattr(self, "_wait", None)
