"""Resolving a send whose outcome is unknown (pure): find it at Twilio, or be sure it is not there.

Twilio's create has no idempotency key (reference/engine.md §4), so a send that timed out or met a 5xx may or may
not have created the message. We never resend blindly: we list the subaccount's messages to that number and adopt
the one this attempt made (same recipient, same sender or Messaging Service, same body, created since the attempt
began and not already another message's). Twilio lists a message as soon as its create has returned, so when
several lookups spread over time find nothing, nothing was created and the message may be sent again.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Final, Literal

LOOKUPS_BEFORE_RESEND: Final = 3
# Twilio's clock and ours differ a little; a message created just before our attempt's timestamp is still ours.
CLOCK_SKEW: Final = timedelta(seconds=5)


@dataclass(frozen=True)
class Candidate:
    """A message the subaccount has, as a lookup returns it."""

    sid: str
    to: str
    from_: str | None
    messaging_service_sid: str | None
    body: str
    created_at: datetime | None


@dataclass(frozen=True)
class Decision:
    action: Literal["adopt", "wait", "resend"]
    reason: str
    sid: str | None = None


def reconcile(
    *,
    to: str,
    from_: str | None,
    messaging_service_sid: str | None,
    body: str,
    attempt_started_at: datetime,
    candidates: Sequence[Candidate],
    taken_sids: Collection[str],
    lookups_done: int,
    lookups_before_resend: int = LOOKUPS_BEFORE_RESEND,
) -> Decision:
    """Adopt the message this attempt created, wait for another lookup, or resend when surely none was created.

    `lookups_done` counts the lookups made so far, this one included.
    """
    earliest = attempt_started_at - CLOCK_SKEW
    matches = sorted(
        (
            c
            for c in candidates
            if c.to == to
            and (c.from_ == from_ if from_ else c.messaging_service_sid == messaging_service_sid)
            and c.body == body
            and c.created_at is not None
            and c.created_at >= earliest
            and c.sid not in taken_sids
        ),
        key=lambda c: (c.created_at, c.sid),
    )
    if matches:
        return Decision("adopt", "Twilio has the message this attempt created", matches[0].sid)
    if lookups_done < lookups_before_resend:
        return Decision("wait", f"not found at Twilio after {lookups_done} lookup(s); looking again later")
    return Decision("resend", f"not found at Twilio after {lookups_done} lookups: it was never created")
