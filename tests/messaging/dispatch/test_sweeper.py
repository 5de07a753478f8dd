"""The sweeper: PostgreSQL rebuilds the index Redis lost, holds follow the tenant and its senders, and a message a
dead worker left in `sending` is adopted when Twilio has it, sent again only when surely it does not."""

from __future__ import annotations

import uuid
from datetime import timedelta

import pytest
from django.utils import timezone

from messaging.dispatch import keys, sending, sweeper
from messaging.gateways.base import OutboundMessage
from messaging.models import Message
from messaging.services.messages import message_send
from tenants.models import Tenant
from tenants.services import lifecycle
from tests.factories import SenderFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def sender(in_tenant_a, dispatch_index):
    sending.forget_tenant(in_tenant_a.schema_name)
    return SenderFactory(tenant=in_tenant_a, address="+14165550100", mps=2)


def lane_members(sender) -> list[str]:
    from messaging.dispatch import redis_index

    name = keys.lane_keys(keys.lane_name("t_acme", sender.pk))["priority"]
    return sorted(member.decode() for member in redis_index.client().zrange(name, 0, -1))


def test_after_redis_lost_its_data_a_full_sweep_puts_every_waiting_message_back(in_tenant_a, sender, dispatch_index):
    # given messages queued and scheduled in PostgreSQL, and an empty index
    queued = message_send(tenant=in_tenant_a, to="+14165550199", body="Hi", sender=sender)
    later = message_send(
        tenant=in_tenant_a, to="+14165550198", body="Later", sender=sender, send_at=timezone.now() + timedelta(hours=1)
    )
    assert lane_members(sender) == []
    # when
    report = sweeper.sweep(tenant=in_tenant_a, full=True)
    # then
    assert report.requeued == 2
    assert lane_members(sender) == sorted([f"{queued.pk}:1", f"{later.pk}:1"])


def test_an_ordinary_sweep_puts_back_only_what_waited_longer_than_a_sweep(in_tenant_a, sender, dispatch_index):
    fresh = message_send(tenant=in_tenant_a, to="+14165550199", body="Hi", sender=sender)
    stale = message_send(tenant=in_tenant_a, to="+14165550198", body="Hi", sender=sender)
    Message.objects.filter(pk=stale.pk).update(created_at=timezone.now() - timedelta(minutes=5))
    assert sweeper.sweep(tenant=in_tenant_a).requeued == 1
    assert lane_members(sender) == [f"{stale.pk}:1"]
    assert fresh.pk not in [int(member.split(":")[0]) for member in lane_members(sender)]


def test_holds_follow_the_tenants_status_and_the_senders_pause(in_tenant_a, sender, dispatch_index):
    client = dispatch_index.client()
    lifecycle.tenant_suspend(tenant=in_tenant_a)
    sender.__class__.objects.filter(pk=sender.pk).update(paused=True)
    sweeper.sweep(tenant=Tenant.objects.get(pk=in_tenant_a.pk))
    meta = keys.lane_keys(keys.lane_name("t_acme", sender.pk))["meta"]
    assert client.exists(keys.tenant_hold("t_acme")) == 1
    assert client.hgetall(meta) == {b"hold": b"1", b"interval": b"500000"}
    lifecycle.tenant_reactivate(tenant=in_tenant_a)
    sender.__class__.objects.filter(pk=sender.pk).update(paused=False)
    sweeper.sweep(tenant=Tenant.objects.get(pk=in_tenant_a.pk))
    assert client.exists(keys.tenant_hold("t_acme")) == 0
    assert client.hget(meta, "hold") == b"0"


def _stranded(message: Message) -> None:
    """As a worker that claimed the message and died leaves it."""
    Message.objects.filter(pk=message.pk).update(
        status="sending", claim_token=uuid.uuid4(), sending_at=timezone.now() - timedelta(minutes=5), attempts=1
    )


def test_a_message_whose_worker_died_after_twilio_took_it_is_adopted(in_tenant_a, sender, fake_gateway):
    message = message_send(tenant=in_tenant_a, to="+14165550199", body="Hi", sender=sender)
    _stranded(message)
    credentials = sending.sending_tenant("t_acme").credentials
    created = fake_gateway.send(credentials, OutboundMessage(to="+14165550199", body="Hi", from_="+14165550100"))
    assert sweeper.sweep(tenant=in_tenant_a).resolved == 1
    message.refresh_from_db()
    assert (message.status, message.twilio_sid, message.claim_token) == ("accepted", created.sid, None)
    assert len(fake_gateway.calls_of("send")) == 1


def test_a_message_whose_worker_died_before_sending_is_sent_after_three_empty_lookups(
    in_tenant_a, sender, fake_gateway
):
    message = message_send(tenant=in_tenant_a, to="+14165550199", body="Hi", sender=sender)
    _stranded(message)
    assert [sweeper.sweep(tenant=in_tenant_a).resolved for _ in range(3)] == [0, 0, 1]
    message.refresh_from_db()
    assert (message.status, message.claim_token, message.reconcile_lookups) == ("queued", None, 0)
    assert f"{message.pk}:1" in lane_members(sender)
    assert sending.process("t_acme", message.pk) == "accepted"
    assert len(fake_gateway.calls_of("send")) == 1
    assert len(fake_gateway.calls_of("find_messages")) == 3
