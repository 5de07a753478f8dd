"""Sign-in throttling against brute force, and limits on the emails anyone can cause, kept in the cache (Redis) so
they hold across every web process.

Five failed sign-ins for one email from one address within 15 minutes lock that pair for 15 minutes; twenty
failures from one address, whatever the emails, lock the address. Password and two-factor code failures
count alike. Ten wrong passwords for one email within 15 minutes, from whatever addresses, lock sign-in to that
account for 15 minutes (whether or not such an account exists, so the answer never tells), and the lock that
starts says so (`Lockout.account_locked`) for the notice emailed to the account. Ten wrong two-factor codes for
one user within 15 minutes, from whatever addresses, lock that user's code step for 15 minutes. Every lock ends
by itself. A completed sign-in clears the pair's count; the address, account and user counts are left to expire,
so that signing in to an account of one's own does not reset a run of guesses at other accounts, and a correct
password or code does not reset a run of guesses at the same account from elsewhere.

An attempt is counted before its password or code is checked (`attempt_start`) and refused when the count
passes a limit, so a burst of parallel requests cannot all be checked before the first failure is counted. A
failure keeps its count (`attempt_failed`); a success gives it back (`attempt_succeeded`).

Users are shared by every tenant, so the counters live under the public schema's cache keys: a lock on one
tenant host holds on all of them, and on the platform admin.

Password-reset and invitation emails are counted the same way, before they are sent: at most 3 an hour to one
address and 50 an hour from one tenant, for each kind. Reset links go to an account, whichever tenant's host asked
for them, so their address count is the account's; an invitation comes from a tenant, so its address count is
kept per tenant and one tenant never holds back another's invitations.
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
ACCOUNT_FAILURE_LIMIT = 10
USER_CODE_FAILURE_LIMIT = 10
WINDOW_SECONDS = 15 * 60
LOCK_SECONDS = 15 * 60

EMAILS_PER_ADDRESS = 3
EMAILS_PER_TENANT = 50
EMAIL_WINDOW_SECONDS = 60 * 60
# Which limit held an email back.
ADDRESS_LIMIT = "address"
TENANT_LIMIT = "tenant"

SIGNIN_FAILURES = "failed sign-ins"
CODE_FAILURES = "wrong two-factor codes"

# The clock locks are measured with; tests replace it to move past a lock without sleeping.
clock = time.time


@dataclass(frozen=True)
class Lockout:
    """Sign-in (or, for CODE_FAILURES, the code step) is refused for `retry_after_seconds` more seconds.

    `account_locked` is set on the lock a failure started when it is the lock of the account itself (per email,
    whatever the address); the message is the same either way.
    """

    retry_after_seconds: int
    reason: str = SIGNIN_FAILURES
    account_locked: bool = False

    @property
    def minutes(self) -> int:
        return max(1, math.ceil(self.retry_after_seconds / 60))

    @property
    def message(self) -> str:
        unit = "minute" if self.minutes == 1 else "minutes"
        return f"Too many {self.reason}. Try again in {self.minutes} {unit}."


@dataclass(frozen=True)
class _Counter:
    key: str
    limit: int
    reason: str
    locks_account: bool = False


@dataclass(frozen=True)
class Attempt:
    """A password or code check, counted before it is made.

    `lockout` is set when the attempt is refused; nothing stays counted then. `counted` pairs each counter with
    this attempt's number in the counter's window.
    """

    counted: tuple[tuple[_Counter, int], ...] = ()
    lockout: Lockout | None = None


@contextmanager
def _shared_keys() -> Iterator[None]:
    with schema_context(settings.PUBLIC_SCHEMA_NAME):
        yield


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()[:40]


def _email_of(email: str) -> str:
    return email.strip().lower()


def _pair_key(email: str, ip: str | None) -> str:
    pair = f"{_email_of(email)}|{ip or 'unknown'}"
    return f"signin:pair:{_digest(pair)}"


def _address_key(ip: str | None) -> str:
    return f"signin:address:{ip or 'unknown'}"


def _account_key(email: str) -> str:
    return f"signin:account:{_digest(_email_of(email))}"


def _user_code_key(user_id: int) -> str:
    return f"signin:user-code:{user_id}"


def _counters(email: str, ip: str | None, user_id: int | None) -> list[_Counter]:
    """The counters of a password attempt (pair, address, account) or, with `user_id`, of a code attempt (pair,
    address, the user's codes): wrong codes never lock the password step of a user signing in elsewhere."""
    counters = [
        _Counter(_pair_key(email, ip), PAIR_FAILURE_LIMIT, SIGNIN_FAILURES),
        _Counter(_address_key(ip), ADDRESS_FAILURE_LIMIT, SIGNIN_FAILURES),
    ]
    if user_id is None:
        counters.append(_Counter(_account_key(email), ACCOUNT_FAILURE_LIMIT, SIGNIN_FAILURES, locks_account=True))
    else:
        counters.append(_Counter(_user_code_key(user_id), USER_CODE_FAILURE_LIMIT, CODE_FAILURES))
    return counters


def _lockout_of(counter: _Counter, now: float) -> Lockout | None:
    locked_until = cache.get(f"{counter.key}:lock")
    if locked_until is None or locked_until <= now:
        return None
    return Lockout(retry_after_seconds=math.ceil(locked_until - now), reason=counter.reason)


def _count(key: str, window: int = WINDOW_SECONDS) -> int:
    """Add one to a window counter atomically; returns the new count. The first count opens the window."""
    if cache.add(key, 1, timeout=window):
        return 1
    try:
        number = cache.incr(key)
    except ValueError:  # the window closed between add and incr
        return _count(key, window)
    if number == 1:
        # Either every earlier attempt was given back, or the window closed just before incr re-created the key
        # without an expiry; either way the window starts now.
        cache.touch(key, timeout=window)
    return number


def _uncount(key: str) -> None:
    try:
        if cache.decr(key) < 0:  # the window closed just before decr re-created the key
            cache.delete(key)
    except ValueError:  # the window closed, or a lock started and reset the count
        pass


def _longest(*lockouts: Lockout | None) -> Lockout | None:
    present = [lockout for lockout in lockouts if lockout is not None]
    return max(present, key=lambda lockout: lockout.retry_after_seconds) if present else None


def attempt_start(*, email: str, ip: str | None, user_id: int | None = None) -> Attempt:
    """Count a sign-in attempt for this email and address (and, with `user_id`, a code attempt for that user)
    before it is checked; the attempt is refused while a lock holds or when its number passes a limit."""
    now = clock()
    counted = []
    lockouts = []
    with _shared_keys():
        for counter in _counters(email, ip, user_id):
            number = _count(f"{counter.key}:count")
            counted.append((counter, number))
            # The lock is read after counting: a lock starts before its count is reset, so no attempt slips
            # between the two.
            lockout = _lockout_of(counter, now)
            if lockout is None and number > counter.limit:  # earlier attempts of a burst are still being checked
                lockout = Lockout(retry_after_seconds=LOCK_SECONDS, reason=counter.reason)
            lockouts.append(lockout)
        refused = _longest(*lockouts)
        if refused is not None:
            for counter, _ in counted:
                _uncount(f"{counter.key}:count")
            return Attempt(lockout=refused)
    return Attempt(counted=tuple(counted))


def attempt_failed(attempt: Attempt) -> Lockout | None:
    """Keep a started attempt counted as a failure; returns the lock it started, if its number reached a limit."""
    now = clock()
    started = []
    with _shared_keys():
        for counter, number in attempt.counted:
            if number >= counter.limit:
                cache.set(f"{counter.key}:lock", now + LOCK_SECONDS, timeout=LOCK_SECONDS)
                cache.delete(f"{counter.key}:count")  # after the lock the counter starts afresh
                started.append(counter)
    if not started:
        return None
    account_locked = any(counter.locks_account for counter in started)
    return Lockout(retry_after_seconds=LOCK_SECONDS, reason=started[0].reason, account_locked=account_locked)


def attempt_succeeded(attempt: Attempt) -> None:
    """Give back the counts of a started attempt whose password or code was right."""
    with _shared_keys():
        for counter, _ in attempt.counted:
            _uncount(f"{counter.key}:count")


def signin_lockout(*, email: str, ip: str | None) -> Lockout | None:
    """The lock that refuses this email from this address right now, or None."""
    now = clock()
    with _shared_keys():
        return _longest(*(_lockout_of(counter, now) for counter in _counters(email, ip, None)))


def signin_failure_record(*, email: str, ip: str | None) -> Lockout | None:
    """Count a failed password; returns the lock that refused it or that this failure started, if any."""
    attempt = attempt_start(email=email, ip=ip)
    return attempt.lockout or attempt_failed(attempt)


def signin_success_record(*, email: str, ip: str | None) -> None:
    """Forget the pair's failures and lock after a completed sign-in (or a password reset)."""
    key = _pair_key(email, ip)
    with _shared_keys():
        cache.delete_many([f"{key}:count", f"{key}:lock"])


# --- emails ---------------------------------------------------------------------------------------------


def _emails_reserve(address_key: str, tenant_key: str) -> str | None:
    """Count one email under both keys; returns the limit that holds it back (nothing stays counted then)."""
    with _shared_keys():
        counted = [
            (key, limit, _count(f"{key}:count", EMAIL_WINDOW_SECONDS))
            for key, limit in ((address_key, EMAILS_PER_ADDRESS), (tenant_key, EMAILS_PER_TENANT))
        ]
        refused = next((key for key, limit, number in counted if number > limit), None)
        if refused is None:
            return None
        for key, _, _ in counted:
            _uncount(f"{key}:count")
    return ADDRESS_LIMIT if refused == address_key else TENANT_LIMIT


def reset_email_reserve(*, email: str, tenant_id: int) -> str | None:
    """Count a password-reset email to `email` asked for on a tenant's host, before it is sent; returns None when
    it may be sent, else the limit that holds it back (ADDRESS_LIMIT, per account; or TENANT_LIMIT)."""
    return _emails_reserve(f"email:reset:{_digest(_email_of(email))}", f"email:reset-tenant:{tenant_id}")


def invitation_email_reserve(*, email: str, tenant_id: int) -> str | None:
    """Count an invitation email from a tenant to `email` before it is sent; returns None when it may be sent,
    else the limit that holds it back (ADDRESS_LIMIT, per address within the tenant; or TENANT_LIMIT)."""
    address = _digest(f"{tenant_id}|{_email_of(email)}")
    return _emails_reserve(f"email:invitation:{address}", f"email:invitation-tenant:{tenant_id}")
