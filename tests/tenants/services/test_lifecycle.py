"""Tenant lifecycle bound to a Twilio subaccount: create, suspend, reactivate, close — all or nothing."""

from __future__ import annotations

import logging
from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone
from django_tenants.utils import schema_exists

from tenants import crypto
from tenants.errors import Conflict, ProvisioningFailed, ValidationFailed
from tenants.models import AuditEvent, Domain, Tenant, TenantLimits
from tenants.services import lifecycle
from tenants.services.api_keys import api_key_create


@pytest.mark.django_db
def test_create_provisions_a_subaccount_and_stores_its_token_encrypted(fake_gateway):
    # when
    tenant = lifecycle.tenant_create(name="Initech", slug="initech", time_zone="America/Chicago")
    # then the subaccount exists at Twilio under the tenant's name
    (subaccount,) = [s for s in fake_gateway.subaccounts.values() if s.friendly_name == "switchboard:initech"]
    tenant.refresh_from_db()
    assert tenant.twilio_subaccount_sid == subaccount.sid
    # and the column holds ciphertext that decrypts to the token, never the token itself
    stored = Tenant.objects.filter(pk=tenant.pk).values_list("twilio_auth_token_encrypted", flat=True).get()
    assert subaccount.auth_token not in stored
    assert crypto.decrypt(stored) == subaccount.auth_token
    # and the schema, host, limits and audit entry exist
    assert schema_exists("t_initech")
    assert Domain.objects.get(tenant=tenant).domain == "initech.localhost"
    assert TenantLimits.objects.filter(tenant=tenant).count() == 1
    assert list(AuditEvent.objects.filter(tenant=tenant).values_list("action", flat=True)) == ["tenant.created"]


@pytest.mark.django_db
def test_a_twilio_failure_leaves_nothing_behind(fake_gateway):
    # given Twilio refuses to create the subaccount
    fake_gateway.script_error("create_subaccount", 20003)
    before = (Tenant.objects.count(), Domain.objects.count(), AuditEvent.objects.count())
    # when
    with pytest.raises(ProvisioningFailed) as raised:
        lifecycle.tenant_create(name="Initech", slug="initech")
    # then
    assert raised.value.twilio_code == 20003
    assert str(raised.value).startswith("Twilio could not create the subaccount: ")
    assert (Tenant.objects.count(), Domain.objects.count(), AuditEvent.objects.count()) == before
    assert not schema_exists("t_initech")


@pytest.mark.django_db
def test_a_retry_reuses_the_subaccount_twilio_already_made(fake_gateway):
    # given an earlier attempt made the subaccount at Twilio, then failed before committing
    earlier = fake_gateway.create_subaccount("switchboard:initech")
    # when the retry runs
    tenant = lifecycle.tenant_create(name="Initech", slug="initech")
    # then it adopts that subaccount and makes no second one
    assert tenant.twilio_subaccount_sid == earlier.sid
    assert len(fake_gateway.calls_of("create_subaccount")) == 1
    assert crypto.decrypt(tenant.twilio_auth_token_encrypted) == earlier.auth_token


@pytest.mark.django_db
def test_suspend_and_reactivate_propagate_to_twilio(tenant_a, fake_gateway):
    sid = tenant_a.twilio_subaccount_sid
    # when
    before = timezone.now()
    lifecycle.tenant_suspend(tenant=tenant_a, reason="unpaid invoice")
    # then
    tenant_a.refresh_from_db()
    assert (tenant_a.status, fake_gateway.subaccounts[sid].status) == ("suspended", "suspended")
    assert before <= tenant_a.suspended_at <= timezone.now()
    event = AuditEvent.objects.filter(tenant=tenant_a).latest("id")
    assert (event.action, event.details) == (
        "tenant.suspended",
        {"from": "active", "to": "suspended", "reason": "unpaid invoice"},
    )
    # when
    lifecycle.tenant_reactivate(tenant=tenant_a)
    # then
    tenant_a.refresh_from_db()
    assert (tenant_a.status, fake_gateway.subaccounts[sid].status) == ("active", "active")


@pytest.mark.django_db
def test_when_twilio_refuses_to_suspend_nothing_changes(tenant_a, fake_gateway):
    fake_gateway.script_error("suspend_subaccount", 20500)
    with pytest.raises(ProvisioningFailed):
        lifecycle.tenant_suspend(tenant=tenant_a)
    tenant_a.refresh_from_db()
    assert tenant_a.status == "active"
    assert not AuditEvent.objects.filter(tenant=tenant_a, action="tenant.suspended").exists()


@pytest.mark.django_db
def test_close_keeps_the_tenant_readable_for_the_retention_period(tenant_a, fake_gateway, settings):
    settings.TENANT_RETENTION_DAYS = 30
    lifecycle.tenant_close(tenant=tenant_a, reason="contract ended")
    tenant_a.refresh_from_db()
    assert tenant_a.status == "closed"
    assert tenant_a.retain_until - tenant_a.closed_at == timedelta(days=30)
    assert fake_gateway.subaccounts[tenant_a.twilio_subaccount_sid].status == "closed"
    # a closed tenant cannot come back
    with pytest.raises(Conflict, match=r"^a closed tenant cannot change status$"):
        lifecycle.tenant_reactivate(tenant=tenant_a)


@pytest.mark.django_db
def test_logs_never_carry_a_token_or_an_api_key(caplog, fake_gateway, tenant_a):
    caplog.set_level(logging.DEBUG)
    tenant = lifecycle.tenant_create(name="Initech", slug="initech")
    token = crypto.decrypt(tenant.twilio_auth_token_encrypted)
    _, raw_key = api_key_create(tenant=tenant, name="ci")
    lifecycle.tenant_suspend(tenant=tenant)
    assert caplog.records, "the lifecycle logs what it does"
    assert token not in caplog.text
    assert raw_key not in caplog.text
    # the secret after `sb_<prefix>_` may itself hold "_": split off only the two separators of the format
    secret = raw_key.split("_", 2)[2]
    assert len(secret) == 43
    assert secret not in caplog.text


@pytest.mark.django_db
def test_the_platform_tenant_cannot_be_suspended(fake_gateway):
    connection.set_schema_to_public()
    public = Tenant.objects.get(schema_name="public")
    with pytest.raises(ValidationFailed, match=r"^the platform's own tenant cannot change status$"):
        lifecycle.tenant_suspend(tenant=public)


@pytest.mark.django_db
def test_closed_tenants_are_purged_once_their_retention_ends(fake_gateway):
    from tenants.tasks import purge_closed_tenants

    # given two closed tenants, one past its retention period
    expired = lifecycle.tenant_create(name="Initech", slug="initech")
    lifecycle.tenant_close(tenant=expired)
    kept = lifecycle.tenant_create(name="Hooli", slug="hooli")
    lifecycle.tenant_close(tenant=kept)
    Tenant.objects.filter(pk=expired.pk).update(retain_until=expired.retain_until - timedelta(days=91))
    # when beat runs the purge
    assert purge_closed_tenants.apply().get() == ["initech"]
    # then the expired tenant's schema, row and host are gone; the other stays readable
    assert not schema_exists("t_initech")
    assert not Tenant.objects.filter(slug="initech").exists()
    assert not Domain.objects.filter(domain="initech.localhost").exists()
    assert schema_exists("t_hooli")
    # and the audit keeps the history
    event = AuditEvent.objects.get(action="tenant.purged")
    assert (event.tenant, event.target, event.details["name"]) == (None, "initech", "Initech")
    assert AuditEvent.objects.filter(target="initech", action="tenant.closed").count() == 1


@pytest.mark.django_db
def test_a_closed_tenant_is_read_only_on_the_api_and_its_members_still_sign_in(
    tenant_a, api_key_a, client_a, acme_member, fake_gateway
):
    from tenants.models import ApiKey

    owner = acme_member("owner")
    owner.set_password("read-only-2026")
    owner.save()
    lifecycle.tenant_close(tenant=tenant_a)
    auth = {"HTTP_AUTHORIZATION": f"Bearer {api_key_a}"}
    # reading works
    assert client_a.get("/api/v1/tenant", **auth).json()["status"] == "closed"
    # writing is refused before any view runs
    before = ApiKey.objects.count()
    refused = client_a.post("/api/v1/api-keys", {"name": "x"}, content_type="application/json", **auth)
    assert (refused.status_code, refused["Content-Type"]) == (403, "application/problem+json")
    assert (refused.json()["code"], refused.json()["detail"]) == (
        "tenant_closed",
        "This tenant is closed; it can only be read.",
    )
    assert ApiKey.objects.count() == before
    # members sign in to read, and UI writes are refused
    signed_in = client_a.post("/login/", {"username": owner.email, "password": "read-only-2026"})
    assert (signed_in.status_code, signed_in["Location"]) == (302, "/")
    assert client_a.get("/").status_code == 200
    assert client_a.post("/settings/", {"name": "Renamed"}).status_code == 403
