"""Production refuses to start without its secrets, naming the missing variable."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

BASE_DIR = Path(__file__).resolve().parents[2]
COMPLETE = {
    "SECRET_KEY": "s" * 50,
    "DATABASE_URL": "postgres://u@db.example/switchboard",
    "REDIS_URL": "redis://cache.example:6379/0",
    "FIELD_ENCRYPTION_KEY": "jYqGZ0JmMLiDD1m5BKj3w3vQ4nZfD0Fh8qSx0W9Pq2U=",
    "PUBLIC_BASE_URL": "https://sms.example",
    "TWILIO_ACCOUNT_SID": "AC" + "1" * 32,
    "TWILIO_AUTH_TOKEN": "t" * 32,
}


def _import_production(env: dict[str, str]) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if k not in COMPLETE and not k.startswith("TWILIO_")}
    clean.update(env, DJANGO_SETTINGS_MODULE="config.settings.production")
    return subprocess.run(
        [sys.executable, "-c", "import django; django.setup(); print('started')"],
        cwd=BASE_DIR,
        env=clean,
        capture_output=True,
        text=True,
        check=False,
    )


@pytest.mark.parametrize("missing", sorted(COMPLETE))
def test_production_names_the_missing_variable(missing):
    env = {k: v for k, v in COMPLETE.items() if k != missing}
    result = _import_production(env)
    assert result.returncode == 2
    assert result.stderr == f"switchboard: missing required environment variable {missing}\n"


def test_production_starts_with_every_variable():
    result = _import_production(COMPLETE)
    assert result.stderr == ""
    assert result.stdout == "started\n"


def _run(module_args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL", "CELERY_BROKER_URL")}
    clean.update(env)
    return subprocess.run(
        [sys.executable, *module_args], cwd=BASE_DIR, env=clean, capture_output=True, text=True, check=False
    )


@pytest.mark.parametrize(
    ("variable", "value", "line"),
    [
        (
            "DATABASE_URL",
            "mysql://root@db.example/switchboard",
            "DATABASE_URL must be a postgres or postgresql URL with a host, "
            "e.g. postgres://user:password@host:5432/switchboard",
        ),
        ("DATABASE_URL", "postgres://u@db.example:port5432/x", "DATABASE_URL is not a valid URL; expected e.g. "
         "postgres://user:password@host:5432/switchboard"),
        ("REDIS_URL", "localhost:6379", "REDIS_URL must be a redis or rediss URL with a host, e.g. redis://host:6379/0"),
        (
            "CELERY_BROKER_URL",
            "rabbit://guest@mq",
            "CELERY_BROKER_URL must be a redis or rediss or amqp or amqps URL with a host, "
            "e.g. amqp://user:password@host:5672//",
        ),
    ],
)  # fmt: skip
def test_a_malformed_url_stops_start_up_naming_the_variable(variable, value, line):
    result = _run(["-m", "config.dev.preflight"], {variable: value, "DJANGO_SETTINGS_MODULE": "config.settings.local"})
    assert result.returncode == 2
    assert result.stderr == f"switchboard: {line}\n"


def _reachable_database_url() -> str:
    """The server the tests use, by its maintenance database (which always exists)."""
    from django.conf import settings

    database = settings.DATABASES["default"]
    return f"postgres://{database['USER']}@{database['HOST']}:{database['PORT']}/postgres"


def _reachable_redis_url() -> str:
    from django.conf import settings

    return settings.REDIS_URL


def test_an_unreachable_redis_stops_start_up_naming_the_variable():
    # the discard port: nothing listens there
    result = _run(
        ["-m", "config.dev.preflight"],
        {
            "DATABASE_URL": _reachable_database_url(),
            "REDIS_URL": "redis://:secret@127.0.0.1:9/0",
            "DJANGO_SETTINGS_MODULE": "config.settings.local",
        },
    )
    assert result.returncode == 2
    lines = result.stderr.splitlines()
    assert len(lines) == 1
    assert lines[0].startswith("switchboard: cannot reach Redis at REDIS_URL (127.0.0.1:9): ")
    assert "secret" not in result.stderr


def test_an_unreachable_database_stops_start_up_naming_the_variable():
    result = _run(
        ["-m", "config.dev.preflight"],
        {
            "DATABASE_URL": "postgres://app:pw@127.0.0.1:9/switchboard",
            "DJANGO_SETTINGS_MODULE": "config.settings.local",
        },
    )
    assert result.returncode == 2
    lines = result.stderr.splitlines()
    assert len(lines) == 1
    assert lines[0].startswith("switchboard: cannot reach PostgreSQL at DATABASE_URL (127.0.0.1:9/switchboard): ")
    assert "pw" not in result.stderr.replace("switchboard", "")
