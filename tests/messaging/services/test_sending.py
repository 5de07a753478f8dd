"""The send guard: credentials only for a tenant that may send, and a clear refusal for one that may not."""

from __future__ import annotations

import pytest

from messaging.errors import SubaccountMissing, TenantNotSending
from messaging.services import sending
from tenants.models import Tenant
from tenants.services import lifecycle


@pytest.mark.django_db
def test_a_tenant_that_may_send_gets_its_subaccount_credentials(in_tenant_a):
    credentials = sending.sending_credentials(tenant=in_tenant_a)
    assert credentials.account_sid == in_tenant_a.twilio_subaccount_sid


@pytest.mark.django_db
def test_a_suspended_tenant_gets_no_credentials(in_tenant_a):
    lifecycle.tenant_suspend(tenant=in_tenant_a, reason="unpaid")
    with pytest.raises(TenantNotSending) as raised:
        sending.sending_credentials(tenant=in_tenant_a)
    assert (raised.value.code, raised.value.status, raised.value.message) == (
        "tenant_suspended",
        403,
        "tenant suspended: Acme Appointments cannot send messages until ISV staff reactivate it",
    )


@pytest.mark.django_db
def test_a_closed_tenant_cannot_send(in_tenant_a, fake_gateway):
    lifecycle.tenant_close(tenant=in_tenant_a)
    with pytest.raises(TenantNotSending) as raised:
        sending.sending_credentials(tenant=in_tenant_a)
    assert (raised.value.code, raised.value.message) == (
        "tenant_closed",
        "tenant closed: Acme Appointments can no longer send messages",
    )


@pytest.mark.django_db
def test_a_tenant_without_a_subaccount_is_told_so(in_tenant_a):
    unprovisioned = Tenant(slug="initech", name="Initech", schema_name="t_initech")
    with pytest.raises(SubaccountMissing) as raised:
        sending.sending_credentials(tenant=unprovisioned)
    assert (raised.value.status, raised.value.message) == (
        409,
        "tenant initech has no Twilio subaccount yet; ISV staff can provision it from the admin",
    )
