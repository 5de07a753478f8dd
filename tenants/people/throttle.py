"""Sign-in throttling against brute force, kept in the cache (Redis) so it holds across every web process.

Five failed sign-ins for one email from one address within 15 minutes lock that pair for 15 minutes; twenty
failures from one address, whatever the emails, lock the address. Password and two-factor code failures
count alike. A completed sign-in clears the pair's count; the address count is left to expire, so that
signing in to an account of one's own does not reset a run of guesses at other accounts.

Users are shared by every tenant, so the counters live under the public schema's cache keys: a lock on one
tenant host holds on all of them.
"""

from __future__ import annotations

import hashlib
import math
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django_tenants.utils import schema_context

PAIR_FAILURE_LIMIT = 5
ADDRESS_FAILURE_LIMIT = 20
WINDOW_SECONDS = 15 * 60
LOCK_SECONDS = 15 * 60

# The clock locks are measured with; tests replace it to move past a lock without sleeping.
clock = time.time


@dataclass(frozen=True)
class Lockout:
    """Sign-in is refused for `retry_after_seconds` more seconds."""

    retry_after_seconds: int

    @property
    def minutes(self) -> int:
        return max(1, math.ceil(self.retry_after_seconds / 60))

    @property
    def message(self) -> str:
        unit = "minute" if self.minutes == 1 else "minutes"
        return f"Too many failed sign-ins. Try again in {self.minutes} {unit}."


@contextmanager
def _shared_keys() -> Iterator[None]:
    with schema_context(settings.PUBLIC_SCHEMA_NAME):
        yield


def _pair_key(email: str, ip: str | None) -> str:
    digest = hashlib.sha256(f"{email.strip().lower()}|{ip or 'unknown'}".encode()).hexdigest()[:40]
    return f"signin:pair:{digest}"


def _address_key(ip: str | None) -> str:
    return f"signin:address:{ip or 'unknown'}"


def _lockout_of(key: str, now: float) -> Lockout | None:
    locked_until = cache.get(f"{key}:lock")
    if locked_until is None or locked_until <= now:
        return None
    return Lockout(retry_after_seconds=math.ceil(locked_until - now))


def _count_failure(key: str, limit: int, now: float) -> Lockout | None:
    cache.add(f"{key}:count", 0, timeout=WINDOW_SECONDS)
    try:
        failures = cache.incr(f"{key}:count")
    except ValueError:  # the window expired between add and incr
        cache.set(f"{key}:count", 1, timeout=WINDOW_SECONDS)
        failures = 1
    if failures < limit:
        return None
    cache.set(f"{key}:lock", now + LOCK_SECONDS, timeout=LOCK_SECONDS)
    cache.delete(f"{key}:count")  # after the lock the pair starts afresh
    return Lockout(retry_after_seconds=LOCK_SECONDS)


def _longest(*lockouts: Lockout | None) -> Lockout | None:
    present = [lockout for lockout in lockouts if lockout is not None]
    return max(present, key=lambda lockout: lockout.retry_after_seconds) if present else None


def signin_lockout(*, email: str, ip: str | None) -> Lockout | None:
    """The lock that refuses this email from this address right now, or None."""
    now = clock()
    with _shared_keys():
        return _longest(_lockout_of(_pair_key(email, ip), now), _lockout_of(_address_key(ip), now))


def signin_failure_record(*, email: str, ip: str | None) -> Lockout | None:
    """Count a failed password or code; returns the lock this failure started, if it started one."""
    now = clock()
    with _shared_keys():
        return _longest(
            _count_failure(_pair_key(email, ip), PAIR_FAILURE_LIMIT, now),
            _count_failure(_address_key(ip), ADDRESS_FAILURE_LIMIT, now),
        )


def signin_success_record(*, email: str, ip: str | None) -> None:
    """Forget the pair's failures and lock after a completed sign-in (or a password reset)."""
    key = _pair_key(email, ip)
    with _shared_keys():
        cache.delete_many([f"{key}:count", f"{key}:lock"])
