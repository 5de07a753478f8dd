"""The OpenAPI document is valid, warning-free, and covers every tenant API endpoint."""

from __future__ import annotations

import json

import pytest
import yaml
from django.core.management import call_command
from django.urls import URLPattern, get_resolver


def _routes(resolver, prefix: str = "") -> set[str]:
    """Every route below `resolver`, its include() prefixes joined, parameters written as OpenAPI writes them."""
    routes = set()
    for entry in resolver.url_patterns:
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLPattern):
            routes.add(route.replace("<int:", "{").replace("<str:", "{").replace("<uuid:", "{").replace(">", "}"))
        else:
            routes |= _routes(entry, route)
    return routes


def _api_routes() -> set[str]:
    (api,) = [entry for entry in get_resolver("config.urls").url_patterns if getattr(entry, "namespace", "") == "api"]
    return {f"/api/v1/{route}" for route in _routes(api)}


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
