"""A sender type's fees as lines a person reads: one-time, recurring and carrier fees, and when they were read."""

from __future__ import annotations

from decimal import Decimal

from messaging.domain.catalogue import Fees


def fee_lines(fees: Fees) -> tuple[str, ...]:
    """One line per kind of fee beyond the message price; carrier fees always get a line, known or not."""
    lines: list[str] = []
    if fees.one_time_text:
        lines.append(f"One-time: {fees.one_time_text.rstrip('.')}{_usd(fees.one_time_usd)}.")
    lines.append(f"Recurring: {_whether(fees.recurring, fees.recurring_text)}{_usd(fees.recurring_usd)}.")
    carrier = _whether(fees.carrier, fees.carrier_text).removeprefix("Carrier fees ")
    lines.append(f"Carrier fees: {carrier}{_usd(fees.carrier_usd)}.")
    if fees.read_on is not None:
        source = f" ({fees.source})" if fees.source else ""
        lines.append(f"Amounts as Twilio listed them on {fees.read_on.isoformat()}{source}.")
    return tuple(lines)


def _whether(exists: bool | None, text: str) -> str:
    if exists is None:
        return "not known: ask Twilio" if not text or text.startswith("Not given") else text.rstrip(".")
    if not exists:
        return "none"
    return text.rstrip(".") or "yes"


def _usd(amount: Decimal | None) -> str:
    return f" (USD {amount})" if amount is not None else ""
