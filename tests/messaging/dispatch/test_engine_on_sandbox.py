"""The engine end to end: the real `twilio` client against the running sandbox, drains in threads (and in a real
Celery worker), Twilio's signed callbacks posted back to the live test server, with real Redis and PostgreSQL."""

from __future__ import annotations

import time

import pytest
from celery.contrib.testing.worker import start_worker
from django.db import connection

from config.celery import app
from messaging.dispatch import sending
from messaging.dispatch.drain import drain
from messaging.domain.statuses import RANK, MessageStatus
from messaging.models import Message, MessageEvent, Sender
from messaging.services.messages import message_send
from messaging.services.numbers import number_obtain
from tests.factories import in_tenant

pytestmark = pytest.mark.integration

HANDSET = "+14165550142"


def _sender(acme, sandbox, *, mps: int) -> Sender:
    with in_tenant(acme):
        sender = number_obtain(tenant=acme, area_code="416", label="Front desk")  # a Canadian long code
        Sender.objects.filter(pk=sender.pk).update(mps=mps)
        sender.refresh_from_db()
    sandbox.update_sender(sender.address, mps=mps)
    sending.forget_tenant(acme.schema_name)
    return sender


def _send(acme, sender, count: int, *, to: str = HANDSET, body: str = "Message {n}") -> list[Message]:
    with in_tenant(acme):
        return [message_send(tenant=acme, to=to, body=body.format(n=n), sender=sender) for n in range(count)]


def _wait_for(acme, messages, statuses: set[str], *, seconds: float = 10) -> list[Message]:
    deadline = time.monotonic() + seconds
    while True:
        with in_tenant(acme):
            rows = list(Message.objects.filter(pk__in=[m.pk for m in messages]).order_by("pk"))
        if all(row.status in statuses for row in rows) or time.monotonic() > deadline:
            return rows
        time.sleep(0.05)


def test_messages_reach_the_handset_and_their_callbacks_come_back(acme_on_sandbox, sandbox):
    acme, _ = acme_on_sandbox
    sender = _sender(acme, sandbox, mps=50)
    messages = _send(acme, sender, 5)
    # when
    report = drain(budget_seconds=5, threads=4)
    rows = _wait_for(acme, messages, {"delivered"})
    # then each message left once, reached the handset, and its status came back through signed callbacks
    assert report.outcomes == {"accepted": 5}
    assert [row.status for row in rows] == ["delivered"] * 5
    at_sandbox = sandbox.messages(To=HANDSET)
    assert sorted(m["sid"] for m in at_sandbox) == sorted(row.twilio_sid for row in rows)
    assert sorted(m["body"] for m in sandbox.handset(HANDSET)["inbox"]) == [f"Message {n}" for n in range(5)]
    with in_tenant(acme):
        kinds = list(MessageEvent.objects.filter(message=rows[0]).values_list("kind", "status"))
    # Twilio's first callback may come before our record of its answer: the order of those two varies
    assert kinds[:2] == [("created", "queued"), ("claimed", "sending")]
    # the sandbox, like Twilio, calls back on sending, sent and delivered
    assert sorted(kinds[2:]) == [
        ("accepted", "accepted"),
        ("callback", "accepted"),
        ("callback", "delivered"),
        ("callback", "sent"),
    ]
    assert rows[0].queued_at <= rows[0].sending_at <= rows[0].accepted_at <= rows[0].sent_at <= rows[0].delivered_at


def test_duplicated_and_out_of_order_callbacks_never_move_a_message_back(acme_on_sandbox, sandbox):
    acme, _ = acme_on_sandbox
    sandbox.set_config(duplicate_callback_probability=1.0, delivery_latency_ms=[0, 5], sent_latency_ms=[0, 5])
    sender = _sender(acme, sandbox, mps=50)
    messages = _send(acme, sender, 3)
    drain(budget_seconds=5, threads=3)
    rows = _wait_for(acme, messages, {"delivered"})
    time.sleep(0.3)  # the duplicates land after the originals
    assert [row.status for row in _wait_for(acme, messages, {"delivered"})] == ["delivered"] * 3
    with in_tenant(acme):
        events = MessageEvent.objects.filter(message=rows[0], kind="callback").order_by("id")
        callbacks = list(events.values_list("status", "applied"))
    # every callback arrived twice and is kept; whatever their order, the applied ones only ever moved forward
    assert sorted(status for status, _ in callbacks) == ["accepted"] * 2 + ["delivered"] * 2 + ["sent"] * 2
    applied = [status for status, was_applied in callbacks if was_applied]
    assert applied == sorted(applied, key=lambda status: RANK[MessageStatus(status)])
    assert applied.count("delivered") == 1
    assert len(applied) == len(set(applied))


def test_a_sender_is_paced_at_its_mps_counted_at_the_sandbox(acme_on_sandbox, sandbox):
    acme, _ = acme_on_sandbox
    sender = _sender(acme, sandbox, mps=4)
    messages = _send(acme, sender, 6)
    started = time.monotonic()
    report = drain(budget_seconds=6, threads=4)
    elapsed = time.monotonic() - started
    rows = _wait_for(acme, messages, {"delivered", "sent"})
    created = sorted(sandbox.message(row.twilio_sid)["created_at"] for row in rows)
    assert report.outcomes == {"accepted": 6}
    # At 4 MPS the engine's permits are 250 ms apart, so any five of them span a second. The arrivals at the sandbox
    # add each request's own delay (a loaded machine can hold one back 100 ms and more, shrinking the next gap), so
    # they are held to what that jitter cannot undo: any five arrivals span at least 750 ms (unpaced, all six
    # arrive within a few ms), and the drain itself cannot end before the sixth permit at 1,250 ms.
    spans = [created[i + 4] - created[i] for i in range(len(created) - 4)]
    assert min(spans) >= 0.75
    assert elapsed >= 1.2


def test_twilios_refusals_and_carrier_errors_arrive_as_reasons(acme_on_sandbox, sandbox):
    acme, _ = acme_on_sandbox
    sender = _sender(acme, sandbox, mps=50)
    sandbox.set_config(undelivered_ranges={"+1416555077": 30007})  # carrier filtering for these numbers
    with in_tenant(acme):
        opted_out = message_send(tenant=acme, to="+15005550004", body="Hi", sender=sender)
        filtered = message_send(tenant=acme, to="+14165550777", body="Hi", sender=sender)
    drain(budget_seconds=5, threads=2)
    rows = {row.to: row for row in _wait_for(acme, [opted_out, filtered], {"failed", "undelivered"})}
    assert (rows["+15005550004"].status, rows["+15005550004"].failure_reason, rows["+15005550004"].error_code) == (
        "failed",
        "opted_out",
        21610,
    )
    assert (rows["+14165550777"].status, rows["+14165550777"].failure_reason, rows["+14165550777"].error_code) == (
        "undelivered",
        "carrier_filtered",
        30007,
    )


def test_a_reply_from_the_handset_is_stored_in_the_tenants_inbox(acme_on_sandbox, sandbox):
    acme, _ = acme_on_sandbox
    sender = _sender(acme, sandbox, mps=50)
    sandbox.post_inbound(HANDSET, sender.address, "Running 10 minutes late")
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline:
        with in_tenant(acme):
            received = list(Message.objects.filter(direction="inbound").values_list("from_address", "body", "sender"))
        if received:
            break
        time.sleep(0.05)
    assert received == [(HANDSET, "Running 10 minutes late", sender.pk)]


def test_a_real_celery_worker_is_woken_by_the_send_and_drains_it(acme_on_sandbox, sandbox, settings):
    acme, _ = acme_on_sandbox
    sender = _sender(acme, sandbox, mps=50)
    settings.DISPATCH_AUTOSTART = True
    settings.DISPATCH_DRAIN_SECONDS = 2.0
    settings.DISPATCH_THREADS = 2
    app.conf.task_always_eager = False
    try:
        with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=10, queues=["dispatch"]):
            messages = _send(acme, sender, 2)
            connection.set_schema_to_public()
            rows = _wait_for(acme, messages, {"delivered"}, seconds=15)
    finally:
        app.conf.task_always_eager = True
    assert [row.status for row in rows] == ["delivered", "delivered"]
    assert len(sandbox.messages(To=HANDSET)) == 2
