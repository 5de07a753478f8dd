"""The send guard and the test send: credentials only for a tenant that may send, and a sender that may send."""

from __future__ import annotations

import pytest

from compliance.domain.registration import Mover
from messaging.errors import SenderNotReady, SubaccountMissing, TenantNotSending
from messaging.services import sending
from messaging.services.senders import sender_registration_move
from tenants.models import Tenant
from tenants.services import lifecycle
from tests.factories import SenderFactory


@pytest.mark.django_db
def test_test_send_goes_out_from_the_sender_with_the_subaccount_credentials(in_tenant_a, fake_gateway):
    sender = SenderFactory(tenant=in_tenant_a, address="+14165550100")
    result = sending.sender_test_send(tenant=in_tenant_a, sender=sender, to="(415) 555-0199", body="Hello")
    (call,) = fake_gateway.calls_of("send")
    assert (call["message"].to, call["message"].from_, call["message"].body) == (
        "+14155550199",
        "+14165550100",
        "Hello",
    )
    assert call["credentials"].account_sid == in_tenant_a.twilio_subaccount_sid
    assert result.status == "queued"
    assert fake_gateway.messages[result.sid].to == "+14155550199"


@pytest.mark.django_db
def test_a_suspended_tenant_cannot_send_and_nothing_leaves(in_tenant_a, fake_gateway):
    sender = SenderFactory(tenant=in_tenant_a)
    lifecycle.tenant_suspend(tenant=in_tenant_a, reason="unpaid")
    with pytest.raises(TenantNotSending) as raised:
        sending.sender_test_send(tenant=in_tenant_a, sender=sender, to="+14155550199", body="Hello")
    assert (raised.value.code, raised.value.status) == ("tenant_suspended", 403)
    assert raised.value.message == (
        "tenant suspended: Acme Appointments cannot send messages until ISV staff reactivate it"
    )
    assert fake_gateway.calls_of("send") == []


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


@pytest.mark.django_db
def test_an_unverified_toll_free_number_is_refused_before_twilio(in_tenant_a, fake_gateway):
    sender = SenderFactory(tenant=in_tenant_a, kind="toll_free", address="+18445550100", country="US", mps=3)
    with pytest.raises(SenderNotReady) as raised:
        sending.sender_test_send(tenant=in_tenant_a, sender=sender, to="+14155550199", body="Hello")
    assert (raised.value.field, raised.value.status, raised.value.code) == ("sender", 409, "sender_not_registered")
    assert raised.value.message == (
        "+18445550100 cannot send yet: toll-free numbers send only once toll-free verification is approved "
        "(registration is pending)"
    )
    assert fake_gateway.calls_of("send") == []
    # once verified it sends
    sender_registration_move(tenant=in_tenant_a, sender=sender, target="verified", by=Mover.STAFF)
    result = sending.sender_test_send(tenant=in_tenant_a, sender=sender, to="+14155550199", body="Hello")
    assert result.status == "queued"
