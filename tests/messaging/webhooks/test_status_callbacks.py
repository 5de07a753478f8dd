"""Status callbacks: the tenant found by AccountSid, the signature checked with its subaccount's token, the status
moved forward only, every callback kept; forged, foreign and malformed callbacks refused with nothing recorded."""

from __future__ import annotations

import pytest
import time_machine
from django.test import Client

from messaging.dispatch import sending
from messaging.models import Message, MessageEvent
from messaging.services.messages import message_send
from tenants.selectors import subaccount_auth
from tests.factories import SenderFactory, in_tenant

pytestmark = pytest.mark.django_db


@pytest.fixture
def accepted(tenant_a, fake_gateway, dispatch_index):
    """A message of acme that Twilio accepted as SM…, and a way to post its callbacks as Twilio would."""
    with in_tenant(tenant_a):
        sender = SenderFactory(tenant=tenant_a, address="+14165550100")
        message = message_send(tenant=tenant_a, to="+14165550199", body="Hello", sender=sender)
        sending.forget_tenant(tenant_a.schema_name)
        sending.process(tenant_a.schema_name, message.pk)
        message.refresh_from_db()
    return message


def post(message, status: str, *, token: str | None = None, tenant=None, signature: str | None = None, **extra):
    from messaging.gateways import get_gateway

    account_sid, own_token = subaccount_auth(tenant)
    params = {
        "MessageSid": message.twilio_sid,
        "MessageStatus": status,
        "AccountSid": account_sid,
        "From": "+14165550100",
        "To": "+14165550199",
        "ApiVersion": "2010-04-01",
        **extra,
    }
    url = f"http://localhost/webhooks/twilio/status/{message.uuid}"
    signed = signature if signature is not None else get_gateway().sign(token or own_token, url, params)
    return Client(HTTP_HOST="localhost").post(
        f"/webhooks/twilio/status/{message.uuid}", params, HTTP_X_TWILIO_SIGNATURE=signed
    )


def state(tenant, message) -> tuple:
    with in_tenant(tenant):
        row = Message.objects.get(pk=message.pk)
        events = list(
            MessageEvent.objects.filter(message=row, kind="callback").values_list("status", "applied", "error_code")
        )
    return row.status, row.provider_status, events


def test_callbacks_move_the_status_forward_and_each_is_kept(accepted, tenant_a):
    assert post(accepted, "sent", tenant=tenant_a).status_code == 204
    response = post(accepted, "delivered", tenant=tenant_a, RawDlrDoneDate="2612011205")
    assert response.status_code == 204
    assert state(tenant_a, accepted) == ("delivered", "delivered", [("sent", True, None), ("delivered", True, None)])
    with in_tenant(tenant_a):
        message = Message.objects.get(pk=accepted.pk)
        event = MessageEvent.objects.filter(message=message, status="delivered").get()
    assert message.sent_at <= message.delivered_at
    assert event.provider_time.isoformat() == "2026-12-01T12:05:00+00:00"
    assert event.payload["RawDlrDoneDate"] == "2612011205"


def test_a_delivery_whose_clock_read_earlier_than_the_sent_callbacks_is_not_dated_before_it(accepted, tenant_a):
    # two web processes: "delivered" read its clock first but is applied after "sent"
    with time_machine.travel("2026-12-01T12:00:02Z", tick=False):
        assert post(accepted, "sent", tenant=tenant_a).status_code == 204
    with time_machine.travel("2026-12-01T12:00:01Z", tick=False):
        assert post(accepted, "delivered", tenant=tenant_a).status_code == 204
    with in_tenant(tenant_a):
        message = Message.objects.get(pk=accepted.pk)
    assert (message.status, message.sent_at.isoformat(), message.delivered_at.isoformat()) == (
        "delivered",
        "2026-12-01T12:00:02+00:00",
        "2026-12-01T12:00:02+00:00",
    )


def test_a_late_or_repeated_callback_changes_nothing_but_is_kept(accepted, tenant_a):
    post(accepted, "delivered", tenant=tenant_a)
    post(accepted, "sent", tenant=tenant_a)  # late
    post(accepted, "delivered", tenant=tenant_a)  # repeated
    post(accepted, "undelivered", tenant=tenant_a, ErrorCode="30003")  # a contradicting final word
    assert state(tenant_a, accepted) == (
        "delivered",
        "delivered",
        [("delivered", True, None), ("sent", False, None), ("delivered", False, None), ("undelivered", False, 30003)],
    )


def test_an_undelivered_callback_records_the_reason_and_twilios_code(accepted, tenant_a):
    post(accepted, "undelivered", tenant=tenant_a, ErrorCode="30007")
    with in_tenant(tenant_a):
        message = Message.objects.get(pk=accepted.pk)
    assert (message.status, message.failure_reason, message.error_code, message.error_message) == (
        "undelivered",
        "carrier_filtered",
        30007,
        "Message filtered",
    )


def test_a_callback_that_beats_our_record_of_the_send_is_not_lost(tenant_a, fake_gateway, dispatch_index):
    # given a message claimed, whose send Twilio answered, but whose answer we have not recorded yet
    with in_tenant(tenant_a):
        sender = SenderFactory(tenant=tenant_a, address="+14165550100")
        message = message_send(tenant=tenant_a, to="+14165550199", body="Hello", sender=sender)
        claimed = sending.claim(message.pk)
        message.twilio_sid = "SM" + "a" * 32
    # when Twilio's "sent" arrives first, then our record of the answer
    assert post(message, "sent", tenant=tenant_a).status_code == 204
    with in_tenant(tenant_a):
        sending.adopt(claimed, sid=message.twilio_sid, provider_status="queued")
        row = Message.objects.get(pk=message.pk)
    # then the message stays sent (never back to accepted) and keeps Twilio's SID
    assert (row.status, row.twilio_sid, row.claim_token) == ("sent", "SM" + "a" * 32, None)


def test_a_forged_signature_is_refused_and_nothing_is_recorded(accepted, tenant_a):
    response = post(accepted, "delivered", tenant=tenant_a, signature="bm90IHRoZSBzaWduYXR1cmU=")
    assert (response.status_code, response["Content-Type"], response.json()["code"]) == (
        403,
        "application/problem+json",
        "bad_signature",
    )
    assert state(tenant_a, accepted) == ("accepted", "queued", [])


def test_a_callback_signed_with_another_tenants_token_is_refused(accepted, tenant_a, tenant_b):
    _, globex_token = subaccount_auth(tenant_b)
    assert post(accepted, "delivered", tenant=tenant_a, token=globex_token).status_code == 403
    assert state(tenant_a, accepted) == ("accepted", "queued", [])


def test_an_unknown_account_is_not_found(accepted, tenant_a):
    params = {"MessageSid": accepted.twilio_sid, "MessageStatus": "sent", "AccountSid": "AC" + "9" * 32}
    response = Client(HTTP_HOST="localhost").post(f"/webhooks/twilio/status/{accepted.uuid}", params)
    assert (response.status_code, response.json()["code"]) == (404, "unknown_account")


def test_a_malformed_callback_is_a_bad_request_naming_what_is_wrong(accepted, tenant_a):
    response = post(accepted, "teleported", tenant=tenant_a)
    assert (response.status_code, response.json()["detail"]) == (
        400,
        "MessageStatus 'teleported' is not a status Twilio documents",
    )
    assert state(tenant_a, accepted) == ("accepted", "queued", [])


def test_a_callback_for_another_messages_sid_is_not_applied(accepted, tenant_a):
    accepted.twilio_sid = "SM" + "b" * 32
    response = post(accepted, "delivered", tenant=tenant_a)
    assert (response.status_code, response.json()["code"]) == (404, "unknown_message")
    assert state(tenant_a, accepted)[0] == "accepted"
