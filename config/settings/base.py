"""Settings shared by every environment, read from the environment with django-environ.

Variables are listed with their defaults in `.env.example`. When DATABASE_URL or REDIS_URL is unset, the
embedded services (`config/dev/embedded.py`) are used; their addresses are read from `.data/run/services.env`.
"""

import hashlib
from pathlib import Path

import environ

BASE_DIR = Path(__file__).resolve().parent.parent.parent
DATA_DIR = BASE_DIR / ".data"
SERVICES_ENV_FILE = DATA_DIR / "run" / "services.env"

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)
if SERVICES_ENV_FILE.exists() and env("DJANGO_SETTINGS_MODULE", default="") != "config.settings.production":
    # Addresses of the embedded PostgreSQL and Redis; variables already set in the environment win.
    environ.Env.read_env(SERVICES_ENV_FILE, overwrite=False)

# Committed so that development and tests run without configuration; production refuses to start with any of them.
DEVELOPMENT_SECRETS = {
    "SECRET_KEY": "switchboard-development-key-not-for-production-use-0123456789",
    "FIELD_ENCRYPTION_KEY": "jYqGZ0JmMLiDD1m5BKj3w3vQ4nZfD0Fh8qSx0W9Pq2U=",
    # The local Twilio sandbox's main account (sandbox/config.py).
    "TWILIO_ACCOUNT_SID": "AC00000000000000000000000000000001",
    "TWILIO_AUTH_TOKEN": "sandbox0auth0token000000000000001",
}

DEBUG = env.bool("DEBUG", default=False)
SECRET_KEY = env("SECRET_KEY", default=DEVELOPMENT_SECRETS["SECRET_KEY"])
FIELD_ENCRYPTION_KEY = env.list("FIELD_ENCRYPTION_KEY", default=[DEVELOPMENT_SECRETS["FIELD_ENCRYPTION_KEY"]])
PUBLIC_BASE_URL = env("PUBLIC_BASE_URL", default="http://localhost:8000").rstrip("/")
PLATFORM_DOMAIN = env("PLATFORM_DOMAIN", default="localhost")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=[PLATFORM_DOMAIN, f".{PLATFORM_DOMAIN}", "127.0.0.1"])

# --- Apps: public schema (SHARED) and per-tenant schemas (TENANT) -----------------------------------
SHARED_APPS = [
    "django_tenants",
    "tenants",
    "messaging.catalogue",
    "messaging.insights",
    "compliance.rulebook",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
]
TENANT_APPS = [
    "messaging",
    "compliance",
]
INSTALLED_APPS = SHARED_APPS + [app for app in TENANT_APPS if app not in SHARED_APPS]

TENANT_MODEL = "tenants.Tenant"
TENANT_DOMAIN_MODEL = "tenants.Domain"
PUBLIC_SCHEMA_NAME = "public"
# New tenants are cloned from this empty, migrated schema instead of running every migration.
TENANT_CREATION_FAKES_MIGRATIONS = True
TENANT_BASE_SCHEMA = "tenant_template"
DATABASE_ROUTERS = ["django_tenants.routers.TenantSyncRouter"]
# `SET search_path` once per connection and schema, not before every query (django-tenants issues it again after
# a schema change, a rollback or a reconnect).
TENANT_LIMIT_SET_CALLS = True

AUTH_USER_MODEL = "tenants.User"
LOGIN_URL = "ui:login"
LOGIN_REDIRECT_URL = "ui:dashboard"
# No LOGOUT_REDIRECT_URL: tenant hosts send a signed-out user to their own sign-in page, and the admin shows its
# signed-out page (a `ui:` name cannot be reversed on the platform host).

MIDDLEWARE = [
    # First, so that every response carries the browser protections, and plain http is redirected to https
    # (production) before any tenant lookup.
    "config.security.ContentSecurityPolicyMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Around the tenant lookup: an API call to an unknown host or path still answers problem+json.
    "config.api.ApiProblemMiddleware",
    "tenants.middleware.TenantRoutingMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "tenants.middleware.TenantMembershipMiddleware",
    "tenants.people.staff_middleware.StaffTwoFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
]

ROOT_URLCONF = "config.urls"
PUBLIC_SCHEMA_URLCONF = "config.urls_public"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "tenants.context_processors.tenant",
            ],
        },
    },
]


# --- Database ---------------------------------------------------------------------------------------
def _refuse(message: str) -> None:
    """Stop start-up with one line naming the variable at fault."""
    import sys

    sys.stderr.write(f"switchboard: {message}\n")
    raise SystemExit(2)


def _checked_url(name: str, default: str, schemes: tuple[str, ...], example: str) -> str:
    from urllib.parse import urlsplit

    value = env(name, default=default)
    try:
        parts = urlsplit(value)
        parts.port  # noqa: B018 - raises ValueError for a port that is not a number
    except ValueError:
        _refuse(f"{name} is not a valid URL; expected e.g. {example}")
    if parts.scheme not in schemes or not parts.hostname:
        _refuse(f"{name} must be a {' or '.join(schemes)} URL with a host, e.g. {example}")
    return value


_checked_url(
    "DATABASE_URL",
    "postgres://postgres@127.0.0.1:5432/switchboard",
    ("postgres", "postgresql"),
    "postgres://user:password@host:5432/switchboard",
)
DATABASES = {
    "default": env.db_url(
        "DATABASE_URL",
        default="postgres://postgres@127.0.0.1:5432/switchboard",
        engine="django_tenants.postgresql_backend",
    )
}
DATABASES["default"]["CONN_MAX_AGE"] = env.int("DATABASE_CONN_MAX_AGE", default=0)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Redis, cache, Celery ---------------------------------------------------------------------------
REDIS_URL = _checked_url("REDIS_URL", "redis://127.0.0.1:6379/0", ("redis", "rediss"), "redis://host:6379/0")
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": REDIS_URL,
        # Keys carry the schema name so cached values never cross tenants.
        "KEY_FUNCTION": "django_tenants.cache.make_key",
        "REVERSE_KEY_FUNCTION": "django_tenants.cache.reverse_key",
    }
}
SESSION_ENGINE = "django.contrib.sessions.backends.db"

CELERY_BROKER_URL = _checked_url(
    "CELERY_BROKER_URL", REDIS_URL, ("redis", "rediss", "amqp", "amqps"), "amqp://user:password@host:5672//"
)
CELERY_RESULT_BACKEND = None
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=False)
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TIMEZONE = "UTC"
# Workers log through Django's LOGGING (its token-redacting console handler), not handlers of Celery's own.
CELERY_WORKER_HIJACK_ROOT_LOGGER = False

# --- Browser protections (HTTPS-only ones are in production.py) ------------------------------------
SECURE_CONTENT_TYPE_NOSNIFF = True
# Full URLs (some carry single-use tokens) never leave for another site; same-origin requests keep the Origin
# header that CSRF checks need.
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
# Scripts read the CSRF token from the page (`csrfmiddlewaretoken`), never from the cookie.
CSRF_COOKIE_HTTPONLY = True

# --- Auth -------------------------------------------------------------------------------------------
# Staff without two-factor sign-in are sent to set it up before the admin opens (on in production).
STAFF_REQUIRE_TWO_FACTOR = env.bool("STAFF_REQUIRE_TWO_FACTOR", default=False)
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]

# --- Email (invitations, password reset); each environment picks EMAIL_BACKEND ---------------------
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="Switchboard <no-reply@localhost>")

# --- I18N, static -----------------------------------------------------------------------------------
LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True
STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "config" / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
# Uploads (contact CSV files) in the default storage; web and worker processes must share it (one volume, or an
# object-storage backend in STORAGES). Never served as static files.
MEDIA_ROOT = env("MEDIA_ROOT", default="") or str(DATA_DIR / "media")

# --- Contacts ---------------------------------------------------------------------------------------
# The largest contact CSV an upload may be (bytes); a larger one is refused with 413 before it is stored.
CONTACT_IMPORT_MAX_BYTES = env.int("CONTACT_IMPORT_MAX_BYTES", default=100 * 1024 * 1024)
# File uploads of the API and the most a request to each may carry (the file, its form fields and their framing).
# The opt-out register's import reads its file within the request, so its limit is smaller.
OPT_OUT_IMPORT_MAX_BYTES = env.int("OPT_OUT_IMPORT_MAX_BYTES", default=10 * 1024 * 1024)
API_UPLOAD_LIMITS = {
    "/api/v1/contacts/imports": CONTACT_IMPORT_MAX_BYTES + 64 * 1024,
    "/api/v1/opt-outs/import": OPT_OUT_IMPORT_MAX_BYTES + 64 * 1024,
}

# --- Tracked links (messaging/domain/links.py) -------------------------------------------------------
# The key that signs short links' codes. Derived from SECRET_KEY unless set: rotating either breaks every short link
# already sent, so a deployment that rotates SECRET_KEY sets this to the old derived value first.
TRACKED_LINKS_KEY = (
    env("TRACKED_LINKS_KEY", default="")
    or hashlib.sha256(f"switchboard.tracked-links:{SECRET_KEY}".encode()).hexdigest()
)
# Seconds a web process keeps what a link domain or a tenant prefix routes to (a changed link domain waits this long).
TRACKED_LINKS_ROUTE_TTL = env.int("TRACKED_LINKS_ROUTE_TTL", default=60)

# --- REST API ---------------------------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": ["tenants.api.authentication.ApiKeyAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["tenants.api.permissions.HasTenantApiKey"],
    "DEFAULT_THROTTLE_CLASSES": ["tenants.api.throttles.TenantApiRateThrottle"],
    "DEFAULT_PARSER_CLASSES": ["config.parsers.JSONParser"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PAGINATION_CLASS": "config.api.CursorPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_SCHEMA_CLASS": "config.openapi.ApiAutoSchema",
    "EXCEPTION_HANDLER": "config.api.problem_exception_handler",
    "UNAUTHENTICATED_USER": None,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Switchboard API",
    "DESCRIPTION": "Send SMS/MMS, manage contacts, opt-outs and campaigns, read delivery logs and insights. "
    "Authenticate with `Authorization: Bearer <api key>`; errors are RFC 9457 problem+json.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "ENUM_NAME_OVERRIDES": {
        "SenderKindEnum": "messaging.models.senders.Sender.Kind",
        "MessageEventKindEnum": "messaging.models.messages.MessageEvent.Kind",
        "WebhookDeliveryStatusEnum": "messaging.models.webhooks.WebhookDelivery.Status",
        "WebhookEventTypeEnum": "messaging.api.webhooks.EVENT_TYPES",
        "ContactStatusEnum": "messaging.models.contacts.Contact.Status",
        "ImportJobStatusEnum": "messaging.models.contacts.ImportJob.Status",
        "OptOutSourceEnum": "compliance.models.register.OptOutEvent.Source",
        "OptOutKindEnum": "compliance.models.register.OptOutEvent.Kind",
        "ConsentSourceEnum": "compliance.models.consent.Consent.Source",
        "KeywordKindEnum": "compliance.models.keywords.KeywordKind",
        "SendableCategoryEnum": "messaging.api.compliance_check.CATEGORY_CHOICES",
        "MessageCategoryEnum": "messaging.models.messages.Message.Category",
        "MessageSourceEnum": "messaging.models.messages.Message.Source",
    },
}

# --- Twilio -----------------------------------------------------------------------------------------
TWILIO_ACCOUNT_SID = env("TWILIO_ACCOUNT_SID", default=DEVELOPMENT_SECRETS["TWILIO_ACCOUNT_SID"])
TWILIO_AUTH_TOKEN = env("TWILIO_AUTH_TOKEN", default=DEVELOPMENT_SECRETS["TWILIO_AUTH_TOKEN"])
TWILIO_API_BASE_URL = env("TWILIO_API_BASE_URL", default="http://127.0.0.1:8025")
TWILIO_LOOKUPS_BASE_URL = env("TWILIO_LOOKUPS_BASE_URL", default=TWILIO_API_BASE_URL)
TWILIO_MESSAGING_BASE_URL = env("TWILIO_MESSAGING_BASE_URL", default=TWILIO_API_BASE_URL)
TWILIO_HTTP_TIMEOUT = env.float("TWILIO_HTTP_TIMEOUT", default=10.0)
# Trust X-Forwarded-Proto/Host when rebuilding the URL Twilio signed (set when behind a proxy).
WEBHOOK_TRUSTED_PROXY = env.bool("WEBHOOK_TRUSTED_PROXY", default=False)
# How many proxies in front of the web server append to X-Forwarded-For (0: use the connection's address). Sign-in
# throttling and the audit log read the client's address through them.
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)

# --- Dispatch engine (messaging/dispatch) ----------------------------------------------------------
DISPATCH_REDIS_URL = env("DISPATCH_REDIS_URL", default=REDIS_URL)  # lanes, buckets, semaphores
DISPATCH_QUEUE = "dispatch"  # Celery queue of the drain tasks; `make run` starts a worker for it
DISPATCH_AUTOSTART = env.bool("DISPATCH_AUTOSTART", default=True)  # wake a drain when messages are queued
DISPATCH_DRAINERS = env.int("DISPATCH_DRAINERS", default=2)  # drain tasks at work at once, all machines together
DISPATCH_THREADS = env.int("DISPATCH_THREADS", default=16)  # sends in flight per drain task
DISPATCH_DRAIN_SECONDS = env.float("DISPATCH_DRAIN_SECONDS", default=20.0)  # a drain's time budget
DISPATCH_SUBACCOUNT_CONCURRENCY = env.int("DISPATCH_SUBACCOUNT_CONCURRENCY", default=10)  # Twilio requests in flight
DISPATCH_PACING_MARGIN = env.float("DISPATCH_PACING_MARGIN", default=1.0)  # share of each sender's MPS used, ≤ 1
DISPATCH_BURST_SEGMENTS = env.int("DISPATCH_BURST_SEGMENTS", default=1)  # segments a sender may send back to back
DISPATCH_SENDING_LEASE_SECONDS = env.int("DISPATCH_SENDING_LEASE_SECONDS", default=60)  # then the sweeper reconciles
# Where Twilio posts status callbacks and inbound messages (the platform host of PUBLIC_BASE_URL).
WEBHOOK_BASE_URL = env("WEBHOOK_BASE_URL", default=PUBLIC_BASE_URL).rstrip("/")

# --- Campaigns (messaging/services/campaigns) ------------------------------------------------------
CAMPAIGN_CHUNK = env.int("CAMPAIGN_CHUNK", default=5_000)  # recipients expanded per transaction
CAMPAIGN_CHUNKS_PER_TASK = env.int("CAMPAIGN_CHUNKS_PER_TASK", default=20)  # then the fan-out task enqueues itself
# A tenant's expansion waits while this many of its messages are queued (its transactional traffic goes first).
CAMPAIGN_OUTBOX_THRESHOLD = env.int("CAMPAIGN_OUTBOX_THRESHOLD", default=20_000)
CAMPAIGN_BACKPRESSURE_SECONDS = env.float("CAMPAIGN_BACKPRESSURE_SECONDS", default=5.0)  # wait, then look again
CAMPAIGN_WATCH_SECONDS = env.float("CAMPAIGN_WATCH_SECONDS", default=2.0)  # how often a running campaign is checked
CAMPAIGN_PRICE_PER_SEGMENT = env("CAMPAIGN_PRICE_PER_SEGMENT", default="0.0083")  # the preflight's cost estimate
CAMPAIGN_PRICE_CURRENCY = env("CAMPAIGN_PRICE_CURRENCY", default="USD")

# --- Outbound webhooks to tenants (messaging/outbound_webhooks) -----------------------------------
# Development and tests only: accept http URLs and hosts on loopback and private networks. Never in production.
WEBHOOKS_ALLOW_PRIVATE_URLS = env.bool("WEBHOOKS_ALLOW_PRIVATE_URLS", default=False)
WEBHOOK_TIMEOUT_SECONDS = env.float("WEBHOOK_TIMEOUT_SECONDS", default=10.0)  # per attempt, connect and read
# Certificate authorities that receivers' certificates must chain to: a PEM file; unset, the system's store.
WEBHOOK_CA_BUNDLE = env("WEBHOOK_CA_BUNDLE", default="") or None
WEBHOOK_SECRET_GRACE_HOURS = env.int("WEBHOOK_SECRET_GRACE_HOURS", default=24)  # a rotated secret still signs
WEBHOOK_SENDING_LEASE_SECONDS = env.int("WEBHOOK_SENDING_LEASE_SECONDS", default=120)  # then the sweep retries it
WEBHOOK_DELIVERY_RETENTION_DAYS = env.int("WEBHOOK_DELIVERY_RETENTION_DAYS", default=30)
WEBHOOK_ENDPOINTS_PER_TENANT = env.int("WEBHOOK_ENDPOINTS_PER_TENANT", default=20)

# --- Logging ----------------------------------------------------------------------------------------
# Every line goes through one console handler that masks the tokens of invitation, password-reset and support
# links (config/log_redaction.py); Django's loggers lose their own handlers and reach it through the root.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"redact_tokens": {"()": "config.log_redaction.TokenRedactingFilter"}},
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain", "filters": ["redact_tokens"]}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
    "loggers": {"twilio.http_client": {"level": "WARNING"}, "django": {"handlers": [], "level": "INFO"}},
}

# --- Tenants ----------------------------------------------------------------------------------------
# `seed_demo` creates users with a published password; production turns this off.
DEMO_DATA_ALLOWED = True
TENANT_SUBACCOUNT_PROVISIONER = "messaging.gateways.provisioner.GatewaySubaccountProvisioner"
# Re-encrypt secrets kept in tenant schemas when `reencrypt_secrets` runs (each called inside every tenant's schema).
TENANT_SCHEMA_SECRET_REENCRYPTERS = ["messaging.outbound_webhooks.endpoints.webhook_secrets_reencrypt"]


def _positive_int(name: str, default: int) -> int:
    value = env.str(name, default=str(default)).strip()
    if not (value.isascii() and value.isdigit()) or int(value) < 1:
        _refuse(f"{name} must be a whole number, at least 1 (it is {value!r})")
    return int(value)


# Days a closed tenant stays readable before its schema is dropped; 0 would drop it at the next hourly purge.
TENANT_RETENTION_DAYS = _positive_int("TENANT_RETENTION_DAYS", 90)
SUPPORT_SESSION_MINUTES = env.int("SUPPORT_SESSION_MINUTES", default=60)

# --- compliance -------------------------------------------------------------------------------------------------
# Categories a new tenant exempts from its sending window (it may change this in its settings); none by default:
# transactional and passcode messages keep the window unless the tenant says otherwise.
COMPLIANCE_DEFAULT_EXEMPT_CATEGORIES = env.list("COMPLIANCE_DEFAULT_EXEMPT_CATEGORIES", default=[])
COMPLIANCE_LOOKUP_TTL_DAYS = env.int("COMPLIANCE_LOOKUP_TTL_DAYS", default=90)  # a Lookup result is asked again after
LOOKUP_RATE_PER_SECOND = env.float(
    "LOOKUP_RATE_PER_SECOND", default=20.0
)  # Lookup requests per subaccount, all workers
LOOKUP_NIGHTLY_LIMIT = env.int(
    "LOOKUP_NIGHTLY_LIMIT", default=10_000
)  # numbers a tenant's nightly run looks up at most
# The adapter that publishes opt-outs and opt-ins (compliance/ports.py): as tenants' outbound webhook events.
COMPLIANCE_EVENT_SINK = "messaging.outbound_webhooks.publish.compliance_event_publish"
