"""The staff admin's read-only page of a tenant's webhook endpoints: that tenant's only, failing deliveries shown,
secrets never; staff only."""

from __future__ import annotations

import pytest
from django.utils import timezone

from messaging.models import WebhookDelivery
from tests.factories import WebhookEndpointFactory, in_tenant

pytestmark = pytest.mark.django_db

PAGE = "/admin/tenants/tenant/acme/webhooks/"


def test_staff_see_a_tenants_endpoints_and_their_failed_deliveries_without_secrets(staff_client, tenant_a, tenant_b):
    # given
    endpoint = WebhookEndpointFactory(tenant=tenant_a, url="http://127.0.0.1:9/acme")
    WebhookEndpointFactory(tenant=tenant_b, url="http://127.0.0.1:9/globex")
    with in_tenant(tenant_a):
        for status, error in (("given_up", "answered 500"), ("succeeded", "")):
            WebhookDelivery.objects.create(
                endpoint=endpoint, event_type="message.delivered", body="{}", occurred_at=timezone.now(),
                status=status, last_error=error, last_response_status=500 if error else 200,
            )  # fmt: skip
    # when
    page = staff_client.get(PAGE)
    # then
    assert page.status_code == 200
    ((shown, failures),) = page.context["endpoints"]
    assert (shown.url, [(d.status, d.last_error) for d in failures]) == (
        "http://127.0.0.1:9/acme",
        [("given_up", "answered 500")],
    )
    html = page.content.decode()
    assert "/globex" not in html
    assert endpoint.secret not in html
    assert "Webhook endpoints" in staff_client.get(f"/admin/tenants/tenant/{tenant_a.pk}/change/").content.decode()


def test_the_page_is_for_staff_only(public_client, acme_member, tenant_a):
    public_client.force_login(acme_member("owner"))
    response = public_client.get(PAGE)
    assert (response.status_code, response["Location"].startswith("/admin/login/")) == (302, True)
