"""Inbound messages: stored once with their sender and contact; the fallback URL keeps the signed form and a task
replays it through the main path."""

from __future__ import annotations

import pytest
from django.test import Client

from messaging.models import Contact, Message, WebhookReplay
from messaging.services.replays import webhook_replay_run
from tenants.selectors import subaccount_auth
from tests.factories import SenderFactory, in_tenant

pytestmark = pytest.mark.django_db

SID = "SM" + "c" * 32


def post(path: str, tenant, *, signature: str | None = None, **changes):
    from messaging.gateways import get_gateway

    account_sid, token = subaccount_auth(tenant)
    params = {
        "MessageSid": SID,
        "SmsMessageSid": SID,
        "AccountSid": account_sid,
        "From": "+14155550123",
        "To": "+14165550100",
        "Body": "Is my table ready?",
        "NumMedia": "1",
        "MediaUrl0": "https://api.twilio.com/media/ME1",
        "MediaContentType0": "image/jpeg",
        "SmsStatus": "received",
        "ApiVersion": "2010-04-01",
        **changes,
    }
    signed = signature if signature is not None else get_gateway().sign(token, f"http://localhost{path}", params)
    return Client(HTTP_HOST="localhost").post(path, params, HTTP_X_TWILIO_SIGNATURE=signed)


def test_an_inbound_message_is_stored_with_its_sender_and_a_new_contact(tenant_a, fake_gateway):
    sender = SenderFactory(tenant=tenant_a, address="+14165550100")
    response = post("/webhooks/twilio/inbound", tenant_a)
    assert (response.status_code, response["Content-Type"]) == (200, "text/xml")
    assert response.content == b'<?xml version="1.0" encoding="UTF-8"?><Response></Response>'
    with in_tenant(tenant_a):
        message = Message.objects.get()
        contact = Contact.objects.get()
        events = list(message.events.values_list("kind", "status"))
    assert (message.direction, message.status, message.to, message.from_address, message.sender_id) == (
        "inbound",
        "received",
        "+14165550100",
        "+14155550123",
        sender.pk,
    )
    assert (message.body, message.media_urls, message.twilio_sid, message.contact_id) == (
        "Is my table ready?",
        ["https://api.twilio.com/media/ME1"],
        SID,
        contact.pk,
    )
    assert (contact.phone_number, contact.country) == ("+14155550123", "US")
    assert events == [("received", "received")]


def test_the_same_message_twice_is_stored_once(tenant_a, fake_gateway):
    SenderFactory(tenant=tenant_a, address="+14165550100")
    post("/webhooks/twilio/inbound", tenant_a)
    post("/webhooks/twilio/inbound", tenant_a)
    with in_tenant(tenant_a):
        assert Message.objects.count() == 1


def test_a_forged_inbound_webhook_stores_nothing(tenant_a, fake_gateway):
    response = post("/webhooks/twilio/inbound", tenant_a, signature="Zm9yZ2Vk")
    assert response.status_code == 403
    with in_tenant(tenant_a):
        assert (Message.objects.count(), Contact.objects.count()) == (0, 0)


def test_an_inbound_webhook_without_a_sid_is_a_bad_request(tenant_a, fake_gateway):
    response = post("/webhooks/twilio/inbound", tenant_a, MessageSid="", SmsMessageSid="")
    assert (response.status_code, response.json()["detail"]) == (400, "MessageSid is missing")


def test_the_fallback_keeps_the_form_and_a_replay_stores_the_message_once(
    tenant_a, fake_gateway, django_capture_on_commit_callbacks
):
    SenderFactory(tenant=tenant_a, address="+14165550100")
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = post("/webhooks/twilio/inbound/fallback", tenant_a)
    assert response.status_code == 200
    with in_tenant(tenant_a):
        replay = WebhookReplay.objects.get()
        assert (replay.params["MessageSid"], replay.processed_at, Message.objects.count()) == (SID, None, 0)
    assert len(callbacks) == 1  # the replay task, sent once the form is committed
    with in_tenant(tenant_a):
        assert webhook_replay_run(replay_id=replay.pk, tenant=tenant_a) is True
        assert webhook_replay_run(replay_id=replay.pk, tenant=tenant_a) is True
        replay.refresh_from_db()
        message = Message.objects.get()
    assert (replay.message_id, replay.attempts, message.twilio_sid) == (message.pk, 1, SID)
