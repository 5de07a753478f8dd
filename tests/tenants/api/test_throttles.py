"""Each tenant's API rate limit, as staff set it in the tenant's limits."""

import pytest

from tenants.models import TenantLimits

pytestmark = pytest.mark.django_db


def test_requests_beyond_the_tenants_limit_get_429_and_other_tenants_are_untouched(
    client_a, client_b, api_key_a, api_key_b, tenant_a, monkeypatch
):
    # 20 s into a minute: every request below falls in the same window, and 40 s of it remain
    monkeypatch.setattr("tenants.api.throttles.clock", lambda: 1_800_000_020.0)
    TenantLimits.objects.filter(tenant=tenant_a).update(api_requests_per_minute=3)
    statuses = [client_a.get("/api/v1/tenant", HTTP_AUTHORIZATION=f"Bearer {api_key_a}").status_code for _ in range(3)]
    refused = client_a.get("/api/v1/tenant", HTTP_AUTHORIZATION=f"Bearer {api_key_a}")
    assert statuses == [200, 200, 200]
    assert (refused.status_code, refused["Content-Type"]) == (429, "application/problem+json")
    assert refused["Retry-After"] == "40"
    assert refused.json()["code"] == "throttled"
    # globex has its own budget
    assert client_b.get("/api/v1/tenant", HTTP_AUTHORIZATION=f"Bearer {api_key_b}").status_code == 200


def test_zero_means_no_limit(client_a, api_key_a, tenant_a):
    TenantLimits.objects.filter(tenant=tenant_a).update(api_requests_per_minute=0)
    statuses = {client_a.get("/api/v1/tenant", HTTP_AUTHORIZATION=f"Bearer {api_key_a}").status_code for _ in range(5)}
    assert statuses == {200}
