"""When to try a message again after a retryable failure (pure): exponential, with full jitter, honouring
Twilio's Retry-After, and a limit on attempts."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

BASE_SECONDS: Final = 2.0
CAP_SECONDS: Final = 300.0
MAX_ATTEMPTS: Final = 8


@dataclass(frozen=True)
class Retry:
    give_up: bool
    delay_seconds: float = 0.0


def retry_after_failure(
    *,
    attempts: int,
    jitter: float,
    retry_after_seconds: float | None = None,
    max_attempts: int = MAX_ATTEMPTS,
    base: float = BASE_SECONDS,
    cap: float = CAP_SECONDS,
) -> Retry:
    """After `attempts` tries (1 = the first), wait base·2^(attempts−1) capped, scaled by `jitter` in [0, 1]
    (full jitter); never less than Retry-After; give up once `max_attempts` tries failed."""
    if not 0 <= jitter <= 1:
        raise ValueError("jitter must be in [0, 1]")
    if attempts >= max_attempts:
        return Retry(give_up=True)
    ceiling = min(cap, base * 2 ** (attempts - 1))
    delay = ceiling * jitter
    if retry_after_seconds is not None:
        delay = max(delay, retry_after_seconds)
    return Retry(give_up=False, delay_seconds=delay)
