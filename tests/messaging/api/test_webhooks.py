"""Webhook endpoints on the API: created with the secret in that answer only, refused naming the field, changed,
disabled and enabled, rotated, tested; deliveries listed and read with their attempts, sent again; another
tenant's key finds none of it."""

from __future__ import annotations

import pytest

from messaging.models import WebhookDelivery, WebhookEndpoint
from tenants.models import AuditEvent
from tests.factories import WebhookEndpointFactory, in_tenant
from tests.messaging.api.helpers import call

pytestmark = pytest.mark.django_db

ENDPOINTS = "/api/v1/webhook-endpoints"
PUBLIC = "; the URL must reach a public address."


def test_an_endpoint_is_created_with_its_secret_shown_in_that_answer_only(
    client_a, client_b, api_key_a, api_key_b, tenant_a
):
    # when
    response = call(
        client_a,
        api_key_a,
        "post",
        ENDPOINTS,
        {"url": "http://127.0.0.1:9/hook", "event_types": ["message.delivered", "message.inbound"]},
    )
    # then
    assert response.status_code == 201
    body = response.json()
    secret = body.pop("secret")
    assert secret.startswith("whsec_")
    with in_tenant(tenant_a):
        endpoint = WebhookEndpoint.objects.get()
    expected = {
        "id": endpoint.pk,
        "url": "http://127.0.0.1:9/hook",
        "description": "",
        "event_types": ["message.delivered", "message.inbound"],
        "enabled": True,
        "disabled_reason": "",
        "disabled_at": None,
        "consecutive_failures": 0,
        "failing_since": None,
        "last_success_at": None,
        "previous_secret_expires_at": None,
    }
    assert {key: body[key] for key in expected} == expected
    # read back: never the secret
    assert "secret" not in call(client_a, api_key_a, "get", f"{ENDPOINTS}/{endpoint.pk}").json()
    assert [item["id"] for item in call(client_a, api_key_a, "get", ENDPOINTS).json()["results"]] == [endpoint.pk]
    assert secret not in call(client_a, api_key_a, "get", ENDPOINTS).content.decode()
    audit = AuditEvent.objects.get(action="webhook_endpoint.created")
    assert (audit.tenant, audit.actor_label) == (tenant_a, f"api-key:{api_key_a.split('_')[1]}")
    # and the other tenant sees nothing
    assert call(client_b, api_key_b, "get", ENDPOINTS).json()["results"] == []
    assert call(client_b, api_key_b, "get", f"{ENDPOINTS}/{endpoint.pk}").status_code == 404


@pytest.mark.parametrize(
    ("payload", "field", "message"),
    [
        ({"url": "http://hooks.example.com/h"}, "url", "The URL must start with https://."),
        ({"url": "https://192.168.1.20/h"}, "url", "192.168.1.20 is a private address" + PUBLIC),
        ({"url": "https://[::1]/h"}, "url", "::1 is a loopback address; the URL must reach a public address."),
        ({"url": "https://localhost:8443/h"}, "url", "localhost is this machine; the URL must reach a public address."),
        ({"event_types": []}, "event_types", "choose at least one event type"),
        ({"event_types": ["message.exploded"]}, "event_types.0", '"message.exploded" is not a valid choice.'),
    ],
)  # fmt: skip
def test_a_bad_endpoint_is_refused_naming_the_field_and_nothing_is_stored(
    client_a, api_key_a, tenant_a, settings, payload, field, message
):
    settings.WEBHOOKS_ALLOW_PRIVATE_URLS = False
    response = call(
        client_a,
        api_key_a,
        "post",
        ENDPOINTS,
        {"url": "https://93.184.216.34/h", "event_types": ["message.sent"]} | payload,
    )
    # Where a URL leads only the server can judge (422); the rest the document states (400).
    status = 422 if field == "url" else 400
    assert (response.status_code, response["Content-Type"]) == (status, "application/problem+json")
    assert response.json()["errors"] == [{"field": field, "message": message}]
    with in_tenant(tenant_a):
        assert WebhookEndpoint.objects.count() == 0


def test_an_endpoint_is_changed_disabled_and_enabled(client_a, client_b, api_key_a, api_key_b, tenant_a):
    endpoint = WebhookEndpointFactory(tenant=tenant_a, event_types=["message.sent"])
    url = f"{ENDPOINTS}/{endpoint.pk}"
    assert call(client_b, api_key_b, "patch", url, {"enabled": False}).status_code == 404
    changed = call(client_a, api_key_a, "patch", url, {"event_types": ["message.read"], "enabled": False}).json()
    assert (changed["event_types"], changed["enabled"]) == (["message.read"], False)
    assert changed["disabled_reason"] == f"disabled through the API by api-key:{api_key_a.split('_')[1]}"
    enabled = call(client_a, api_key_a, "patch", url, {"enabled": True}).json()
    assert (enabled["enabled"], enabled["disabled_reason"], enabled["disabled_at"]) == (True, "", None)


def test_an_endpoint_is_deleted_with_its_deliveries(client_a, client_b, api_key_a, api_key_b, tenant_a):
    endpoint = WebhookEndpointFactory(tenant=tenant_a)
    url = f"{ENDPOINTS}/{endpoint.pk}"
    assert call(client_b, api_key_b, "delete", url).status_code == 404
    assert call(client_a, api_key_a, "delete", url).status_code == 204
    with in_tenant(tenant_a):
        assert WebhookEndpoint.objects.count() == 0


def test_a_rotated_secret_is_in_that_answer_and_the_old_one_signs_for_the_grace_period(
    client_a, client_b, api_key_a, api_key_b, tenant_a
):
    endpoint = WebhookEndpointFactory(tenant=tenant_a)
    url = f"{ENDPOINTS}/{endpoint.pk}/rotate-secret"
    assert call(client_b, api_key_b, "post", url).status_code == 404
    body = call(client_a, api_key_a, "post", url, {"grace_hours": 2}).json()
    assert body["secret"].startswith("whsec_") and body["secret"] != endpoint.secret
    assert body["previous_secret_expires_at"] is not None
    refused = call(client_a, api_key_a, "post", url, {"grace_hours": 100})
    assert refused.json()["errors"] == [
        {"field": "grace_hours", "message": "Ensure this value is less than or equal to 72."}
    ]


def test_a_test_event_is_delivered_and_its_attempt_read_back(
    client_a, client_b, api_key_a, api_key_b, tenant_a, callback_receiver, django_capture_on_commit_callbacks
):
    # given
    endpoint = WebhookEndpointFactory(tenant=tenant_a, url=callback_receiver.url("/hook"))
    callback_receiver.respond("/hook", status=202, body="thanks")
    # when
    with django_capture_on_commit_callbacks(execute=True):
        response = call(client_a, api_key_a, "post", f"{ENDPOINTS}/{endpoint.pk}/test")
    # then
    assert (response.status_code, response.json()["event_type"], response.json()["status"]) == (
        202,
        "webhook.test",
        "pending",
    )
    delivery_id = response.json()["id"]
    listed = call(client_a, api_key_a, "get", f"{ENDPOINTS}/{endpoint.pk}/deliveries").json()
    assert [(item["id"], item["status"], item["last_response_status"]) for item in listed["results"]] == [
        (delivery_id, "succeeded", 202)
    ]
    detail = call(client_a, api_key_a, "get", f"{ENDPOINTS}/{endpoint.pk}/deliveries/{delivery_id}").json()
    assert detail["payload"] == {
        "id": detail["event_id"],
        "type": "webhook.test",
        "occurred_at": detail["payload"]["occurred_at"],
        "data": {"endpoint_id": endpoint.pk, "message": "A test event from Switchboard."},
    }
    (logged,) = detail["attempt_log"]
    assert (logged["number"], logged["response_status"], logged["response_body"], logged["succeeded"]) == (
        1,
        202,
        "thanks",
        True,
    )
    # the other tenant: not found, and nothing was sent for it
    assert call(client_b, api_key_b, "post", f"{ENDPOINTS}/{endpoint.pk}/test").status_code == 404
    assert call(client_b, api_key_b, "get", f"{ENDPOINTS}/{endpoint.pk}/deliveries").status_code == 404
    assert call(client_b, api_key_b, "get", f"{ENDPOINTS}/{endpoint.pk}/deliveries/{delivery_id}").status_code == 404
    assert len(callback_receiver.requests("/hook")) == 1


def test_deliveries_are_filtered_by_status(client_a, api_key_a, tenant_a, django_capture_on_commit_callbacks):
    endpoint = WebhookEndpointFactory(tenant=tenant_a)
    with django_capture_on_commit_callbacks(execute=False):
        for _ in range(3):
            call(client_a, api_key_a, "post", f"{ENDPOINTS}/{endpoint.pk}/test")
    with in_tenant(tenant_a):
        newest = WebhookDelivery.objects.order_by("-id").first()
        WebhookDelivery.objects.filter(pk=newest.pk).update(status="given_up", next_attempt_at=None)
    url = f"{ENDPOINTS}/{endpoint.pk}/deliveries"
    assert [item["id"] for item in call(client_a, api_key_a, "get", f"{url}?status=given_up").json()["results"]] == [
        newest.pk
    ]
    assert len(call(client_a, api_key_a, "get", f"{url}?status=pending").json()["results"]) == 2


def test_a_delivery_is_sent_again(
    client_a, client_b, api_key_a, api_key_b, tenant_a, callback_receiver, django_capture_on_commit_callbacks
):
    endpoint = WebhookEndpointFactory(tenant=tenant_a, url=callback_receiver.url("/hook"))
    with django_capture_on_commit_callbacks(execute=True):
        first = call(client_a, api_key_a, "post", f"{ENDPOINTS}/{endpoint.pk}/test").json()
    url = f"{ENDPOINTS}/{endpoint.pk}/deliveries/{first['id']}/redeliver"
    assert call(client_b, api_key_b, "post", url).status_code == 404
    with django_capture_on_commit_callbacks(execute=True):
        again = call(client_a, api_key_a, "post", url)
    assert again.status_code == 202
    assert (again.json()["event_id"], again.json()["redelivery_of"]) == (first["event_id"], first["id"])
    assert len(callback_receiver.requests("/hook")) == 2


def test_a_delivery_in_flight_is_not_sent_again(client_a, api_key_a, tenant_a, django_capture_on_commit_callbacks):
    endpoint = WebhookEndpointFactory(tenant=tenant_a)
    with django_capture_on_commit_callbacks(execute=False):
        pending = call(client_a, api_key_a, "post", f"{ENDPOINTS}/{endpoint.pk}/test").json()
    response = call(client_a, api_key_a, "post", f"{ENDPOINTS}/{endpoint.pk}/deliveries/{pending['id']}/redeliver")
    assert (response.status_code, response.json()["code"]) == (409, "webhook_delivery_in_progress")
