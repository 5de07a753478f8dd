"""Platform keys: their own visible prefix, an optional expiry, revocation in the admin (audited), last use."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from django.utils import timezone

from tenants.errors import ValidationFailed
from tenants.models import AuditEvent, PlatformApiKey
from tenants.services.api_keys import platform_key_create
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

TENANTS = "/api/platform/tenants"


def auth(key: str) -> dict:
    return {"HTTP_AUTHORIZATION": f"Bearer {key}"}


def test_a_platform_key_reads_sbp_and_is_not_a_tenants_key(public_client, client_a):
    row, plaintext = platform_key_create(name="automation")
    assert re.fullmatch(rf"sbp_{row.prefix}_[A-Za-z0-9_-]{{43}}", plaintext)
    assert public_client.get(TENANTS, **auth(plaintext)).status_code == 200
    # a platform key opens nothing on the tenant API
    assert client_a.get("/api/v1/tenant", **auth(plaintext)).status_code == 401


def test_the_command_prints_a_key_that_expires_when_asked(public_client, capsys):
    before = timezone.now()
    call_command("create_platform_key", "--name", "nightly", "--expires-in-days", "30")
    plaintext = capsys.readouterr().out.strip()
    row = PlatformApiKey.objects.get(name="nightly")
    assert plaintext.startswith(f"sbp_{row.prefix}_")
    assert before + timedelta(days=30) <= row.expires_at <= timezone.now() + timedelta(days=30)
    event = AuditEvent.objects.get(action="platform_key.created")
    assert (event.actor_label, event.target) == ("cli", f"nightly ({row.prefix})")
    with pytest.raises(CommandError, match="expires-in-days: must be 1 or more"):
        call_command("create_platform_key", "--name", "never", "--expires-in-days", "0")
    assert not PlatformApiKey.objects.filter(name="never").exists()


def test_an_expired_platform_key_is_refused(public_client):
    row, plaintext = platform_key_create(name="old", expires_at=timezone.now() + timedelta(hours=1))
    PlatformApiKey.objects.filter(pk=row.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    response = public_client.get(TENANTS, **auth(plaintext))
    assert (response.status_code, response["Content-Type"]) == (401, "application/problem+json")


def test_use_is_recorded(public_client):
    row, plaintext = platform_key_create(name="tracked")
    before = timezone.now()
    public_client.get(TENANTS, **auth(plaintext))
    row.refresh_from_db()
    assert before <= row.last_used_at <= timezone.now()


def test_staff_revoke_a_platform_key_in_the_admin_and_it_stops_at_once(public_client):
    # given a key in use and a platform admin
    row, plaintext = platform_key_create(name="leaked")
    admin = UserFactory(email="root@switchboard.test", is_staff=True, is_superuser=True)
    staff = Client(HTTP_HOST="localhost")
    staff.force_login(admin)
    # when
    before = timezone.now()
    response = staff.post("/admin/tenants/platformapikey/", {"action": "revoke_selected", "_selected_action": [row.pk]})
    # then
    row.refresh_from_db()
    assert response.status_code == 302
    assert before <= row.revoked_at <= timezone.now()
    event = AuditEvent.objects.get(action="platform_key.revoked")
    assert (event.actor, event.target) == (admin, f"leaked ({row.prefix})")
    assert public_client.get(TENANTS, **auth(plaintext)).status_code == 401
    # and it cannot be deleted instead
    assert staff.get(f"/admin/tenants/platformapikey/{row.pk}/delete/").status_code == 403


def test_a_past_expiry_is_refused():
    with pytest.raises(ValidationFailed) as refused:
        platform_key_create(name="late", expires_at=timezone.now() - timedelta(minutes=1))
    assert (refused.value.field, refused.value.message) == ("expires_at", "expires_at must be in the future")
    assert not PlatformApiKey.objects.exists()
