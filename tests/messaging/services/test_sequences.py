"""Ordered sequences with the fake gateway: part k+1 is sent only once part k's status callback said delivered; a
duplicate, late or out-of-order callback never sends a part twice; undelivered parts halt or continue by policy; a
part without a final word times out; an opted-out recipient halts the sequence; another tenant sees none of it."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from compliance.errors import ComplianceBlocked
from compliance.services.register import opt_out_record
from messaging import selectors
from messaging.dispatch import sending
from messaging.domain.callbacks import StatusReport
from messaging.domain.statuses import MessageStatus
from messaging.errors import MessagingValidationError, SequenceNotCancelable
from messaging.models import Message, Sequence, SequencePart
from messaging.services.callbacks import status_callback_apply
from messaging.services.sequences import PartContent, sequence_advance, sequence_cancel, sequence_create
from messaging.tasks import tenant_sweep
from tests.factories import SenderFactory, SenderPoolFactory, in_tenant

pytestmark = pytest.mark.django_db

HANDSET = "+14165550199"
BODIES = ["One does not simply", "send four parts", "and expect them", "in order"]


@pytest.fixture
def sender(in_tenant_a, dispatch_index):
    return SenderFactory(tenant=in_tenant_a, address="+14165550100", mps=10)


@pytest.fixture
def committing(django_capture_on_commit_callbacks):
    """Run a block and then what it scheduled for after its commit (the advance task runs eagerly in tests)."""

    def run(action, *args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return action(*args, **kwargs)

    return run


@pytest.fixture
def start(in_tenant_a, sender, committing):
    def start(parts=BODIES, **options) -> Sequence:
        contents = [PartContent(body=body) for body in parts]
        return committing(sequence_create, tenant=in_tenant_a, to=HANDSET, parts=contents, sender=sender, **options)

    return start


@pytest.fixture
def twilio_says(in_tenant_a, committing):
    """The engine sends a part's message (the fake gateway accepts it), then Twilio calls back with `statuses`."""

    def say(part_position: int, sequence: Sequence, *statuses: str, error_code: int | None = None) -> Message:
        message = _part(sequence, part_position).message
        if message.status == Message.Status.QUEUED:
            sending.forget_tenant(in_tenant_a.schema_name)
            assert committing(sending.process, in_tenant_a.schema_name, message.pk) == "accepted"
            message.refresh_from_db()
        for status in statuses:
            code = error_code if status in ("undelivered", "failed") else None
            report = StatusReport(message.twilio_sid, status, MessageStatus(status), code, None)
            committing(
                status_callback_apply, message_uuid=message.uuid, report=report, payload={"MessageStatus": status}
            )
        message.refresh_from_db()
        return message

    return say


def _part(sequence: Sequence, position: int) -> SequencePart:
    return SequencePart.objects.select_related("message").get(sequence=sequence, position=position)


def parts_of(sequence: Sequence) -> list[tuple[int, str, str | None]]:
    """(position, status, its message's body) of every part, in order."""
    rows = SequencePart.objects.filter(sequence=sequence).order_by("position")
    return [(p.position, p.status, p.message.body if p.message else None) for p in rows.select_related("message")]


def status_of(sequence: Sequence) -> tuple[str, str]:
    sequence.refresh_from_db()
    return sequence.status, sequence.reason


def test_a_sequence_is_stored_whole_and_only_its_first_part_is_sent(start, sender, fake_gateway):
    # when
    sequence = start()
    # then one message exists, for part 1, queued in the priority lane like any message; the rest wait
    assert status_of(sequence) == ("running", "")
    assert parts_of(sequence) == [
        (1, "sent", BODIES[0]),
        (2, "pending", None),
        (3, "pending", None),
        (4, "pending", None),
    ]
    message = Message.objects.get()
    assert (message.to, message.sender, message.status, message.lane, message.source) == (
        HANDSET,
        sender,
        "queued",
        "priority",
        "sequence",
    )
    first = _part(sequence, 1)
    assert first.deadline_at - first.sent_at == timedelta(seconds=600)
    assert fake_gateway.calls_of("send") == []


def test_each_part_is_sent_when_the_one_before_it_is_reported_delivered(start, twilio_says):
    sequence = start()
    # when part 1 is sent and reported sent: nothing moves
    twilio_says(1, sequence, "sent")
    assert parts_of(sequence)[:2] == [(1, "sent", BODIES[0]), (2, "pending", None)]
    # when it is reported delivered, part 2 goes
    twilio_says(1, sequence, "delivered")
    assert parts_of(sequence)[:3] == [(1, "delivered", BODIES[0]), (2, "sent", BODIES[1]), (3, "pending", None)]
    # and so on to the end
    for position in (2, 3, 4):
        twilio_says(position, sequence, "sent", "delivered")
    assert status_of(sequence) == ("completed", "")
    assert parts_of(sequence) == [(n, "delivered", body) for n, body in enumerate(BODIES, start=1)]
    assert list(Message.objects.order_by("pk").values_list("body", flat=True)) == BODIES
    sequence.refresh_from_db()
    assert sequence.finished_at is not None


def test_a_duplicate_callback_or_advance_never_sends_a_part_twice(start, twilio_says, in_tenant_a):
    sequence = start()
    # when part 1's delivery is reported twice, and the advance runs again by itself
    twilio_says(1, sequence, "delivered", "delivered")
    sequence_advance(tenant=in_tenant_a, sequence_id=sequence.pk)
    sequence_advance(tenant=in_tenant_a, sequence_id=sequence.pk)
    # then part 2 was sent once, and part 3 not at all
    assert Message.objects.count() == 2
    assert parts_of(sequence)[:3] == [(1, "delivered", BODIES[0]), (2, "sent", BODIES[1]), (3, "pending", None)]


def test_out_of_order_callbacks_move_the_sequence_once(start, twilio_says):
    sequence = start()
    # when Twilio's callbacks for part 1 arrive delivered first, then a late sent, then a contradicting undelivered
    twilio_says(1, sequence, "delivered", "sent", "undelivered", error_code=30003)
    # then part 1 stays delivered and part 2 went once
    assert parts_of(sequence)[:3] == [(1, "delivered", BODIES[0]), (2, "sent", BODIES[1]), (3, "pending", None)]
    assert Message.objects.count() == 2
    assert status_of(sequence) == ("running", "")


def test_a_late_callback_of_an_earlier_part_does_not_move_a_later_one(start, twilio_says):
    sequence = start()
    twilio_says(1, sequence, "delivered")
    twilio_says(2, sequence, "sent")
    # when part 1's delivery is reported once more, late
    twilio_says(1, sequence, "delivered")
    # then part 2 is still waiting for its own report
    assert parts_of(sequence)[:3] == [(1, "delivered", BODIES[0]), (2, "sent", BODIES[1]), (3, "pending", None)]
    assert Message.objects.count() == 2


@pytest.mark.parametrize(
    ("policy", "expected_status", "expected_reason", "expected_parts"),
    [
        (
            "halt",
            "halted",
            "part 2 ended undelivered",
            [(1, "delivered", BODIES[0]), (2, "undelivered", BODIES[1]), (3, "skipped", None), (4, "skipped", None)],
        ),
        (
            "continue",
            "completed",
            "",
            [
                (1, "delivered", BODIES[0]),
                (2, "undelivered", BODIES[1]),
                (3, "delivered", BODIES[2]),
                (4, "delivered", BODIES[3]),
            ],
        ),
    ],
)
def test_an_undelivered_part_halts_or_continues_by_policy(
    start, twilio_says, policy, expected_status, expected_reason, expected_parts
):
    sequence = start(policy=policy)
    twilio_says(1, sequence, "sent", "delivered")
    # when part 2 is reported undelivered (unreachable handset)
    twilio_says(2, sequence, "sent", "undelivered", error_code=30003)
    if policy == "continue":
        twilio_says(3, sequence, "delivered")
        twilio_says(4, sequence, "delivered")
    # then
    assert status_of(sequence) == (expected_status, expected_reason)
    assert parts_of(sequence) == expected_parts
    assert _part(sequence, 2).detail == "unreachable (30003): Handset unreachable"
    assert Message.objects.count() == len([p for p in expected_parts if p[2] is not None])


@pytest.mark.parametrize(
    ("policy", "expected_status", "expected_parts"),
    [
        ("halt", ("halted", "part 1 timed out"), [(1, "timed_out"), (2, "skipped"), (3, "skipped"), (4, "skipped")]),
        ("continue", ("running", ""), [(1, "timed_out"), (2, "sent"), (3, "pending"), (4, "pending")]),
    ],
)
def test_a_part_without_a_final_word_times_out(
    start, twilio_says, in_tenant_a, policy, expected_status, expected_parts
):
    sequence = start(policy=policy, part_timeout_seconds=60)
    twilio_says(1, sequence, "sent")  # at the carrier, and no delivery report ever comes
    deadline = _part(sequence, 1).deadline_at
    # when the advance runs before the deadline, nothing moves
    sequence_advance(tenant=in_tenant_a, sequence_id=sequence.pk, now=deadline - timedelta(seconds=1))
    assert _part(sequence, 1).status == "sent"
    # when it runs once the deadline passed (twice: the countdown task and the sweep)
    sequence_advance(tenant=in_tenant_a, sequence_id=sequence.pk, now=deadline + timedelta(seconds=1))
    sequence_advance(tenant=in_tenant_a, sequence_id=sequence.pk, now=deadline + timedelta(seconds=2))
    # then
    assert status_of(sequence) == expected_status
    assert [(position, status) for position, status, _ in parts_of(sequence)] == expected_parts
    assert _part(sequence, 1).detail == "no final status within 60 s (the message was sent)"
    assert Message.objects.count() == (2 if policy == "continue" else 1)


def test_a_timed_out_part_still_in_the_outbox_is_withdrawn(start, in_tenant_a):
    sequence = start(policy="continue", part_timeout_seconds=60)
    deadline = _part(sequence, 1).deadline_at
    # when part 1 never left our outbox (its sender is backed up) by its deadline
    sequence_advance(tenant=in_tenant_a, sequence_id=sequence.pk, now=deadline + timedelta(seconds=1))
    # then it is canceled, so it cannot arrive after part 2
    first = _part(sequence, 1)
    assert (first.status, first.message.status) == ("timed_out", "canceled")
    assert _part(sequence, 2).status == "sent"


def test_a_late_delivery_report_after_a_timeout_changes_nothing(start, twilio_says, in_tenant_a):
    sequence = start(policy="continue", part_timeout_seconds=60)
    twilio_says(1, sequence, "sent")
    deadline = _part(sequence, 1).deadline_at
    sequence_advance(tenant=in_tenant_a, sequence_id=sequence.pk, now=deadline + timedelta(seconds=1))
    # when part 1's delivery is reported after all
    twilio_says(1, sequence, "delivered")
    # then part 1 stays timed out (its message shows the delivery) and part 2 was sent once
    first = _part(sequence, 1)
    assert (first.status, first.message.status) == ("timed_out", "delivered")
    assert Message.objects.count() == 2


@pytest.mark.parametrize("policy", ["halt", "continue"])
def test_an_opted_out_recipient_halts_the_sequence_whatever_its_policy(start, twilio_says, in_tenant_a, policy):
    sequence = start(policy=policy)
    twilio_says(1, sequence, "sent")
    # when the recipient texts STOP while part 1 is on its way, and part 1 is then delivered
    opt_out_record(tenant=in_tenant_a, number=HANDSET, source="keyword", actor_label="handset", keyword="STOP")
    twilio_says(1, sequence, "delivered")
    # then part 2 is refused by the opt-out rule, and nothing more is sent
    assert status_of(sequence) == ("halted", "the recipient opted out")
    assert parts_of(sequence) == [(1, "delivered", BODIES[0]), (2, "failed", None), (3, "skipped", None),
                                  (4, "skipped", None)]  # fmt: skip
    assert _part(sequence, 2).detail.startswith("not sent: blocked by the compliance rules — OPT-01: ")
    assert Message.objects.count() == 1


def test_a_part_the_engine_blocks_as_opted_out_halts_a_continuing_sequence(start, in_tenant_a, committing):
    sequence = start(policy="continue")
    opt_out_record(tenant=in_tenant_a, number=HANDSET, source="keyword", actor_label="handset", keyword="STOP")
    message = _part(sequence, 1).message
    # when the engine checks part 1 once more just before it leaves
    sending.forget_tenant(in_tenant_a.schema_name)
    assert committing(sending.process, in_tenant_a.schema_name, message.pk) == "failed"
    # then no callback is needed: the failure itself halts the sequence
    assert status_of(sequence) == ("halted", "the recipient opted out")
    assert [(position, status) for position, status, _ in parts_of(sequence)] == [
        (1, "failed"),
        (2, "skipped"),
        (3, "skipped"),
        (4, "skipped"),
    ]
    assert Message.objects.count() == 1


def test_canceling_withdraws_the_waiting_part_and_skips_the_rest(start, in_tenant_a):
    sequence = start()
    # when
    canceled = sequence_cancel(sequence=sequence, actor_label="ann@acme.test")
    # then
    assert (canceled.status, canceled.reason) == ("canceled", "canceled by ann@acme.test")
    first = _part(sequence, 1)
    assert (first.status, first.message.status, first.detail) == (
        "skipped",
        "canceled",
        "withdrawn with the sequence before it left",
    )
    assert [status for _, status, _ in parts_of(sequence)] == ["skipped"] * 4
    with pytest.raises(SequenceNotCancelable, match="is canceled"):
        sequence_cancel(sequence=sequence)


def test_a_part_that_left_before_the_cancel_keeps_its_outcome_and_nothing_follows(start, twilio_says):
    sequence = start()
    twilio_says(1, sequence, "sent")
    sequence_cancel(sequence=sequence)
    # when part 1 is delivered after the cancel
    twilio_says(1, sequence, "delivered")
    # then its outcome is recorded, and part 2 is never sent
    assert status_of(sequence) == ("canceled", "canceled")
    assert parts_of(sequence) == [(1, "delivered", BODIES[0]), (2, "skipped", None), (3, "skipped", None),
                                  (4, "skipped", None)]  # fmt: skip
    assert Message.objects.count() == 1


def test_a_pool_sends_every_part(in_tenant_a, dispatch_index, committing):
    sender = SenderFactory(tenant=in_tenant_a, address="+14165550100", mps=10)
    pool = SenderPoolFactory(tenant=in_tenant_a, senders=[sender])
    parts = [PartContent(body="a"), PartContent(media_urls=("https://example.com/b.png",))]
    sequence = committing(sequence_create, tenant=in_tenant_a, to="416 555 0199", parts=parts, pool=pool)
    assert (sequence.to, sequence.pool, sequence.sender) == (HANDSET, pool, None)
    assert Message.objects.get().pool == pool


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"parts": [PartContent(body="only one")]}, "parts", "a sequence has 2 to 10 parts"),
        ({"parts": [PartContent(body=str(n)) for n in range(11)]}, "parts", "a sequence has 2 to 10 parts"),
        ({"parts": [PartContent(body="a"), PartContent(body="")]}, "parts.1.body", "give a body, media URLs, or both"),
        (
            {"parts": [PartContent(body="a"), PartContent(body="b"), PartContent(media_urls=("http://x.test/a.png",))]},
            "parts.2.media_urls.0",
            "'http://x.test/a.png' is not an https URL Twilio can fetch",
        ),
        (
            {"parts": [PartContent(body="a"), PartContent(body="x" * 1601)]},
            "parts.1.body",
            "body is 1,601 characters; Twilio takes at most 1,600",
        ),
        ({"part_timeout_seconds": 9}, "part_timeout_seconds", "part_timeout_seconds must be between 10 and 86,400"),
        ({"to": "hello"}, "to", "'hello' is not a phone number"),
        ({"sender": None}, "sender", "give either a sender or a pool"),
    ],
)
def test_bad_input_is_refused_naming_the_field_and_nothing_is_stored(in_tenant_a, sender, changes, field, message):
    arguments = {"tenant": in_tenant_a, "to": HANDSET, "parts": [PartContent(body="a"), PartContent(body="b")],
                 "sender": sender, **changes}  # fmt: skip
    with pytest.raises(MessagingValidationError) as refused:
        sequence_create(**arguments)
    assert (refused.value.field, refused.value.message) == (field, message)
    assert (Sequence.objects.count(), SequencePart.objects.count(), Message.objects.count()) == (0, 0, 0)


def test_a_first_part_the_rules_block_leaves_nothing_behind(in_tenant_a, sender):
    opt_out_record(tenant=in_tenant_a, number=HANDSET, source="api", actor_label="k")
    with pytest.raises(ComplianceBlocked) as refused:
        sequence_create(tenant=in_tenant_a, to=HANDSET, parts=[PartContent(body="a"), PartContent(body="b")],
                        sender=sender)  # fmt: skip
    assert [finding.rule for finding in refused.value.findings] == ["OPT-01"]
    assert (Sequence.objects.count(), SequencePart.objects.count(), Message.objects.count()) == (0, 0, 0)


def test_the_sweep_advances_a_sequence_whose_advance_was_lost(start, in_tenant_a):
    sequence = start()
    first = _part(sequence, 1)
    # given part 1 was delivered but the advance task never ran (the broker was down)
    Message.objects.filter(pk=first.message_id).update(
        status="delivered", sent_at=timezone.now(), delivered_at=timezone.now()
    )
    assert selectors.sequences_due(now=timezone.now()) == [sequence.pk]
    # when
    report = tenant_sweep.apply(kwargs={"schema_name": in_tenant_a.schema_name}).get()
    # then
    assert report["sequences"] == 1
    assert parts_of(sequence)[:2] == [(1, "delivered", BODIES[0]), (2, "sent", BODIES[1])]
    assert selectors.sequences_due(now=timezone.now()) == []


def test_another_tenants_sequences_are_invisible(start, tenant_b):
    sequence = start()
    with in_tenant(tenant_b):
        assert list(selectors.sequences()) == []
        assert sequence_advance(tenant=tenant_b, sequence_id=sequence.pk) is None
        assert selectors.sequences_due(now=timezone.now() + timedelta(days=1)) == []
    assert parts_of(sequence)[:2] == [(1, "sent", BODIES[0]), (2, "pending", None)]


def test_a_part_deferred_to_the_sending_hours_waits_from_when_it_may_leave(start, in_tenant_a):
    sequence = start(part_timeout_seconds=60)
    first = _part(sequence, 1)
    # given the engine deferred part 1 just before it left, to three hours from now (the recipient's quiet hours)
    leaves = first.sent_at + timedelta(hours=3)
    Message.objects.filter(pk=first.message_id).update(status="scheduled", send_at=leaves, queued_at=None)
    # when its first deadline passes
    sequence_advance(tenant=in_tenant_a, sequence_id=sequence.pk, now=first.deadline_at + timedelta(seconds=1))
    # then the part waits on, until 60 s after it may leave
    first = _part(sequence, 1)
    assert (first.status, first.deadline_at) == ("sent", leaves + timedelta(seconds=60))
    assert status_of(sequence) == ("running", "")
    # and times out only after that
    sequence_advance(tenant=in_tenant_a, sequence_id=sequence.pk, now=first.deadline_at + timedelta(seconds=1))
    assert (_part(sequence, 1).status, status_of(sequence)) == ("timed_out", ("halted", "part 1 timed out"))
