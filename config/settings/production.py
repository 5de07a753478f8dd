"""Production settings: every secret must come from the environment, or the process refuses to start."""

import sys

from .base import *  # noqa: F403
from .base import env

REQUIRED_VARIABLES = (
    "SECRET_KEY",
    "DATABASE_URL",
    "REDIS_URL",
    "FIELD_ENCRYPTION_KEY",
    "PUBLIC_BASE_URL",
    "TWILIO_ACCOUNT_SID",
    "TWILIO_AUTH_TOKEN",
)


def _require(names: tuple[str, ...]) -> None:
    """Stop the process with one line naming the first missing variable."""
    for name in names:
        if not env.str(name, default=""):
            sys.stderr.write(f"switchboard: missing required environment variable {name}\n")
            raise SystemExit(2)


_require(REQUIRED_VARIABLES)

DEBUG = False
SECRET_KEY = env("SECRET_KEY")
FIELD_ENCRYPTION_KEY = env.list("FIELD_ENCRYPTION_KEY")
TWILIO_API_BASE_URL = env("TWILIO_API_BASE_URL", default="https://api.twilio.com")
TWILIO_LOOKUPS_BASE_URL = env("TWILIO_LOOKUPS_BASE_URL", default="https://lookups.twilio.com")
TWILIO_MESSAGING_BASE_URL = env("TWILIO_MESSAGING_BASE_URL", default="https://messaging.twilio.com")
SESSION_COOKIE_SECURE = env.bool("SESSION_COOKIE_SECURE", default=True)
CSRF_COOKIE_SECURE = env.bool("CSRF_COOKIE_SECURE", default=True)
SECURE_PROXY_SSL_HEADER = (
    ("HTTP_X_FORWARDED_PROTO", "https") if env.bool("WEBHOOK_TRUSTED_PROXY", default=False) else None
)
EMAIL_BACKEND = env("EMAIL_BACKEND", default="django.core.mail.backends.smtp.EmailBackend")
STAFF_REQUIRE_TWO_FACTOR = env.bool("STAFF_REQUIRE_TWO_FACTOR", default=True)
# Webhook URLs must be https on public addresses in production, whatever the environment says.
WEBHOOKS_ALLOW_PRIVATE_URLS = False
