"""Test harness: a public tenant and two tenants created once per session, rollback per test.

Every test gets the in-process fake Twilio gateway, and any attempt to reach a real `*.twilio.com` host fails
the test loudly. Tests that must see committed data (a real Celery worker, another thread) use
`transactional_db`; the `tenants_restored` fixture puts the session tenants back after Django's flush.
"""

from __future__ import annotations

import os
import socket

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connection
from django_tenants.utils import schema_exists

pytest_plugins = [
    "tests.fixtures.tenancy",
    "tests.fixtures.sandbox",
    "tests.fixtures.dispatch",
    "tests.fixtures.compliance",
    "tests.fixtures.insights",
]

TENANT_SPECS = {
    "acme": {"name": "Acme Appointments", "time_zone": "America/New_York", "default_country": "US"},
    "globex": {"name": "Globex Deliveries", "time_zone": "Europe/London", "default_country": "GB"},
}


def _ensure_template_schema() -> None:
    template = settings.TENANT_BASE_SCHEMA
    if not schema_exists(template):
        with connection.cursor() as cursor:
            cursor.execute(f'CREATE SCHEMA "{template}"')
    call_command("migrate_schemas", tenant=True, schema_name=template, interactive=False, verbosity=0)


def ensure_session_tenants() -> None:
    """Create (or re-attach after a flush) the public tenant and the two test tenants."""
    from tenants import naming
    from tenants.models import Domain, Tenant, TenantLimits
    from tenants.services import lifecycle

    connection.set_schema_to_public()
    lifecycle.public_tenant_ensure()
    for slug, spec in TENANT_SPECS.items():
        existing = Tenant.objects.filter(slug=slug).first()
        if existing is not None:
            TenantLimits.objects.get_or_create(tenant=existing)
            lifecycle.tenant_provision(tenant=existing)
            continue
        schema = naming.schema_name_for(slug)
        if schema_exists(schema):
            # The schema survived a flush of the public tables: re-create only the rows.
            tenant = Tenant(slug=slug, schema_name=schema, **spec)
            tenant.auto_create_schema = False
            tenant.save()
            Domain.objects.create(
                domain=naming.host_for(slug, settings.PLATFORM_DOMAIN), tenant=tenant, is_primary=True
            )
            TenantLimits.objects.create(tenant=tenant)
            lifecycle.tenant_provision(tenant=tenant)
        else:
            lifecycle.tenant_create(slug=slug, **spec)


def truncate_tenant_tables() -> None:
    """Empty every table of the session tenants' schemas (committed rows survive rollback-less tests)."""
    from tenants import naming

    with connection.cursor() as cursor:
        for slug in TENANT_SPECS:
            schema = naming.schema_name_for(slug)
            cursor.execute(
                "SELECT tablename FROM pg_tables WHERE schemaname = %s AND tablename <> 'django_migrations'",
                [schema],
            )
            tables = ", ".join(f'"{schema}"."{name}"' for (name,) in cursor.fetchall())
            if tables:
                cursor.execute(f"TRUNCATE {tables} RESTART IDENTITY CASCADE")


@pytest.fixture(scope="session", autouse=True)
def _session_gateway():
    """Session set-up (creating the test tenants provisions subaccounts) talks to a fake gateway too."""
    from messaging.gateways import install_gateway
    from messaging.gateways.fake import FakeGateway

    session_fake = FakeGateway()
    install_gateway(session_fake)
    yield session_fake
    install_gateway(None)


@pytest.fixture(autouse=True)
def fake_gateway(_session_gateway):
    """A fresh FakeGateway for every test: records calls, scripted outcomes, never the network."""
    from messaging.gateways import use_gateway

    with use_gateway(_session_gateway.fork()) as fake:
        yield fake


def _adopt_session_subaccounts(fake) -> None:
    """Make the session fake know the test tenants' subaccounts (a reused database made them in an earlier run)."""
    from messaging.gateways.base import Subaccount
    from tenants.models import Tenant
    from tenants.selectors import subaccount_auth
    from tenants.services.lifecycle import subaccount_friendly_name

    for tenant in Tenant.objects.all():
        auth = subaccount_auth(tenant)
        if auth is not None:
            sid, token = auth
            owner = fake.main_credentials.account_sid
            name = subaccount_friendly_name(tenant)
            fake.adopt_subaccount(Subaccount(sid, "active", name, token, owner))


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker, _session_gateway):
    with django_db_blocker.unblock():
        _ensure_template_schema()
        ensure_session_tenants()
        truncate_tenant_tables()
        _adopt_session_subaccounts(_session_gateway)


@pytest.fixture
def committed_tenants(transactional_db):
    """For tests that need committed data: the session tenants present, their tables empty."""
    ensure_session_tenants()
    truncate_tenant_tables()
    yield
    connection.set_schema_to_public()


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with an empty (per-process, in-memory) cache: no throttle counter leaks between tests, and
    no tenant or API key read before a rollback is answered from the request cache."""
    from django.core.cache import cache

    from tenants import request_cache

    cache.clear()
    request_cache.clear()
    yield
    cache.clear()
    request_cache.clear()


@pytest.fixture(autouse=True)
def _reset_schema_to_public():
    yield
    connection.set_schema_to_public()


@pytest.fixture(autouse=True)
def _no_real_twilio(monkeypatch):
    """Fail any test that tries to resolve or connect to a real Twilio host."""
    real_getaddrinfo = socket.getaddrinfo

    def guarded_getaddrinfo(host, *args, **kwargs):
        if isinstance(host, str) and (host == "twilio.com" or host.endswith(".twilio.com")):
            pytest.fail(f"a test tried to reach the real Twilio host {host}")
        return real_getaddrinfo(host, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", guarded_getaddrinfo)


def pytest_collection_modifyitems(config, items):
    if os.environ.get("SWITCHBOARD_BROWSER_TESTS") == "0":
        skip = pytest.mark.skip(reason="Chromium is not available on this machine")
        for item in items:
            if "browser" in item.keywords:
                item.add_marker(skip)
