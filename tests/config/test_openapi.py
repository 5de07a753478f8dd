"""The OpenAPI document is valid, warning-free, and covers every tenant API endpoint."""

from __future__ import annotations

import json

import pytest
import yaml
from django.core.management import call_command
from django.urls import URLPattern, get_resolver

from config.openapi import IDEMPOTENCY_KEY_PATTERN


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


def _tenant_document() -> dict:
    from drf_spectacular.generators import SchemaGenerator

    return SchemaGenerator().get_schema(request=None, public=True)


def _operations(document: dict):
    for path, item in document["paths"].items():
        for method, operation in item.items():
            yield path, method.upper(), operation


PROBLEM_REF = {"$ref": "#/components/schemas/Problem"}


@pytest.mark.django_db
def test_every_error_of_every_operation_is_a_documented_problem():
    document = _tenant_document()
    for path, method, operation in _operations(document):
        responses = operation["responses"]
        errors = {status for status in responses if status >= "400"}
        assert {"401", "429"} <= errors, (method, path)
        for status in errors:
            assert responses[status]["content"] == {"application/problem+json": {"schema": PROBLEM_REF}}
        assert responses["401"]["headers"]["WWW-Authenticate"]["required"] is True
        assert responses["429"]["headers"]["Retry-After"]["schema"] == {"type": "integer", "minimum": 0}
        if "requestBody" in operation:
            assert {"400", "413", "415"} <= errors, (method, path)
        if "{" in path:
            assert "404" in errors, (method, path)
        assert operation["security"] == [{"ApiKey": []}], (method, path)
        assert [p for p in operation.get("parameters", []) if p["name"].lower() == "authorization"] == []
    assert set(document["components"]["schemas"]["Problem"]["required"]) == {
        "type",
        "title",
        "status",
        "detail",
        "code",
    }


@pytest.mark.django_db
def test_every_list_pages_the_same_documented_way():
    document = _tenant_document()
    lists = []
    for path, method, operation in _operations(document):
        for status, response in operation["responses"].items():
            schema = response.get("content", {}).get("application/json", {}).get("schema", {})
            assert schema.get("type") != "array", f"{method} {path} {status} returns a bare array"
            if schema.get("$ref", "").startswith("#/components/schemas/Paginated"):
                lists.append(operation["operationId"])
                names = [p["name"] for p in operation["parameters"] if p["in"] == "query"]
                assert {"cursor", "page_size"} <= set(names), (method, path)
                filters = [p for p in operation["parameters"] if p["name"] not in ("cursor", "page_size")]
                assert all(p["in"] in ("query", "path") and "schema" in p for p in filters), (method, path)
    collections = [op["operationId"] for path, method, op in _operations(document) if method == "GET" and
                   op["operationId"].endswith("_list")]  # fmt: skip
    # A tenant's keywords, reply texts and the rule list are small, bounded sets, answered whole as `{results}`.
    whole = {"compliance_keywords_list", "compliance_replies_list", "compliance_rules_list"}
    paged_elsewhere = {"lists_members", "messages_events", "webhook_deliveries_list"}
    assert sorted(lists) == sorted((set(collections) - whole) | paged_elsewhere)
    assert {
        "api_keys_list",
        "pools_list",
        "sender_plans_list",
        "senders_list",
        "messages_list",
        "contacts_list",
        "opt_outs_list",
        "consents_list",
        "compliance_reviews_list",
        "sequences_list",
        "incidents_list",
    } <= set(lists)
    envelope = document["components"]["schemas"]["PaginatedSenderList"]
    assert envelope["required"] == ["next", "previous", "results"]


# The writes whose views set `accepts_idempotency_key` (the header is then documented as a parameter).
ACCEPTS_IDEMPOTENCY_KEY = frozenset({"sequences_create"})


@pytest.mark.django_db
def test_each_operation_names_its_access_and_each_write_its_idempotency():
    document = _tenant_document()
    by_id = {operation["operationId"]: operation for _, _, operation in _operations(document)}
    assert by_id["senders_list"]["description"].endswith(
        "**Access:** an API key with the scope `messages:read` (or `admin`, which holds every scope)."
    )
    assert by_id["senders_create"]["description"].endswith(
        "**Access:** an API key with the scope `admin`; a closed tenant's keys can only read.\n\n"
        "**Idempotency-Key:** not accepted; the header is ignored, so a retried request acts again."
    )
    assert "**Access:** any API key of the tenant." in by_id["tenant_retrieve"]["description"]
    assert "403" not in by_id["tenant_retrieve"]["responses"]
    for path, method, operation in _operations(document):
        assert "**Access:** " in operation["description"], (method, path)
        if method in ("POST", "PUT", "PATCH", "DELETE"):
            accepts = operation["operationId"] in ACCEPTS_IDEMPOTENCY_KEY
            assert operation["x-idempotency-key"] is accepts, (method, path)
            note = "**Idempotency-Key:** accepted" if accepts else "**Idempotency-Key:** not accepted"
            assert note in operation["description"], (method, path)
        else:
            assert "x-idempotency-key" not in operation, (method, path)


@pytest.mark.django_db
def test_the_platform_document_follows_the_same_conventions(public_client):
    response = public_client.get("/api/platform/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    document = json.loads(response.content)
    statuses = {}
    for path, method, operation in _operations(document):
        statuses[operation["operationId"]] = sorted(operation["responses"])
        assert operation["description"].endswith(
            "**Access:** a platform key (`manage.py create_platform_key`)."
            + (
                "\n\n**Idempotency-Key:** not accepted; the header is ignored, so a retried request acts again."
                if method == "POST"
                else ""
            )
        ), (method, path)
    assert statuses == {
        "platform_tenants_list": ["200", "400", "401", "404"],
        "platform_tenants_create": ["201", "400", "401", "409", "413", "415", "502"],
        "platform_tenants_status": ["200", "400", "401", "404", "409", "413", "415", "502"],
    }


def test_a_view_that_accepts_an_idempotency_key_documents_the_header():
    from django.urls import path
    from drf_spectacular.generators import SchemaGenerator
    from drf_spectacular.utils import extend_schema
    from rest_framework import serializers
    from rest_framework.views import APIView

    class Body(serializers.Serializer):
        text = serializers.CharField()

    class Retried(APIView):
        accepts_idempotency_key = True

        @extend_schema(request=Body, responses={201: Body})
        def post(self, request):
            raise NotImplementedError

    document = SchemaGenerator(patterns=[path("retried", Retried.as_view())]).get_schema(request=None, public=True)
    operation = document["paths"]["/retried"]["post"]
    assert operation["x-idempotency-key"] is True
    assert operation["description"].endswith(
        "**Idempotency-Key:** accepted; a retry with the same key is answered once."
    )
    (header,) = operation["parameters"]
    assert header == {
        "in": "header",
        "name": "Idempotency-Key",
        "schema": {"type": "string", "minLength": 1, "maxLength": 255, "pattern": IDEMPOTENCY_KEY_PATTERN},
        "description": "A key of your choosing (at most 255 characters); a retry with the same key and body gets "
        "the first answer again instead of repeating the effect",
    }  # optional: no `required`
