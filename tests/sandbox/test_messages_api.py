"""Messages API of the sandbox through the real `twilio` client: shapes, errors, cancel, redact, concurrency."""

from __future__ import annotations

import re
import threading

import pytest
import requests
from twilio.base.exceptions import TwilioRestException

from tests.fixtures.sandbox import wait_for

HANDSET = "+14155551234"
THREE_SEGMENTS = "7" * 307  # GSM-7: 153 + 153 + 1


def test_create_returns_twilio_message_shape(sandbox, sandbox_tenant):
    # when
    response = requests.post(
        f"{sandbox.base_url}/2010-04-01/Accounts/{sandbox_tenant.sid}/Messages.json",
        data={"To": HANDSET, "From": sandbox_tenant.sender, "Body": "Hello"},
        auth=(sandbox_tenant.sid, sandbox_tenant.auth_token),
        timeout=5,
    )

    # then
    message = response.json()
    assert response.status_code == 201
    assert re.fullmatch(r"SM[0-9a-f]{32}", message["sid"])
    assert re.fullmatch(r"[A-Z][a-z]{2}, \d{2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}:\d{2} \+0000", message["date_created"])
    assert {key: message[key] for key in _STABLE_FIELDS} == {
        "account_sid": sandbox_tenant.sid,
        "api_version": "2010-04-01",
        "body": "Hello",
        "date_sent": None,
        "direction": "outbound-api",
        "error_code": None,
        "error_message": None,
        "from": sandbox_tenant.sender,
        "messaging_service_sid": None,
        "num_media": "0",
        "num_segments": "1",
        "price": None,
        "price_unit": "USD",
        "status": "queued",
        "to": HANDSET,
        "uri": f"/2010-04-01/Accounts/{sandbox_tenant.sid}/Messages/{message['sid']}.json",
    }
    assert message["subresource_uris"]["media"] == message["uri"].replace(".json", "/Media.json")


_STABLE_FIELDS = (
    "account_sid", "api_version", "body", "date_sent", "direction", "error_code", "error_message", "from",
    "messaging_service_sid", "num_media", "num_segments", "price", "price_unit", "status", "to", "uri",
)  # fmt: skip


def test_fetch_after_delivery_shows_the_final_state(sandbox, sandbox_tenant):
    # given
    created = sandbox_tenant.client.messages.create(to=HANDSET, from_=sandbox_tenant.sender, body="Hi")
    sandbox.wait_for_status(created.sid, "delivered")

    # when
    fetched = sandbox_tenant.client.messages(created.sid).fetch()

    # then
    assert (fetched.status, fetched.price, fetched.error_code) == ("delivered", "-0.00790", None)
    assert fetched.date_sent is not None
    assert [m["sid"] for m in sandbox.inbox(HANDSET)] == [created.sid]


def test_list_filters_by_recipient_newest_first(sandbox_tenant):
    # given
    client = sandbox_tenant.client
    first = client.messages.create(to=HANDSET, from_=sandbox_tenant.sender, body="one")
    client.messages.create(to="+14155559999", from_=sandbox_tenant.sender, body="elsewhere")
    second = client.messages.create(to=HANDSET, from_=sandbox_tenant.sender, body="two")

    # when
    listed = client.messages.list(to=HANDSET)

    # then
    assert [m.sid for m in listed] == [second.sid, first.sid]


def test_list_pages_through_the_paging_envelope(sandbox_tenant):
    # given
    sids = [
        sandbox_tenant.client.messages.create(to=HANDSET, from_=sandbox_tenant.sender, body=str(n)).sid
        for n in range(5)
    ]

    # when
    listed = sandbox_tenant.client.messages.list(page_size=2)

    # then
    assert [m.sid for m in listed] == list(reversed(sids))


@pytest.mark.parametrize(
    ("to", "code"),
    [
        ("+15005550001", 21211),
        ("+15005550002", 21612),
        ("+15005550003", 21408),
        ("+15005550004", 21610),
        ("+15005550009", 21614),
        ("+1415555", 21211),
    ],
)
def test_test_numbers_fail_at_the_api(sandbox, sandbox_tenant, to, code):
    # when
    with pytest.raises(TwilioRestException) as raised:
        sandbox_tenant.client.messages.create(to=to, from_=sandbox_tenant.sender, body="Hi")

    # then
    assert (raised.value.status, raised.value.code) == (400, code)
    assert sandbox.messages() == []


def test_sending_from_a_number_the_account_does_not_own_fails(sandbox, sandbox_tenant):
    # given
    sandbox.provision_sender("+14155550199")  # the main account's number

    # when
    with pytest.raises(TwilioRestException) as raised:
        sandbox_tenant.client.messages.create(to=HANDSET, from_="+14155550199", body="Hi")

    # then
    assert (raised.value.status, raised.value.code) == (400, 21606)
    assert sandbox.messages() == []


def test_wrong_credentials_get_401_20003(sandbox, sandbox_tenant):
    # given
    client = sandbox.client(sandbox_tenant.sid, "0" * 32)

    # when
    with pytest.raises(TwilioRestException) as raised:
        client.messages.create(to=HANDSET, from_=sandbox_tenant.sender, body="Hi")

    # then
    assert (raised.value.status, raised.value.code) == (401, 20003)
    assert sandbox.messages() == []


def test_error_body_is_twilio_shaped(sandbox):
    # when
    response = requests.get(f"{sandbox.base_url}/2010-04-01/Accounts/{sandbox.account_sid}/Messages.json", timeout=5)

    # then
    assert (response.status_code, response.json()) == (
        401,
        {
            "code": 20003,
            "message": "Authenticate",
            "more_info": "https://www.twilio.com/docs/errors/20003",
            "status": 401,
        },
    )


def test_queue_overflow_fails_with_21611(sandbox, sandbox_tenant):
    # given: at 1 MPS a 3-segment message keeps 2 segments queued for the next 2 seconds
    sandbox.update_sender(sandbox_tenant.sender, mps=1)
    client = sandbox_tenant.client
    client.messages.create(to=HANDSET, from_=sandbox_tenant.sender, body=THREE_SEGMENTS)

    # when: a message that must leave within 2 s does not fit behind them; one valid for 4 s does
    with pytest.raises(TwilioRestException) as raised:
        client.messages.create(to=HANDSET, from_=sandbox_tenant.sender, body="late", validity_period=2)
    accepted = client.messages.create(to=HANDSET, from_=sandbox_tenant.sender, body="fits", validity_period=4)

    # then
    assert (raised.value.status, raised.value.code) == (400, 21611)
    assert accepted.status == "queued"
    assert [m["body"] for m in sandbox.messages()] == [THREE_SEGMENTS, "fits"]


def test_cancel_takes_a_queued_message_out_of_the_queue(sandbox, sandbox_tenant):
    # given
    sandbox.update_sender(sandbox_tenant.sender, mps=1)
    client = sandbox_tenant.client
    first = client.messages.create(to=HANDSET, from_=sandbox_tenant.sender, body=THREE_SEGMENTS)
    waiting = client.messages.create(to=HANDSET, from_=sandbox_tenant.sender, body="never mind")

    # when
    canceled = client.messages(waiting.sid).update(status="canceled")
    with pytest.raises(TwilioRestException) as raised:
        client.messages(first.sid).update(status="canceled")

    # then
    assert canceled.status == "canceled"
    assert (raised.value.status, raised.value.code) == (400, 20009)
    assert sandbox.message(waiting.sid)["segment_times"] == []


def test_redact_empties_the_body(sandbox, sandbox_tenant):
    # given
    created = sandbox_tenant.client.messages.create(to=HANDSET, from_=sandbox_tenant.sender, body="secret")

    # when
    redacted = sandbox_tenant.client.messages(created.sid).update(body="")

    # then
    assert (redacted.body, sandbox_tenant.client.messages(created.sid).fetch().body) == ("", "")


def test_delete_removes_a_delivered_message(sandbox, sandbox_tenant):
    # given
    created = sandbox_tenant.client.messages.create(to=HANDSET, from_=sandbox_tenant.sender, body="bye")
    sandbox.wait_for_status(created.sid, "delivered")

    # when
    deleted = sandbox_tenant.client.messages(created.sid).delete()

    # then
    with pytest.raises(TwilioRestException) as raised:
        sandbox_tenant.client.messages(created.sid).fetch()
    assert (deleted, raised.value.status, raised.value.code) == (True, 404, 20404)


def test_media_makes_an_mms(sandbox_tenant):
    # when
    message = sandbox_tenant.client.messages.create(
        to=HANDSET,
        from_=sandbox_tenant.sender,
        body="pics",
        media_url=["https://example.test/a.jpg", "https://example.test/b.png"],
    )

    # then
    assert (message.sid[:2], message.num_media, message.num_segments) == ("MM", "2", "1")


def test_requests_beyond_the_concurrency_limit_get_429_20429(sandbox, sandbox_tenant):
    # given: two requests may be in flight, and each stays in flight for 2 s (room for a busy machine)
    sandbox.set_config(concurrency_limit=2, request_delay_ms=2000)
    barrier = threading.Barrier(4)
    outcomes: list[object] = []

    def send() -> None:
        client = sandbox.client(sandbox_tenant.sid, sandbox_tenant.auth_token)
        barrier.wait()
        try:
            outcomes.append(client.messages.create(to=HANDSET, from_=sandbox_tenant.sender, body="burst").status)
        except TwilioRestException as error:
            outcomes.append((error.status, error.code))

    # when
    threads = [threading.Thread(target=send) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=10)

    # then
    assert sorted(outcomes, key=str) == [(429, 20429), (429, 20429), "queued", "queued"]
    assert len(sandbox.messages()) == 2


def test_a_request_in_flight_during_a_reset_never_reaches_the_next_generation(sandbox, sandbox_tenant):
    # given: a send from this generation's subaccount, held in flight
    sandbox.set_config(request_delay_ms=1500)
    outcome: list[object] = []

    def send() -> None:
        try:
            outcome.append(sandbox_tenant.client.messages.create(to=HANDSET, from_=sandbox_tenant.sender, body="old"))
        except TwilioRestException as error:
            outcome.append((error.status, error.code))

    stray = threading.Thread(target=send)
    stray.start()
    wait_for(lambda: sandbox.health()["requests_in_flight"] == 1)

    # when: a reset, after which the reseeded sandbox gives the next subaccount the same SID, token and sender
    sandbox.reset()
    again = sandbox.create_subaccount("tenant-a")
    sandbox.provision_sender(sandbox_tenant.sender, account_sid=again.sid, mps=50)
    sandbox.set_config(concurrency_limit=1)
    fresh = sandbox.client(again.sid, again.auth_token).messages.create(
        to=HANDSET, from_=sandbox_tenant.sender, body="new"
    )
    stray.join(timeout=10)

    # then: the stray send took no slot of the new generation and created nothing in it
    assert (again.sid, again.auth_token) == (sandbox_tenant.sid, sandbox_tenant.auth_token)
    assert fresh.status == "queued"
    assert outcome == [(401, 20003)]
    assert [m["body"] for m in sandbox.messages()] == ["new"]
    assert sandbox.health()["requests_in_flight"] == 0


def test_other_subaccounts_cannot_see_a_message(sandbox, sandbox_tenant):
    # given
    created = sandbox_tenant.client.messages.create(to=HANDSET, from_=sandbox_tenant.sender, body="mine")
    other = sandbox.create_subaccount("tenant-b")
    other_client = sandbox.client(other.sid, other.auth_token)

    # when
    with pytest.raises(TwilioRestException) as through_own_path:
        other_client.messages(created.sid).fetch()
    with pytest.raises(TwilioRestException) as through_foreign_path:
        sandbox.client(other.sid, other.auth_token, account_sid=sandbox_tenant.sid).messages(created.sid).fetch()

    # then
    assert (through_own_path.value.status, through_own_path.value.code) == (404, 20404)
    assert (through_foreign_path.value.status, through_foreign_path.value.code) == (401, 20003)
    assert other_client.messages.list() == []


def test_messages_leave_in_creation_order(sandbox, sandbox_tenant):
    # given
    sids = [
        sandbox_tenant.client.messages.create(to=HANDSET, from_=sandbox_tenant.sender, body=str(n)).sid
        for n in range(4)
    ]

    # when
    wait_for(lambda: all(m["segment_times"] for m in sandbox.messages()))

    # then
    departures = sorted(sandbox.messages(), key=lambda m: m["segment_times"][0])
    assert [m["sid"] for m in departures] == sids


def test_an_alphanumeric_sender_id_needs_no_purchase_but_belongs_to_its_first_account(sandbox, sandbox_tenant):
    # when the tenant sends from a name it never bought
    message = sandbox_tenant.client.messages.create(to="+447700900123", from_="ACME", body="Your parcel is on its way")
    # then the send is accepted and the name is now the tenant's alphanumeric sender
    assert (message.status, message.from_) == ("queued", "ACME")
    senders = {s["address"]: s for s in sandbox.control("GET", "/sandbox/api/senders")["senders"]}
    assert (senders["ACME"]["account_sid"], senders["ACME"]["kind"], senders["ACME"]["mps"]) == (
        sandbox_tenant.sid,
        "alphanumeric",
        10.0,
    )
    # and another account cannot use the same name
    other = sandbox.create_subaccount("other")
    with pytest.raises(TwilioRestException) as raised:
        sandbox.client(other.sid, other.auth_token).messages.create(to="+447700900124", from_="ACME", body="Hi")
    assert raised.value.code == 21212
