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
