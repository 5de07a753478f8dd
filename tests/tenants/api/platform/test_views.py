"""The platform API on the public host: the ISV's automation onboards and runs tenants with a platform key."""

import pytest
from django.core.management import call_command
from django_tenants.utils import schema_exists

from tenants.models import AuditEvent, Domain, Tenant

pytestmark = pytest.mark.django_db


@pytest.fixture
def platform_key(capsys) -> str:
    call_command("create_platform_key", "--name", "provisioning bot")
    return capsys.readouterr().out.strip()


def auth(key: str) -> dict:
    return {"HTTP_AUTHORIZATION": f"Bearer {key}"}


def test_create_tenant(public_client, platform_key):
    # when
    response = public_client.post(
        "/api/platform/tenants",
        {"name": "Initech", "slug": "initech", "time_zone": "America/Chicago", "default_country": "US"},
        content_type="application/json",
        **auth(platform_key),
    )
    # then
    assert response.status_code == 201
    body = response.json()
    assert (body["slug"], body["name"], body["status"], body["host"]) == (
        "initech",
        "Initech",
        "active",
        "initech.localhost",
    )
    assert body["twilio_subaccount_sid"].startswith("AC")
    assert schema_exists("t_initech")
    (event,) = AuditEvent.objects.filter(action="tenant.created", target="initech")
    assert event.actor_label == f"platform-key:{platform_key.split('_')[1]}"


@pytest.mark.parametrize(
    ("payload", "status", "field", "message"),
    [
        ({"name": "X", "slug": "Bad Slug"}, 400, "slug", "slug must be 3 to 31 characters"),
        ({"name": "X", "slug": "public"}, 400, "slug", "slug 'public' is reserved"),
        ({"name": "X", "slug": "newco\n"}, 400, "slug", "slug must be 3 to 31 characters"),
        ({"name": "X", "slug": "new--co"}, 400, "slug", "slug must not contain two hyphens in a row"),
        ({"name": " ", "slug": "newco"}, 400, "name", "This field may not be blank."),
        ({"name": "X", "slug": "newco", "owner_email": "nobody"}, 400, "owner_email", "Enter a valid email address."),
        ({"name": "X", "slug": "acme"}, 409, "slug", "slug 'acme' is already taken"),
        ({"name": "X", "slug": "newco", "time_zone": "Mars/Olympus"}, 400, "time_zone", "time_zone 'Mars/Olympus'"),
        ({"name": "X", "slug": "newco", "default_country": "XX"}, 400, "default_country", "default_country 'XX'"),
        ({"slug": "newco"}, 400, "name", "This field is required."),
    ],
)
def test_create_rejects_bad_input_and_makes_nothing(public_client, platform_key, payload, status, field, message):
    before = (Tenant.objects.count(), Domain.objects.count())
    response = public_client.post(
        "/api/platform/tenants", payload, content_type="application/json", **auth(platform_key)
    )
    assert response.status_code == status
    assert response["Content-Type"] == "application/problem+json"
    errors = response.json()["errors"]
    assert [error["field"] for error in errors] == [field]
    assert errors[0]["message"].startswith(message)
    assert (Tenant.objects.count(), Domain.objects.count()) == before
    assert not schema_exists("t_newco")


@pytest.mark.parametrize("header", [None, "Bearer sb_12345678_wrong", "Bearer nonsense"])
def test_needs_a_platform_key(public_client, header):
    extra = {"HTTP_AUTHORIZATION": header} if header else {}
    response = public_client.get("/api/platform/tenants", **extra)
    assert response.status_code == 401
    assert response["Content-Type"] == "application/problem+json"


def test_tenant_api_key_is_not_a_platform_key(public_client, api_key_a):
    response = public_client.get("/api/platform/tenants", **auth(api_key_a))
    assert response.status_code == 401


def test_platform_api_is_not_served_on_tenant_hosts(client_a, platform_key):
    assert client_a.get("/api/platform/tenants", **auth(platform_key)).status_code == 404


def test_suspend_and_reactivate(public_client, platform_key, tenant_a):
    response = public_client.post(
        "/api/platform/tenants/acme/suspend",
        {"reason": "unpaid"},
        content_type="application/json",
        **auth(platform_key),
    )
    assert response.status_code == 200
    assert response.json()["status"] == "suspended"
    event = AuditEvent.objects.get(action="tenant.suspended", target="acme")
    assert event.details == {"from": "active", "to": "suspended", "reason": "unpaid"}
    assert event.actor_label == f"platform-key:{platform_key.split('_')[1]}"
    response = public_client.post(
        "/api/platform/tenants/acme/reactivate", {}, content_type="application/json", **auth(platform_key)
    )
    assert response.json()["status"] == "active"


def test_list_tenants(public_client, platform_key):
    response = public_client.get("/api/platform/tenants", **auth(platform_key))
    assert response.status_code == 200
    body = response.json()
    assert (body["next"], body["previous"]) == (None, None)
    assert [tenant["slug"] for tenant in body["results"]] == ["globex", "acme"]  # newest first
