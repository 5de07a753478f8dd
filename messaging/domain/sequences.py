"""Ordered sequences (pure): what became of a part, from its message's status and its deadline, and whether the
sequence goes on after it.

A part is settled by its message's final word: `delivered` (or `read`, which only follows delivery) lets the next
part go; `undelivered`, `failed` and `canceled` end the part as not delivered; a message still on its way when the
part's deadline passes ends it as `timed_out`. After a part that was not delivered, the sequence's policy decides:
`halt` stops it there, `continue` sends the next part anyway. A recipient who opted out stops it whatever the policy.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Final

from messaging.domain.statuses import MessageStatus


class PartOutcome(StrEnum):
    DELIVERED = "delivered"
    UNDELIVERED = "undelivered"
    FAILED = "failed"
    TIMED_OUT = "timed_out"


class Policy(StrEnum):
    HALT = "halt"
    CONTINUE = "continue"


_SETTLED_BY: Final[dict[MessageStatus, PartOutcome]] = {
    MessageStatus.DELIVERED: PartOutcome.DELIVERED,
    MessageStatus.READ: PartOutcome.DELIVERED,
    MessageStatus.UNDELIVERED: PartOutcome.UNDELIVERED,
    MessageStatus.FAILED: PartOutcome.FAILED,
    MessageStatus.CANCELED: PartOutcome.FAILED,
}
# The message statuses that settle a part: the status callback path and the sweep look for these.
SETTLING_STATUSES: Final = frozenset(_SETTLED_BY)


def part_outcome(message_status: str, *, deadline_passed: bool) -> PartOutcome | None:
    """What became of a part whose message is in `message_status`; None while it is still on its way in time."""
    settled = _SETTLED_BY.get(MessageStatus(message_status))
    if settled is not None:
        return settled
    return PartOutcome.TIMED_OUT if deadline_passed else None


def goes_on(outcome: PartOutcome, *, policy: Policy | str, opted_out: bool = False) -> bool:
    """Whether the next part is sent after a part that ended with `outcome`."""
    if opted_out:
        return False
    return outcome == PartOutcome.DELIVERED or Policy(policy) == Policy.CONTINUE
