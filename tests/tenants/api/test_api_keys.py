"""API keys: scopes, shown once, stored hashed, last use, expiry and revocation, through the API and the UI."""

from datetime import timedelta

import pytest
from django.utils import timezone

from tenants import keys
from tenants.models import ApiKey, AuditEvent
from tenants.services.api_keys import api_key_create

pytestmark = pytest.mark.django_db


def auth(plaintext: str) -> dict:
    return {"HTTP_AUTHORIZATION": f"Bearer {plaintext}"}


def test_key_is_stored_as_hash_only(tenant_a):
    api_key, plaintext = api_key_create(tenant=tenant_a, name="ci")
    stored = ApiKey.objects.get(pk=api_key.pk)
    assert stored.key_hash == keys.hash_key(plaintext)
    assert plaintext not in {stored.key_hash, stored.prefix, stored.name}
    assert plaintext.startswith(f"sb_{stored.prefix}_")


def test_create_through_api_shows_key_once(client_a, api_key_a):
    # when
    response = client_a.post(
        "/api/v1/api-keys",
        {"name": "billing", "scopes": ["messages:read"]},
        content_type="application/json",
        **auth(api_key_a),
    )
    # then
    assert response.status_code == 201
    body = response.json()
    assert body["name"] == "billing"
    assert body["scopes"] == ["messages:read"]
    assert body["key"].startswith(f"sb_{body['prefix']}_")
    listing = client_a.get("/api/v1/api-keys", **auth(api_key_a)).json()["results"]
    assert {item["name"] for item in listing} == {"tests", "billing"}
    assert all("key" not in item for item in listing)
    event = AuditEvent.objects.get(action="api_key.created", target=f"billing ({body['prefix']})")
    assert event.actor_label == f"api-key:{api_key_a[3:11]}"


@pytest.mark.parametrize(
    ("payload", "field", "message"),
    [
        ({"scopes": ["admin"]}, "name", "This field is required."),
        ({"name": "x", "scopes": []}, "scopes", "This list may not be empty."),
        ({"name": "x", "scopes": ["root"]}, "scopes.0", '"root" is not a valid choice.'),
    ],
)
def test_create_rejects_bad_input_naming_the_field(client_a, api_key_a, payload, field, message):
    before = ApiKey.objects.count()
    response = client_a.post("/api/v1/api-keys", payload, content_type="application/json", **auth(api_key_a))
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    assert {"field": field, "message": message} in response.json()["errors"]
    assert ApiKey.objects.count() == before


def test_key_without_admin_scope_cannot_manage_keys(client_a, tenant_a):
    _, reader = api_key_create(tenant=tenant_a, name="reader", scopes=["messages:read"])
    response = client_a.get("/api/v1/api-keys", **auth(reader))
    assert response.status_code == 403
    assert response.json()["detail"] == "This API key lacks a scope this endpoint needs."


def test_revoked_key_stops_working_at_once(client_a, tenant_a, api_key_a):
    victim, plaintext = api_key_create(tenant=tenant_a, name="leaked")
    assert client_a.get("/api/v1/tenant", **auth(plaintext)).status_code == 200
    # when
    response = client_a.delete(f"/api/v1/api-keys/{victim.prefix}", **auth(api_key_a))
    # then
    assert response.status_code == 204
    assert client_a.get("/api/v1/tenant", **auth(plaintext)).status_code == 401
    assert AuditEvent.objects.filter(action="api_key.revoked", target=f"leaked ({victim.prefix})").count() == 1


def test_cannot_revoke_another_tenants_key(client_a, api_key_a, tenant_b):
    other, _ = api_key_create(tenant=tenant_b, name="globex")
    response = client_a.delete(f"/api/v1/api-keys/{other.prefix}", **auth(api_key_a))
    assert response.status_code == 404
    other.refresh_from_db()
    assert other.revoked_at is None


def test_expired_key_is_refused(client_a, tenant_a):
    api_key, plaintext = api_key_create(tenant=tenant_a, name="short", expires_at=timezone.now() + timedelta(hours=1))
    ApiKey.objects.filter(pk=api_key.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    assert client_a.get("/api/v1/tenant", **auth(plaintext)).status_code == 401


def test_use_records_last_used_time(client_a, tenant_a):
    api_key, plaintext = api_key_create(tenant=tenant_a, name="tracked")
    assert api_key.last_used_at is None
    before = timezone.now()
    client_a.get("/api/v1/tenant", **auth(plaintext))
    api_key.refresh_from_db()
    assert before <= api_key.last_used_at <= timezone.now()


def test_ui_creates_and_revokes_a_key(client_a, acme_member):
    # given an owner signed in on acme
    client_a.force_login(acme_member("owner"))
    # when
    response = client_a.post("/api-keys/", {"name": "zapier", "scopes": ["messages:send", "messages:read"]})
    # then
    assert response.status_code == 200
    created = ApiKey.objects.get(name="zapier")
    assert f'data-testid="new-api-key">sb_{created.prefix}_'.encode() in response.content
    assert created.scopes == ["messages:send", "messages:read"]
    # and revoking it from the list
    before = timezone.now()
    response = client_a.post(f"/api-keys/{created.pk}/revoke/")
    assert response.status_code == 302
    created.refresh_from_db()
    assert before <= created.revoked_at <= timezone.now()
