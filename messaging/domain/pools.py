"""Picking a sender from a pool for one recipient (pure).

Order of preference: a sender in the recipient's country; then a short code, as Twilio's Messaging Services always
prefer the pool's short code when it can reach the recipient (twilio.com/docs/messaging/api/services-shortcode-resource,
read 2026-12-01); then the sender this contact had before (sticky, so a conversation keeps one number); then, for
US/CA, a number in the recipient's area code; then the least loaded. Alphanumeric senders only where the country
allows them, and never when replies are expected.
"""

from __future__ import annotations

from dataclasses import dataclass

NANP_COUNTRIES = frozenset({"US", "CA"})
ALPHANUMERIC = "alphanumeric"
SHORT_CODE = "short_code"


@dataclass(frozen=True)
class PoolSender:
    sender_id: int
    kind: str
    country: str
    address: str
    two_way: bool
    load: float = 0.0  # queued segments ÷ MPS: seconds of backlog
    usable: bool = True  # registration allows sending, not paused


@dataclass(frozen=True)
class Recipient:
    phone_number: str  # E.164
    country: str


@dataclass(frozen=True)
class Choice:
    sender_id: int
    reason: str


class NoSenderAvailable(LookupError):
    """No sender of the pool may send to this recipient; the message says why."""


def area_code(phone_number: str) -> str:
    """The NANP area code of a +1 number, or '' for any other."""
    return phone_number[2:5] if phone_number.startswith("+1") and len(phone_number) == 12 else ""


def _eligible(
    sender: PoolSender, recipient: Recipient, *, two_way: bool, alphanumeric_countries: frozenset[str]
) -> bool:
    if not sender.usable:
        return False
    if sender.kind == ALPHANUMERIC:
        return not two_way and recipient.country in alphanumeric_countries
    if sender.kind == SHORT_CODE and sender.country != recipient.country:
        return False  # a short code reaches only the carriers of its own country
    return not two_way or sender.two_way


def choose_sender(
    senders: list[PoolSender],
    recipient: Recipient,
    *,
    sticky_sender_id: int | None = None,
    two_way: bool = False,
    alphanumeric_countries: frozenset[str] = frozenset(),
) -> Choice:
    """The sender for this recipient, with the rule that decided it; NoSenderAvailable when none may send."""
    eligible = [
        s for s in senders if _eligible(s, recipient, two_way=two_way, alphanumeric_countries=alphanumeric_countries)
    ]
    if not eligible:
        raise NoSenderAvailable(
            f"no sender in the pool may send to {recipient.country} ({'two-way' if two_way else 'one-way'})"
        )
    local = [s for s in eligible if s.country == recipient.country]
    candidates = local or eligible
    basis = "country match" if local else "no sender in the recipient's country"
    short_codes = [s for s in candidates if s.kind == SHORT_CODE]
    if short_codes:
        return Choice(_least_loaded(short_codes).sender_id, f"{basis}, short code first")
    sticky = next((s for s in candidates if s.sender_id == sticky_sender_id), None)
    if sticky is not None:
        return Choice(sticky.sender_id, "sticky: the sender this contact had before")
    if recipient.country in NANP_COUNTRIES:
        code = area_code(recipient.phone_number)
        same_area = [s for s in candidates if code and area_code(s.address) == code]
        if same_area:
            return Choice(_least_loaded(same_area).sender_id, f"{basis}, area code {code}")
    return Choice(_least_loaded(candidates).sender_id, f"{basis}, least loaded")


def _least_loaded(senders: list[PoolSender]) -> PoolSender:
    return min(senders, key=lambda s: (s.load, s.sender_id))
