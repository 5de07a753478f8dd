"""End to end: a status callback from Twilio, a failure in the engine and an inbound message each reach a tenant's
endpoint as a signed event, once, with the message in it; a callback that changes nothing publishes nothing."""

from __future__ import annotations

import json
import time

import pytest
from django.test import Client

from messaging.dispatch import sending
from messaging.domain.webhooks.signing import verify
from messaging.models import Message, WebhookDelivery
from messaging.services.messages import message_send
from tenants.selectors import subaccount_auth
from tests.factories import SenderFactory, WebhookEndpointFactory, in_tenant

pytestmark = pytest.mark.django_db


@pytest.fixture
def endpoint(tenant_a, callback_receiver):
    return WebhookEndpointFactory(
        tenant=tenant_a,
        url=callback_receiver.url("/hook"),
        event_types=["message.delivered", "message.failed", "message.inbound"],
    )


@pytest.fixture
def sender(tenant_a, dispatch_index):
    sending.forget_tenant(tenant_a.schema_name)
    return SenderFactory(tenant=tenant_a, address="+14165550100")


def _accepted(tenant, sender) -> Message:
    with in_tenant(tenant):
        message = message_send(tenant=tenant, to="+14165550199", body="Your table is ready", sender=sender)
        assert sending.process(tenant.schema_name, message.pk) == "accepted"
        message.refresh_from_db()
    return message


def _post_signed(tenant, path: str, params: dict[str, str]):
    from messaging.gateways import get_gateway

    account_sid, token = subaccount_auth(tenant)
    params = {"AccountSid": account_sid, "ApiVersion": "2010-04-01", **params}
    signature = get_gateway().sign(token, f"http://localhost{path}", params)
    return Client(HTTP_HOST="localhost").post(path, params, HTTP_X_TWILIO_SIGNATURE=signature)


def _status_callback(tenant, message: Message, status: str):
    params = {"MessageSid": message.twilio_sid, "MessageStatus": status, "From": "+14165550100", "To": message.to}
    return _post_signed(tenant, f"/webhooks/twilio/status/{message.uuid}", params)


def _event(request, secret: str) -> dict:
    assert verify(
        header=request.headers["Switchboard-Signature"], body=request.body, secret=secret, now=int(time.time())
    )
    return json.loads(request.body)


def test_a_delivered_callback_reaches_the_endpoint_signed_once(
    tenant_a, sender, endpoint, callback_receiver, django_capture_on_commit_callbacks
):
    # given a message Twilio accepted
    message = _accepted(tenant_a, sender)
    # when Twilio says it was sent (not subscribed), delivered, then delivered again
    with django_capture_on_commit_callbacks(execute=True):
        assert _status_callback(tenant_a, message, "sent").status_code == 204
        assert _status_callback(tenant_a, message, "delivered").status_code == 204
        assert _status_callback(tenant_a, message, "delivered").status_code == 204
    # then the endpoint got one signed message.delivered with the message in it
    (request,) = callback_receiver.requests("/hook")
    event = _event(request, endpoint.secret)
    with in_tenant(tenant_a):
        message.refresh_from_db()
        delivery = WebhookDelivery.objects.get()
    assert (event["type"], request.headers["Switchboard-Event-Type"]) == ("message.delivered", "message.delivered")
    assert event["id"] == request.headers["Switchboard-Event-Id"] == str(delivery.event_id)
    data = event["data"]
    assert {key: data[key] for key in ("id", "direction", "status", "to", "from", "sender_id", "twilio_sid")} == {
        "id": str(message.uuid),
        "direction": "outbound",
        "status": "delivered",
        "to": "+14165550199",
        "from": "+14165550100",
        "sender_id": sender.pk,
        "twilio_sid": message.twilio_sid,
    }
    assert data["delivered_at"] == message.delivered_at.isoformat().replace("+00:00", "Z")
    assert (delivery.status, delivery.attempts) == ("succeeded", 1)


def test_an_undelivered_callback_publishes_nothing_to_an_endpoint_that_did_not_subscribe(
    tenant_a, sender, endpoint, callback_receiver, django_capture_on_commit_callbacks
):
    message = _accepted(tenant_a, sender)
    with django_capture_on_commit_callbacks(execute=True):
        _status_callback(tenant_a, message, "undelivered")
    assert callback_receiver.requests() == []
    with in_tenant(tenant_a):
        assert WebhookDelivery.objects.count() == 0


def test_a_message_the_engine_fails_reaches_the_endpoint_as_message_failed(
    tenant_a, sender, endpoint, callback_receiver, fake_gateway, django_capture_on_commit_callbacks
):
    with in_tenant(tenant_a):
        message = message_send(tenant=tenant_a, to="+14165550199", body="Hi", sender=sender)
        fake_gateway.script_error("send", 21211, http_status=400)
        with django_capture_on_commit_callbacks(execute=True):
            assert sending.process(tenant_a.schema_name, message.pk) == "failed"
    (request,) = callback_receiver.requests("/hook")
    data = _event(request, endpoint.secret)["data"]
    assert (data["id"], data["status"], data["error_code"], data["failure_reason"]) == (
        str(message.uuid),
        "failed",
        21211,
        "invalid_number",
    )


def test_an_inbound_message_reaches_the_endpoint_once(
    tenant_a, sender, endpoint, callback_receiver, django_capture_on_commit_callbacks
):
    params = {"MessageSid": "SM" + "d" * 32, "From": "+14155550123", "To": "+14165550100", "Body": "Yes please",
              "NumMedia": "0", "SmsStatus": "received"}  # fmt: skip
    with django_capture_on_commit_callbacks(execute=True):
        assert _post_signed(tenant_a, "/webhooks/twilio/inbound", params).status_code == 200
        assert _post_signed(tenant_a, "/webhooks/twilio/inbound", params).status_code == 200  # Twilio retried
    (request,) = callback_receiver.requests("/hook")
    event = _event(request, endpoint.secret)
    assert event["type"] == "message.inbound"
    assert {key: event["data"][key] for key in ("direction", "status", "to", "from", "body", "twilio_sid")} == {
        "direction": "inbound",
        "status": "received",
        "to": "+14165550100",
        "from": "+14155550123",
        "body": "Yes please",
        "twilio_sid": "SM" + "d" * 32,
    }


def test_another_tenants_endpoint_hears_nothing_of_acmes_messages(
    tenant_a, tenant_b, sender, callback_receiver, django_capture_on_commit_callbacks
):
    WebhookEndpointFactory(tenant=tenant_b, url=callback_receiver.url("/globex"), event_types=["message.delivered"])
    message = _accepted(tenant_a, sender)
    with django_capture_on_commit_callbacks(execute=True):
        _status_callback(tenant_a, message, "delivered")
    assert callback_receiver.requests() == []
    with in_tenant(tenant_b):
        assert WebhookDelivery.objects.count() == 0
