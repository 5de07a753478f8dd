"""The webhooks pages: an endpoint added with its secret shown once, refused URLs under their field, a test event
and its answer in the deliveries with every attempt, enable, disable, rotate, redeliver; another tenant's
endpoints are not found."""

from __future__ import annotations

import re

import pytest

from messaging.models import WebhookDelivery, WebhookEndpoint
from tests.factories import WebhookEndpointFactory, in_tenant

pytestmark = pytest.mark.django_db


@pytest.fixture
def owner_client(client_a, acme_member):
    client_a.force_login(acme_member("owner"))
    return client_a


def shown_secret(response) -> str | None:
    found = re.search(r'data-testid="webhook-secret">(whsec_[\w-]+)<', response.content.decode())
    return found.group(1) if found else None


def test_an_owner_adds_an_endpoint_and_sees_its_secret_once(owner_client, tenant_a, callback_receiver):
    url = callback_receiver.url("/hook")
    response = owner_client.post(
        "/webhooks/", {"url": url, "description": "CRM", "event_types": ["message.delivered", "message.inbound"]}
    )
    assert response.status_code == 200
    secret = shown_secret(response)
    with in_tenant(tenant_a):
        endpoint = WebhookEndpoint.objects.get()
    assert (endpoint.url, endpoint.description, endpoint.event_types) == (
        url,
        "CRM",
        ["message.delivered", "message.inbound"],
    )
    assert secret is not None and secret.startswith("whsec_")
    listing = owner_client.get("/webhooks/")
    assert url in listing.content.decode()
    assert shown_secret(listing) is None
    assert secret not in owner_client.get(f"/webhooks/{endpoint.pk}/").content.decode()


def test_a_url_to_a_private_address_is_refused_under_its_field(owner_client, tenant_a, settings):
    settings.WEBHOOKS_ALLOW_PRIVATE_URLS = False
    response = owner_client.post("/webhooks/", {"url": "https://10.0.0.1/h", "event_types": ["message.sent"]})
    assert response.status_code == 400
    assert response.context["form"].errors == {
        "url": ["10.0.0.1 is a private address; the URL must reach a public address."]
    }
    with in_tenant(tenant_a):
        assert WebhookEndpoint.objects.count() == 0


def test_a_form_without_events_is_refused(owner_client, tenant_a):
    response = owner_client.post("/webhooks/", {"url": "http://127.0.0.1:9/h"})
    assert response.status_code == 400
    assert response.context["form"].errors == {"event_types": ["This field is required."]}


def test_a_test_event_shows_in_the_deliveries_with_its_attempt_and_answer(
    owner_client, tenant_a, callback_receiver, django_capture_on_commit_callbacks
):
    endpoint = WebhookEndpointFactory(tenant=tenant_a, url=callback_receiver.url("/hook"))
    callback_receiver.respond("/hook", status=418, body="I'm a teapot")
    with django_capture_on_commit_callbacks(execute=True):  # the task runs once the request's transaction commits
        response = owner_client.post(f"/webhooks/{endpoint.pk}/test/")
    assert response["Location"] == f"/webhooks/{endpoint.pk}/"
    page = owner_client.get(response["Location"]).content.decode()
    assert "Test event sent; its answer appears in the deliveries below." in page
    with in_tenant(tenant_a):
        delivery = WebhookDelivery.objects.get()
    row = re.search(rf'data-testid="delivery-{delivery.pk}">(.*?)</tr>', page, re.S).group(1)
    assert "webhook.test" in row and "Given up" in row and "#1 <strong>418</strong>" in row
    detail = owner_client.get(f"/webhooks/{endpoint.pk}/deliveries/{delivery.pk}/").content.decode()
    assert "I&#x27;m a teapot" in detail
    assert delivery.body.replace('"', "&quot;") in detail


def test_disable_enable_and_rotate(owner_client, tenant_a):
    endpoint = WebhookEndpointFactory(tenant=tenant_a)
    owner_client.post(f"/webhooks/{endpoint.pk}/disable/")
    with in_tenant(tenant_a):
        endpoint.refresh_from_db()
    assert (endpoint.enabled, endpoint.disabled_reason) == (False, "disabled by owner@acme.test")
    owner_client.post(f"/webhooks/{endpoint.pk}/enable/")
    with in_tenant(tenant_a):
        endpoint.refresh_from_db()
    assert endpoint.enabled is True
    response = owner_client.post(f"/webhooks/{endpoint.pk}/rotate/", {"grace_hours": "0"})
    secret = shown_secret(response)
    assert secret is not None and secret != endpoint.secret
    with in_tenant(tenant_a):
        endpoint.refresh_from_db()
    assert endpoint.previous_secret_encrypted == ""


def test_settings_are_changed_on_the_endpoint_page(owner_client, tenant_a):
    endpoint = WebhookEndpointFactory(tenant=tenant_a, url="http://127.0.0.1:9/a", event_types=["message.sent"])
    response = owner_client.post(
        f"/webhooks/{endpoint.pk}/", {"url": "http://127.0.0.1:9/b", "event_types": ["message.read"]}
    )
    assert (response.status_code, response["Location"]) == (302, f"/webhooks/{endpoint.pk}/")
    with in_tenant(tenant_a):
        endpoint.refresh_from_db()
    assert (endpoint.url, endpoint.event_types) == ("http://127.0.0.1:9/b", ["message.read"])


def test_a_given_up_delivery_is_sent_again_from_its_page(
    owner_client, tenant_a, callback_receiver, django_capture_on_commit_callbacks
):
    endpoint = WebhookEndpointFactory(tenant=tenant_a, url=callback_receiver.url("/hook"))
    with django_capture_on_commit_callbacks(execute=True):
        owner_client.post(f"/webhooks/{endpoint.pk}/test/")
    with in_tenant(tenant_a):
        first = WebhookDelivery.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        response = owner_client.post(f"/webhooks/{endpoint.pk}/deliveries/{first.pk}/redeliver/")
    with in_tenant(tenant_a):
        again = WebhookDelivery.objects.exclude(pk=first.pk).get()
    assert response["Location"] == f"/webhooks/{endpoint.pk}/deliveries/{again.pk}/"
    assert (again.event_id, again.status) == (first.event_id, "succeeded")
    assert len(callback_receiver.requests("/hook")) == 2


def test_the_endpoint_is_deleted_with_its_deliveries(owner_client, tenant_a, django_capture_on_commit_callbacks):
    endpoint = WebhookEndpointFactory(tenant=tenant_a)
    with django_capture_on_commit_callbacks(execute=False):
        owner_client.post(f"/webhooks/{endpoint.pk}/test/")
    response = owner_client.post(f"/webhooks/{endpoint.pk}/delete/")
    assert response["Location"] == "/webhooks/"
    with in_tenant(tenant_a):
        assert (WebhookEndpoint.objects.count(), WebhookDelivery.objects.count()) == (0, 0)


def test_another_tenants_endpoint_is_not_found(client_b, globex_member, tenant_a):
    endpoint = WebhookEndpointFactory(tenant=tenant_a)
    client_b.force_login(globex_member("owner"))
    assert client_b.get(f"/webhooks/{endpoint.pk}/").status_code == 404
    assert client_b.post(f"/webhooks/{endpoint.pk}/disable/").status_code == 404
    assert endpoint.url not in client_b.get("/webhooks/").content.decode()
    with in_tenant(tenant_a):
        assert WebhookEndpoint.objects.get().enabled is True


def test_operators_and_analysts_have_no_webhooks_link(client_a, acme_member):
    client_a.force_login(acme_member("operator"))
    assert 'data-testid="nav-webhooks"' not in client_a.get("/").content.decode()
    client_a.force_login(acme_member("admin"))
    assert 'data-testid="nav-webhooks"' in client_a.get("/").content.decode()
