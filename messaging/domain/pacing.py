"""Pacing a sender at its MPS, counted in segments: the generic cell rate algorithm (pure reference).

A sender's bucket is one number, its theoretical arrival time (TAT). A message costing `cost` segments is admitted
when the debt (TAT − now) is within the burst tolerance, and then charges `cost × interval` to the TAT. Checking the
debt before charging matters: the textbook form, which checks `TAT + cost × interval` first, never admits a message
whose segments exceed the burst, so long messages would starve (reference/engine.md §2). The Redis script in
`messaging.dispatch.scripts` is this function in Lua, with the server's clock; the tests check them against each
other. Times are integer microseconds.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from decimal import Decimal

MICROSECONDS = 1_000_000


@dataclass(frozen=True)
class Admission:
    admitted: bool
    tat: int  # the bucket's TAT after the decision (charged when admitted)
    wait: int  # microseconds until a message would be admitted, 0 when admitted


def interval_for(mps: Decimal | float, *, margin: Decimal | float = 1) -> int:
    """Microseconds between two segments at `mps` segments a second, times `margin` ≤ 1 of the rate (rounded up)."""
    rate = Decimal(str(mps)) * Decimal(str(margin))
    if rate <= 0:
        raise ValueError("mps and margin must be positive")
    return math.ceil(Decimal(MICROSECONDS) / rate)


def admit(*, tat: int | None, now: int, cost: int, interval: int, burst: int = 0) -> Admission:
    """The decision for a message of `cost` segments at `now`: debt checked first, then charged."""
    current = max(tat if tat is not None else now, now)
    debt = current - now
    if debt > burst:
        return Admission(admitted=False, tat=current, wait=debt - burst)
    return Admission(admitted=True, tat=current + cost * interval, wait=0)
