"""Signing in on a tenant host: the password step, the optional code step, and the throttle around both; and
signing out, which ends a support session.

After a correct password a user with two-factor is not signed in yet: the session remembers who passed the
password step (for 5 minutes) and the code step finishes the sign-in. Failures at either step count towards
the same lock (`tenants.people.throttle`), so a known password does not open unlimited guesses at codes, and
wrong codes also count per user, whatever the address. Wrong passwords also count per account, whatever the
address; when that lock starts, the account (if one has the email) is told by email from a task. Each check is
counted before it is made.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth import authenticate, login, logout
from django.db import transaction

from tenants import selectors, support
from tenants.audit import client_ip
from tenants.models import User
from tenants.people import throttle, totp
from tenants.tasks import signin_lock_notice

PENDING_SESSION_KEY = "people_signin_pending"
PENDING_SECONDS = 5 * 60


class SigninThrottled(Exception):
    """Sign-in (or the user's code step) is locked; `lockout.message` says for how long."""

    def __init__(self, lockout: throttle.Lockout):
        super().__init__(lockout.message)
        self.lockout = lockout


class CodeRejected(Exception):
    """The two-factor code is wrong or already used."""


@dataclass(frozen=True)
class PendingSignin:
    """A user who passed the password step on this browser session and still owes a code."""

    user: User
    backend: str
    next_url: str


def password_check(*, request, email: str, password: str) -> User | None:
    """The active user with this email and password, or None (the failure is counted).

    Raises SigninThrottled while the email, the address or the account is locked (the password is then not even
    checked) or when this failure starts a lock.
    """
    ip = client_ip(request)
    attempt = throttle.attempt_start(email=email, ip=ip)
    if attempt.lockout is not None:
        raise SigninThrottled(attempt.lockout)
    user = authenticate(request, username=email, password=password)
    if user is None:
        lockout = throttle.attempt_failed(attempt)
        if lockout is not None:
            if lockout.account_locked:
                _lock_notice_enqueue(email=email, ip=ip)
            raise SigninThrottled(lockout)
        return None
    throttle.attempt_succeeded(attempt)
    return user


def _lock_notice_enqueue(*, email: str, ip: str | None) -> None:
    """Enqueue the notice of an account's lock whether or not the account exists: the task finds out, the guesser
    never does. A broker that cannot be reached is logged, and the guesser still gets the lock."""

    def enqueue() -> None:
        signin_lock_notice.delay(email=email, ip_address=ip)

    transaction.on_commit(enqueue, robust=True)


def code_check(*, request, user: User, code: str) -> None:
    """Check a two-factor code of a user who passed the password step; raises SigninThrottled or CodeRejected.

    The code is counted per email and address, per address and per user before it is checked, so while any of
    them is locked the code is not even checked.
    """
    attempt = throttle.attempt_start(email=user.email, ip=client_ip(request), user_id=user.pk)
    if attempt.lockout is not None:
        raise SigninThrottled(attempt.lockout)
    if not totp.totp_verify(user=user, code=code):
        lockout = throttle.attempt_failed(attempt)
        if lockout is not None:
            raise SigninThrottled(lockout)
        raise CodeRejected(totp.WRONG_CODE)
    throttle.attempt_succeeded(attempt)


def signin_begin(request, *, user: User, next_url: str) -> bool:
    """Sign in after a correct password; returns False when a code step must follow (two-factor is on)."""
    backend = getattr(user, "backend", None) or "django.contrib.auth.backends.ModelBackend"
    if not user.has_two_factor:
        signin_complete(request, user=user, backend=backend)
        return True
    request.session[PENDING_SESSION_KEY] = {
        "user_id": user.pk,
        "backend": backend,
        "next": next_url,
        "until": throttle.clock() + PENDING_SECONDS,
    }
    return False


def signin_pending(request) -> PendingSignin | None:
    """The password step this session passed, if it is recent and the user still belongs to this tenant."""
    pending = request.session.get(PENDING_SESSION_KEY)
    if not pending or pending["until"] < throttle.clock():
        return None
    user = User.objects.filter(pk=pending["user_id"], is_active=True).first()
    if user is None or not user.has_two_factor or selectors.membership_for(user=user, tenant=request.tenant) is None:
        return None
    return PendingSignin(user=user, backend=pending["backend"], next_url=pending["next"])


def signin_pending_clear(request) -> None:
    request.session.pop(PENDING_SESSION_KEY, None)


def signin_code_submit(request, *, pending: PendingSignin, code: str) -> None:
    """Finish a pending sign-in with a two-factor code; raises SigninThrottled (the password step is then
    forgotten) or CodeRejected."""
    try:
        code_check(request=request, user=pending.user, code=code)
    except SigninThrottled:
        signin_pending_clear(request)
        raise
    signin_complete(request, user=pending.user, backend=pending.backend)


def signin_complete(request, *, user: User, backend: str) -> None:
    """Sign the user in on this session and forget their failed attempts from this address."""
    signin_pending_clear(request)
    login(request, user, backend=backend)
    throttle.signin_success_record(email=user.email, ip=client_ip(request))


def signout(request) -> None:
    """Sign this browser session out; a support session behind it is ended (and audited) first."""
    membership = getattr(request, "membership", None)
    if getattr(membership, "is_support", False):
        support.support_session_end(session=membership.session, request=request)
    logout(request)
