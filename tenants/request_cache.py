"""What every request reads before its view, kept in each process: the tenant of a host, and an API key with its
tenant and the tenant's limits.

Each entry remembers the generation it was read in. The generation is one value in Redis, read once per request
(`generation()`), and every write that could change an answer (a tenant, its hosts or its limits saved or deleted,
an API key created, revoked or deleted) replaces it, at once and again when the transaction commits
(`invalidate()`, called by the model signals below). So a revoked key or a suspended tenant is refused from the next
request on, in every process. Without Redis nothing is cached (and a process that found Redis down forgets what it
held); an entry is read again after `MAX_AGE_SECONDS` in any case.

Entries are shared by the process's threads: a caller copies what a request may change (`Tenant.domain_url`).
"""

from __future__ import annotations

import functools
import logging
import threading
import time
import uuid
from collections.abc import Callable
from typing import TypeVar

import redis
from django.conf import settings
from django.db import transaction
from django.db.models.signals import post_delete, post_save

logger = logging.getLogger(__name__)

GENERATION_KEY = "sb:request-cache:generation"
MAX_AGE_SECONDS = 60.0
MAX_ENTRIES = 10_000
T = TypeVar("T")

_entries: dict[tuple[str, str], tuple[str, float, object]] = {}
_lock = threading.Lock()


@functools.cache
def _redis() -> redis.Redis:
    return redis.Redis.from_url(settings.REDIS_URL, socket_timeout=1, socket_connect_timeout=1)


def generation() -> str | None:
    """The current generation, or None when Redis cannot tell (then nothing cached may be used)."""
    try:
        value = _redis().get(GENERATION_KEY)
        if value is None:  # first use, or Redis lost it: a new generation that no entry carries
            _redis().set(GENERATION_KEY, uuid.uuid4().hex, nx=True)
            value = _redis().get(GENERATION_KEY)
    except redis.RedisError:
        logger.warning("request cache: Redis unreachable; reading PostgreSQL on every request")
        clear()
        return None
    return value.decode() if value is not None else None


def invalidate() -> None:
    """Every process reads PostgreSQL again from its next request: now, and once the current transaction commits."""
    _new_generation()
    transaction.on_commit(_new_generation)


def _new_generation() -> None:
    clear()
    try:
        _redis().set(GENERATION_KEY, uuid.uuid4().hex)
    except redis.RedisError:
        logger.warning("request cache: Redis unreachable; other processes forget their entries within %.0f s",
                       MAX_AGE_SECONDS)  # fmt: skip


def clear() -> None:
    """Forget this process's entries."""
    with _lock:
        _entries.clear()


def cached(kind: str, key: str, current: str | None, load: Callable[[], T], *, keep_none: bool = True) -> T:
    """The value of (kind, key) read in generation `current`, or `load()`, kept when `current` is known (and, with
    `keep_none` false, only when it is not None)."""
    now = time.monotonic()
    if current is not None:
        with _lock:
            entry = _entries.get((kind, key))
        if entry is not None and entry[0] == current and now - entry[1] < MAX_AGE_SECONDS:
            return entry[2]
    value = load()
    if current is not None and (keep_none or value is not None):
        with _lock:
            if len(_entries) >= MAX_ENTRIES:
                _entries.clear()
            _entries[(kind, key)] = (current, now, value)
    return value


def _on_change(sender, **kwargs) -> None:
    invalidate()


def connect_signals() -> None:
    """Invalidate on every save or delete of what the entries are made of (called by the app's `ready()`)."""
    from tenants.models import ApiKey, Domain, Tenant, TenantLimits

    for model in (Tenant, Domain, TenantLimits, ApiKey):
        post_save.connect(_on_change, sender=model, dispatch_uid=f"request-cache-{model.__name__}-save")
        post_delete.connect(_on_change, sender=model, dispatch_uid=f"request-cache-{model.__name__}-delete")
