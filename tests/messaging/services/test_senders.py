"""Senders and pools: registration moves audited on the tenant, pools that pick a sender and keep it per recipient."""

from __future__ import annotations

import pytest

from messaging.errors import MessagingValidationError, RegistrationRefused
from messaging.models import StickySender
from messaging.services.senders import pool_pick_sender, sender_registration_move
from tenants.models import AuditEvent
from tests.factories import SenderFactory, SenderPoolFactory, UserFactory

pytestmark = pytest.mark.django_db

ALPHANUMERIC_COUNTRIES = frozenset({"GB", "DE"})


def test_a_registration_move_is_audited_with_who_moved_it(in_tenant_a):
    sender = SenderFactory(tenant=in_tenant_a, kind="a2p_10dlc", address="+14155550100", country="US", mps=12)
    staff = UserFactory(email="ops@switchboard.test")
    sender_registration_move(
        tenant=in_tenant_a, sender=sender, target="submitted", reference="CMP123", actor=staff, ip_address="10.0.0.7"
    )
    sender.refresh_from_db()
    assert (sender.registration_state, sender.registration_reference) == ("submitted", "CMP123")
    event = AuditEvent.objects.get(action="sender.registration_moved")
    assert (event.tenant_id, event.actor_id, event.actor_label, event.target, event.ip_address, event.details) == (
        in_tenant_a.pk,
        staff.pk,
        "ops@switchboard.test",
        "+14155550100",
        "10.0.0.7",
        {"from": "draft", "to": "submitted", "reference": "CMP123"},
    )


def test_a_move_the_state_machine_refuses_changes_nothing_and_audits_nothing(in_tenant_a):
    sender = SenderFactory(tenant=in_tenant_a, kind="toll_free", address="+18445550100", country="US", mps=3)
    with pytest.raises(RegistrationRefused) as refused:
        sender_registration_move(tenant=in_tenant_a, sender=sender, target="approved")
    assert (refused.value.field, refused.value.status) == ("registration_state", 409)
    assert refused.value.message == (
        "toll_free registration cannot go from pending to approved; allowed: rejected, verified"
    )
    sender.refresh_from_db()
    assert sender.registration_state == "pending"
    assert not AuditEvent.objects.filter(action="sender.registration_moved").exists()


def test_a_pool_picks_a_local_sender_and_keeps_it_for_the_recipient(in_tenant_a):
    # given a pool of two Canadian numbers and a British alphanumeric ID
    toronto = SenderFactory(tenant=in_tenant_a, address="+14165550100")
    vancouver = SenderFactory(tenant=in_tenant_a, address="+16045550100")
    alpha = SenderFactory(tenant=in_tenant_a, kind="alphanumeric", address="ACME", country="GB", mps=10, two_way=False)
    pool = SenderPoolFactory(tenant=in_tenant_a, two_way=False, senders=[toronto, vancouver, alpha])
    # when a Vancouver recipient is picked for
    sender, reason = pool_pick_sender(
        pool=pool, phone_number="+16045550199", country="CA", alphanumeric_countries=ALPHANUMERIC_COUNTRIES
    )
    # then the number in their area code, remembered for next time
    assert (sender, reason) == (vancouver, "country match, area code 604")
    assert list(StickySender.objects.values_list("pool", "phone_number", "sender")) == [
        (pool.pk, "+16045550199", vancouver.pk)
    ]
    # when the same recipient is picked for again while Toronto carries less load
    sender, reason = pool_pick_sender(
        pool=pool,
        phone_number="+16045550199",
        country="CA",
        alphanumeric_countries=ALPHANUMERIC_COUNTRIES,
        loads={vancouver.pk: 50.0, toronto.pk: 0.0},
    )
    # then the conversation keeps its sender
    assert (sender, reason) == (vancouver, "sticky: the sender this contact had before")
    assert StickySender.objects.count() == 1
    # and a British recipient gets the alphanumeric ID, allowed there for one-way traffic
    sender, reason = pool_pick_sender(
        pool=pool, phone_number="+447700900123", country="GB", alphanumeric_countries=ALPHANUMERIC_COUNTRIES
    )
    assert (sender, reason) == (alpha, "country match, least loaded")


def test_a_pool_with_no_sender_for_the_recipient_is_refused_and_remembers_nothing(in_tenant_a):
    alpha = SenderFactory(tenant=in_tenant_a, kind="alphanumeric", address="ACME", country="GB", mps=10, two_way=False)
    pool = SenderPoolFactory(tenant=in_tenant_a, two_way=True, senders=[alpha])
    with pytest.raises(MessagingValidationError) as refused:
        pool_pick_sender(
            pool=pool, phone_number="+447700900123", country="GB", alphanumeric_countries=ALPHANUMERIC_COUNTRIES
        )
    assert (refused.value.field, refused.value.message) == ("pool", "no sender in the pool may send to GB (two-way)")
    assert StickySender.objects.count() == 0
