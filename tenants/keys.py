"""API key format, scopes and hashing (pure).

A tenant's key reads `sb_<prefix>_<secret>`, a platform key `sbp_<prefix>_<secret>`, so the two are told apart at a
glance (and a platform key is never mistaken for a tenant's). The 8-character prefix is stored in clear to find the
row and to show in lists; only the SHA-256 of the whole key is stored. Keys carry 256 bits of randomness, so a fast
hash is enough.
"""

import hashlib
import hmac
import secrets
from dataclasses import dataclass

SCOPES = (
    "messages:send",
    "messages:read",
    "contacts:write",
    "campaigns:write",
    "insights:read",
    "compliance:read",
    "compliance:write",
    "admin",
)
KEY_PREFIX = "sb_"
PLATFORM_KEY_PREFIX = "sbp_"


@dataclass(frozen=True)
class GeneratedKey:
    plaintext: str
    prefix: str
    key_hash: str


def hash_key(plaintext: str) -> str:
    """SHA-256 hex digest of a whole key."""
    return hashlib.sha256(plaintext.encode()).hexdigest()


def generate_key(kind_prefix: str = KEY_PREFIX) -> GeneratedKey:
    """A new random key (a tenant's, or with PLATFORM_KEY_PREFIX a platform key), its visible prefix and its hash."""
    prefix = secrets.token_hex(4)
    plaintext = f"{kind_prefix}{prefix}_{secrets.token_urlsafe(32)}"
    return GeneratedKey(plaintext=plaintext, prefix=prefix, key_hash=hash_key(plaintext))


def prefix_of(plaintext: str, kind_prefix: str = KEY_PREFIX) -> str | None:
    """The prefix of a well-formed key of that kind, or None for anything else."""
    if not plaintext.startswith(kind_prefix):
        return None
    prefix, sep, secret = plaintext[len(kind_prefix) :].partition("_")
    if not sep or len(prefix) != 8 or not secret:
        return None
    return prefix


def matches(plaintext: str, key_hash: str) -> bool:
    """Constant-time comparison of a presented key with a stored hash."""
    return hmac.compare_digest(hash_key(plaintext), key_hash)


def invalid_scopes(scopes: list[str] | tuple[str, ...]) -> list[str]:
    """The requested scopes that do not exist, in the order given."""
    return [scope for scope in scopes if scope not in SCOPES]
