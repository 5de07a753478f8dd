"""`Idempotency-Key` on writes: the same key and the same request within 24 hours get the same answer, once.

The key's answer is stored in the same transaction as the write it answers, so either both happen or neither does;
two requests racing with one key leave one write, and the loser answers with the winner's stored answer. A key
reused for another request within 24 hours is refused (409); an older key is forgotten and may be used again.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from messaging.errors import IdempotencyKeyReused, MessagingValidationError
from messaging.models import IdempotencyKey

KEY_LIFETIME = timedelta(hours=24)
MAX_KEY_LENGTH = 255


def request_fingerprint(*, method: str, path: str, data: Any) -> str:
    """SHA-256 of the request as the key promises it: method, path and the JSON body in a canonical form."""
    canonical = json.dumps(data, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(f"{method} {path}\n{canonical}".encode()).hexdigest()


def idempotent(*, key: str, fingerprint: str, write: Callable[[], tuple[int, dict]]) -> tuple[int, dict]:
    """The stored answer to `key`, or `write()`'s answer, stored with it in one transaction."""
    if not 1 <= len(key) <= MAX_KEY_LENGTH or not (key.isascii() and key.isprintable()):
        raise MessagingValidationError(
            f"Idempotency-Key must be 1 to {MAX_KEY_LENGTH} printable ASCII characters", field="Idempotency-Key"
        )
    cutoff = timezone.now() - KEY_LIFETIME
    try:
        with transaction.atomic():
            IdempotencyKey.objects.filter(key=key, created_at__lt=cutoff).delete()
            stored = IdempotencyKey.objects.select_for_update().filter(key=key).first()
            if stored is not None:
                return _replay(stored, fingerprint)
            status, body = write()
            IdempotencyKey.objects.create(key=key, request_hash=fingerprint, response_status=status, response_body=body)
            return status, body
    except IntegrityError:  # another request with this key committed first: its answer is the answer
        return _replay(IdempotencyKey.objects.get(key=key), fingerprint)


def _replay(stored: IdempotencyKey, fingerprint: str) -> tuple[int, dict]:
    if stored.request_hash != fingerprint:
        raise IdempotencyKeyReused(
            "this Idempotency-Key was used in the last 24 hours for a different request", field="Idempotency-Key"
        )
    return stored.response_status, stored.response_body
