"""Production settings: every secret comes from the environment and none is a committed development value, the
public URL is HTTPS, and the browser protections are on; otherwise the process refuses to start with one line on
stderr naming the variable (exit status 2). `python manage.py check --deploy --fail-level WARNING` passes.
"""

from urllib.parse import urlsplit

from .base import *  # noqa: F403
from .base import DEVELOPMENT_SECRETS, WEBHOOK_TRUSTED_PROXY, _refuse, env

REQUIRED_VARIABLES = (
    "SECRET_KEY",
    "DATABASE_URL",
    "REDIS_URL",
    "FIELD_ENCRYPTION_KEY",
    "PUBLIC_BASE_URL",
    "PLATFORM_DOMAIN",
    "TWILIO_ACCOUNT_SID",
    "TWILIO_AUTH_TOKEN",
)
SECRET_KEY_MIN_LENGTH, SECRET_KEY_MIN_DISTINCT = 50, 5  # what `check --deploy` asks of it (security.W009)


def _require(names: tuple[str, ...]) -> None:
    """Stop the process with one line naming the first missing variable."""
    for name in names:
        if not env.str(name, default=""):
            _refuse(f"missing required environment variable {name}")


def _refuse_development_secrets() -> None:
    """Stop the process when a secret is one of the values committed for development and tests."""
    for name, committed in DEVELOPMENT_SECRETS.items():
        values = env.list(name) if name == "FIELD_ENCRYPTION_KEY" else [env.str(name)]
        if committed in (value.strip() for value in values):
            _refuse(f"{name} is the development value committed to the repository; set a secret of your own")


def _refuse_weak_secret_key(key: str) -> None:
    if len(key) < SECRET_KEY_MIN_LENGTH or len(set(key)) < SECRET_KEY_MIN_DISTINCT:
        _refuse(
            f"SECRET_KEY must be at least {SECRET_KEY_MIN_LENGTH} characters, {SECRET_KEY_MIN_DISTINCT} of them "
            'different; e.g. python -c "import secrets; print(secrets.token_urlsafe(50))"'
        )


def _https_url(name: str) -> str:
    """Links that carry tokens (invitations, password reset, support entry) take their scheme from this URL."""
    value = env.str(name).rstrip("/")
    if urlsplit(value).scheme != "https":
        _refuse(f"{name} must be an https:// URL in production (links that carry tokens are built from it)")
    return value


_require(REQUIRED_VARIABLES)
_refuse_development_secrets()

DEBUG = False
SECRET_KEY = env("SECRET_KEY")
_refuse_weak_secret_key(SECRET_KEY)
FIELD_ENCRYPTION_KEY = env.list("FIELD_ENCRYPTION_KEY")
PUBLIC_BASE_URL = _https_url("PUBLIC_BASE_URL")
TWILIO_API_BASE_URL = env("TWILIO_API_BASE_URL", default="https://api.twilio.com")
TWILIO_LOOKUPS_BASE_URL = env("TWILIO_LOOKUPS_BASE_URL", default="https://lookups.twilio.com")
TWILIO_MESSAGING_BASE_URL = env("TWILIO_MESSAGING_BASE_URL", default="https://messaging.twilio.com")
EMAIL_BACKEND = env("EMAIL_BACKEND", default="django.core.mail.backends.smtp.EmailBackend")
STAFF_REQUIRE_TWO_FACTOR = env.bool("STAFF_REQUIRE_TWO_FACTOR", default=True)
DEMO_DATA_ALLOWED = False

# --- HTTPS --------------------------------------------------------------------------------------------
# Behind a TLS-terminating proxy (WEBHOOK_TRUSTED_PROXY), the proxy's X-Forwarded-Proto says the request came
# over HTTPS; without the proxy, Django itself sees the TLS connection.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if WEBHOOK_TRUSTED_PROXY else None
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
# Load balancers and orchestrators probe over plain HTTP, by address; a redirect would fail the probe.
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=365 * 24 * 3600)
# Tenants live on subdomains of PLATFORM_DOMAIN, all of them served over HTTPS.
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True)
# The header then consents to browsers' preload lists; submitting the domain to them is a separate, deliberate step.
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=True)
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
# Webhook URLs must be https on public addresses in production, whatever the environment says.
WEBHOOKS_ALLOW_PRIVATE_URLS = False
