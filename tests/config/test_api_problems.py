"""Every error under /api/ is RFC 9457 problem+json, whichever host, settings or layer answers it."""

from __future__ import annotations

import pytest
from django.test import Client

from tenants.models import ApiKey

pytestmark = pytest.mark.django_db

PROBLEM = "application/problem+json"


def bearer(key: str) -> dict:
    return {"HTTP_AUTHORIZATION": f"Bearer {key}"}


@pytest.mark.parametrize("path", ["/api/v1/senders", "/api/v1/tenant", "/api/v1/no-such-endpoint"])
def test_a_call_without_a_key_on_the_platform_host_is_a_401_problem(public_client, path):
    response = public_client.get(path)
    assert (response.status_code, response["Content-Type"]) == (401, PROBLEM)
    assert response["WWW-Authenticate"] == 'Bearer realm="api"'
    assert response.json() == {
        "type": "https://switchboard.dev/problems/not_authenticated",
        "title": "Not authenticated",
        "status": 401,
        "detail": "Send the API key as 'Authorization: Bearer <key>'.",
        "code": "not_authenticated",
    }


@pytest.mark.parametrize("debug", [False, True])
@pytest.mark.parametrize("client_fixture", ["public_client", "client_a"])
def test_an_unknown_api_path_is_a_404_problem_on_every_host_and_setting(
    request, settings, api_key_a, debug, client_fixture
):
    settings.DEBUG = debug
    client = request.getfixturevalue(client_fixture)
    response = client.get("/api/v1/no-such-endpoint", **bearer(api_key_a))
    assert (response.status_code, response["Content-Type"]) == (404, PROBLEM)
    assert response.json() == {
        "type": "https://switchboard.dev/problems/not_found",
        "title": "Not Found",
        "status": 404,
        "detail": "Nothing is at this path: see the API's OpenAPI document for its endpoints.",
        "code": "not_found",
    }


def test_an_unknown_path_of_the_platform_api_is_a_404_problem(public_client):
    response = public_client.get("/api/platform/no-such-endpoint")
    assert (response.status_code, response["Content-Type"], response.json()["code"]) == (404, PROBLEM, "not_found")


def test_an_unknown_object_is_a_404_problem(client_a, api_key_a):
    url = "/api/v1/senders/999999/registration"
    response = client_a.post(url, {"state": "verified"}, content_type="application/json", **bearer(api_key_a))
    assert (response.status_code, response["Content-Type"], response.json()["code"]) == (404, PROBLEM, "not_found")


def test_a_method_the_endpoint_lacks_is_a_405_problem_naming_the_allowed_ones(client_a, api_key_a):
    response = client_a.delete("/api/v1/tenant", **bearer(api_key_a))
    assert (response.status_code, response["Content-Type"]) == (405, PROBLEM)
    assert response["Allow"] == "GET, HEAD, OPTIONS"
    assert response.json()["detail"] == 'Method "DELETE" not allowed.'


def test_a_body_over_the_upload_limit_is_a_413_problem_and_nothing_is_created(settings, client_a, api_key_a):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 100
    before = ApiKey.objects.count()
    body = {"name": "x" * 80, "scopes": ["admin"], "expires_at": None}
    response = client_a.post("/api/v1/api-keys", body, content_type="application/json", **bearer(api_key_a))
    assert (response.status_code, response["Content-Type"]) == (413, PROBLEM)
    assert response.json()["detail"] == "The request body is larger than this API reads."
    assert ApiKey.objects.count() == before


def test_a_form_encoded_body_is_a_415_problem(client_a, api_key_a):
    before = ApiKey.objects.count()
    response = client_a.post("/api/v1/api-keys", {"name": "form", "scopes": "admin"}, **bearer(api_key_a))
    assert (response.status_code, response["Content-Type"]) == (415, PROBLEM)
    assert response.json()["code"] == "unsupported_media_type"
    assert ApiKey.objects.count() == before


def test_a_lone_surrogate_is_a_400_problem_not_a_failed_save(client_a, api_key_a):
    before = ApiKey.objects.count()
    body = '{"name": "\\ud800", "scopes": ["admin"]}'
    response = client_a.post("/api/v1/api-keys", body, content_type="application/json", **bearer(api_key_a))
    assert (response.status_code, response["Content-Type"]) == (400, PROBLEM)
    assert response.json()["detail"] == "JSON parse error - a string holds a lone UTF-16 surrogate"
    assert ApiKey.objects.count() == before


@pytest.mark.parametrize("debug", [False, True])
def test_an_unhandled_exception_is_a_500_problem(settings, monkeypatch, tenant_a, api_key_a, debug):
    settings.DEBUG = debug

    def explode(self, instance):
        raise RuntimeError("boom")

    monkeypatch.setattr("tenants.api.tenant.TenantSerializer.to_representation", explode)
    client = Client(HTTP_HOST="acme.localhost", raise_request_exception=False)
    response = client.get("/api/v1/tenant", **bearer(api_key_a))
    assert (response.status_code, response["Content-Type"]) == (500, PROBLEM)
    assert response.json() == {
        "type": "https://switchboard.dev/problems/internal_server_error",
        "title": "Internal Server Error",
        "status": 500,
        "detail": "The server failed to answer; the failure is logged.",
        "code": "internal_server_error",
    }


@pytest.mark.parametrize("client_fixture", ["public_client", "client_a"])
def test_the_documents_need_no_key_on_any_host(request, client_fixture):
    client = request.getfixturevalue(client_fixture)
    response = client.get("/api/v1/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert (response.status_code, response["Content-Type"]) == (200, "application/vnd.oai.openapi+json")
    assert client.get("/api/v1/schema/swagger/").status_code == 200


def test_pages_outside_the_api_keep_their_html_404(client_a):
    response = client_a.get("/no-such-page/")
    assert response.status_code == 404
    assert not response["Content-Type"].startswith(PROBLEM)
