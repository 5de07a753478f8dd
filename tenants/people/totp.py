"""Optional two-factor sign-in with TOTP (RFC 6238: 6 digits, 30-second steps, one step of clock drift allowed).

The secret is stored encrypted (`tenants.crypto`). Set-up stores a fresh secret with `totp_enabled_at` empty;
two-factor is on only once a code from the authenticator app confirms it. Each accepted code is remembered
until it can no longer be valid, so a code seen over someone's shoulder cannot be replayed. While
STAFF_REQUIRE_TWO_FACTOR is on, staff must have it: they cannot turn it off, and the admin opens only once it is on.
"""

from __future__ import annotations

import re
from datetime import datetime

import pyotp
import segno
from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.utils import timezone
from django_tenants.utils import schema_context
from pyotp.exceptions import OTPVerificationError

from tenants import crypto
from tenants.audit import audit_record
from tenants.errors import Conflict, ValidationFailed
from tenants.models import Tenant, User

ISSUER = "Switchboard"
VALID_WINDOW = 1
STEP_SECONDS = 30
WRONG_CODE = "That code is not right. Check that your phone's clock is correct and try again."
CODE_PATTERN = re.compile(r"^\d{6}$")


def _secret(user: User) -> str | None:
    return crypto.decrypt(user.totp_secret_encrypted) if user.totp_secret_encrypted else None


def totp_required(user: User) -> bool:
    """True when the user may not be without two-factor: staff, while STAFF_REQUIRE_TWO_FACTOR is on."""
    return user.is_staff and settings.STAFF_REQUIRE_TWO_FACTOR


def totp_setup_required(user: User) -> bool:
    """True when the user must set up two-factor before going on (required, and not on yet)."""
    return totp_required(user) and not user.has_two_factor


def totp_setup_pending(user: User) -> bool:
    """True while a secret has been issued but not yet confirmed with a code."""
    return bool(user.totp_secret_encrypted) and not user.has_two_factor


def totp_setup_start(*, user: User) -> str:
    """Issue a new secret for the authenticator app (replacing an unconfirmed one); returns it."""
    if user.has_two_factor:
        raise Conflict("Two-factor sign-in is already on.", field="code")
    secret = pyotp.random_base32()
    user.totp_secret_encrypted = crypto.encrypt(secret)
    user.save(update_fields=["totp_secret_encrypted"])
    return secret


def totp_setup_cancel(*, user: User) -> None:
    """Drop an unconfirmed secret."""
    if totp_setup_pending(user):
        user.totp_secret_encrypted = ""
        user.save(update_fields=["totp_secret_encrypted"])


def totp_pending_secret(user: User) -> str | None:
    """The unconfirmed secret, to show during set-up; None once two-factor is on."""
    return _secret(user) if totp_setup_pending(user) else None


def provisioning_uri(*, user: User, secret: str) -> str:
    """The otpauth:// URI an authenticator app reads from the QR code."""
    return pyotp.TOTP(secret).provisioning_uri(name=user.email, issuer_name=ISSUER)


def qr_svg(uri: str) -> str:
    """The URI as an inline SVG QR code (no images, no scripts)."""
    return segno.make(uri, error="m").svg_inline(scale=5, title="Two-factor set-up QR code")


def _matching_step(secret: str, code: str, now: datetime) -> int | None:
    try:
        return pyotp.TOTP(secret).verify_and_get_timecode(code, for_time=now, valid_window=VALID_WINDOW)
    except OTPVerificationError:
        return None


def _first_use(user: User, step: int) -> bool:
    # Users are shared by every tenant, so the record of used codes is kept under the public schema's keys.
    with schema_context(settings.PUBLIC_SCHEMA_NAME):
        return cache.add(f"totp:used:{user.pk}:{step}", 1, timeout=STEP_SECONDS * (2 * VALID_WINDOW + 2))


def _code_accepted(secret: str | None, user: User, code: str, now: datetime) -> bool:
    code = re.sub(r"\s", "", code or "")
    if secret is None or not CODE_PATTERN.match(code):
        return False
    step = _matching_step(secret, code, now)
    return step is not None and _first_use(user, step)


def totp_verify(*, user: User, code: str, now: datetime | None = None) -> bool:
    """True when two-factor is on and `code` is a current code not used before (spaces are ignored)."""
    if not user.has_two_factor:
        return False
    return _code_accepted(_secret(user), user, code, now or timezone.now())


def totp_enable(
    *, user: User, code: str, tenant: Tenant | None = None, ip_address: str | None = None, now: datetime | None = None
) -> User:
    """Turn two-factor on once a code from the app matches the secret issued at set-up."""
    if user.has_two_factor:
        raise Conflict("Two-factor sign-in is already on.", field="code")
    if not totp_setup_pending(user):
        raise ValidationFailed("Start the set-up first.", field="code")
    now = now or timezone.now()
    if not _code_accepted(_secret(user), user, code, now):
        raise ValidationFailed(WRONG_CODE, field="code")
    with transaction.atomic():
        user.totp_enabled_at = now
        user.save(update_fields=["totp_enabled_at"])
        audit_record(action="two_factor.enabled", tenant=tenant, actor=user, target=user.email, ip_address=ip_address)
    return user


def totp_disable(
    *, user: User, code: str, tenant: Tenant | None = None, ip_address: str | None = None, now: datetime | None = None
) -> User:
    """Turn two-factor off; a current code proves the person still holds the app. Refused while it is required."""
    if not user.has_two_factor:
        return user
    if totp_required(user):
        raise Conflict("Two-factor sign-in is required for staff accounts, so it stays on.", field="code")
    if not totp_verify(user=user, code=code, now=now):
        raise ValidationFailed(WRONG_CODE, field="code")
    with transaction.atomic():
        user.totp_secret_encrypted = ""
        user.totp_enabled_at = None
        user.save(update_fields=["totp_secret_encrypted", "totp_enabled_at"])
        audit_record(action="two_factor.disabled", tenant=tenant, actor=user, target=user.email, ip_address=ip_address)
    return user
