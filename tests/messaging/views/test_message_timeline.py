"""A message's page: every event in order with its time and latencies, the legs of its life, Twilio's error code
explained with the recommended action; canceling while it has not left; another tenant's message is not found."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from unittest import mock

import pytest

from messaging.models import Message, MessageEvent
from tests.factories import MessageFactory, SenderFactory, in_tenant

pytestmark = pytest.mark.django_db

T0 = datetime(2026, 3, 2, 15, 0, tzinfo=UTC)


def at(seconds: float) -> datetime:
    return T0 + timedelta(seconds=seconds)


@contextmanager
def clock(moment: datetime) -> Iterator[None]:
    """Rows written in the block take `moment` as their creation time."""
    with mock.patch("django.utils.timezone.now", return_value=moment):
        yield


def record(tenant, message: Message, seconds: float, kind: str, status: str, **fields) -> None:
    with in_tenant(tenant), clock(at(seconds)):
        MessageEvent.objects.create(message=message, kind=kind, status=status, **fields)


@pytest.fixture
def sender(tenant_a):
    return SenderFactory(tenant=tenant_a, address="+14165550100", label="Front desk")


@pytest.fixture
def delivered(tenant_a, sender) -> Message:
    """Created at T0, claimed after 350 ms, accepted by Twilio at 600 ms, sent at 2.1 s, delivered at 6.4 s; the
    sent callback came again later and changed nothing."""
    message = MessageFactory(
        tenant=tenant_a,
        sender=sender,
        to="+14155550199",
        body="Your table is ready",
        status="delivered",
        provider_status="delivered",
        twilio_sid="SM" + "a" * 32,
        created_at=T0,
        queued_at=T0,
        sending_at=at(0.35),
        accepted_at=at(0.6),
        sent_at=at(2.1),
        delivered_at=at(6.4),
        attempts=1,
    )
    record(tenant_a, message, 0, "created", "queued", detail="from +14165550100")
    record(tenant_a, message, 0.35, "claimed", "sending", detail="attempt 1")
    record(tenant_a, message, 0.6, "accepted", "accepted", provider_status="queued")
    record(tenant_a, message, 2.1, "callback", "sent", provider_status="sent")
    record(tenant_a, message, 6.4, "callback", "delivered", provider_status="delivered")
    record(tenant_a, message, 7.0, "callback", "sent", provider_status="sent", applied=False)
    return message


def test_every_event_in_order_with_its_latencies(client_a, acme_member, delivered):
    client_a.force_login(acme_member("analyst"))
    response = client_a.get(f"/messages/{delivered.uuid}/")
    assert response.status_code == 200
    timeline = response.context["timeline"]
    assert [(e.event.kind, e.event.status, e.since_created, e.since_previous) for e in timeline.entries] == [
        ("created", "queued", timedelta(0), timedelta(0)),
        ("claimed", "sending", timedelta(milliseconds=350), timedelta(milliseconds=350)),
        ("accepted", "accepted", timedelta(milliseconds=600), timedelta(milliseconds=250)),
        ("callback", "sent", timedelta(milliseconds=2_100), timedelta(milliseconds=1_500)),
        ("callback", "delivered", timedelta(milliseconds=6_400), timedelta(milliseconds=4_300)),
        ("callback", "sent", timedelta(seconds=7), timedelta(milliseconds=600)),
    ]
    page = response.content.decode()
    assert (
        '<tr data-testid="event-4" data-kind="callback">\n      <td>2026-03-02 15:00:02</td>\n'
        "      <td>2.1 s</td>\n      <td>1.5 s</td>\n      <td>Status callback</td>"
    ) in page
    assert '<tr data-testid="event-6" data-kind="callback" class="not-applied">' in page
    assert "changed nothing: it came late or twice" in page


def test_the_legs_are_shown_plainly(client_a, acme_member, delivered):
    client_a.force_login(acme_member("analyst"))
    page = client_a.get(f"/messages/{delivered.uuid}/").content.decode()
    assert '<li data-testid="leg-created-accepted">Created → accepted: <strong>600 ms</strong></li>' in page
    assert '<li data-testid="leg-created-sent">Created → sent: <strong>2.1 s</strong></li>' in page
    assert '<li data-testid="leg-sent-delivered">Sent → delivered: <strong>4.3 s</strong></li>' in page
    assert 'data-testid="failure"' not in page
    assert 'data-testid="cancel"' not in page


def test_a_carrier_filtered_message_explains_twilios_code_and_what_to_do(client_a, acme_member, tenant_a, sender):
    message = MessageFactory(
        tenant=tenant_a,
        sender=sender,
        status="undelivered",
        failure_reason="carrier_filtered",
        error_code=30007,
        error_message="Carrier violation",
        created_at=T0,
        sent_at=at(2),
        failed_at=at(9),
    )
    record(tenant_a, message, 9, "callback", "undelivered", provider_status="undelivered", error_code=30007)
    client_a.force_login(acme_member("analyst"))
    response = client_a.get(f"/messages/{message.uuid}/")
    page = response.content.decode()
    assert response.context["timeline"].error.title == "Message filtered"
    assert "<h2>Carrier filtering</h2>" in page
    assert '<p data-testid="error-title">Twilio error <strong>30007</strong>: Message filtered</p>' in page
    assert (
        '<p data-testid="error-explanation">A carrier or Twilio filtered the message as spam or against policy.</p>'
    ) in page
    assert (
        '<p data-testid="error-action"><strong>What to do:</strong> Do not resend the same content from the same '
        "sender; review the content and opt-in practice, and give Twilio support three or more message SIDs.</p>"
    ) in page
    assert 'href="https://www.twilio.com/docs/errors/30007"' in page
    assert '<p class="help" data-testid="error-message">As reported: Carrier violation</p>' in page
    assert '<span class="badge danger">error 30007</span>' in page
    assert '<li data-testid="leg-created-failed">Created → failed: <strong>9.0 s</strong></li>' in page


def test_an_opted_out_recipient_is_named_with_the_advice(client_a, acme_member, tenant_a, sender):
    message = MessageFactory(
        tenant=tenant_a, sender=sender, status="failed", failure_reason="opted_out", error_code=21610
    )
    client_a.force_login(acme_member("analyst"))
    page = client_a.get(f"/messages/{message.uuid}/").content.decode()
    assert "<h2>Recipient opted out</h2>" in page
    assert "Twilio error <strong>21610</strong>: Recipient unsubscribed" in page
    assert (
        "<strong>What to do:</strong> Never retry. Record the opt-out and send nothing more until the recipient "
        "replies START."
    ) in page


def test_a_code_without_advice_says_so_and_a_failure_without_a_code_still_has_its_reason(
    client_a, acme_member, tenant_a, sender
):
    unknown = MessageFactory(
        tenant=tenant_a, sender=sender, status="undelivered", failure_reason="provider_error", error_code=39999
    )
    expired = MessageFactory(tenant=tenant_a, sender=sender, status="failed", failure_reason="expired")
    client_a.force_login(acme_member("analyst"))
    page = client_a.get(f"/messages/{unknown.uuid}/").content.decode()
    assert "Twilio error <strong>39999</strong>: Unrecognised delivery error" in page
    assert "<h2>Twilio or the carrier failed</h2>" in page
    page = client_a.get(f"/messages/{expired.uuid}/").content.decode()
    assert "<h2>Validity period expired</h2>" in page
    assert 'data-testid="error-title"' not in page


# --- cancel ---------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("status", ["queued", "scheduled"])
def test_an_operator_cancels_a_message_that_has_not_left(client_a, acme_member, tenant_a, sender, status):
    message = MessageFactory(tenant=tenant_a, sender=sender, status=status)
    client_a.force_login(acme_member("operator"))
    assert 'data-testid="cancel"' in client_a.get(f"/messages/{message.uuid}/").content.decode()
    response = client_a.post(f"/messages/{message.uuid}/cancel/")
    assert (response.status_code, response["Location"]) == (302, f"/messages/{message.uuid}/")
    with in_tenant(tenant_a):
        message.refresh_from_db()
        assert message.status == "canceled"
        assert list(message.events.values_list("kind", "detail")) == [("canceled", "canceled by operator@acme.test")]
    page = client_a.get(response["Location"])
    assert [str(m) for m in page.context["messages"]] == ["Message canceled: it will not be sent."]
    assert 'data-testid="cancel"' not in page.content.decode()


def test_a_message_that_left_cannot_be_canceled(client_a, acme_member, tenant_a, sender):
    message = MessageFactory(tenant=tenant_a, sender=sender, status="sent")
    client_a.force_login(acme_member("operator"))
    response = client_a.post(f"/messages/{message.uuid}/cancel/", follow=True)
    assert [str(m) for m in response.context["messages"]] == [
        f"message {message.uuid} is sent: only a queued or scheduled message can be canceled"
    ]
    with in_tenant(tenant_a):
        message.refresh_from_db()
        assert message.status == "sent"
        assert not message.events.filter(kind="canceled").exists()


def test_an_analyst_sees_no_cancel_button_and_may_not_cancel(client_a, acme_member, tenant_a, sender):
    message = MessageFactory(tenant=tenant_a, sender=sender, status="queued")
    client_a.force_login(acme_member("analyst"))
    assert 'data-testid="cancel"' not in client_a.get(f"/messages/{message.uuid}/").content.decode()
    assert client_a.post(f"/messages/{message.uuid}/cancel/").status_code == 403
    with in_tenant(tenant_a):
        message.refresh_from_db()
    assert message.status == "queued"


def test_another_tenants_message_is_not_found(client_a, acme_member, tenant_b):
    foreign = MessageFactory(tenant=tenant_b, status="queued")
    client_a.force_login(acme_member("owner"))
    assert client_a.get(f"/messages/{foreign.uuid}/").status_code == 404
    assert client_a.post(f"/messages/{foreign.uuid}/cancel/").status_code == 404
    with in_tenant(tenant_b):
        foreign.refresh_from_db()
    assert foreign.status == "queued"


def test_an_inbound_message_shows_who_wrote(client_a, acme_member, tenant_a, sender):
    message = MessageFactory(
        tenant=tenant_a, sender=sender, direction="inbound", from_address="+14155550142", body="Running late"
    )
    client_a.force_login(acme_member("analyst"))
    page = client_a.get(f"/messages/{message.uuid}/").content.decode()
    assert "<h1>Message from +14155550142</h1>" in page
    assert "<tr><th>Received by</th><td>+14165550100 · Front desk</td></tr>" in page


def test_a_message_s_tracked_links_are_shown_with_their_clicks(client_a, acme_member, tenant_a, delivered):
    from django.utils import timezone

    from messaging.models import LinkClick, TrackedLink

    with in_tenant(tenant_a):
        menu = TrackedLink.objects.create(url="https://acme.test/menu", owner_kind="message", owner_id=delivered.pk)
        TrackedLink.objects.create(url="https://acme.test/other", owner_kind="message", owner_id=delivered.pk + 1)
        for _ in range(2):
            LinkClick.objects.create(link=menu, recipient_ref=delivered.pk, clicked_at=timezone.now())
    client_a.force_login(acme_member("analyst"))
    page = client_a.get(f"/messages/{delivered.uuid}/").content.decode()
    assert f'<li data-testid="link-{menu.pk}">https://acme.test/menu: <strong>2</strong> clicks</li>' in page
    assert "https://acme.test/other" not in page


def test_a_message_without_tracked_links_shows_no_links_card(client_a, acme_member, delivered):
    client_a.force_login(acme_member("analyst"))
    assert 'data-testid="tracked-links"' not in client_a.get(f"/messages/{delivered.uuid}/").content.decode()
