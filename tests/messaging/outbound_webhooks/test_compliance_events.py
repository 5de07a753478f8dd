"""Opt-outs and opt-ins reach the tenant's endpoints as `contact.opted_out` and `contact.opted_in`, through the
compliance app's event port, in the transaction that records them."""

from __future__ import annotations

import json

import pytest

from compliance.services.register import opt_in_record, opt_out_record
from messaging.models import WebhookDelivery
from tests.factories import WebhookEndpointFactory, in_tenant

pytestmark = pytest.mark.django_db


def test_a_keyword_opt_out_and_its_lifting_are_published(tenant_a, tenant_b):
    # given
    endpoint = WebhookEndpointFactory(tenant=tenant_a, event_types=["contact.opted_out", "contact.opted_in"])
    WebhookEndpointFactory(tenant=tenant_b, event_types=["contact.opted_out"])
    # when
    with in_tenant(tenant_a):
        opt_out_record(tenant=tenant_a, number="+14165550123", source="keyword", actor_label="handset", keyword="STOP")
        opt_out_record(tenant=tenant_a, number="+14165550123", source="api", actor_label="k")  # nothing new
        opt_in_record(tenant=tenant_a, number="+14165550123", source="keyword", actor_label="handset",
                      evidence="replied START")  # fmt: skip
        # then one event each for what changed
        rows = list(WebhookDelivery.objects.order_by("id"))
    assert [(row.endpoint_id, row.event_type) for row in rows] == [
        (endpoint.pk, "contact.opted_out"), (endpoint.pk, "contact.opted_in")
    ]  # fmt: skip
    assert [json.loads(row.body)["data"] for row in rows] == [
        {"number": "+14165550123", "scopes": ["tenant"], "source": "keyword", "tenant": "acme"},
        {"number": "+14165550123", "scopes": ["tenant"], "source": "keyword", "tenant": "acme"},
    ]
    with in_tenant(tenant_b):
        assert WebhookDelivery.objects.count() == 0
