"""Acceptance, as a user would try it: a 4-part ordered sequence arrives in order at a sandbox handset although the
sandbox delivers out of order. Real Celery workers drain the outbox and advance the sequence; the real `twilio`
client talks to the running sandbox, whose signed status callbacks come back to the live test server.

The sandbox's carrier is scripted to hold each handset's messages 3 s, 2 s, 1 s and 0 s after they are sent: four
plain messages sent one after the other reach their handset out of order, while the sequence's parts, each sent only
once the one before it was reported delivered, reach theirs in order."""

from __future__ import annotations

import itertools
import time

import pytest
from django.db import connection

from messaging.dispatch import sending
from messaging.models import Message, Sender, Sequence, SequencePart
from messaging.services.messages import message_send
from messaging.services.numbers import number_obtain
from messaging.services.sequences import PartContent, sequence_create
from tests.factories import in_tenant
from tests.fixtures.workers import celery_worker

pytestmark = pytest.mark.integration

SEQUENCE_HANDSET = "+14165550142"
PLAIN_HANDSET = "+14165550143"
PARTS = ["1/4 One does not simply", "2/4 send four messages", "3/4 and expect them", "4/4 to arrive in order"]
CARRIER_DELAYS_MS = [3000, 2000, 1000, 0]


def _sender(acme, sandbox) -> Sender:
    with in_tenant(acme):
        sender = number_obtain(tenant=acme, area_code="416", label="Story teller")
        Sender.objects.filter(pk=sender.pk).update(mps=50)
        sender.refresh_from_db()
    sandbox.update_sender(sender.address, mps=50)
    sending.forget_tenant(acme.schema_name)
    return sender


def _until(probe, *, seconds: float):
    deadline = time.monotonic() + seconds
    while not (found := probe()) and time.monotonic() < deadline:
        time.sleep(0.1)
    return found


def test_a_four_part_sequence_arrives_in_order_though_the_sandbox_delivers_out_of_order(
    acme_on_sandbox, sandbox, settings
):
    acme, _ = acme_on_sandbox
    sender = _sender(acme, sandbox)
    sandbox.set_config(delivery_delays_ms={SEQUENCE_HANDSET: CARRIER_DELAYS_MS, PLAIN_HANDSET: CARRIER_DELAYS_MS})
    settings.DISPATCH_AUTOSTART = True
    settings.DISPATCH_DRAIN_SECONDS = 1.0
    settings.DISPATCH_THREADS = 2
    with celery_worker(queues=["celery", "dispatch"], pool="threads", concurrency=3):
        # given: four plain messages to one handset arrive last first
        with in_tenant(acme):
            for body in PARTS:
                message_send(tenant=acme, to=PLAIN_HANDSET, body=body, sender=sender)
        plain = _until(lambda: len(found := sandbox.inbox(PLAIN_HANDSET)) == 4 and found, seconds=20)
        # when the same four go as an ordered sequence
        with in_tenant(acme):
            sequence = sequence_create(
                tenant=acme, to=SEQUENCE_HANDSET, parts=[PartContent(body=body) for body in PARTS], sender=sender
            )
        connection.set_schema_to_public()
        arrived = _until(lambda: len(found := sandbox.inbox(SEQUENCE_HANDSET)) == 4 and found, seconds=30)
        finished = _until(lambda: _status(acme, sequence) == "completed", seconds=10)
    # then the plain messages arrived out of order (how far out depends on the engine's pace), the parts in order
    assert sorted(m["body"] for m in plain) == PARTS
    assert [m["body"] for m in plain] != PARTS
    assert [m["body"] for m in arrived] == PARTS
    assert finished
    with in_tenant(acme):
        parts = list(SequencePart.objects.filter(sequence=sequence).select_related("message").order_by("position"))
        assert [(p.status, p.message.status, p.message.twilio_sid) for p in parts] == [
            ("delivered", "delivered", m["sid"]) for m in arrived
        ]
        # each part was handed to the engine only after the part before it was reported delivered
        for before, after in itertools.pairwise(parts):
            assert before.message.delivered_at <= after.message.created_at
        assert Message.objects.filter(to=SEQUENCE_HANDSET).count() == 4


def _status(acme, sequence: Sequence) -> str:
    with in_tenant(acme):
        return Sequence.objects.values_list("status", flat=True).get(pk=sequence.pk)
