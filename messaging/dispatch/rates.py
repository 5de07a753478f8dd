"""Rates shared by every worker on every machine, kept in Redis: a caller reserves its slot and waits for it."""

from __future__ import annotations

import time

from messaging.dispatch import scripts
from messaging.dispatch.redis_index import _script

LOOKUP_KEY = "lookups:{subaccount}"


def reserve(key: str, *, per_second: float) -> float:
    """Reserve the next slot of `key`'s rate; returns the seconds until it comes (0 when it is now)."""
    interval_us = max(1, int(1_000_000 / per_second))
    wait_us = _script(scripts.RESERVE)(keys=[key], args=[interval_us])
    return int(wait_us) / 1_000_000


def wait_for_slot(key: str, *, per_second: float) -> None:
    """Reserve a slot and sleep until it comes."""
    seconds = reserve(key, per_second=per_second)
    if seconds > 0:
        time.sleep(seconds)
