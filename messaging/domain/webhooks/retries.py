"""When a failed delivery is tried again, and when an endpoint that keeps failing is turned off (pure).

A delivery is tried at most 8 times. After the n-th failed attempt it waits between half and all of
10 min · 2^(n−1) (exponential, with jitter so that many deliveries failing together do not come back together), at
least what the receiver's Retry-After asked, at most 12 h: the last attempt comes 10½ to 21 hours after the first.
An endpoint is disabled once its last 20 attempts in a row failed and it has been failing for 24 hours: a busy
endpoint that is down for an hour keeps its subscription, one that is down for a day is switched off.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Final

from messaging.domain.backoff import Retry, retry_after_failure

MAX_ATTEMPTS: Final = 8
BASE_SECONDS: Final = 600.0
CAP_SECONDS: Final = 12 * 3600.0
DISABLE_AFTER_FAILURES: Final = 20
DISABLE_AFTER: Final = timedelta(hours=24)


def retry_after_attempt(*, attempts: int, jitter: float, retry_after_seconds: float | None = None) -> Retry:
    """After `attempts` failed tries (1 = the first), when to try again, or give up; `jitter` in [0, 1]."""
    if not 0 <= jitter <= 1:
        raise ValueError("jitter must be in [0, 1]")
    if retry_after_seconds is not None:
        retry_after_seconds = min(retry_after_seconds, CAP_SECONDS)
    return retry_after_failure(
        attempts=attempts,
        jitter=0.5 + jitter / 2,
        retry_after_seconds=retry_after_seconds,
        max_attempts=MAX_ATTEMPTS,
        base=BASE_SECONDS,
        cap=CAP_SECONDS,
    )


def should_disable(
    *,
    consecutive_failures: int,
    failing_since: datetime | None,
    now: datetime,
    min_failures: int = DISABLE_AFTER_FAILURES,
    min_duration: timedelta = DISABLE_AFTER,
) -> bool:
    """Whether an endpoint whose last `consecutive_failures` attempts failed, the first at `failing_since`, is
    switched off now: at least `min_failures` of them, over at least `min_duration`."""
    if failing_since is None or consecutive_failures < min_failures:
        return False
    return now - failing_since >= min_duration


def retry_after_header(value: str | None) -> float | None:
    """Seconds from a Retry-After header in its seconds form; None for a date, nonsense or nothing."""
    if value is None:
        return None
    value = value.strip()
    return float(value) if value.isdigit() else None
