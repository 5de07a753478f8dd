"""The Messages page's lists: outbox, sent, failed, canceled and inbox, newest first, with their filters and pages;
another tenant's messages never show."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from messaging.models import Message
from tests.factories import MessageFactory, SenderFactory, in_tenant

pytestmark = pytest.mark.django_db


@pytest.fixture
def analyst(client_a, acme_member):
    client_a.force_login(acme_member("analyst"))
    return client_a


@pytest.fixture
def sender(tenant_a):
    return SenderFactory(tenant=tenant_a, address="+14165550100")


def listed(response) -> list[str]:
    return [message.body for message in response.context["page"].messages]


@pytest.fixture
def one_of_each(tenant_a, tenant_b, sender):
    """A message in each status of acme, named after it; globex has one of each list too."""
    for status in ["scheduled", "queued", "sending", "accepted", "sent", "delivered", "read"]:
        MessageFactory(tenant=tenant_a, sender=sender, status=status, body=status)
    MessageFactory(tenant=tenant_a, sender=sender, status="failed", body="failed", failure_reason="opted_out")
    MessageFactory(tenant=tenant_a, sender=sender, status="undelivered", body="undelivered", error_code=30007)
    MessageFactory(tenant=tenant_a, sender=sender, status="canceled", body="canceled")
    MessageFactory(tenant=tenant_a, sender=sender, direction="inbound", body="received")
    for status in ["queued", "delivered", "failed", "canceled"]:
        MessageFactory(tenant=tenant_b, status=status, body=f"globex {status}")
    MessageFactory(tenant=tenant_b, direction="inbound", body="globex received")


@pytest.mark.parametrize(
    ("url", "bodies"),
    [
        ("/messages/", ["sending", "queued", "scheduled"]),
        ("/messages/sent/", ["read", "delivered", "sent", "accepted"]),
        ("/messages/failed/", ["undelivered", "failed"]),
        ("/messages/canceled/", ["canceled"]),
        ("/messages/inbox/", ["received"]),
    ],
)
def test_each_list_holds_its_statuses_newest_first_and_only_this_tenants(analyst, one_of_each, url, bodies):
    response = analyst.get(url)
    assert response.status_code == 200
    assert listed(response) == bodies
    assert (response.context["page"].newer, response.context["page"].older) == (None, None)
    assert "globex" not in response.content.decode()


def test_a_row_links_to_the_timeline_and_the_failed_list_names_the_reason(analyst, tenant_a, sender):
    message = MessageFactory(
        tenant=tenant_a, sender=sender, status="undelivered", failure_reason="carrier_filtered", error_code=30007
    )
    page = analyst.get("/messages/failed/").content.decode()
    assert f'href="/messages/{message.uuid}/"' in page
    assert "<td>Carrier filtering</td><td>30007</td>" in page


def test_the_inbox_shows_who_wrote_and_which_sender_received_it(analyst, tenant_a, sender):
    MessageFactory(tenant=tenant_a, sender=sender, direction="inbound", from_address="+14155550142", body="Late")
    response = analyst.get("/messages/inbox/")
    (message,) = response.context["page"].messages
    assert (message.from_address, message.to, message.status, message.source) == (
        "+14155550142",
        "+14165550100",
        "received",
        "twilio",
    )
    assert "<td>+14155550142</td><td>+14165550100</td>" in response.content.decode()
    assert response.context["form"].fields["number"].label == "From"


# --- filters --------------------------------------------------------------------------------------------------


def test_filter_by_recipient_written_in_any_common_format(analyst, tenant_a, sender):
    MessageFactory(tenant=tenant_a, sender=sender, to="+14165550199", body="to 0199")
    MessageFactory(tenant=tenant_a, sender=sender, to="+14165550142", body="to 0142")
    assert listed(analyst.get("/messages/", {"number": "(416) 555-0199"})) == ["to 0199"]


def test_filter_the_inbox_by_the_handset_that_wrote(analyst, tenant_a, sender):
    MessageFactory(tenant=tenant_a, sender=sender, direction="inbound", from_address="+14155550142", body="yes")
    MessageFactory(tenant=tenant_a, sender=sender, direction="inbound", from_address="+14155550143", body="no")
    assert listed(analyst.get("/messages/inbox/", {"number": "+1 415 555 0142"})) == ["yes"]


def test_filter_by_sender_and_status(analyst, tenant_a, sender):
    other = SenderFactory(tenant=tenant_a, address="+16045550100")
    MessageFactory(tenant=tenant_a, sender=sender, status="delivered", body="ours delivered")
    MessageFactory(tenant=tenant_a, sender=sender, status="sent", body="ours sent")
    MessageFactory(tenant=tenant_a, sender=other, status="delivered", body="other delivered")
    assert listed(analyst.get("/messages/sent/", {"sender": sender.pk})) == ["ours sent", "ours delivered"]
    assert listed(analyst.get("/messages/sent/", {"status": "delivered"})) == ["other delivered", "ours delivered"]
    assert listed(analyst.get("/messages/sent/", {"sender": sender.pk, "status": "delivered"})) == ["ours delivered"]


def test_filter_failures_by_reason_and_by_twilio_code(analyst, tenant_a, sender):
    MessageFactory(tenant=tenant_a, sender=sender, status="failed", failure_reason="opted_out", error_code=21610)
    MessageFactory(
        tenant=tenant_a, sender=sender, status="undelivered", failure_reason="carrier_filtered", error_code=30007
    )
    MessageFactory(tenant=tenant_a, sender=sender, status="failed", failure_reason="expired", body="expired")
    by_reason = analyst.get("/messages/failed/", {"failure_reason": "carrier_filtered"})
    assert [m.error_code for m in by_reason.context["page"].messages] == [30007]
    by_code = analyst.get("/messages/failed/", {"error_code": "21610"})
    assert [m.failure_reason for m in by_code.context["page"].messages] == ["opted_out"]


def test_filter_by_utc_days_both_included(analyst, tenant_a, sender):
    for day in (1, 2, 3, 4):
        created = datetime(2026, 3, day, 23, 59, 59, tzinfo=UTC)
        MessageFactory(tenant=tenant_a, sender=sender, body=f"March {day}", created_at=created)
    response = analyst.get("/messages/", {"since": "2026-03-02", "until": "2026-03-03"})
    assert listed(response) == ["March 3", "March 2"]
    assert listed(analyst.get("/messages/", {"since": "2026-03-04"})) == ["March 4"]
    assert listed(analyst.get("/messages/", {"until": "2026-03-01"})) == ["March 1"]


def test_a_filter_that_matches_nothing_says_so(analyst, tenant_a, sender):
    MessageFactory(tenant=tenant_a, sender=sender)
    response = analyst.get("/messages/", {"status": "sending"})
    assert listed(response) == []
    assert "No messages here that match these filters." in response.content.decode()


@pytest.mark.parametrize(
    ("url", "query", "errors"),
    [
        ("/messages/", {"number": "12"}, {"number": ["'12' is not a valid phone number"]}),
        ("/messages/", {"number": "call me"}, {"number": ["'call me' is not a phone number"]}),
        (
            "/messages/",
            {"status": "delivered"},
            {"status": ["Select a valid choice. delivered is not one of the available choices."]},
        ),
        (
            "/messages/",
            {"sender": "abc"},
            {"sender": ["Select a valid choice. That choice is not one of the available choices."]},
        ),
        (
            "/messages/failed/",
            {"error_code": "-1"},
            {"error_code": ["Ensure this value is greater than or equal to 0."]},
        ),
        (
            "/messages/failed/",
            {"failure_reason": "bad_luck"},
            {"failure_reason": ["Select a valid choice. bad_luck is not one of the available choices."]},
        ),
        ("/messages/", {"since": "yesterday"}, {"since": ["Enter a valid date."]}),
        ("/messages/", {"before": "0"}, {"before": ["Ensure this value is greater than or equal to 1."]}),
    ],
)
def test_a_bad_filter_is_named_and_nothing_is_listed(analyst, tenant_a, sender, url, query, errors):
    MessageFactory(tenant=tenant_a, sender=sender)
    response = analyst.get(url, query)
    assert response.status_code == 400
    assert response.context["form"].errors == errors
    assert response.context["page"] is None


def test_only_the_failed_list_filters_by_failure(analyst):
    assert "failure_reason" not in analyst.get("/messages/sent/").context["form"].fields
    assert set(analyst.get("/messages/failed/").context["form"].fields) >= {"failure_reason", "error_code"}


# --- pages ----------------------------------------------------------------------------------------------------


def test_fifty_a_page_newest_first_with_links_both_ways(analyst, tenant_a, sender):
    with in_tenant(tenant_a):
        Message.objects.bulk_create(
            Message(direction="outbound", source="api", status="queued", to="+14165550199", sender=sender, body=str(n))
            for n in range(1, 121)
        )
    first = analyst.get("/messages/")
    assert listed(first) == [str(n) for n in range(120, 70, -1)]
    assert first.context["page"].newer is None
    older = first.context["page"].older
    assert f'href="?before={older}"' in first.content.decode()
    second = analyst.get("/messages/", {"before": older})
    assert listed(second) == [str(n) for n in range(70, 20, -1)]
    third = analyst.get("/messages/", {"before": second.context["page"].older})
    assert listed(third) == [str(n) for n in range(20, 0, -1)]
    assert third.context["page"].older is None
    # and back, through the newer link of each page
    back = analyst.get("/messages/", {"after": third.context["page"].newer})
    assert listed(back) == [str(n) for n in range(70, 20, -1)]
    newest = analyst.get("/messages/", {"after": back.context["page"].newer})
    assert listed(newest) == [str(n) for n in range(120, 70, -1)]
    assert newest.context["page"].newer is None


def test_a_page_keeps_its_filters_in_the_links(analyst, tenant_a, sender):
    with in_tenant(tenant_a):
        Message.objects.bulk_create(
            Message(direction="outbound", source="api", status="queued", to=to, sender=sender, body=str(n))
            for n in range(60)
            for to in ("+14165550199", "+14165550142")
        )
    first = analyst.get("/messages/", {"number": "+14165550199"})
    older = first.context["page"].older
    assert f'href="?number=%2B14165550199&amp;before={older}"' in first.content.decode()
    second = analyst.get("/messages/", {"number": "+14165550199", "before": older})
    assert {m.to for m in second.context["page"].messages} == {"+14165550199"}
    assert len(second.context["page"].messages) == 10
