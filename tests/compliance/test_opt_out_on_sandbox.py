"""Opt-outs end to end: a sandbox handset replies to acme's senders through signed webhooks to the live server; the
engine sends with the real `twilio` client; what reaches the handset is asserted at the sandbox."""

from __future__ import annotations

import pytest

from compliance.models import OptOutEvent, RevocationReview, Suppression
from messaging.dispatch.drain import drain
from messaging.models import Message, Sender
from messaging.services.messages import message_send
from messaging.services.numbers import number_obtain
from messaging.webhooks.addresses import inbound_url
from tests.factories import in_tenant
from tests.fixtures.sandbox import wait_for

pytestmark = pytest.mark.integration

HANDSET = "+14165550142"
SHORT_CODE = "55123"


@pytest.fixture
def short_code(acme_on_sandbox, sandbox):
    """A provisioned US short code of acme's, standalone: Twilio answers no keyword on it, we do."""
    acme, _ = acme_on_sandbox
    sandbox.provision_sender(SHORT_CODE, account_sid=acme.twilio_subaccount_sid, kind="short_code", mps=100,
                             sms_url=inbound_url())  # fmt: skip
    with in_tenant(acme):
        return Sender.objects.create(kind="short_code", address=SHORT_CODE, country="US", mps=100,
                                     registration_state="provisioned", label="Offers")  # fmt: skip


def reply(sandbox, acme, to: str, body: str) -> dict:
    """The handset sends `body`; returns once the webhook has been answered (Twilio posts it asynchronously)."""
    message = sandbox.post_inbound(HANDSET, to, body)

    def answered():
        attempts = sandbox.callbacks(message_sid=message["sid"], kind="inbound")
        answered = [a for a in attempts if a["response_status"] is not None and a["response_status"] < 300]
        return answered or None

    wait_for(answered, timeout=3.0)
    return message


def inbox(sandbox) -> list[tuple[str, str]]:
    return [(m["from"], m["body"]) for m in sandbox.handset(HANDSET)["inbox"]]


def inbox_once_it_holds(sandbox, count: int) -> list[tuple[str, str]]:
    """The handset's inbox once it holds `count` messages, the engine drained meanwhile: on a loaded machine one
    short drain may end before the last message has left."""

    def holding():
        drain(budget_seconds=1, threads=2)
        found = inbox(sandbox)
        return found if len(found) >= count else None

    return wait_for(holding, timeout=10.0, interval=0.1)


def test_stop_to_a_short_code_is_registered_confirmed_once_and_stops_what_was_queued(
    acme_on_sandbox, sandbox, short_code
):
    acme, _ = acme_on_sandbox
    # given a message queued for the handset
    with in_tenant(acme):
        queued = message_send(tenant=acme, to=HANDSET, body="Your order shipped", sender=short_code)
    # when the handset replies "stop" before the engine takes it
    stop = reply(sandbox, acme, SHORT_CODE, "stop")
    # then the opt-out is in the register by the time the webhook has answered, with its source and SID
    with in_tenant(acme):
        event = OptOutEvent.objects.get()
        assert (event.number, event.kind, event.source, event.keyword, event.message_sid, event.scopes) == (
            HANDSET, "opt_out", "keyword", "STOP", stop["sid"], ["tenant"]
        )  # fmt: skip
    # when the engine drains
    drain(budget_seconds=2, threads=2)
    # then the queued message never left, and the one confirmation did
    with in_tenant(acme):
        queued.refresh_from_db()
        assert (queued.status, queued.failure_reason) == ("failed", "opted_out")
        confirmation = Message.objects.get(category="opt_out_confirmation")
        assert (confirmation.source, confirmation.lane, confirmation.to) == ("reply", "priority", HANDSET)

    def delivered():
        with in_tenant(acme):
            return Message.objects.filter(pk=confirmation.pk, status="delivered").exists() or None

    wait_for(delivered, timeout=5.0)
    confirmation_text = (
        "Acme Appointments: you are unsubscribed and will get no more messages. Reply START to resubscribe."
    )
    assert inbox(sandbox) == [(SHORT_CODE, confirmation_text)]
    # and no later message leaves for it either
    with in_tenant(acme), pytest.raises(Exception, match="OPT-01"):
        message_send(tenant=acme, to=HANDSET, body="One more thing", sender=short_code)
    outbound = [m for m in sandbox.messages(To=HANDSET) if m["direction"].startswith("outbound")]
    assert [m["body"] for m in outbound] == [confirmation_text]


def test_start_lifts_it_with_both_events_kept(acme_on_sandbox, sandbox, short_code):
    acme, _ = acme_on_sandbox
    reply(sandbox, acme, SHORT_CODE, "STOP")
    reply(sandbox, acme, SHORT_CODE, "Start")
    with in_tenant(acme):
        assert list(OptOutEvent.objects.order_by("id").values_list("kind", "keyword")) == [
            ("opt_out", "STOP"), ("opt_in", "START")
        ]  # fmt: skip
        assert Suppression.objects.count() == 0
    texts = [body.split(": ")[1][:20] for _, body in inbox_once_it_holds(sandbox, 2)]
    assert texts == ["you are unsubscribed", "you are subscribed a"]  # fmt: skip
    with in_tenant(acme):
        message = message_send(tenant=acme, to=HANDSET, body="Welcome back", sender=short_code)
    assert message.status == "queued"


def test_stop_please_changes_nothing_but_waits_for_review(acme_on_sandbox, sandbox, short_code):
    acme, _ = acme_on_sandbox
    answer = reply(sandbox, acme, SHORT_CODE, "Stop please")
    drain(budget_seconds=1, threads=2)
    with in_tenant(acme):
        assert (OptOutEvent.objects.count(), Suppression.objects.count()) == (0, 0)
        review = RevocationReview.objects.get()
        assert (review.number, review.body, review.message_sid, review.status) == (
            HANDSET, "Stop please", answer["sid"], "open"
        )  # fmt: skip
    assert inbox(sandbox) == []


def test_on_a_long_code_twilio_answers_stop_itself_and_we_only_record_it(acme_on_sandbox, sandbox):
    acme, _ = acme_on_sandbox
    with in_tenant(acme):
        long_code = number_obtain(tenant=acme, area_code="416", label="Front desk")
    reply(sandbox, acme, long_code.address, "STOP")
    drain(budget_seconds=1, threads=2)
    with in_tenant(acme):
        assert OptOutEvent.objects.get().source == "keyword"
        assert Message.objects.filter(direction="outbound").count() == 0
    [(sender, body)] = inbox(sandbox)
    assert (sender, body.startswith("You have been unsubscribed")) == (long_code.address, True)  # the sandbox's reply


def test_a_send_twilio_refuses_with_21610_records_the_opt_out(acme_on_sandbox, sandbox):
    acme, _ = acme_on_sandbox
    with in_tenant(acme):
        long_code = number_obtain(tenant=acme, area_code="416", label="Front desk")
    # the handset opted out at Twilio while the number had no webhook: Twilio blocks it, we never heard
    sandbox.update_sender(long_code.address, sms_url="")
    sandbox.post_inbound(HANDSET, long_code.address, "STOP")  # no webhook: nothing to wait for
    with in_tenant(acme):
        message = message_send(tenant=acme, to=HANDSET, body="Your order shipped", sender=long_code)
    drain(budget_seconds=2, threads=2)
    with in_tenant(acme):
        message.refresh_from_db()
        assert (message.status, message.failure_reason, message.error_code) == ("failed", "opted_out", 21610)
        event = OptOutEvent.objects.get()
        assert (event.number, event.source, event.actor_label) == (HANDSET, "twilio", "twilio")
        assert Suppression.objects.filter(number=HANDSET, scope="tenant").exists()
