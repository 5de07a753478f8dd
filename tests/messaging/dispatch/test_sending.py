"""One message through the engine (in the test's transaction, the fake gateway): claimed once, sent with its status
callback URL, accepted; retried, failed with the reason, or reconciled when Twilio's answer was lost."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from messaging.dispatch import keys, sending
from messaging.gateways.errors import error_for
from messaging.models import Message
from messaging.services.messages import message_send
from tenants.services import lifecycle
from tests.factories import SenderFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def queued(in_tenant_a, dispatch_index, settings):
    settings.WEBHOOK_BASE_URL = "https://sb.example.com"
    sending.forget_tenant(in_tenant_a.schema_name)
    sender = SenderFactory(tenant=in_tenant_a, address="+14165550100", mps=2)

    def make(**changes) -> Message:
        arguments = {"tenant": in_tenant_a, "to": "+14165550199", "body": "Hello", "sender": sender, **changes}
        return message_send(**arguments)

    return make


def kinds(message: Message) -> list[tuple[str, str]]:
    return list(message.events.values_list("kind", "status"))


def test_a_queued_message_is_claimed_sent_with_its_callback_url_and_accepted(queued, fake_gateway):
    message = queued(validity_period=600)
    assert sending.process("t_acme", message.pk) == "accepted"
    (call,) = fake_gateway.calls_of("send")
    assert (call["message"].to, call["message"].from_, call["message"].body) == (
        "+14165550199",
        "+14165550100",
        "Hello",
    )
    assert call["message"].status_callback == f"https://sb.example.com/webhooks/twilio/status/{message.uuid}"
    assert 598 <= call["message"].validity_period <= 600  # what is left of it
    message.refresh_from_db()
    assert (message.status, message.provider_status, message.attempts, message.claim_token) == (
        "accepted",
        "queued",
        1,
        None,
    )
    assert message.twilio_sid in fake_gateway.messages
    assert kinds(message) == [("created", "queued"), ("claimed", "sending"), ("accepted", "accepted")]


def test_a_message_taken_twice_is_sent_once(queued, fake_gateway):
    message = queued()
    assert [sending.process("t_acme", message.pk), sending.process("t_acme", message.pk)] == ["accepted", "skipped"]
    assert len(fake_gateway.calls_of("send")) == 1


def test_a_canceled_message_never_leaves(queued, fake_gateway):
    message = queued()
    Message.objects.filter(pk=message.pk).update(status="canceled", canceled_at=timezone.now())
    assert sending.process("t_acme", message.pk) == "skipped"
    assert fake_gateway.calls_of("send") == []


def test_too_many_requests_is_tried_again_later_from_its_lane(queued, fake_gateway, dispatch_index):
    message = queued()
    fake_gateway.script_error("send", 20429, http_status=429)
    before = timezone.now()
    assert sending.process("t_acme", message.pk) == "retry"
    message.refresh_from_db()
    assert (message.status, message.claim_token, message.attempts) == ("queued", None, 1)
    # Retry-After (1 s) is the floor of the first backoff (up to 2 s)
    assert before + timedelta(seconds=1) <= message.next_attempt_at <= timezone.now() + timedelta(seconds=2)
    lane = keys.lane_keys(keys.lane_name("t_acme", message.sender_id))["priority"]
    assert dispatch_index.client().zscore(lane, f"{message.pk}:1") == int(message.next_attempt_at.timestamp() * 1000)
    assert kinds(message)[-1] == ("retry", "queued")


def test_a_message_that_keeps_meeting_retryable_errors_fails_after_the_last_attempt(queued, fake_gateway):
    message = queued()
    Message.objects.filter(pk=message.pk).update(attempts=7)
    refusal = error_for(20429, 429)
    fake_gateway.script("send", error=refusal)
    assert sending.process("t_acme", message.pk) == "failed"
    message.refresh_from_db()
    assert (message.status, message.failure_reason, message.error_code, message.attempts) == (
        "failed",
        "provider_error",
        20429,
        8,
    )
    assert message.error_message == f"gave up after 8 attempts: {refusal}"[:300]


@pytest.mark.parametrize(
    ("code", "reason"),
    [(21610, "opted_out"), (21211, "invalid_number"), (21606, "misconfigured"), (21617, "content_rejected")],
)
def test_a_refusal_fails_the_message_with_the_reason_and_twilios_code(queued, fake_gateway, code, reason):
    message = queued()
    refusal = error_for(code, 400)
    fake_gateway.script("send", error=refusal)
    before = timezone.now()
    assert sending.process("t_acme", message.pk) == "failed"
    message.refresh_from_db()
    assert (message.status, message.failure_reason, message.error_code) == ("failed", reason, code)
    assert message.error_message == str(refusal)[:300]
    assert before <= message.failed_at <= timezone.now()


def test_a_message_that_outlived_its_validity_in_the_outbox_fails_as_expired(queued, fake_gateway):
    message = queued(validity_period=60)
    Message.objects.filter(pk=message.pk).update(created_at=timezone.now() - timedelta(seconds=61))
    assert sending.process("t_acme", message.pk) == "failed"
    message.refresh_from_db()
    assert (message.status, message.failure_reason, message.error_code) == ("failed", "expired", None)
    assert fake_gateway.calls_of("send") == []


def test_a_lost_answer_is_reconciled_by_finding_the_message_not_by_sending_again(queued, fake_gateway):
    message = queued()
    fake_gateway.lose_answers()
    assert sending.process("t_acme", message.pk) == "reconciled"
    message.refresh_from_db()
    (created,) = (
        fake_gateway.messages.values() - set()
        if False
        else [info for info in fake_gateway.messages.values() if info.to == "+14165550199"]
    )
    assert (message.status, message.twilio_sid) == ("accepted", created.sid)
    assert len(fake_gateway.calls_of("send")) == 1
    assert [kind for kind, _ in kinds(message)] == ["created", "claimed", "unknown", "accepted"]


def test_a_send_that_surely_never_reached_twilio_is_sent_again_after_three_lookups(queued, fake_gateway):
    message = queued()
    fake_gateway.script("send", error=sending_unknown(), times=1)
    assert sending.process("t_acme", message.pk) == "unknown"
    claimed = sending.claimed_of(Message.objects.select_related("sender").get(pk=message.pk))
    credentials = sending.sending_tenant("t_acme").credentials
    assert sending.resolve_unknown("t_acme", claimed, credentials) == "unknown"
    assert sending.resolve_unknown("t_acme", claimed, credentials) == "resend"
    message.refresh_from_db()
    assert (message.status, message.reconcile_lookups, message.claim_token) == ("queued", 0, None)
    assert sending.process("t_acme", message.pk) == "accepted"
    assert len(fake_gateway.calls_of("send")) == 2
    assert len([info for info in fake_gateway.messages.values() if info.to == "+14165550199"]) == 1


def sending_unknown():
    from messaging.gateways.errors import outcome_unknown

    return outcome_unknown(error_for(None, None, "ReadTimeout while calling Twilio"))


def test_a_suspended_tenants_message_is_held_not_sent(queued, fake_gateway, in_tenant_a, dispatch_index):
    message = queued()
    lifecycle.tenant_suspend(tenant=in_tenant_a)
    sending.forget_tenant("t_acme")
    assert sending.process("t_acme", message.pk) == "held"
    message.refresh_from_db()
    assert message.status == "queued"
    assert fake_gateway.calls_of("send") == []


def test_a_paused_senders_message_is_held_not_sent(queued, fake_gateway):
    message = queued()
    message.sender.__class__.objects.filter(pk=message.sender_id).update(paused=True)
    assert sending.process("t_acme", message.pk) == "held"
    assert Message.objects.get(pk=message.pk).status == "queued"
    assert fake_gateway.calls_of("send") == []
