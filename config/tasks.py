"""Platform-wide periodic tasks (public schema)."""

import time

from django.core.cache import cache

from config.celery import app

HEARTBEAT_KEY = "platform:celery-heartbeat"


@app.task(name="config.tasks.heartbeat", ignore_result=True)
def heartbeat() -> float:
    """Record that beat and a worker are alive; /readyz reports the age of the last beat."""
    now = time.time()
    cache.set(HEARTBEAT_KEY, now, timeout=3600)
    return now
