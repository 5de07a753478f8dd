"""Ordered sequences: parts to one recipient, part k+1 sent only once part k's status callback said `delivered`.

`sequence_create` checks every part before it stores any, then stores the sequence and its parts and sends part 1
through `message_send` (the same checks, rules and engine as any message), all in one transaction: a part 1 that a
rule blocks leaves nothing behind. From then on the sequence moves only when something happens to it:

- the status callback that settles a part's message (and the engine, when it fails a message before Twilio) queues
  `sequence_advance_task` once its transaction commits (`messaging.services.sequence_events`);
- each part sent also queues that task to run once, just after the part's deadline, and the tenant sweep picks up
  any sequence whose task was lost.

`sequence_advance` locks the sequence row, settles the part waiting for its outcome, and sends the next part or
ends the sequence; a duplicate, late or concurrent advance finds the part settled already and does nothing, so no
part is ever sent twice. A recipient who opted out halts the sequence whatever its policy.
"""

from __future__ import annotations

import contextlib
from collections.abc import Sequence as Seq
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.db import connection, transaction
from django.utils import timezone

from compliance.domain.rules import Category
from compliance.errors import ComplianceBlocked
from config.errors import ServiceError
from messaging.domain.failures import FailureReason
from messaging.domain.sequences import PartOutcome, goes_on, part_outcome
from messaging.errors import (
    MessageNotCancelable,
    MessagingValidationError,
    SequenceNotCancelable,
    UnprocessableInput,
)
from messaging.models import Message, Sender, SenderPool, Sequence, SequencePart
from messaging.models.sequences import (
    DEFAULT_PART_TIMEOUT_SECONDS,
    MAX_PART_TIMEOUT_SECONDS,
    MIN_PART_TIMEOUT_SECONDS,
)
from messaging.services.contacts import normalize_phone_number
from messaging.services.messages import message_cancel, message_content_check, message_send
from messaging.services.sequence_events import sequence_advance_later
from tenants.models import Tenant

MIN_PARTS = 2
MAX_PARTS = 10
DEADLINE_SLACK_SECONDS = 1  # the timeout task runs just after the deadline, so it finds the deadline passed
OPT_OUT_RULE = "OPT-01"


@dataclass(frozen=True)
class PartContent:
    """What one part says: a body, media URLs, or both."""

    body: str = ""
    media_urls: tuple[str, ...] = field(default_factory=tuple)


def sequence_create(
    *,
    tenant: Tenant,
    to: str,
    parts: Seq[PartContent],
    sender: Sender | None = None,
    pool: SenderPool | None = None,
    category: str = Category.TRANSACTIONAL,
    policy: str = Sequence.Policy.HALT,
    part_timeout_seconds: int = DEFAULT_PART_TIMEOUT_SECONDS,
    source: str = Message.Source.API,
    now: datetime | None = None,
) -> Sequence:
    """Store a sequence and send its first part; refuses, naming the field (`parts.1.body`, ...), anything that
    is wrong with any part before storing a thing, and whatever `message_send` refuses for part 1."""
    now = now or timezone.now()
    _check_parts(parts)
    _check_timeout(part_timeout_seconds)
    if (sender is None) == (pool is None):
        raise UnprocessableInput("give either a sender or a pool", field="sender")
    to_e164, _country = normalize_phone_number(to, default_country=tenant.default_country, field="to")
    with transaction.atomic():
        sequence = Sequence.objects.create(
            to=to_e164, sender=sender, pool=pool, category=category, policy=policy,
            part_timeout_seconds=part_timeout_seconds, source=source, status=Sequence.Status.RUNNING,
        )  # fmt: skip
        stored = SequencePart.objects.bulk_create(
            SequencePart(sequence=sequence, position=index, body=part.body, media_urls=list(part.media_urls))
            for index, part in enumerate(parts, start=1)
        )
        _send_part(sequence, stored[0], tenant=tenant, now=now)  # a refusal here rolls everything back
    return sequence


def _check_parts(parts: Seq[PartContent]) -> None:
    if not MIN_PARTS <= len(parts) <= MAX_PARTS:
        raise MessagingValidationError(f"a sequence has {MIN_PARTS} to {MAX_PARTS} parts", field="parts")
    for index, part in enumerate(parts):
        try:
            message_content_check(body=part.body, media_urls=part.media_urls)
        except MessagingValidationError as exc:  # a rule of Twilio's, stated in words (422 on the API)
            item = (exc.field or "body").replace("[", ".").replace("]", "")  # media_urls[0] -> media_urls.0
            raise UnprocessableInput(exc.message, field=f"parts.{index}.{item}") from exc


def _check_timeout(seconds: int) -> None:
    if not MIN_PART_TIMEOUT_SECONDS <= seconds <= MAX_PART_TIMEOUT_SECONDS:
        raise MessagingValidationError(
            f"part_timeout_seconds must be between {MIN_PART_TIMEOUT_SECONDS} and {MAX_PART_TIMEOUT_SECONDS:,}",
            field="part_timeout_seconds",
        )


def _send_part(sequence: Sequence, part: SequencePart, *, tenant: Tenant, now: datetime) -> None:
    """Hand the part to the engine as a message, and wake the sequence again just after the part's deadline."""
    message = message_send(
        tenant=tenant, to=sequence.to, body=part.body, media_urls=part.media_urls, sender=sequence.sender,
        pool=sequence.pool, lane=Message.Lane.PRIORITY, source=Message.Source.SEQUENCE, category=sequence.category,
        now=now,
    )  # fmt: skip
    leaves = max(now, message.send_at or now)  # a part deferred to the sending hours waits from when it may leave
    deadline = leaves + timedelta(seconds=sequence.part_timeout_seconds)
    SequencePart.objects.filter(pk=part.pk, status=SequencePart.Status.PENDING).update(
        status=SequencePart.Status.SENT, message=message, sent_at=now, deadline_at=deadline
    )
    schema, countdown = connection.schema_name, (deadline - now).total_seconds() + DEADLINE_SLACK_SECONDS
    transaction.on_commit(lambda: sequence_advance_later(schema, sequence.pk, countdown=countdown), robust=True)


def sequence_advance(*, tenant: Tenant, sequence_id: int, now: datetime | None = None) -> Sequence | None:
    """Settle the part waiting for its outcome, then send the next part or end the sequence; does nothing while
    that part's message is on its way within its deadline. Safe to run twice, late or at once (the row is locked)."""
    now = now or timezone.now()
    with transaction.atomic():
        sequence = Sequence.objects.select_for_update().filter(pk=sequence_id).first()
        if sequence is None:
            return None
        part = _waiting_part(sequence)
        if part is None:
            return sequence
        running = sequence.status == Sequence.Status.RUNNING
        if running and _deferred_past_deadline(sequence, part, now):
            return sequence
        outcome = part_outcome(part.message.status, deadline_passed=running and part.deadline_at <= now)
        if outcome is None or not _settle(part, outcome, now):
            return sequence
        if not running:  # canceled meanwhile: the part's outcome is recorded, nothing more is sent
            return sequence
        if outcome == PartOutcome.TIMED_OUT:
            _withdraw(part.message, why="its sequence, after the part timed out")
        opted_out = part.message.failure_reason == FailureReason.OPTED_OUT
        if goes_on(outcome, policy=sequence.policy, opted_out=opted_out):
            _send_next(sequence, tenant=tenant, now=now)
        else:
            why = "the recipient opted out" if opted_out else f"part {part.position} {_said(outcome)}"
            _end(sequence, Sequence.Status.HALTED, now, reason=why)
    return sequence


def _deferred_past_deadline(sequence: Sequence, part: SequencePart, now: datetime) -> bool:
    """A part the engine deferred to the sending hours just before it left waits from when it may leave: its
    deadline moves, and the sequence is woken again just after the new one."""
    message = part.message
    if message.status != Message.Status.SCHEDULED or message.send_at is None:
        return False
    deadline = message.send_at + timedelta(seconds=sequence.part_timeout_seconds)
    if deadline <= part.deadline_at:
        return False
    SequencePart.objects.filter(pk=part.pk, status=SequencePart.Status.SENT).update(deadline_at=deadline)
    schema, countdown = connection.schema_name, (deadline - now).total_seconds() + DEADLINE_SLACK_SECONDS
    transaction.on_commit(lambda: sequence_advance_later(schema, sequence.pk, countdown=countdown), robust=True)
    return True


def _waiting_part(sequence: Sequence) -> SequencePart | None:
    return sequence.parts.select_related("message").filter(status=SequencePart.Status.SENT).order_by("position").first()


def _said(outcome: PartOutcome) -> str:
    return "timed out" if outcome == PartOutcome.TIMED_OUT else f"ended {outcome.value}"


def _settle(part: SequencePart, outcome: str, now: datetime, *, detail: str | None = None) -> bool:
    """Record the part's outcome, if it is still waiting for one (the condition is in the update)."""
    detail = _detail_of(part, outcome) if detail is None else detail
    return bool(
        SequencePart.objects.filter(pk=part.pk, status=SequencePart.Status.SENT).update(
            status=outcome, finished_at=now, detail=detail[:300]
        )
    )


def _detail_of(part: SequencePart, outcome: str) -> str:
    message = part.message
    if outcome == PartOutcome.TIMED_OUT:
        return f"no final status within {part.sequence.part_timeout_seconds:,} s (the message was {message.status})"
    if outcome == PartOutcome.DELIVERED:
        return ""
    code = f" ({message.error_code})" if message.error_code else ""
    return f"{message.failure_reason or message.status}{code}: {message.error_message}".rstrip(": ")


def _withdraw(message: Message, *, why: str) -> None:
    """A part's message that still waits in our outbox never leaves (after a timeout it would arrive out of order);
    one a worker claimed a moment ago goes, and its outcome is kept."""
    if message.status in (Message.Status.QUEUED, Message.Status.SCHEDULED):
        with contextlib.suppress(MessageNotCancelable):
            message_cancel(message=message, actor_label=why)


def _send_next(sequence: Sequence, *, tenant: Tenant, now: datetime) -> None:
    """Send the next pending part; a part the rules or the engine refuse fails, and the policy decides again."""
    for part in sequence.parts.filter(status=SequencePart.Status.PENDING).order_by("position"):
        try:
            with transaction.atomic():
                _send_part(sequence, part, tenant=tenant, now=now)
            return
        except ServiceError as exc:
            opted_out = isinstance(exc, ComplianceBlocked) and any(f.rule == OPT_OUT_RULE for f in exc.findings)
            SequencePart.objects.filter(pk=part.pk, status=SequencePart.Status.PENDING).update(
                status=SequencePart.Status.FAILED, finished_at=now, detail=f"not sent: {exc.message}"[:300]
            )
            if not goes_on(PartOutcome.FAILED, policy=sequence.policy, opted_out=opted_out):
                why = "the recipient opted out" if opted_out else f"part {part.position} could not be sent"
                _end(sequence, Sequence.Status.HALTED if opted_out else Sequence.Status.FAILED, now, reason=why)
                return
    _end(sequence, Sequence.Status.COMPLETED, now)


def _end(sequence: Sequence, status: str, now: datetime, *, reason: str = "") -> None:
    """End the sequence; the parts that had no turn are skipped."""
    sequence.parts.filter(status=SequencePart.Status.PENDING).update(
        status=SequencePart.Status.SKIPPED, finished_at=now, detail=f"skipped: the sequence {status}"[:300]
    )
    sequence.status, sequence.finished_at, sequence.reason = status, now, reason[:300]
    sequence.save(update_fields=["status", "finished_at", "reason"])


def sequence_cancel(*, sequence: Sequence, actor_label: str = "", now: datetime | None = None) -> Sequence:
    """Cancel a sequence that has not ended: no further part is sent, and a part still in our outbox is withdrawn.
    SequenceNotCancelable once it has ended."""
    now = now or timezone.now()
    with transaction.atomic():
        locked = Sequence.objects.select_for_update().get(pk=sequence.pk)
        if locked.status not in (Sequence.Status.PENDING, Sequence.Status.RUNNING):
            raise SequenceNotCancelable(
                f"sequence {locked.uuid} is {locked.status}: only a pending or running sequence can be canceled",
                field="status",
            )
        part = _waiting_part(locked)
        if part is not None:
            _withdraw(part.message, why="its sequence, canceled")
            part.message.refresh_from_db()
            if part.message.status == Message.Status.CANCELED:
                _settle(part, SequencePart.Status.SKIPPED, now, detail="withdrawn with the sequence before it left")
        _end(locked, Sequence.Status.CANCELED, now, reason=f"canceled by {actor_label}" if actor_label else "canceled")
    return locked
