"""A message's status and the order statuses move in (pure).

Our statuses follow Twilio's, with the phases before Twilio has the message in front: `scheduled` (its send time
is ahead), `queued` (in our outbox), `sending` (a worker claimed it and asked Twilio), then `accepted` (Twilio has it:
Twilio's queued, accepted, scheduled or sending), `sent` (handed to the carrier), and the final `delivered`,
`undelivered`, `failed`, `read`; `canceled` before it left; `received` for an inbound message. A campaign's
messages may also be `held` (its campaign is paused: not sent until it resumes) or `suppressed` (the campaign's
expansion found the recipient opted out or otherwise blocked: never sent).

A status only moves forward: a late or repeated callback never takes a message back (reference/engine.md §4;
Twilio does not promise callbacks in order). `delivered` may still become `read`; `failed`, `undelivered`,
`canceled` and `read` are final.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Final


class MessageStatus(StrEnum):
    SCHEDULED = "scheduled"
    QUEUED = "queued"
    SENDING = "sending"
    ACCEPTED = "accepted"
    SENT = "sent"
    DELIVERED = "delivered"
    UNDELIVERED = "undelivered"
    FAILED = "failed"
    READ = "read"
    CANCELED = "canceled"
    RECEIVED = "received"
    HELD = "held"
    SUPPRESSED = "suppressed"


RANK: Final[dict[MessageStatus, int]] = {
    MessageStatus.SCHEDULED: 0,
    MessageStatus.HELD: 0,
    MessageStatus.QUEUED: 1,
    MessageStatus.SENDING: 2,
    MessageStatus.ACCEPTED: 3,
    MessageStatus.SENT: 4,
    MessageStatus.DELIVERED: 5,
    MessageStatus.UNDELIVERED: 5,
    MessageStatus.FAILED: 5,
    MessageStatus.CANCELED: 5,
    MessageStatus.SUPPRESSED: 5,
    MessageStatus.READ: 6,
    MessageStatus.RECEIVED: 6,
}
FINAL: Final = frozenset(
    {
        MessageStatus.UNDELIVERED,
        MessageStatus.FAILED,
        MessageStatus.CANCELED,
        MessageStatus.READ,
        MessageStatus.RECEIVED,
        MessageStatus.SUPPRESSED,
    }
)
# Still ours to send or to stop: a cancel takes effect only from these.
CANCELABLE: Final = frozenset({MessageStatus.SCHEDULED, MessageStatus.QUEUED, MessageStatus.HELD})
# The statuses of messages that left for Twilio and reached it.
AT_PROVIDER: Final = frozenset(
    {
        MessageStatus.ACCEPTED,
        MessageStatus.SENT,
        MessageStatus.DELIVERED,
        MessageStatus.UNDELIVERED,
        MessageStatus.READ,
    }
)

# Twilio's message statuses (reference/twilio.md §1.3) as ours.
_FROM_PROVIDER: Final[dict[str, MessageStatus]] = {
    "queued": MessageStatus.ACCEPTED,
    "accepted": MessageStatus.ACCEPTED,
    "scheduled": MessageStatus.ACCEPTED,
    "sending": MessageStatus.ACCEPTED,
    "sent": MessageStatus.SENT,
    "delivered": MessageStatus.DELIVERED,
    "partially_delivered": MessageStatus.DELIVERED,
    "undelivered": MessageStatus.UNDELIVERED,
    "failed": MessageStatus.FAILED,
    "read": MessageStatus.READ,
    "canceled": MessageStatus.CANCELED,
    "receiving": MessageStatus.RECEIVED,
    "received": MessageStatus.RECEIVED,
}


def status_from_provider(provider_status: str) -> MessageStatus | None:
    """Our status for one of Twilio's (case-insensitive); None for a value Twilio may add that we do not know."""
    return _FROM_PROVIDER.get(provider_status.strip().lower())


def moves_forward(current: MessageStatus, new: MessageStatus) -> bool:
    """Whether a message in `current` may take `new`: only to a higher rank, and never out of a final status."""
    return current not in FINAL and RANK[new] > RANK[current]
