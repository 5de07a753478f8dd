"""Endpoint services: a URL must reach a public https host, now (checked against what its name resolves to);
events are from the one list; the secret is shown once and stored encrypted; rotation, limits and audit."""

from __future__ import annotations

from datetime import timedelta

import pytest
from cryptography.fernet import Fernet
from django.core.management import CommandError, call_command
from django.utils import timezone

from messaging.errors import MessagingValidationError, WebhookEndpointLimit
from messaging.models import WebhookEndpoint
from messaging.outbound_webhooks.endpoints import (
    signing_secrets,
    webhook_endpoint_create,
    webhook_endpoint_enable,
    webhook_endpoint_secret_rotate,
    webhook_endpoint_update,
)
from tenants import crypto
from tenants.models import AuditEvent
from tests.factories import WebhookEndpointFactory, in_tenant

pytestmark = pytest.mark.django_db

PUBLIC = "; the URL must reach a public address."


def create(tenant, url: str, event_types=("message.delivered",), **changes):
    with in_tenant(tenant):
        return webhook_endpoint_create(tenant=tenant, url=url, event_types=list(event_types), **changes)


def test_an_endpoint_is_created_with_a_secret_shown_once_and_stored_encrypted(tenant_a, strict_urls, dns):
    # given
    dns["hooks.example.com"] = ["93.184.216.34", "2606:2800:220:1:248:1893:25c8:1946"]
    # when
    endpoint, secret = create(
        tenant_a,
        " https://hooks.example.com/switchboard ",
        ["message.failed", "message.delivered", "message.failed"],
        description="Our CRM",
    )
    # then
    assert secret.startswith("whsec_") and len(secret) == 38
    with in_tenant(tenant_a):
        stored = WebhookEndpoint.objects.get()
    assert (stored.url, stored.description, stored.event_types, stored.enabled) == (
        "https://hooks.example.com/switchboard",
        "Our CRM",
        ["message.delivered", "message.failed"],
        True,
    )
    assert secret not in stored.secret_encrypted
    assert crypto.decrypt(stored.secret_encrypted) == secret
    assert signing_secrets(stored, now=timezone.now()) == [secret]
    audit = AuditEvent.objects.get(tenant=tenant_a, action="webhook_endpoint.created")
    assert (audit.target, audit.details) == (
        "https://hooks.example.com/switchboard",
        {"endpoint_id": endpoint.pk, "event_types": ["message.delivered", "message.failed"]},
    )
    assert secret not in str(audit.details)


@pytest.mark.parametrize(
    ("url", "answers", "message"),
    [
        ("http://hooks.example.com/h", ["93.184.216.34"], "The URL must start with https://."),
        ("https://127.0.0.1/h", [], "127.0.0.1 is a loopback address" + PUBLIC),
        ("https://[::1]/h", [], "::1 is a loopback address" + PUBLIC),
        ("https://10.0.0.8/h", [], "10.0.0.8 is a private address" + PUBLIC),
        ("https://172.20.1.1/h", [], "172.20.1.1 is a private address" + PUBLIC),
        ("https://192.168.0.10/h", [], "192.168.0.10 is a private address" + PUBLIC),
        ("https://[fd00::1]/h", [], "fd00::1 is a private address" + PUBLIC),
        ("https://169.254.169.254/h", [], "169.254.169.254 is a link-local address" + PUBLIC),
        ("https://100.100.1.1/h", [], "100.100.1.1 is a shared (carrier-grade NAT) address" + PUBLIC),
        ("https://localhost/h", [], "localhost is this machine" + PUBLIC),
        ("https://hooks.example.com/h", ["127.0.0.1"], "hooks.example.com resolves to 127.0.0.1 is a loopback address"),
        ("https://hooks.example.com/h", ["::1"], "hooks.example.com resolves to ::1 is a loopback address"),
        (
            "https://hooks.example.com/h",
            ["93.184.216.34", "10.1.1.1"],
            "hooks.example.com resolves to 10.1.1.1 is a private address",
        ),
        (
            "https://hooks.example.com/h",
            ["::ffff:169.254.1.1"],
            "hooks.example.com resolves to ::ffff:169.254.1.1 is a link-local address (169.254.1.1)",
        ),
        ("https://nowhere.example.com/h", None, "nowhere.example.com cannot be resolved"),
    ],
)
def test_a_url_that_may_not_be_delivered_to_is_refused_naming_the_field(
    tenant_a, strict_urls, dns, url, answers, message
):
    if answers is not None:
        dns[url.split("/")[2]] = answers
    with pytest.raises(MessagingValidationError) as refused:
        create(tenant_a, url)
    assert refused.value.field == "url"
    assert refused.value.message.startswith(message)
    with in_tenant(tenant_a):
        assert WebhookEndpoint.objects.count() == 0


def test_development_accepts_http_on_this_machine(tenant_a):
    endpoint, _ = create(tenant_a, "http://localhost:8123/hook")
    assert endpoint.url == "http://localhost:8123/hook"


@pytest.mark.parametrize(
    ("event_types", "message"),
    [
        ([], "choose at least one event type"),
        (["message.delivered", "message.exploded"], "unknown event type(s): message.exploded"),
        (["webhook.test"], "unknown event type(s): webhook.test"),
    ],
)
def test_event_types_come_from_the_list(tenant_a, event_types, message):
    with pytest.raises(MessagingValidationError) as refused:
        create(tenant_a, "http://127.0.0.1:9/h", event_types)
    assert (refused.value.field, refused.value.message) == ("event_types", message)


def test_a_tenant_has_at_most_its_limit_of_endpoints(tenant_a, tenant_b, settings):
    settings.WEBHOOK_ENDPOINTS_PER_TENANT = 2
    create(tenant_a, "http://127.0.0.1:9/1")
    create(tenant_a, "http://127.0.0.1:9/2")
    with pytest.raises(WebhookEndpointLimit, match="a tenant may have at most 2 endpoints"):
        create(tenant_a, "http://127.0.0.1:9/3")
    create(tenant_b, "http://127.0.0.1:9/1")  # another tenant counts its own


def test_a_changed_url_is_checked_again(tenant_a, strict_urls, dns):
    dns["hooks.example.com"] = ["93.184.216.34"]
    dns["internal.example.com"] = ["10.0.0.1"]
    endpoint, _ = create(tenant_a, "https://hooks.example.com/h")
    with in_tenant(tenant_a), pytest.raises(MessagingValidationError, match=r"resolves to 10\.0\.0\.1 is a private"):
        webhook_endpoint_update(tenant=tenant_a, endpoint=endpoint, url="https://internal.example.com/h")
    with in_tenant(tenant_a):
        assert WebhookEndpoint.objects.get().url == "https://hooks.example.com/h"


def test_an_update_changes_what_was_given_and_is_audited(tenant_a):
    endpoint = WebhookEndpointFactory(tenant=tenant_a, url="http://127.0.0.1:9/a", event_types=["message.sent"])
    with in_tenant(tenant_a):
        webhook_endpoint_update(tenant=tenant_a, endpoint=endpoint, event_types=["message.read"], description="x")
        stored = WebhookEndpoint.objects.get()
    assert (stored.url, stored.event_types, stored.description) == ("http://127.0.0.1:9/a", ["message.read"], "x")
    audit = AuditEvent.objects.get(tenant=tenant_a, action="webhook_endpoint.changed")
    assert audit.details == {"endpoint_id": endpoint.pk, "changed": ["description", "event_types"]}


def test_a_rotation_keeps_the_previous_secret_for_the_grace_period_or_drops_it_at_once(tenant_a):
    endpoint = WebhookEndpointFactory(tenant=tenant_a)
    first = endpoint.secret
    with in_tenant(tenant_a):
        endpoint, second = webhook_endpoint_secret_rotate(tenant=tenant_a, endpoint=endpoint)
    now = timezone.now()
    assert signing_secrets(endpoint, now=now) == [second, first]
    assert now + timedelta(hours=23, minutes=59) < endpoint.previous_secret_expires_at <= now + timedelta(hours=24)
    assert signing_secrets(endpoint, now=now + timedelta(hours=24, seconds=1)) == [second]
    with in_tenant(tenant_a):
        endpoint, third = webhook_endpoint_secret_rotate(tenant=tenant_a, endpoint=endpoint, grace_hours=0)
    assert signing_secrets(endpoint, now=timezone.now()) == [third]
    assert (endpoint.previous_secret_encrypted, endpoint.previous_secret_expires_at) == ("", None)
    assert len({first, second, third}) == 3
    actions = AuditEvent.objects.filter(tenant=tenant_a, action="webhook_endpoint.secret_rotated")
    assert sorted(event.details["grace_hours"] for event in actions) == [0, 24]


def test_a_grace_period_past_three_days_is_refused(tenant_a):
    endpoint = WebhookEndpointFactory(tenant=tenant_a)
    with in_tenant(tenant_a), pytest.raises(MessagingValidationError) as refused:
        webhook_endpoint_secret_rotate(tenant=tenant_a, endpoint=endpoint, grace_hours=73)
    assert (refused.value.field, refused.value.message) == ("grace_hours", "grace_hours must be from 0 to 72")


def test_enabling_starts_the_failure_count_afresh(tenant_a):
    endpoint = WebhookEndpointFactory(tenant=tenant_a)
    with in_tenant(tenant_a):
        WebhookEndpoint.objects.filter(pk=endpoint.pk).update(
            enabled=False, disabled_at=timezone.now(), disabled_reason="failing", consecutive_failures=40,
            failing_since=timezone.now() - timedelta(days=2),
        )  # fmt: skip
        endpoint.refresh_from_db()
        endpoint = webhook_endpoint_enable(tenant=tenant_a, endpoint=endpoint)
    assert (endpoint.enabled, endpoint.disabled_at, endpoint.disabled_reason) == (True, None, "")
    assert (endpoint.consecutive_failures, endpoint.failing_since) == (0, None)


def test_reencrypt_secrets_rewrites_webhook_secrets_so_the_old_key_can_go(settings, tenant_a, capsys):
    # given an endpoint with a current and a previous secret, under today's key
    endpoint = WebhookEndpointFactory(tenant=tenant_a)
    first_secret = endpoint.secret
    with in_tenant(tenant_a):
        _, new_secret = webhook_endpoint_secret_rotate(tenant=tenant_a, endpoint=endpoint)
    # when a new key is put first and the command runs
    new_key = Fernet.generate_key().decode()
    settings.FIELD_ENCRYPTION_KEY = [new_key, *settings.FIELD_ENCRYPTION_KEY]
    call_command("reencrypt_secrets")
    # then the old key can go
    settings.FIELD_ENCRYPTION_KEY = [new_key]
    with in_tenant(tenant_a):
        stored = WebhookEndpoint.objects.get()
    assert signing_secrets(stored, now=timezone.now()) == [new_secret, first_secret]
    assert capsys.readouterr().out.startswith("re-encrypted ")


def test_reencrypt_secrets_names_an_unreadable_webhook_secret_and_changes_nothing(settings, tenant_a):
    endpoint = WebhookEndpointFactory(tenant=tenant_a)
    with in_tenant(tenant_a):
        WebhookEndpoint.objects.filter(pk=endpoint.pk).update(
            secret_encrypted=Fernet(Fernet.generate_key()).encrypt(b"whsec_x").decode()
        )
        before = WebhookEndpoint.objects.get().secret_encrypted
    with pytest.raises(CommandError) as refused:
        call_command("reencrypt_secrets")
    assert str(refused.value) == (
        f"tenant acme: webhook endpoint {endpoint.pk}: the secret cannot be decrypted with the configured "
        "FIELD_ENCRYPTION_KEY; nothing was changed"
    )
    with in_tenant(tenant_a):
        assert WebhookEndpoint.objects.get().secret_encrypted == before
