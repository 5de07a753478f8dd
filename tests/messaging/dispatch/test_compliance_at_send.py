"""The rules once more just before the send: an opt-out that arrived while a message waited stops it; hours that
closed meanwhile defer it to their next minute; Twilio's 21610 records an opt-out and fails the message with it."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
import time_machine

from compliance.models import OptOutEvent, Suppression
from compliance.services.register import opt_out_record
from compliance.services.settings import settings_update
from messaging.dispatch import sending
from messaging.models import Message
from messaging.services.messages import message_send
from tests.factories import SenderFactory

pytestmark = pytest.mark.django_db

HANDSET = "+14165550199"  # Toronto
TUESDAY_NOON = datetime(2026, 12, 1, 17, 0, tzinfo=UTC)  # 12:00 in Toronto
TUESDAY_LATE = datetime(2026, 12, 2, 2, 30, tzinfo=UTC)  # 21:30 in Toronto


@pytest.fixture
def queued(in_tenant_a, dispatch_index, settings):
    settings.WEBHOOK_BASE_URL = "https://sb.example.com"
    sending.forget_tenant(in_tenant_a.schema_name)
    sender = SenderFactory(tenant=in_tenant_a, address="+14165550100", mps=2)

    def make(**changes) -> Message:
        return message_send(**{"tenant": in_tenant_a, "to": HANDSET, "body": "Hello", "sender": sender, **changes})

    return make


def kinds(message: Message) -> list[tuple[str, str]]:
    return list(message.events.values_list("kind", "status"))


def test_a_stop_that_arrives_while_a_message_waits_stops_it(queued, in_tenant_a, fake_gateway):
    # given a queued message
    message = queued()
    # when the handset opts out before the engine takes it
    opt_out_record(tenant=in_tenant_a, number=HANDSET, source="keyword", actor_label="handset", keyword="STOP")
    # then it never reaches Twilio, and fails with the reason
    assert sending.process("t_acme", message.pk) == "failed"
    assert fake_gateway.calls_of("send") == []
    message.refresh_from_db()
    assert (message.status, message.failure_reason, message.error_code) == ("failed", "opted_out", None)
    assert message.error_message.startswith(f"OPT-01: {HANDSET} opted out on ")
    assert kinds(message) == [("created", "queued"), ("claimed", "sending"), ("failed", "failed")]


def test_hours_that_closed_while_it_waited_defer_it_to_their_next_minute(queued, in_tenant_a, fake_gateway):
    settings_update(tenant=in_tenant_a, actor_label="owner@acme.test", exempt_categories=[])
    with time_machine.travel(TUESDAY_NOON, tick=False):
        message = queued()
    assert message.status == "queued"
    # when the engine only gets to it at 21:30 in Toronto
    with time_machine.travel(TUESDAY_LATE, tick=False):
        assert sending.process("t_acme", message.pk) == "deferred"
    # then it waits for 08:00 Wednesday in Toronto, unclaimed, its attempt not counted
    message.refresh_from_db()
    assert (message.status, message.send_at, message.attempts, message.claim_token) == (
        "scheduled", datetime(2026, 12, 2, 13, 0, tzinfo=UTC), 0, None
    )  # fmt: skip
    assert kinds(message) == [("created", "queued"), ("claimed", "sending"), ("deferred", "scheduled")]
    assert fake_gateway.calls_of("send") == []
    # and at 08:00 it leaves
    with time_machine.travel(datetime(2026, 12, 2, 13, 0, tzinfo=UTC), tick=False):
        assert sending.process("t_acme", message.pk) == "accepted"


def test_a_message_created_outside_the_hours_is_scheduled_for_their_next_minute(queued, in_tenant_a):
    settings_update(tenant=in_tenant_a, actor_label="owner@acme.test", exempt_categories=[])
    with time_machine.travel(TUESDAY_LATE, tick=False):
        message = queued()
    assert (message.status, message.send_at, message.queued_at) == (
        "scheduled", datetime(2026, 12, 2, 13, 0, tzinfo=UTC), None
    )  # fmt: skip
    assert message.compliance == [
        {
            "rule": "TIME-00", "severity": "defer", "field": None, "until": "2026-12-02T13:00:00+00:00",
            "message": "outside the tenant's sending hours in the recipient's time (America/Toronto); it leaves at "
            "08:00 local, Wed 02 Dec",
        }
    ]  # fmt: skip
    assert kinds(message) == [("created", "scheduled"), ("deferred", "scheduled")]


def test_twilio_answering_21610_records_the_opt_out_and_fails_the_message(queued, in_tenant_a, fake_gateway):
    message = queued()
    fake_gateway.script_error("send", 21610, http_status=400)
    assert sending.process("t_acme", message.pk) == "failed"
    message.refresh_from_db()
    assert (message.status, message.failure_reason, message.error_code) == ("failed", "opted_out", 21610)
    event = OptOutEvent.objects.get()
    assert (event.number, event.source, event.scopes, event.actor_label) == (HANDSET, "twilio", ["tenant"], "twilio")
    assert event.evidence.startswith(f"Twilio refused message {message.uuid} with 21610")
    assert list(Suppression.objects.values_list("number", "scope")) == [(HANDSET, "tenant")]
    # and the next message to that handset is refused before it is stored
    with pytest.raises(Exception, match="OPT-01"):
        queued()
    assert Message.objects.count() == 1
