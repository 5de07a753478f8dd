"""Handsets writing to senders: inbound webhooks, STOP/START/HELP like Twilio, auto-replies and TwiML replies."""

from __future__ import annotations

import pytest
import requests
from twilio.base.exceptions import TwilioRestException
from twilio.request_validator import RequestValidator

from tests.fixtures.sandbox import wait_for

HANDSET = "+14155551234"


def _send_error(client, **params) -> tuple[int, int]:
    with pytest.raises(TwilioRestException) as raised:
        client.messages.create(to=HANDSET, body="Hi", **params)
    return raised.value.status, raised.value.code


def test_inbound_message_posts_a_signed_webhook_to_the_number(sandbox, sandbox_tenant, callback_receiver):
    # given
    sandbox.update_sender(sandbox_tenant.sender, sms_url=callback_receiver.url("/inbound?tenant=acme"))

    # when
    inbound = sandbox.post_inbound(HANDSET, sandbox_tenant.sender, "Is my order ready?")

    # then
    [webhook] = callback_receiver.wait_for(1, path="/inbound")
    form = webhook.form
    assert {name: form[name] for name in _INBOUND_FIELDS} == {
        "MessageSid": inbound["sid"],
        "SmsSid": inbound["sid"],
        "SmsMessageSid": inbound["sid"],
        "AccountSid": sandbox_tenant.sid,
        "From": HANDSET,
        "To": sandbox_tenant.sender,
        "Body": "Is my order ready?",
        "NumSegments": "1",
        "NumMedia": "0",
        "SmsStatus": "received",
        "ApiVersion": "2010-04-01",
        "FromCountry": "US",
        "ToCountry": "US",
    }
    assert "OptOutType" not in form and "MessagingServiceSid" not in form
    signature = webhook.headers["X-Twilio-Signature"]
    assert RequestValidator(sandbox_tenant.auth_token).validate(webhook.url, form, signature) is True
    assert RequestValidator(sandbox.auth_token).validate(webhook.url, form, signature) is False


_INBOUND_FIELDS = (
    "MessageSid", "SmsSid", "SmsMessageSid", "AccountSid", "From", "To", "Body", "NumSegments", "NumMedia",
    "SmsStatus", "ApiVersion", "FromCountry", "ToCountry",
)  # fmt: skip


def test_inbound_media_is_listed_in_the_webhook(sandbox, sandbox_tenant, callback_receiver):
    # given
    sandbox.update_sender(sandbox_tenant.sender, sms_url=callback_receiver.url("/inbound"))

    # when
    inbound = sandbox.post_inbound(HANDSET, sandbox_tenant.sender, "look", media_urls=("https://example.test/a.png",))

    # then
    [webhook] = callback_receiver.wait_for(1, path="/inbound")
    assert inbound["sid"].startswith("MM")
    assert (webhook.form["NumMedia"], webhook.form["MediaUrl0"], webhook.form["MediaContentType0"]) == (
        "1",
        "https://example.test/a.png",
        "image/png",
    )


def test_stop_blocks_the_sender_until_start(sandbox, sandbox_tenant):
    # given
    client = sandbox_tenant.client

    # when
    sandbox.post_inbound(HANDSET, sandbox_tenant.sender, " stop ")
    blocked = _send_error(client, from_=sandbox_tenant.sender)
    sandbox.post_inbound(HANDSET, sandbox_tenant.sender, "START")
    resumed = client.messages.create(to=HANDSET, from_=sandbox_tenant.sender, body="welcome back")

    # then
    assert (blocked, resumed.status) == ((400, 21610), "queued")
    assert sandbox.opt_outs() == []
    replies = [m["body"] for m in sandbox.inbox(HANDSET)][:2]
    assert replies[0].startswith("You have been unsubscribed") and replies[1].startswith("You have been resubscribed")


def test_stop_to_a_number_leaves_the_accounts_other_numbers_alone(sandbox, sandbox_tenant):
    # given
    sandbox.provision_sender("+14155550177", account_sid=sandbox_tenant.sid, mps=50)

    # when
    sandbox.post_inbound(HANDSET, sandbox_tenant.sender, "STOP")
    other = sandbox_tenant.client.messages.create(to=HANDSET, from_="+14155550177", body="still allowed")

    # then
    assert other.status == "queued"
    assert sandbox.opt_outs() == [{"scope": sandbox_tenant.sender, "handset": HANDSET}]


def test_a_sentence_containing_stop_is_no_opt_out(sandbox, sandbox_tenant):
    # when
    sandbox.post_inbound(HANDSET, sandbox_tenant.sender, "Stop please")

    # then
    assert sandbox.opt_outs() == []
    assert sandbox.inbox(HANDSET) == []


def test_stop_in_a_messaging_service_blocks_the_whole_pool(sandbox, sandbox_tenant, callback_receiver):
    # given
    client = sandbox_tenant.client
    service = client.messaging.v1.services.create(
        friendly_name="Pool", inbound_request_url=callback_receiver.url("/service-inbound")
    )
    for address in ("+14155550111", "+14155550122"):
        number = client.incoming_phone_numbers.create(phone_number=address)
        client.messaging.v1.services(service.sid).phone_numbers.create(phone_number_sid=number.sid)

    # when
    sandbox.post_inbound(HANDSET, "+14155550111", "OptOut")

    # then
    assert _send_error(client, from_="+14155550122") == (400, 21610)
    assert _send_error(client, messaging_service_sid=service.sid) == (400, 21610)
    [webhook] = callback_receiver.wait_for(1, path="/service-inbound")
    assert (webhook.form["OptOutType"], webhook.form["MessagingServiceSid"]) == ("STOP", service.sid)
    assert sandbox.opt_outs() == [{"scope": service.sid, "handset": HANDSET}]


def test_help_gets_the_help_reply_and_changes_nothing(sandbox, sandbox_tenant):
    # when
    sandbox.post_inbound(HANDSET, sandbox_tenant.sender, "help")

    # then
    assert [m["body"] for m in sandbox.inbox(HANDSET)] == ["Reply STOP to unsubscribe. Msg&Data rates may apply."]
    assert sandbox.opt_outs() == []


def test_a_standalone_short_code_handles_no_keywords(sandbox, sandbox_tenant):
    # given
    sandbox.provision_sender("12345", account_sid=sandbox_tenant.sid)

    # when
    sandbox.post_inbound(HANDSET, "12345", "STOP")

    # then
    assert (sandbox.opt_outs(), sandbox.inbox(HANDSET)) == ([], [])


def test_twiml_reply_reaches_the_handset(sandbox, sandbox_tenant, callback_receiver):
    # given
    callback_receiver.respond(
        "/bot",
        body="<?xml version='1.0'?><Response><Message>Your order ships today.</Message></Response>",
        content_type="text/xml",
    )
    sandbox.update_sender(sandbox_tenant.sender, sms_url=callback_receiver.url("/bot"))

    # when
    sandbox.post_inbound(HANDSET, sandbox_tenant.sender, "Where is my order?")

    # then
    inbox = wait_for(lambda: sandbox.inbox(HANDSET))
    assert [(m["body"], m["direction"], m["from"]) for m in inbox] == [
        ("Your order ships today.", "outbound-reply", sandbox_tenant.sender)
    ]


def test_inbound_to_an_unknown_number_is_refused(sandbox):
    # when
    with pytest.raises(AssertionError) as raised:
        sandbox.post_inbound(HANDSET, "+14155550000", "Hello?")

    # then
    assert "-> 404" in str(raised.value)
    assert sandbox.handset(HANDSET)["sent"] == []


def test_the_page_lists_handsets_and_offers_a_reply_form(sandbox, sandbox_tenant):
    # given
    sandbox.post_inbound(HANDSET, sandbox_tenant.sender, "hi")

    # when
    page = requests.get(f"{sandbox.base_url}/sandbox/", timeout=5)

    # then
    assert page.status_code == 200
    for marker in ('id="handset-list"', 'id="reply-form"', 'action="/sandbox/inbound"', 'data-testid="reply-send"'):
        assert marker in page.text
    assert [h["number"] for h in sandbox.control("GET", "/sandbox/api/handsets")["handsets"]] == [HANDSET]
