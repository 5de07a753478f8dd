"""Bad input never gets a 500: every API endpoint and every UI page, enumerated from the URL configuration, is sent
malformed bodies by a caller allowed to use it; no answer is a 5xx, and every refusal on the API is problem+json.
(An endpoint that takes no body, such as a sync, may simply do its work.)"""

from __future__ import annotations

import json

import pytest

from tenants.services.api_keys import api_key_create
from tests.fixtures.urls import named, sample_url

MALFORMED_JSON = [
    "{not json",
    "[]",
    '"text"',
    "null",
    json.dumps({"name": ["a"], "kind": {"x": 1}, "countries": "US", "go_live": 5, "scopes": "admin", "mps": "lots"}),
    json.dumps({"use_case": "otp", "countries": [None], "daily_volume": -1, "peak_messages": 1e309}),
    json.dumps({"recipients": "many", "segments_per_message": [], "total_mps": None, "body": 42}),
]
MALFORMED_FORMS = [
    {},
    {"name": "x" * 5000, "email": "not-an-email", "role": "emperor", "state": "??", "sender": "abc", "to": "\x00"},
    {"countries": "ZZ, , 12", "daily_volume": "-5", "go_live": "yesterday", "use_case": "spam", "step": "9"},
]


API = named("api")
UI = named("ui")


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "entry"), API, ids=[name for name, _ in API])
def test_api_endpoints_answer_malformed_bodies_with_a_problem(client_a, tenant_a, fake_gateway, name, entry):
    _, key = api_key_create(tenant=tenant_a, name="fuzz", scopes=["admin"])
    url = sample_url("api", entry)
    view_class = entry.callback.view_class
    for method in ("post", "put", "patch", "delete"):
        if not hasattr(view_class, method):
            continue
        for body in MALFORMED_JSON:
            response = getattr(client_a, method)(
                url, body, content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {key}"
            )
            assert response.status_code < 500, (method, body, response.status_code)
            if response.status_code >= 400:
                assert response["Content-Type"] == "application/problem+json", (method, body)


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "entry"), UI, ids=[name for name, _ in UI])
def test_ui_pages_answer_malformed_forms_without_a_server_error(client_a, acme_member, fake_gateway, name, entry):
    client_a.force_login(acme_member("owner"))
    url = sample_url("ui", entry)
    for data in MALFORMED_FORMS:
        for response in (client_a.get(url, data), client_a.post(url, data)):
            assert response.status_code < 500, (data, response.status_code)


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/api/platform/tenants", "/api/platform/tenants/acme/suspend"])
def test_the_platform_api_answers_malformed_bodies_with_a_problem(public_client, tenant_a, fake_gateway, capsys, path):
    from django.core.management import call_command

    call_command("create_platform_key", "--name", "fuzz")
    key = capsys.readouterr().out.strip()
    for body in MALFORMED_JSON:
        response = public_client.post(path, body, content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {key}")
        assert response.status_code < 500, (body, response.status_code)
        if response.status_code >= 400:
            assert response["Content-Type"] == "application/problem+json", body
