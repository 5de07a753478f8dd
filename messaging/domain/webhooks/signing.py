"""How a delivery is signed and how a receiver checks it (pure; the standard library only).

Every delivery carries `Switchboard-Signature: t=<unix seconds>,v1=<hex>`, where the hex is
HMAC-SHA256(key = the endpoint's whole secret `whsec_…` as UTF-8, message = f"{t}." + the raw request body). While a
rotated secret is still in its grace period the header holds one `v1=` per valid secret, newest first, so a receiver
holding either secret accepts the delivery. The receiver also refuses a timestamp more than five minutes from its
own clock, so a captured delivery cannot be replayed later.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from collections.abc import Sequence
from typing import Final

SIGNATURE_HEADER: Final = "Switchboard-Signature"
EVENT_ID_HEADER: Final = "Switchboard-Event-Id"
EVENT_TYPE_HEADER: Final = "Switchboard-Event-Type"
SECRET_PREFIX: Final = "whsec_"
SCHEME: Final = "v1"
TOLERANCE_SECONDS: Final = 300


class SignatureInvalid(ValueError):
    """A delivery whose signature header does not prove it came from us, now; the message says why."""


def secret_from_bytes(raw: bytes) -> str:
    """An endpoint secret made of `raw` random bytes: `whsec_` and their unpadded URL-safe base64."""
    if len(raw) < 16:
        raise ValueError("a secret needs at least 16 random bytes")
    return SECRET_PREFIX + base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def signature(*, secret: str, timestamp: int, body: bytes) -> str:
    """The hex HMAC-SHA256 of f"{timestamp}." + body under the whole secret string."""
    message = f"{timestamp}.".encode() + body
    return hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()


def signature_header(*, secrets: Sequence[str], timestamp: int, body: bytes) -> str:
    """The `Switchboard-Signature` value: the timestamp, then one `v1=` per secret, in the order given."""
    if not secrets:
        raise ValueError("at least one secret signs a delivery")
    parts = [f"t={timestamp}"] + [f"{SCHEME}={signature(secret=s, timestamp=timestamp, body=body)}" for s in secrets]
    return ",".join(parts)


def parse_header(header: str) -> tuple[int, list[str]]:
    """The timestamp and the v1 signatures of a header; SignatureInvalid when it has no timestamp or no v1."""
    timestamp: int | None = None
    signatures: list[str] = []
    for item in header.split(","):
        key, _, value = item.strip().partition("=")
        if key == "t" and value.isdigit():
            timestamp = int(value)
        elif key == SCHEME and value:
            signatures.append(value)
    if timestamp is None:
        raise SignatureInvalid("the signature header has no timestamp")
    if not signatures:
        raise SignatureInvalid(f"the signature header has no {SCHEME} signature")
    return timestamp, signatures


def verify(*, header: str, body: bytes, secret: str, now: int, tolerance: int = TOLERANCE_SECONDS) -> int:
    """Check a delivery as a receiver does: a v1 signature of `body` under `secret`, signed within `tolerance`
    seconds of `now` (either side); returns the timestamp, or raises SignatureInvalid naming the reason."""
    timestamp, signatures = parse_header(header)
    if abs(now - timestamp) > tolerance:
        raise SignatureInvalid(f"the timestamp is {abs(now - timestamp)} s from now, more than {tolerance} s")
    expected = signature(secret=secret, timestamp=timestamp, body=body)
    if not any(hmac.compare_digest(expected, candidate) for candidate in signatures):
        raise SignatureInvalid("no signature matches this secret and body")
    return timestamp
