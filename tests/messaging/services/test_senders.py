"""Senders and pools: registration moves audited on the tenant, pools that pick a sender and keep it per recipient."""

from __future__ import annotations

import pytest

from compliance.domain.registration import Mover
from messaging.errors import MessagingValidationError, RegistrationMoveNotPermitted, RegistrationRefused
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
        tenant=in_tenant_a,
        sender=sender,
        target="submitted",
        by=Mover.STAFF,
        reference="CMP123",
        actor=staff,
        ip_address="10.0.0.7",
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
        sender_registration_move(tenant=in_tenant_a, sender=sender, target="approved", by=Mover.STAFF)
    assert (refused.value.field, refused.value.status) == ("registration_state", 409)
    assert refused.value.message == (
        "toll_free registration cannot go from pending to approved; allowed: rejected, verified"
    )
    sender.refresh_from_db()
    assert sender.registration_state == "pending"
    assert not AuditEvent.objects.filter(action="sender.registration_moved").exists()


@pytest.mark.parametrize(
    ("kind", "address", "state", "target"),
    [
        ("a2p_10dlc", "+14155550100", "submitted", "approved"),
        ("a2p_10dlc", "+14155550100", "submitted", "rejected"),
        ("a2p_10dlc", "+14155550100", "approved", "suspended"),
        ("toll_free", "+18445550100", "pending", "verified"),
        ("short_code", "12345", "applied", "provisioned"),
    ],
)
def test_a_tenant_cannot_decide_its_own_registration(in_tenant_a, kind, address, state, target):
    # given: a sender whose registration waits for a decision
    sender = SenderFactory(
        tenant=in_tenant_a, kind=kind, address=address, country="US", mps=1, registration_state=state
    )
    owner = UserFactory(email="owner@acme.test")

    # when the tenant moves it itself
    with pytest.raises(RegistrationMoveNotPermitted) as refused:
        sender_registration_move(tenant=in_tenant_a, sender=sender, target=target, by=Mover.TENANT, actor=owner)

    # then: refused, naming the reason; nothing moved, nothing audited
    assert (refused.value.status, refused.value.code, refused.value.field) == (
        403,
        "registration_move_staff_only",
        "registration_state",
    )
    assert refused.value.message == (
        f"only ISV staff move this {kind} registration from {state} to {target}, on the decision of the carriers or "
        "Twilio; you may move it to: none"
    )
    sender.refresh_from_db()
    assert sender.registration_state == state
    assert not AuditEvent.objects.filter(action="sender.registration_moved").exists()


def test_a_tenant_submits_and_resubmits_after_a_rejection(in_tenant_a):
    sender = SenderFactory(tenant=in_tenant_a, kind="a2p_10dlc", address="+14155550100", country="US", mps=12)
    owner = UserFactory(email="owner@acme.test")
    ops = UserFactory(email="ops@switchboard.test")

    sender_registration_move(tenant=in_tenant_a, sender=sender, target="submitted", by=Mover.TENANT, actor=owner)
    sender_registration_move(tenant=in_tenant_a, sender=sender, target="rejected", by=Mover.STAFF, actor=ops)
    sender_registration_move(tenant=in_tenant_a, sender=sender, target="draft", by=Mover.TENANT, actor=owner)
    sender_registration_move(tenant=in_tenant_a, sender=sender, target="submitted", by=Mover.TENANT, actor=owner)

    sender.refresh_from_db()
    assert sender.registration_state == "submitted"
    moves = AuditEvent.objects.filter(action="sender.registration_moved").order_by("pk")
    assert [(event.actor_label, event.details["to"]) for event in moves] == [
        ("owner@acme.test", "submitted"),
        ("ops@switchboard.test", "rejected"),
        ("owner@acme.test", "draft"),
        ("owner@acme.test", "submitted"),
    ]


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
