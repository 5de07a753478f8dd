"""API keys resolve the tenant before any tenant table is touched."""

import pytest

pytestmark = pytest.mark.django_db


def test_key_reads_its_own_tenant_on_its_host(client_a, api_key_a):
    # when
    response = client_a.get("/api/v1/tenant", HTTP_AUTHORIZATION=f"Bearer {api_key_a}")
    # then
    assert response.status_code == 200
    assert response.json() == {
        "slug": "acme",
        "name": "Acme Appointments",
        "status": "active",
        "time_zone": "America/New_York",
        "default_country": "US",
        "created_at": response.json()["created_at"],
    }


def test_key_of_another_tenant_is_refused_on_this_host(client_b, api_key_a):
    response = client_b.get("/api/v1/tenant", HTTP_AUTHORIZATION=f"Bearer {api_key_a}")
    assert response.status_code == 401
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["detail"] == "The API key does not belong to the tenant of this host."


def test_key_resolves_tenant_on_platform_host(public_client, api_key_b):
    response = public_client.get("/api/v1/tenant", HTTP_AUTHORIZATION=f"Bearer {api_key_b}")
    assert response.status_code == 200
    assert response.json()["slug"] == "globex"


@pytest.mark.parametrize(
    "header",
    ["Bearer sb_00000000_notakey", "Bearer garbage", "Basic dXNlcjpwYXNz", "Bearer"],
)
def test_wrong_or_malformed_key_gets_401(client_a, header):
    response = client_a.get("/api/v1/tenant", HTTP_AUTHORIZATION=header)
    assert response.status_code == 401
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["status"] == 401


def test_missing_key_gets_401_problem(client_a):
    response = client_a.get("/api/v1/tenant")
    assert response.status_code == 401
    body = response.json()
    assert body["code"] == "not_authenticated"
    assert response["WWW-Authenticate"] == 'Bearer realm="api"'
