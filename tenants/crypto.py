"""Encryption at rest for secrets (subaccount tokens, TOTP secrets): Fernet keys from FIELD_ENCRYPTION_KEY.

FIELD_ENCRYPTION_KEY holds one or more keys, newest first. MultiFernet encrypts with the first and decrypts with
any, so a key is rotated by putting a new one in front and running `manage.py reencrypt_secrets`.
"""

from __future__ import annotations

from functools import lru_cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings


class SecretUnreadable(RuntimeError):
    """A stored secret cannot be decrypted with any configured key."""


@lru_cache(maxsize=8)
def _fernet_for(keys: tuple[str, ...]) -> MultiFernet:
    return MultiFernet([Fernet(key.encode()) for key in keys])


def _fernet() -> MultiFernet:
    keys = settings.FIELD_ENCRYPTION_KEY
    return _fernet_for(tuple([keys] if isinstance(keys, str) else keys))


def encrypt(plaintext: str) -> str:
    """Ciphertext (URL-safe base64 text) of a secret, with the newest key."""
    return _fernet().encrypt(plaintext.encode()).decode()


def decrypt(ciphertext: str) -> str:
    """The secret; raises SecretUnreadable when no configured key opens it."""
    try:
        return _fernet().decrypt(ciphertext.encode()).decode()
    except InvalidToken as exc:
        raise SecretUnreadable("the secret cannot be decrypted with the configured FIELD_ENCRYPTION_KEY") from exc


def rotate(ciphertext: str) -> str:
    """The same secret encrypted with the newest key."""
    try:
        return _fernet().rotate(ciphertext.encode()).decode()
    except InvalidToken as exc:
        raise SecretUnreadable("the secret cannot be decrypted with the configured FIELD_ENCRYPTION_KEY") from exc
