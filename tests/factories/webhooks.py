"""Factories of outbound webhook rows: endpoints (made by the service, so each has a real encrypted secret)."""

from __future__ import annotations

import factory

from messaging.domain.webhooks.events import SUBSCRIBABLE
from messaging.models import WebhookEndpoint
from messaging.outbound_webhooks.endpoints import webhook_endpoint_create
from tests.factories.base import TenantModelFactory, in_tenant


class WebhookEndpointFactory(TenantModelFactory):
    """An endpoint subscribed to every event; its secret in clear is on `.secret` (the service shows it once).

    `WebhookEndpointFactory(tenant=tenant_a, url=callback_receiver.url("/hook"), event_types=["message.delivered"])`
    """

    class Meta:
        model = WebhookEndpoint

    url = factory.Sequence(lambda n: f"http://127.0.0.1:9/hook-{n}")
    event_types = factory.LazyFunction(lambda: [event.value for event in SUBSCRIBABLE])
    description = ""

    @classmethod
    def _create(cls, model_class, *args, tenant=None, **kwargs):
        if tenant is None:
            raise TypeError("WebhookEndpointFactory needs tenant=")
        with in_tenant(tenant):
            endpoint, secret = webhook_endpoint_create(tenant=tenant, **kwargs)
        endpoint.secret = secret
        return endpoint
