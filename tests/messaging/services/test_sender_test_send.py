"""The sender page's test send: a message like any other (source `test`), queued for the engine after the same
checks; the engine then sends it from the sender with the tenant's subaccount credentials."""

from __future__ import annotations

import pytest

from compliance.domain.registration import Mover
from messaging.dispatch import sending as dispatch_sending
from messaging.errors import MessagingValidationError, SenderNotReady, TenantNotSending
from messaging.models import Message
from messaging.services.messages import sender_test_send
from messaging.services.senders import sender_registration_move
from tenants.services import lifecycle
from tests.factories import SenderFactory

pytestmark = pytest.mark.django_db


def test_a_test_send_is_queued_then_leaves_from_the_sender_through_the_engine(in_tenant_a, fake_gateway):
    sender = SenderFactory(tenant=in_tenant_a, address="+14165550100")
    # when
    message = sender_test_send(tenant=in_tenant_a, sender=sender, to="(415) 555-0199", body="Hello")
    # then it is stored and queued, and nothing has left yet
    assert (message.source, message.status, message.to, message.sender, message.from_address, message.body) == (
        "test",
        "queued",
        "+14155550199",
        sender,
        "+14165550100",
        "Hello",
    )
    assert list(message.events.values_list("kind", "status")) == [("created", "queued")]
    assert fake_gateway.calls_of("send") == []
    # when the engine takes it
    dispatch_sending.forget_tenant(in_tenant_a.schema_name)
    assert dispatch_sending.process(in_tenant_a.schema_name, message.pk) == "accepted"
    (call,) = fake_gateway.calls_of("send")
    assert (call["message"].to, call["message"].from_, call["message"].body) == (
        "+14155550199",
        "+14165550100",
        "Hello",
    )
    assert call["credentials"].account_sid == in_tenant_a.twilio_subaccount_sid
    message.refresh_from_db()
    assert message.status == "accepted"
    assert fake_gateway.messages[message.twilio_sid].to == "+14155550199"


def test_a_suspended_tenant_cannot_send_and_nothing_is_stored(in_tenant_a, fake_gateway):
    sender = SenderFactory(tenant=in_tenant_a)
    lifecycle.tenant_suspend(tenant=in_tenant_a, reason="unpaid")
    with pytest.raises(TenantNotSending) as raised:
        sender_test_send(tenant=in_tenant_a, sender=sender, to="+14155550199", body="Hello")
    assert (raised.value.code, raised.value.status) == ("tenant_suspended", 403)
    assert raised.value.message == (
        "tenant suspended: Acme Appointments cannot send messages until ISV staff reactivate it"
    )
    assert Message.objects.count() == 0
    assert fake_gateway.calls_of("send") == []


def test_an_unverified_toll_free_number_is_refused_until_verified(in_tenant_a, fake_gateway):
    sender = SenderFactory(tenant=in_tenant_a, kind="toll_free", address="+18445550100", country="US", mps=3)
    with pytest.raises(SenderNotReady) as raised:
        sender_test_send(tenant=in_tenant_a, sender=sender, to="+14155550199", body="Hello")
    assert (raised.value.field, raised.value.status, raised.value.code) == ("sender", 409, "sender_not_registered")
    assert raised.value.message == (
        "+18445550100 cannot send yet: toll-free numbers send only once toll-free verification is approved "
        "(registration is pending)"
    )
    assert Message.objects.count() == 0
    # once verified it is queued
    sender_registration_move(tenant=in_tenant_a, sender=sender, target="verified", by=Mover.STAFF)
    message = sender_test_send(tenant=in_tenant_a, sender=sender, to="+14155550199", body="Hello")
    assert (message.status, message.source) == ("queued", "test")


def test_a_blank_body_is_refused(in_tenant_a):
    sender = SenderFactory(tenant=in_tenant_a)
    with pytest.raises(MessagingValidationError) as raised:
        sender_test_send(tenant=in_tenant_a, sender=sender, to="+14155550199", body=" \n ")
    assert (raised.value.field, raised.value.message) == ("body", "body must not be blank")
    assert Message.objects.count() == 0
