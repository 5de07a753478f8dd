"""Settings for the test suite: fast hashing, eager Celery, in-memory cache and email."""

from .base import *  # noqa: F403
from .base import env

DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=True)
CELERY_TASK_EAGER_PROPAGATES = True
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "KEY_FUNCTION": "django_tenants.cache.make_key",
        "REVERSE_KEY_FUNCTION": "django_tenants.cache.reverse_key",
    }
}
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Tests drain the dispatch engine themselves (in-process, with committed data) instead of eager wake-ups.
DISPATCH_AUTOSTART = False
# Tests send transactional messages at whatever hour the suite runs: new tenants exempt transactional and passcode
# messages from their sending window (the product's default exempts none; `compliance_strict` restores it).
COMPLIANCE_DEFAULT_EXEMPT_CATEGORIES = ["passcode", "transactional"]
# Tests deliver webhooks to receivers on 127.0.0.1; the URL checks are tested with the setting off.
WEBHOOKS_ALLOW_PRIVATE_URLS = True
