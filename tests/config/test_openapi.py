"""The OpenAPI document is valid, warning-free, and covers every tenant API endpoint."""

from __future__ import annotations

import json

import pytest
import yaml
from django.core.management import call_command
from django.urls import URLPattern, get_resolver


def _api_routes() -> set[str]:
    (api,) = [entry for entry in get_resolver("config.urls").url_patterns if getattr(entry, "namespace", "") == "api"]
    routes = set()
    for entry in api.url_patterns:
        assert isinstance(entry, URLPattern)
        route = str(entry.pattern).replace("<int:", "{").replace("<str:", "{").replace(">", "}")
        routes.add(f"/api/v1/{route}")
    return routes


@pytest.mark.django_db
def test_schema_validates_without_warnings_and_lists_every_endpoint(tmp_path):
    target = tmp_path / "schema.yaml"
    call_command("spectacular", "--fail-on-warn", "--validate", "--file", str(target))
    document = yaml.safe_load(target.read_text())
    assert document["openapi"].startswith("3.")
    assert set(document["paths"]) == _api_routes()
    assert document["components"]["securitySchemes"]["ApiKey"]["scheme"] == "bearer"


@pytest.mark.django_db
def test_the_platform_api_has_its_own_document_on_the_platform_host(public_client, client_a):
    response = public_client.get("/api/platform/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert response.status_code == 200
    document = json.loads(response.content)
    assert document["info"]["title"] == "Switchboard platform API"
    assert set(document["paths"]) == {"/api/platform/tenants", "/api/platform/tenants/{slug}/{action}"}
    assert document["components"]["securitySchemes"]["PlatformKey"]["scheme"] == "bearer"
    assert public_client.get("/api/platform/schema/swagger/").status_code == 200
    # tenant hosts do not serve it
    assert client_a.get("/api/platform/schema/").status_code == 404
