"""Single-use link tokens (invitations, support-mode entry): random, URL-safe, stored only as a SHA-256 hash."""

from __future__ import annotations

import hashlib
import secrets


def token_generate() -> str:
    """A new raw token (43 URL-safe characters, 256 bits)."""
    return secrets.token_urlsafe(32)


def token_hash(token: str) -> str:
    """The hex SHA-256 digest kept in the database instead of the token."""
    return hashlib.sha256(token.encode()).hexdigest()
