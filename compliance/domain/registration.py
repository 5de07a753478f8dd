"""Registration state machines of senders and the rule they enforce on sending (pure).

US A2P 10DLC numbers send only under an approved campaign (else Twilio fails them with 30034); toll-free numbers
only once verified (30032); short codes only once provisioned. Other sender kinds need no registration here.
"""

from __future__ import annotations

from dataclasses import dataclass

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
INITIAL_STATE = {TEN_DLC: "draft", TOLL_FREE: "pending", SHORT_CODE: "applied"}
SENDING_STATE = {TEN_DLC: "approved", TOLL_FREE: "verified", SHORT_CODE: "provisioned"}
BLOCKED_REASON = {
    TEN_DLC: ("30034", "US A2P 10DLC numbers send only under an approved campaign"),
    TOLL_FREE: ("30032", "toll-free numbers send only once toll-free verification is approved"),
    SHORT_CODE: ("", "short codes send only once provisioned by the carriers"),
}


class InvalidTransition(ValueError):
    """The registration cannot move from its state to the one asked for."""


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
    """Where a registration may go from `state`."""
    return TRANSITIONS.get(kind, {}).get(state, frozenset())


def transition(kind: str, state: str, target: str) -> str:
    """The new state, or InvalidTransition naming the allowed ones."""
    allowed = next_states(kind, state)
    if target not in allowed:
        choices = ", ".join(sorted(allowed)) or "none"
        raise InvalidTransition(f"{kind} registration cannot go from {state or 'none'} to {target}; allowed: {choices}")
    return target


def sending_verdict(kind: str, state: str) -> SendingVerdict:
    """May a sender of this kind in this registration state send now?"""
    if not needs_registration(kind) or state == SENDING_STATE[kind]:
        return SendingVerdict(allowed=True)
    code, reason = BLOCKED_REASON[kind]
    return SendingVerdict(allowed=False, reason=f"{reason} (registration is {state or 'missing'})", twilio_code=code)
