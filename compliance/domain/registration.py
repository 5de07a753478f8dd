"""Registration state machines of senders and the rule they enforce on sending (pure).

US A2P 10DLC numbers send only under an approved campaign (else Twilio fails them with 30034); toll-free numbers
only once verified (30032); short codes only once provisioned. Other sender kinds need no registration here.

Who moves a registration matters: a tenant may submit it, and start again after a rejection; approval, rejection
and suspension are decided by the carriers or Twilio and recorded by ISV staff (or, later, from the provider's own
status). A tenant that could approve its own registration would lift the sending gate by itself.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

TEN_DLC, TOLL_FREE, SHORT_CODE = "a2p_10dlc", "toll_free", "short_code"

# kind: {state: states it may move to}
TRANSITIONS: dict[str, dict[str, frozenset[str]]] = {
    TEN_DLC: {
        "draft": frozenset({"submitted"}),
        "submitted": frozenset({"approved", "rejected"}),
        "approved": frozenset({"suspended"}),
        "rejected": frozenset({"draft"}),
        "suspended": frozenset({"approved", "draft"}),
    },
    TOLL_FREE: {
        "pending": frozenset({"verified", "rejected"}),
        "rejected": frozenset({"pending"}),
        "verified": frozenset({"rejected"}),
    },
    SHORT_CODE: {
        "applied": frozenset({"provisioned", "rejected"}),
        "rejected": frozenset({"applied"}),
        "provisioned": frozenset(),
    },
}
# kind: the (from, to) moves a tenant may make itself; every other move of TRANSITIONS is for ISV staff.
TENANT_MOVES: dict[str, frozenset[tuple[str, str]]] = {
    TEN_DLC: frozenset({("draft", "submitted"), ("rejected", "draft")}),
    TOLL_FREE: frozenset({("rejected", "pending")}),
    SHORT_CODE: frozenset({("rejected", "applied")}),
}
INITIAL_STATE = {TEN_DLC: "draft", TOLL_FREE: "pending", SHORT_CODE: "applied"}
SENDING_STATE = {TEN_DLC: "approved", TOLL_FREE: "verified", SHORT_CODE: "provisioned"}
BLOCKED_REASON = {
    TEN_DLC: ("30034", "US A2P 10DLC numbers send only under an approved campaign"),
    TOLL_FREE: ("30032", "toll-free numbers send only once toll-free verification is approved"),
    SHORT_CODE: ("", "short codes send only once provisioned by the carriers"),
}


class Mover(StrEnum):
    """Who moves a registration: the tenant itself, or ISV staff (recording the provider's decision)."""

    TENANT = "tenant"
    STAFF = "staff"


class InvalidTransition(ValueError):
    """The registration cannot move from its state to the one asked for."""


class MoveNotPermitted(ValueError):
    """The state machine has the move, but it is not for the one asking (a tenant approving itself)."""


@dataclass(frozen=True)
class SendingVerdict:
    allowed: bool
    reason: str = ""
    twilio_code: str = ""


def needs_registration(kind: str) -> bool:
    """Whether senders of this kind carry a registration state."""
    return kind in TRANSITIONS


def initial_state(kind: str) -> str:
    """The state a new sender of this kind starts in ('' when it needs no registration)."""
    return INITIAL_STATE.get(kind, "")


def next_states(kind: str, state: str) -> frozenset[str]:
    """Where a registration may go from `state`, whoever moves it."""
    return TRANSITIONS.get(kind, {}).get(state, frozenset())


def allowed_moves(kind: str, state: str, *, by: Mover) -> frozenset[str]:
    """Where `by` may move a registration from `state`: staff any move of the state machine, a tenant only
    submitting and starting again after a rejection."""
    targets = next_states(kind, state)
    if by == Mover.STAFF:
        return targets
    return frozenset(target for target in targets if (state, target) in TENANT_MOVES.get(kind, frozenset()))


def transition(kind: str, state: str, target: str, *, by: Mover) -> str:
    """The new state; InvalidTransition when the state machine has no such move, MoveNotPermitted when the move
    is not `by`'s to make. Both name the moves `by` may make."""
    allowed = allowed_moves(kind, state, by=by)
    choices = ", ".join(sorted(allowed)) or "none"
    if target not in next_states(kind, state):
        raise InvalidTransition(f"{kind} registration cannot go from {state or 'none'} to {target}; allowed: {choices}")
    if target not in allowed:
        raise MoveNotPermitted(
            f"only ISV staff move this {kind} registration from {state} to {target}, on the decision of the carriers "
            f"or Twilio; you may move it to: {choices}"
        )
    return target


def sending_verdict(kind: str, state: str) -> SendingVerdict:
    """May a sender of this kind in this registration state send now?"""
    if not needs_registration(kind) or state == SENDING_STATE[kind]:
        return SendingVerdict(allowed=True)
    code, reason = BLOCKED_REASON[kind]
    return SendingVerdict(allowed=False, reason=f"{reason} (registration is {state or 'missing'})", twilio_code=code)
