"""Start-up refuses unsafe configuration with one line naming the variable; production settings refuse every
committed development secret and turn the HTTPS protections on. Each case loads the settings in a subprocess."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

BASE_DIR = Path(__file__).resolve().parents[2]
COMPLETE = {
    "SECRET_KEY": "pR0d-5ecret-" * 5,
    "DATABASE_URL": "postgres://u@db.example/switchboard",
    "REDIS_URL": "redis://cache.example:6379/0",
    "FIELD_ENCRYPTION_KEY": "W2Ee46e5jN2YTJYuSb1sMnlYqFGAhJqRmNAx2FaJhek=",
    "PUBLIC_BASE_URL": "https://sms.example",
    "PLATFORM_DOMAIN": "sms.example",
    "TWILIO_ACCOUNT_SID": "AC" + "1" * 32,
    "TWILIO_AUTH_TOKEN": "t" * 32,
}
# Committed to the repository for development and tests (config/settings/base.py, sandbox/config.py).
COMMITTED_SECRET_KEY = "switchboard-development-key-not-for-production-use-0123456789"
COMMITTED_FERNET_KEY = "jYqGZ0JmMLiDD1m5BKj3w3vQ4nZfD0Fh8qSx0W9Pq2U="
SANDBOX_ACCOUNT_SID = "AC00000000000000000000000000000001"
SANDBOX_AUTH_TOKEN = "sandbox0auth0token000000000000001"
STARTED = "import django; django.setup(); print('started')"


def _clean_environment() -> dict[str, str]:
    """This process's environment without anything a settings module reads."""
    read = {*COMPLETE, "DJANGO_SETTINGS_MODULE", "DEBUG", "CELERY_BROKER_URL", "TENANT_RETENTION_DAYS"}
    read |= {"WEBHOOK_TRUSTED_PROXY", "TRUSTED_PROXY_COUNT"}
    return {k: v for k, v in os.environ.items() if k not in read and not k.startswith(("TWILIO_", "SECURE_"))}


def _production(env: dict[str, str], code: str = STARTED, *args: str) -> subprocess.CompletedProcess:
    clean = _clean_environment()
    clean.update(env, DJANGO_SETTINGS_MODULE="config.settings.production")
    command = [sys.executable, *args] if args else [sys.executable, "-c", code]
    return subprocess.run(command, cwd=BASE_DIR, env=clean, capture_output=True, text=True, check=False)


def _import_production(env: dict[str, str]) -> subprocess.CompletedProcess:
    return _production(env)


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


# --- committed development values ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("variable", "value"),
    [
        ("SECRET_KEY", COMMITTED_SECRET_KEY),
        ("FIELD_ENCRYPTION_KEY", COMMITTED_FERNET_KEY),
        ("FIELD_ENCRYPTION_KEY", f"{COMPLETE['FIELD_ENCRYPTION_KEY']},{COMMITTED_FERNET_KEY}"),
        ("FIELD_ENCRYPTION_KEY", f"{COMMITTED_FERNET_KEY}, {COMPLETE['FIELD_ENCRYPTION_KEY']}"),
        ("TWILIO_ACCOUNT_SID", SANDBOX_ACCOUNT_SID),
        ("TWILIO_AUTH_TOKEN", SANDBOX_AUTH_TOKEN),
    ],
)
def test_production_refuses_a_committed_development_secret(variable, value):
    result = _production({**COMPLETE, variable: value})

    assert (result.returncode, result.stdout) == (2, "")
    assert result.stderr == (
        f"switchboard: {variable} is the development value committed to the repository; set a secret of your own\n"
    )


@pytest.mark.parametrize("secret_key", ["too-short-0123456789", "ab" * 40, "abcd" * 20])
def test_production_refuses_a_weak_secret_key(secret_key):
    result = _production({**COMPLETE, "SECRET_KEY": secret_key})

    assert (result.returncode, result.stdout) == (2, "")
    assert result.stderr == (
        "switchboard: SECRET_KEY must be at least 50 characters, 5 of them different; "
        'e.g. python -c "import secrets; print(secrets.token_urlsafe(50))"\n'
    )


@pytest.mark.parametrize("url", ["http://sms.example", "sms.example", "ftp://sms.example"])
def test_production_refuses_a_public_url_that_is_not_https(url):
    result = _production({**COMPLETE, "PUBLIC_BASE_URL": url})

    assert (result.returncode, result.stdout) == (2, "")
    assert result.stderr == (
        "switchboard: PUBLIC_BASE_URL must be an https:// URL in production (links that carry tokens are built "
        "from it)\n"
    )


@pytest.mark.parametrize("settings_module", ["config.settings.production", "config.settings.local"])
@pytest.mark.parametrize("days", ["0", "-7", "ninety", "1.5", ""])
def test_the_retention_period_must_be_a_positive_whole_number(settings_module, days):
    clean = _clean_environment()
    clean.update(COMPLETE, TENANT_RETENTION_DAYS=days, DJANGO_SETTINGS_MODULE=settings_module)
    result = subprocess.run(
        [sys.executable, "-c", STARTED], cwd=BASE_DIR, env=clean, capture_output=True, text=True, check=False
    )

    assert (result.returncode, result.stdout) == (2, "")
    assert result.stderr == f"switchboard: TENANT_RETENTION_DAYS must be a whole number, at least 1 (it is {days!r})\n"


def test_a_positive_retention_period_is_taken():
    result = _production(
        {**COMPLETE, "TENANT_RETENTION_DAYS": "30"},
        "import django; django.setup(); from django.conf import settings; print(settings.TENANT_RETENTION_DAYS)",
    )

    assert (result.returncode, result.stderr, result.stdout) == (0, "", "30\n")


# --- HTTPS and browser protections ---------------------------------------------------------------------------

SHOW_SECURITY_SETTINGS = """
import json, django
django.setup()
from django.conf import settings
names = [
    "DEBUG", "SECURE_SSL_REDIRECT", "SECURE_REDIRECT_EXEMPT", "SECURE_HSTS_SECONDS", "SECURE_HSTS_INCLUDE_SUBDOMAINS",
    "SECURE_HSTS_PRELOAD", "SECURE_PROXY_SSL_HEADER", "SESSION_COOKIE_SECURE", "SESSION_COOKIE_HTTPONLY",
    "CSRF_COOKIE_SECURE", "CSRF_COOKIE_HTTPONLY", "SECURE_CONTENT_TYPE_NOSNIFF", "SECURE_REFERRER_POLICY",
    "X_FRAME_OPTIONS", "DEMO_DATA_ALLOWED",
]
print(json.dumps({name: getattr(settings, name) for name in names}))
print(json.dumps(settings.MIDDLEWARE[:3]))
"""
SECURE_DEFAULTS = {
    "DEBUG": False,
    "SECURE_SSL_REDIRECT": True,
    "SECURE_REDIRECT_EXEMPT": ["^healthz$", "^readyz$"],
    "SECURE_HSTS_SECONDS": 31536000,
    "SECURE_HSTS_INCLUDE_SUBDOMAINS": True,
    "SECURE_HSTS_PRELOAD": True,
    "SECURE_PROXY_SSL_HEADER": None,
    "SESSION_COOKIE_SECURE": True,
    "SESSION_COOKIE_HTTPONLY": True,
    "CSRF_COOKIE_SECURE": True,
    "CSRF_COOKIE_HTTPONLY": True,
    "SECURE_CONTENT_TYPE_NOSNIFF": True,
    "SECURE_REFERRER_POLICY": "same-origin",
    "X_FRAME_OPTIONS": "DENY",
    "DEMO_DATA_ALLOWED": False,
}


@pytest.mark.parametrize(
    ("env", "changed"),
    [
        ({}, {}),
        (
            {"SECURE_HSTS_SECONDS": "600", "SECURE_HSTS_PRELOAD": "false"},
            {"SECURE_HSTS_SECONDS": 600, "SECURE_HSTS_PRELOAD": False},
        ),
        ({"WEBHOOK_TRUSTED_PROXY": "true"}, {"SECURE_PROXY_SSL_HEADER": ["HTTP_X_FORWARDED_PROTO", "https"]}),
    ],
)  # fmt: skip
def test_production_turns_the_protections_on(env, changed):
    result = _production({**COMPLETE, **env}, SHOW_SECURITY_SETTINGS)

    assert (result.returncode, result.stderr) == (0, "")
    values, middleware = result.stdout.splitlines()
    assert json.loads(values) == {**SECURE_DEFAULTS, **changed}
    assert json.loads(middleware) == [
        "config.security.ContentSecurityPolicyMiddleware",
        "django.middleware.security.SecurityMiddleware",
        "django.middleware.clickjacking.XFrameOptionsMiddleware",
    ]


@pytest.mark.parametrize("proxy", ["false", "true"])
def test_production_passes_the_deployment_checks(proxy):
    result = _production(
        {**COMPLETE, "WEBHOOK_TRUSTED_PROXY": proxy}, "", "manage.py", "check", "--deploy", "--fail-level", "WARNING"
    )

    assert (result.returncode, result.stderr) == (0, "")
    assert result.stdout == "System check identified no issues (0 silenced).\n"


def test_production_fails_the_deployment_checks_without_hsts_preload():
    # the operator's choice, which the checks then report
    result = _production(
        {**COMPLETE, "SECURE_HSTS_PRELOAD": "false"}, "", "manage.py", "check", "--deploy", "--fail-level", "WARNING"
    )

    assert result.returncode == 1
    assert "(security.W021) You have not set the SECURE_HSTS_PRELOAD setting to True." in result.stderr


REQUESTS = """
import json, django
django.setup()
from django.test import Client
client = Client()
def show(response):
    headers = ("Location", "Strict-Transport-Security", "Content-Security-Policy")
    return [response.status_code, *[response.headers.get(name) for name in headers]]
print(json.dumps({
    "admin over http": show(client.get("/admin/", HTTP_HOST="sms.example")),
    "tenant over http": show(client.get("/login/?next=/", HTTP_HOST="acme.sms.example")),
    "healthz over http": show(client.get("/healthz", HTTP_HOST="127.0.0.1")),
    "readyz over http": show(client.get("/readyz", HTTP_HOST="127.0.0.1")),
    "healthz over https": show(client.get("/healthz", HTTP_HOST="sms.example", secure=True)),
    "healthz via the proxy": show(client.get("/healthz", HTTP_HOST="sms.example", HTTP_X_FORWARDED_PROTO="https")),
}))
"""
POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self'; font-src 'self'; connect-src 'self'; "
    "object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self' sms.example:* *.sms.example:*"
)
HSTS = "max-age=31536000; includeSubDomains; preload"


@pytest.mark.parametrize(
    ("proxy", "via_proxy"),
    [("false", [200, None, None, POLICY]), ("true", [200, None, HSTS, POLICY])],
)
def test_production_redirects_plain_http_except_the_health_probes(proxy, via_proxy):
    # the database and Redis refuse at once (the discard port): /readyz answers 503 rather than redirecting
    env = {
        **COMPLETE,
        "DATABASE_URL": "postgres://u@127.0.0.1:9/switchboard",
        "REDIS_URL": "redis://127.0.0.1:9/0",
        "WEBHOOK_TRUSTED_PROXY": proxy,
    }

    result = _production(env, REQUESTS)

    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == {
        "admin over http": [301, "https://sms.example/admin/", None, POLICY],
        "tenant over http": [301, "https://acme.sms.example/login/?next=/", None, POLICY],
        "healthz over http": [200, None, None, POLICY],
        "readyz over http": [503, None, None, POLICY],
        "healthz over https": [200, None, HSTS, POLICY],
        "healthz via the proxy": via_proxy,
    }


# --- what runs production by default ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "code",
    [
        "import config.wsgi",
        "import config.celery, django; django.setup()",
        "import config.dev.preflight as p; p.main()",
    ],
)
def test_wsgi_celery_and_preflight_default_to_production(code):
    env = {k: v for k, v in COMPLETE.items() if k != "SECRET_KEY"}
    clean = _clean_environment()
    clean.update(env)

    result = subprocess.run(
        [sys.executable, "-c", code], cwd=BASE_DIR, env=clean, capture_output=True, text=True, check=False
    )

    assert (result.returncode, result.stdout) == (2, "")
    assert result.stderr == "switchboard: missing required environment variable SECRET_KEY\n"


def test_manage_py_uses_development_settings_only_while_this_checkouts_services_run(tmp_path, monkeypatch):
    import manage

    services = tmp_path / "services.env"
    monkeypatch.setattr(manage, "SERVICES_ENV_FILE", services)
    without = manage.default_settings_module()
    services.write_text("DATABASE_URL=postgres://postgres@127.0.0.1:25432/switchboard\n")
    with_services = manage.default_settings_module()

    assert (without, with_services) == ("config.settings.production", "config.settings.local")


def test_manage_py_points_at_the_file_the_embedded_services_write():
    import manage
    from config.dev import embedded

    assert manage.SERVICES_ENV_FILE == embedded.SERVICES_ENV_FILE


def test_seed_demo_refuses_production_settings():
    result = _production(COMPLETE, "", "manage.py", "seed_demo")

    assert (result.returncode, result.stdout) == (1, "")
    assert result.stderr == (
        "CommandError: seed_demo refuses to run under production settings: it creates a superuser and tenant owners "
        "whose password ('switchboard') is published\n"
    )


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
