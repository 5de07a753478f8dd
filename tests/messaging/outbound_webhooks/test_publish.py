"""Publishing: one delivery per enabled endpoint subscribed to the event, written in the caller's transaction and
sent once it commits; a tenant without endpoints pays a cache read and nothing else; tenants never see each
other's events."""

from __future__ import annotations

import json

import pytest
from django.db import transaction

from messaging.models import WebhookDelivery
from messaging.outbound_webhooks.endpoints import webhook_endpoint_disable, webhook_endpoint_update
from messaging.outbound_webhooks.publish import webhook_event_publish
from tests.factories import WebhookEndpointFactory, in_tenant
from tests.messaging.outbound_webhooks.conftest import OCCURRED

pytestmark = pytest.mark.django_db


def deliveries(tenant) -> list[tuple[int, str]]:
    with in_tenant(tenant):
        return list(WebhookDelivery.objects.order_by("endpoint_id").values_list("endpoint_id", "event_type"))


def test_an_event_is_recorded_for_each_subscribed_enabled_endpoint_and_sent_on_commit(
    tenant_a, django_capture_on_commit_callbacks
):
    # given
    wants = WebhookEndpointFactory(tenant=tenant_a, event_types=["message.delivered", "message.failed"])
    also = WebhookEndpointFactory(tenant=tenant_a, event_types=["message.delivered"])
    WebhookEndpointFactory(tenant=tenant_a, event_types=["message.failed"])  # another event
    off = WebhookEndpointFactory(tenant=tenant_a, event_types=["message.delivered"])
    with in_tenant(tenant_a):
        webhook_endpoint_disable(tenant=tenant_a, endpoint=off, reason="test")
    # when
    with in_tenant(tenant_a), django_capture_on_commit_callbacks(execute=False) as wake_ups:
        ids = webhook_event_publish(event_type="message.delivered", payload={"id": "m-1"}, occurred_at=OCCURRED)
    # then
    assert deliveries(tenant_a) == [(wants.pk, "message.delivered"), (also.pk, "message.delivered")]
    assert len(ids) == len(wake_ups) == 2
    with in_tenant(tenant_a):
        first, second = WebhookDelivery.objects.filter(pk__in=ids).order_by("pk")
    assert first.event_id == second.event_id
    assert first.body == second.body
    assert json.loads(first.body) == {
        "id": str(first.event_id),
        "type": "message.delivered",
        "occurred_at": "2026-12-01T12:05:00Z",
        "data": {"id": "m-1"},
    }
    assert (first.status, first.attempts, first.occurred_at) == ("pending", 0, OCCURRED)


def test_nothing_is_recorded_when_the_callers_transaction_rolls_back(tenant_a, django_capture_on_commit_callbacks):
    WebhookEndpointFactory(tenant=tenant_a, event_types=["message.delivered"])
    with (
        in_tenant(tenant_a),
        django_capture_on_commit_callbacks(execute=False) as wake_ups,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        webhook_event_publish(event_type="message.delivered", payload={}, occurred_at=OCCURRED)
        raise RuntimeError("the caller failed")
    assert deliveries(tenant_a) == []
    assert wake_ups == []


def test_a_tenant_without_endpoints_pays_one_cache_read_per_event(tenant_a, django_assert_num_queries):
    with in_tenant(tenant_a):
        # the first event reads the subscriptions from the database, then they are cached
        assert webhook_event_publish(event_type="message.sent", payload={}, occurred_at=OCCURRED) == []
        with django_assert_num_queries(0):
            for _ in range(3):
                assert webhook_event_publish(event_type="message.sent", payload={}, occurred_at=OCCURRED) == []


def test_an_unsubscribed_event_costs_no_query_either(tenant_a, django_assert_num_queries):
    WebhookEndpointFactory(tenant=tenant_a, event_types=["message.inbound"])
    with in_tenant(tenant_a):
        webhook_event_publish(event_type="message.sent", payload={}, occurred_at=OCCURRED)
        with django_assert_num_queries(0):
            assert webhook_event_publish(event_type="message.sent", payload={}, occurred_at=OCCURRED) == []


def test_a_change_of_subscriptions_takes_effect_at_once(tenant_a, django_capture_on_commit_callbacks):
    # given the cache knows acme subscribes to nothing
    with in_tenant(tenant_a):
        assert webhook_event_publish(event_type="message.sent", payload={}, occurred_at=OCCURRED) == []
    # when an endpoint subscribes, the next event reaches it
    endpoint = WebhookEndpointFactory(tenant=tenant_a, event_types=["message.sent"])
    with in_tenant(tenant_a), django_capture_on_commit_callbacks(execute=False):
        assert len(webhook_event_publish(event_type="message.sent", payload={}, occurred_at=OCCURRED)) == 1
        # and once it unsubscribes, the next one does not
        webhook_endpoint_update(tenant=tenant_a, endpoint=endpoint, event_types=["message.failed"])
        assert webhook_event_publish(event_type="message.sent", payload={}, occurred_at=OCCURRED) == []


def test_another_tenants_endpoints_never_get_the_event(tenant_a, tenant_b, django_capture_on_commit_callbacks):
    WebhookEndpointFactory(tenant=tenant_b, event_types=["message.delivered"])
    with in_tenant(tenant_a), django_capture_on_commit_callbacks(execute=False):
        assert webhook_event_publish(event_type="message.delivered", payload={}, occurred_at=OCCURRED) == []
    assert (deliveries(tenant_a), deliveries(tenant_b)) == ([], [])


def test_an_unknown_event_type_is_a_programming_error(tenant_a):
    with in_tenant(tenant_a), pytest.raises(ValueError, match=r"'message\.exploded' is not a valid WebhookEventType"):
        webhook_event_publish(event_type="message.exploded", payload={}, occurred_at=OCCURRED)
