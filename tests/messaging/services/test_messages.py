"""Sending a message: stored first, checked before Twilio, queued in its sender's lane once committed; canceled
while it has not left."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from messaging.dispatch import keys
from messaging.errors import (
    DailyCapReached,
    MessageNotCancelable,
    MessagingValidationError,
    SenderNotReady,
    TenantNotSending,
)
from messaging.models import Message, MessageEvent
from messaging.services.messages import message_cancel, message_send
from tenants.models import TenantLimits
from tenants.services import lifecycle
from tests.factories import SenderFactory, SenderPoolFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def sender(in_tenant_a):
    return SenderFactory(tenant=in_tenant_a, address="+14165550100", mps=2)


def lane_entries(schema: str, sender_id: int, lane: str = "priority") -> list[tuple[str, float]]:
    from messaging.dispatch import redis_index

    name = keys.lane_keys(keys.lane_name(schema, sender_id))[lane]
    return [(member.decode(), score) for member, score in redis_index.client().zrange(name, 0, -1, withscores=True)]


def test_a_message_is_stored_then_queued_in_its_lane_on_commit(
    in_tenant_a, sender, dispatch_index, django_capture_on_commit_callbacks, fake_gateway
):
    # when
    with django_capture_on_commit_callbacks(execute=True):
        message = message_send(tenant=in_tenant_a, to="(416) 555-0199", body="Your table is ready 🍽", sender=sender)
    # then the row holds everything the engine needs, and nothing has gone to Twilio yet
    assert (message.status, message.direction, message.to, message.from_address, message.sender) == (
        "queued",
        "outbound",
        "+14165550199",
        "+14165550100",
        sender,
    )
    assert (message.encoding, message.segments, message.lane, message.source) == ("UCS-2", 1, "priority", "api")
    assert message.queued_at == message.created_at or abs(message.queued_at - message.created_at) < timedelta(seconds=1)
    assert list(message.events.values_list("kind", "status")) == [("created", "queued")]
    assert fake_gateway.calls_of("send") == []
    # and it is in its sender's priority lane, due at once, costing one segment
    ((member, score),) = lane_entries(in_tenant_a.schema_name, sender.pk)
    assert member == f"{message.pk}:1"
    assert score == int(message.created_at.timestamp() * 1000)


def test_a_scheduled_message_waits_for_its_time(
    in_tenant_a, sender, dispatch_index, django_capture_on_commit_callbacks
):
    at = timezone.now() + timedelta(hours=2)
    with django_capture_on_commit_callbacks(execute=True):
        message = message_send(tenant=in_tenant_a, to="+14165550199", body="Later", sender=sender, send_at=at)
    assert (message.status, message.send_at, message.queued_at) == ("scheduled", at, None)
    ((_, score),) = lane_entries(in_tenant_a.schema_name, sender.pk)
    assert score == int(at.timestamp() * 1000)


def test_a_pool_picks_the_sender_for_the_recipient(in_tenant_a, sender, django_capture_on_commit_callbacks):
    other = SenderFactory(tenant=in_tenant_a, address="+16045550100")
    pool = SenderPoolFactory(tenant=in_tenant_a, senders=[sender, other])
    message = message_send(tenant=in_tenant_a, to="+16045550123", body="Hi", pool=pool)
    assert (message.sender, message.pool, message.from_address) == (other, pool, "+16045550100")


@pytest.mark.parametrize(
    ("changes", "field", "text"),
    [
        ({"to": "not a number"}, "to", "'not a number' is not a phone number"),
        ({"to": "+1416555"}, "to", "'+1416555' is not a valid phone number"),
        ({"body": ""}, "body", "give a body, media URLs, or both"),
        ({"body": "x" * 1601}, "body", "body is 1,601 characters; Twilio takes at most 1,600"),
        (
            {"media_urls": ["http://example.com/a.png"]},
            "media_urls[0]",
            "'http://example.com/a.png' is not an https URL Twilio can fetch",
        ),
        ({"media_urls": ["https://example.com/a.png"] * 11}, "media_urls", "at most 10 media URLs per message"),
        ({"validity_period": 0}, "validity_period", "validity_period must be between 1 and 36,000 seconds"),
        ({"validity_period": 36_001}, "validity_period", "validity_period must be between 1 and 36,000 seconds"),
        ({"send_at": timezone.now() + timedelta(days=36)}, "send_at", "send_at must be within 35 days"),
    ],
)
def test_bad_input_names_the_field_and_stores_nothing(in_tenant_a, sender, changes, field, text):
    arguments = {"tenant": in_tenant_a, "to": "+14165550199", "body": "Hello", "sender": sender, **changes}
    with pytest.raises(MessagingValidationError) as refused:
        message_send(**arguments)
    assert (refused.value.field, refused.value.message) == (field, text)
    assert Message.objects.count() == 0


def test_sender_or_pool_but_not_both(in_tenant_a, sender):
    pool = SenderPoolFactory(tenant=in_tenant_a, senders=[sender])
    for arguments in ({}, {"sender": sender, "pool": pool}):
        with pytest.raises(MessagingValidationError, match="give either a sender or a pool"):
            message_send(tenant=in_tenant_a, to="+14165550199", body="Hi", **arguments)
    assert Message.objects.count() == 0


def test_a_sender_whose_registration_does_not_allow_sending_is_refused(in_tenant_a):
    toll_free = SenderFactory(tenant=in_tenant_a, kind="toll_free", address="+18445550100", country="US", mps=3)
    with pytest.raises(SenderNotReady) as refused:
        message_send(tenant=in_tenant_a, to="+14165550199", body="Hi", sender=toll_free)
    assert (refused.value.status, refused.value.field) == (409, "sender")
    assert Message.objects.count() == 0


def test_a_suspended_tenant_stores_nothing(in_tenant_a, sender):
    lifecycle.tenant_suspend(tenant=in_tenant_a)
    with pytest.raises(TenantNotSending) as refused:
        message_send(tenant=in_tenant_a, to="+14165550199", body="Hi", sender=sender)
    assert (refused.value.status, refused.value.code) == (403, "tenant_suspended")
    assert Message.objects.count() == 0


def test_the_daily_cap_refuses_the_message_beyond_it(in_tenant_a, sender):
    TenantLimits.objects.filter(tenant=in_tenant_a).update(daily_message_cap=2)
    in_tenant_a.limits.refresh_from_db()
    for _ in range(2):
        message_send(tenant=in_tenant_a, to="+14165550199", body="Hi", sender=sender)
    with pytest.raises(DailyCapReached) as refused:
        message_send(tenant=in_tenant_a, to="+14165550199", body="Hi", sender=sender)
    assert (refused.value.status, refused.value.message) == (
        429,
        "the daily cap of 2 messages is reached; it resets at 00:00 UTC",
    )
    assert Message.objects.count() == 2


def test_a_queued_message_is_canceled_and_leaves_its_lane(
    in_tenant_a, sender, dispatch_index, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        message = message_send(tenant=in_tenant_a, to="+14165550199", body="Hi", sender=sender)
    before = timezone.now()
    with django_capture_on_commit_callbacks(execute=True):
        message_cancel(message=message, actor_label="api-key:abcd1234")
    assert message.status == "canceled"
    assert before <= message.canceled_at <= timezone.now()
    assert list(message.events.values_list("kind", "detail")) == [
        ("created", "from +14165550100"),
        ("canceled", "canceled by api-key:abcd1234"),
    ]
    assert lane_entries(in_tenant_a.schema_name, sender.pk) == []


def test_a_message_already_leaving_cannot_be_canceled(in_tenant_a, sender):
    message = message_send(tenant=in_tenant_a, to="+14165550199", body="Hi", sender=sender)
    Message.objects.filter(pk=message.pk).update(status="sending", claim_token="00000000-0000-0000-0000-000000000001")
    with pytest.raises(MessageNotCancelable) as refused:
        message_cancel(message=message)
    assert (refused.value.status, refused.value.message) == (
        409,
        f"message {message.uuid} is sending: only a queued or scheduled message can be canceled",
    )
    assert not MessageEvent.objects.filter(kind="canceled").exists()
