"""The request cache: the host's tenant, the API key and the tenant's limits are read once per process, and a
revoked key, a suspended or closed tenant or new limits take effect from the very next request."""

from __future__ import annotations

import pytest
import redis

from messaging.models import Message
from tenants import request_cache
from tenants.models import ApiKey, TenantLimits
from tenants.services.api_keys import api_key_revoke
from tenants.services.lifecycle import tenant_close, tenant_reactivate, tenant_suspend
from tests.factories import SenderFactory, in_tenant

pytestmark = pytest.mark.django_db

TENANT = "/api/v1/tenant"
MESSAGES = "/api/v1/messages"


def get(client, key):
    return client.get(TENANT, HTTP_AUTHORIZATION=f"Bearer {key}")


def send(client, key, sender):
    payload = {"to": "+14165550199", "body": "Hello", "sender": sender.pk}
    return client.post(MESSAGES, payload, content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {key}")


def key_row(plaintext: str) -> ApiKey:
    return ApiKey.objects.get(prefix=plaintext.split("_")[1])


@pytest.fixture
def sender(tenant_a, dispatch_index):
    return SenderFactory(tenant=tenant_a, address="+14165550100", mps=2)


def test_a_repeated_request_reads_nothing_from_the_database(client_a, api_key_a, django_assert_num_queries):
    assert get(client_a, api_key_a).status_code == 200  # reads the host, the key, its tenant and limits; touches it
    with django_assert_num_queries(0):
        assert get(client_a, api_key_a).status_code == 200


def test_a_revoked_key_is_refused_on_the_next_request(client_a, api_key_a, api_key_b, client_b):
    assert [get(client_a, api_key_a).status_code, get(client_a, api_key_a).status_code] == [200, 200]
    assert get(client_b, api_key_b).status_code == 200
    api_key_revoke(api_key=key_row(api_key_a))
    refused = get(client_a, api_key_a)
    assert (refused.status_code, refused.json()["code"]) == (401, "not_authenticated")
    assert get(client_b, api_key_b).status_code == 200  # another tenant's key is untouched


def test_a_revocation_committed_by_another_process_is_seen_on_the_next_request(client_a, api_key_a):
    assert get(client_a, api_key_a).status_code == 200
    ApiKey.objects.filter(prefix=key_row(api_key_a).prefix).update(revoked_at="2026-01-01T00:00:00Z")
    assert get(client_a, api_key_a).status_code == 200  # a bare UPDATE tells nobody: the cache still answers
    request_cache._new_generation()  # what the revoking process does once its transaction commits
    assert get(client_a, api_key_a).status_code == 401


def test_a_suspended_tenant_is_refused_sending_on_the_next_request(client_a, api_key_a, sender, tenant_a):
    assert send(client_a, api_key_a, sender).status_code == 201
    tenant_suspend(tenant=tenant_a, reason="unpaid")
    refused = send(client_a, api_key_a, sender)
    assert (refused.status_code, refused.json()["code"]) == (403, "tenant_suspended")
    assert get(client_a, api_key_a).json()["status"] == "suspended"
    with in_tenant(tenant_a):
        assert Message.objects.count() == 1
    tenant_reactivate(tenant=tenant_a, reason="paid")
    assert send(client_a, api_key_a, sender).status_code == 201


def test_a_closed_tenant_only_reads_from_the_next_request(client_a, api_key_a, sender, tenant_a):
    assert send(client_a, api_key_a, sender).status_code == 201
    tenant_close(tenant=tenant_a, reason="left")
    refused = send(client_a, api_key_a, sender)
    assert (refused.status_code, refused.json()["code"]) == (403, "tenant_closed")
    assert get(client_a, api_key_a).status_code == 200


def test_new_limits_apply_to_the_next_request(client_a, api_key_a, tenant_a, monkeypatch):
    monkeypatch.setattr("tenants.api.throttles.clock", lambda: 1_800_000_020.0)
    assert [get(client_a, api_key_a).status_code for _ in range(3)] == [200, 200, 200]
    limits = TenantLimits.objects.get(tenant=tenant_a)
    limits.api_requests_per_minute = 3  # as staff save it in the admin
    limits.save()
    assert get(client_a, api_key_a).status_code == 429


def test_without_redis_nothing_is_cached_and_a_revocation_still_applies_at_once(
    client_a, api_key_a, monkeypatch, django_assert_num_queries
):
    class Down:
        def get(self, *args, **kwargs):
            raise redis.ConnectionError("down")

        set = get

    monkeypatch.setattr(request_cache, "_redis", lambda: Down())
    assert get(client_a, api_key_a).status_code == 200
    with django_assert_num_queries(3):  # the search path; the host; the key with its tenant and limits
        assert get(client_a, api_key_a).status_code == 200
    ApiKey.objects.filter(prefix=key_row(api_key_a).prefix).update(revoked_at="2026-01-01T00:00:00Z")
    assert get(client_a, api_key_a).status_code == 401
