"""Before the platform starts: can it reach its database, Redis and broker? One line names what it cannot reach.

`python -m config.dev.preflight` exits 0 when everything answers, else 2 after printing, for example,
`switchboard: cannot reach Redis at REDIS_URL (cache.internal:6379): Connection refused`. Addresses are shown
without credentials.
"""

from __future__ import annotations

import os
import sys
from urllib.parse import urlsplit

TIMEOUT_SECONDS = 3


def _where(url: str) -> str:
    parts = urlsplit(url)
    where = f"{parts.hostname}:{parts.port}" if parts.port else str(parts.hostname)
    path = parts.path.strip("/")
    return f"{where}/{path}" if path and parts.scheme.startswith("postgres") else where


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return text[-1].strip() if text else exc.__class__.__name__


def problems() -> list[str]:
    """What cannot be reached, one line each (empty when all is well)."""
    from django.conf import settings
    from django.db import connection

    found = []
    database_url = os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/switchboard")
    try:
        connection.settings_dict.setdefault("OPTIONS", {})["connect_timeout"] = TIMEOUT_SECONDS
        connection.ensure_connection()
    except Exception as exc:  # any driver error means the same thing here
        found.append(f"cannot reach PostgreSQL at DATABASE_URL ({_where(database_url)}): {_first_line(exc)}")
    try:
        import redis

        redis.Redis.from_url(settings.REDIS_URL, socket_connect_timeout=TIMEOUT_SECONDS).ping()
    except Exception as exc:
        found.append(f"cannot reach Redis at REDIS_URL ({_where(settings.REDIS_URL)}): {_first_line(exc)}")
    broker = settings.CELERY_BROKER_URL
    if broker != settings.REDIS_URL:
        try:
            from kombu import Connection

            with Connection(broker, connect_timeout=TIMEOUT_SECONDS) as conn:
                conn.ensure_connection(max_retries=1)
        except Exception as exc:
            found.append(f"cannot reach the Celery broker at CELERY_BROKER_URL ({_where(broker)}): {_first_line(exc)}")
    return found


def main() -> int:
    # `make run` passes the local settings; an operator checking a deployment gets production's.
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.production")
    import django

    django.setup()  # a malformed variable stops here, with its own one-line message
    found = problems()
    for line in found:
        sys.stderr.write(f"switchboard: {line}\n")
    return 2 if found else 0


if __name__ == "__main__":
    raise SystemExit(main())
