"""Status callbacks of the sandbox: signatures twilio validates, progression, outcomes, duplicates, retries."""

from __future__ import annotations

import time

import pytest
from twilio.request_validator import RequestValidator

from tests.fixtures.sandbox import wait_for

HANDSET = "+14155551234"
PROGRESSION = ["sending", "sent", "delivered"]


def _send(sandbox_tenant, url: str, to: str = HANDSET, body: str = "Hi"):
    return sandbox_tenant.client.messages.create(to=to, from_=sandbox_tenant.sender, body=body, status_callback=url)


def _statuses(requests_) -> list[str]:
    return [r.form["MessageStatus"] for r in requests_]


def test_callbacks_validate_with_the_subaccount_token(sandbox, sandbox_tenant, callback_receiver):
    # given
    url = callback_receiver.url("/status?tenant=acme")

    # when
    _send(sandbox_tenant, url)

    # then
    callbacks = callback_receiver.wait_for(3, path="/status")
    validator = RequestValidator(sandbox_tenant.auth_token)
    for callback in callbacks:
        signature = callback.headers["X-Twilio-Signature"]
        assert callback.url == url
        assert validator.validate(url, callback.form, signature) is True
        assert validator.validate(url, {**callback.form, "MessageStatus": "read"}, signature) is False
        assert RequestValidator(sandbox.auth_token).validate(url, callback.form, signature) is False
        assert validator.validate(url.replace("acme", "globex"), callback.form, signature) is False


def test_each_status_change_is_posted_once_and_the_initial_status_never(sandbox, sandbox_tenant, callback_receiver):
    # when
    message = _send(sandbox_tenant, callback_receiver.url("/status"))

    # then
    sandbox.wait_for_status(message.sid, "delivered")
    callbacks = callback_receiver.wait_for(3, path="/status")
    time.sleep(0.1)  # nothing more arrives
    assert sorted(_statuses(callback_receiver.requests("/status")), key=PROGRESSION.index) == PROGRESSION
    assert [h["status"] for h in sandbox.message(message.sid)["history"]] == ["queued", *PROGRESSION]
    delivered = next(c.form for c in callbacks if c.form["MessageStatus"] == "delivered")
    raw_dlr = delivered.pop("RawDlrDoneDate")
    assert len(raw_dlr) == 10 and raw_dlr.isdigit()
    assert delivered == {
        "SmsSid": message.sid,
        "SmsStatus": "delivered",
        "MessageStatus": "delivered",
        "To": HANDSET,
        "MessageSid": message.sid,
        "AccountSid": sandbox_tenant.sid,
        "From": sandbox_tenant.sender,
        "ApiVersion": "2010-04-01",
    }


@pytest.mark.parametrize(
    ("to", "code"),
    [("+15553001234", 30003), ("+15555001234", 30005), ("+15556001234", 30006), ("+15557001234", 30007),
     ("+15552001234", 30006)],
)  # fmt: skip
def test_number_ranges_end_undelivered(sandbox, sandbox_tenant, callback_receiver, to, code):
    # when
    message = _send(sandbox_tenant, callback_receiver.url("/status"), to=to)

    # then
    callbacks = callback_receiver.wait_for(3, path="/status")
    final = next(c.form for c in callbacks if c.form["MessageStatus"] == "undelivered")
    fetched = sandbox_tenant.client.messages(message.sid).fetch()
    assert (final["ErrorCode"], fetched.status, fetched.error_code) == (str(code), "undelivered", code)
    assert sandbox.inbox(to) == []


def test_validity_expiring_in_the_queue_fails_with_30036(sandbox, sandbox_tenant, callback_receiver):
    # given: at 1 MPS a 3-segment message is leaving, so the next waits 3 s; it may wait 4 s
    client = sandbox_tenant.client
    sandbox.update_sender(sandbox_tenant.sender, mps=1)
    client.messages.create(to=HANDSET, from_=sandbox_tenant.sender, body="x" * 400)
    waiting = client.messages.create(
        to=HANDSET,
        from_=sandbox_tenant.sender,
        body="second",
        validity_period=4,
        status_callback=callback_receiver.url(),
    )

    # when: the sender slows down (well within the 3 s the next message waits), so it cannot leave in time
    sandbox.update_sender(sandbox_tenant.sender, mps=0.2)

    # then
    [callback] = callback_receiver.wait_for(1, timeout=6)
    assert (callback.form["MessageStatus"], callback.form["ErrorCode"]) == ("failed", "30036")
    assert sandbox.message(waiting.sid)["segment_times"] == []


def test_duplicate_probability_one_posts_every_callback_twice(sandbox, sandbox_tenant, callback_receiver):
    # given
    sandbox.set_config(duplicate_callback_probability=1.0)

    # when
    _send(sandbox_tenant, callback_receiver.url("/status"))

    # then
    callbacks = callback_receiver.wait_for(6, path="/status")
    time.sleep(0.1)
    assert sorted(_statuses(callback_receiver.requests("/status")), key=PROGRESSION.index) == [
        "sending", "sending", "sent", "sent", "delivered", "delivered",
    ]  # fmt: skip
    tokens = {c.form["MessageStatus"]: set() for c in callbacks}
    for callback in callbacks:
        tokens[callback.form["MessageStatus"]].add(callback.headers["I-Twilio-Idempotency-Token"])
    assert {status: len(found) for status, found in tokens.items()} == {"sending": 1, "sent": 1, "delivered": 1}


def test_a_failing_receiver_gets_exactly_one_retry(sandbox, sandbox_tenant, callback_receiver):
    # given
    callback_receiver.respond("/flaky", status=500)

    # when
    message = _send(sandbox_tenant, callback_receiver.url("/flaky"))

    # then
    callback_receiver.wait_for(6, path="/flaky")
    time.sleep(0.2)  # no third attempt follows
    assert sorted(_statuses(callback_receiver.requests("/flaky")), key=PROGRESSION.index) == [
        "sending", "sending", "sent", "sent", "delivered", "delivered",
    ]  # fmt: skip
    attempts = sorted(
        (c["message_status"], c["attempt"], c["response_status"]) for c in sandbox.message(message.sid)["callbacks"]
    )
    assert attempts == [("delivered", 1, 500), ("delivered", 2, 500), ("sending", 1, 500), ("sending", 2, 500),
                        ("sent", 1, 500), ("sent", 2, 500)]  # fmt: skip


def test_an_unreachable_receiver_gets_exactly_one_retry(sandbox, sandbox_tenant):
    # when
    message = _send(sandbox_tenant, "http://127.0.0.1:9/status")

    # then
    entries = wait_for(
        lambda: [c for c in sandbox.callbacks(message_sid=message.sid) if c["message_status"] == "delivered"]
    )
    wait_for(lambda: len(sandbox.callbacks(message_sid=message.sid)) >= 6)
    time.sleep(0.1)
    attempts = sorted((c["message_status"], c["attempt"]) for c in sandbox.callbacks(message_sid=message.sid))
    assert attempts == [("delivered", 1), ("delivered", 2), ("sending", 1), ("sending", 2), ("sent", 1), ("sent", 2)]
    assert {c["response_status"] for c in entries} == {None}


def test_messages_to_one_handset_can_arrive_out_of_order(sandbox, sandbox_tenant):
    # given: delivery takes anywhere between 0 and 300 ms, dispatch is 20 ms apart; with 16 messages the chance that
    # random latencies still deliver them in order is below one in a million
    sandbox.set_config(delivery_latency_ms=[0, 300])
    sent = [
        sandbox_tenant.client.messages.create(to=HANDSET, from_=sandbox_tenant.sender, body=str(n)).sid
        for n in range(16)
    ]

    # when
    inbox = wait_for(lambda: (found := sandbox.inbox(HANDSET)) and len(found) == 16 and found, timeout=5)

    # then
    arrived = [m["sid"] for m in inbox]
    assert sorted(arrived) == sorted(sent)
    assert arrived != sent
    assert [m["sid"] for m in sorted(inbox, key=lambda m: m["delivered_at"])] == arrived


def test_scripted_delivery_delays_deliver_a_handsets_messages_in_reverse_every_time(sandbox, sandbox_tenant):
    # given: the carrier holds this handset's next four messages 400, 300, 200 and 100 ms after they are sent
    sandbox.set_config(delivery_delays_ms={HANDSET: [400, 300, 200, 100]})
    other = "+14155559876"
    sent = [
        sandbox_tenant.client.messages.create(to=HANDSET, from_=sandbox_tenant.sender, body=str(n)).sid
        for n in range(4)
    ]
    elsewhere = sandbox_tenant.client.messages.create(to=other, from_=sandbox_tenant.sender, body="x").sid

    # when
    inbox = wait_for(lambda: (found := sandbox.inbox(HANDSET)) and len(found) == 4 and found, timeout=5)

    # then they arrive last sent, first delivered; a number without a script keeps the drawn latency
    assert [m["sid"] for m in inbox] == list(reversed(sent))
    assert [m["sid"] for m in wait_for(lambda: sandbox.inbox(other), timeout=5)] == [elsewhere]
    assert sandbox.config()["delivery_delays_ms"] == {HANDSET: [400.0, 300.0, 200.0, 100.0]}


def test_scripted_delays_take_turns_per_handset_and_a_reset_forgets_them(sandbox, sandbox_tenant):
    # given one delay of 300 ms then one of 0 ms, in turn
    sandbox.set_config(delivery_delays_ms={HANDSET: [300, 0]})
    first = sandbox_tenant.client.messages.create(to=HANDSET, from_=sandbox_tenant.sender, body="1").sid
    second = sandbox_tenant.client.messages.create(to=HANDSET, from_=sandbox_tenant.sender, body="2").sid
    third = sandbox_tenant.client.messages.create(to=HANDSET, from_=sandbox_tenant.sender, body="3").sid
    inbox = wait_for(lambda: (found := sandbox.inbox(HANDSET)) and len(found) == 3 and found, timeout=5)
    # then the first waits 300 ms, the second none, the third (its turn comes round again) 300 ms
    assert [m["sid"] for m in inbox] == [second, first, third]
    # when
    sandbox.reset()
    # then
    assert sandbox.config()["delivery_delays_ms"] == {}
