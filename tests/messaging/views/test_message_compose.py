"""The Messages page's compose form: a one-off message goes through message_send (source ui) and its timeline is
shown next; every refusal keeps what was typed, names the field, and stores nothing."""

from __future__ import annotations

from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from messaging.models import Message, MessageEvent
from tenants.services import lifecycle
from tests.factories import SenderFactory, SenderPoolFactory, in_tenant

pytestmark = pytest.mark.django_db

URL = "/messages/compose/"


@pytest.fixture
def sender(tenant_a):
    return SenderFactory(tenant=tenant_a, address="+14165550100", label="Front desk")


@pytest.fixture
def operator(client_a, acme_member):
    client_a.force_login(acme_member("operator"))
    return client_a


def stored(tenant) -> list[Message]:
    with in_tenant(tenant):
        return list(Message.objects.order_by("pk"))


def test_the_form_offers_senders_and_pools_and_the_live_segment_counter(operator, tenant_a, sender):
    pool = SenderPoolFactory(tenant=tenant_a, name="Main", senders=[sender])
    response = operator.get(URL)
    page = response.content.decode()
    assert response.status_code == 200
    assert response.context["form"].fields["sender"].choices == [
        ("", "Choose a sender or a pool"),
        ("Senders", [(f"sender:{sender.pk}", "+14165550100 · Front desk")]),
        ("Pools", [(f"pool:{pool.pk}", "Pool Main")]),
    ]
    assert 'data-segment-counter="/tools/segments.json"' in page
    assert 'data-testid="segment-counter"' in page
    assert '<script src="/static/js/segment-counter.js"></script>' in page
    assert "<script>" not in page  # no inline script: the page works under a strict Content-Security-Policy
    assert "Optional: not before this time (America/New_York); blank sends now" in page


def test_without_a_sender_the_page_says_where_to_add_one(operator):
    response = operator.get(URL)
    assert response.status_code == 200
    assert 'data-testid="no-senders"' in response.content.decode()
    assert 'data-testid="compose"' not in response.content.decode()


def test_an_operator_sends_a_message_and_sees_its_timeline(operator, tenant_a, sender, fake_gateway):
    # when
    response = operator.post(
        URL,
        {
            "to": "(416) 555-0199",
            "sender": f"sender:{sender.pk}",
            "body": "Your table is ready",
            "media_urls": "https://example.com/menu.jpg\n\n  https://example.com/map.png  \n",
            "validity_period": "600",
        },
    )
    # then the message is stored as queued, from the UI, and the next page is its timeline
    (message,) = stored(tenant_a)
    assert (response.status_code, response["Location"]) == (302, f"/messages/{message.uuid}/")
    assert (message.source, message.status, message.direction, message.to, message.sender_id, message.pool_id) == (
        "ui",
        "queued",
        "outbound",
        "+14165550199",
        sender.pk,
        None,
    )
    assert (message.body, message.media_urls, message.validity_period, message.send_at) == (
        "Your table is ready",
        ["https://example.com/menu.jpg", "https://example.com/map.png"],
        600,
        None,
    )
    assert (message.encoding, message.segments, message.lane) == ("GSM-7", 1, "priority")
    with in_tenant(tenant_a):
        assert list(MessageEvent.objects.values_list("kind", "status")) == [("created", "queued")]
    assert fake_gateway.calls_of("send") == []  # the engine sends it, not the request
    timeline = operator.get(response["Location"])
    assert [str(m) for m in timeline.context["messages"]] == ["Message to +14165550199 queued."]
    assert timeline.context["timeline"].message == message


def test_a_send_time_is_read_on_the_tenants_clock_and_the_message_waits(operator, tenant_a, sender):
    local = (
        (timezone.now() + timedelta(days=2)).astimezone(ZoneInfo("America/New_York")).replace(second=0, microsecond=0)
    )
    response = operator.post(
        URL,
        {
            "to": "+14165550199",
            "sender": f"sender:{sender.pk}",
            "body": "See you tomorrow",
            "send_at": local.strftime("%Y-%m-%dT%H:%M"),
        },
    )
    (message,) = stored(tenant_a)
    assert response.status_code == 302
    assert (message.status, message.send_at, message.queued_at) == ("scheduled", local, None)
    follow = operator.get(response["Location"])
    assert [str(m) for m in follow.context["messages"]] == ["Message to +14165550199 scheduled."]


def test_a_pool_picks_the_sender(operator, tenant_a, sender):
    canadian_west = SenderFactory(tenant=tenant_a, address="+16045550100")
    pool = SenderPoolFactory(tenant=tenant_a, name="Main", senders=[sender, canadian_west])
    response = operator.post(URL, {"to": "+16045550123", "sender": f"pool:{pool.pk}", "body": "Hi"})
    (message,) = stored(tenant_a)
    assert response.status_code == 302
    assert (message.pool_id, message.sender_id, message.from_address) == (pool.pk, canadian_west.pk, "+16045550100")


@pytest.mark.parametrize(
    ("changes", "errors"),
    [
        ({"to": "12"}, {"to": ["'12' is not a valid phone number"]}),
        ({"body": ""}, {"body": ["give a body, media URLs, or both"]}),
        ({"body": "x" * 1601}, {"body": ["body is 1,601 characters; Twilio takes at most 1,600"]}),
        (
            {"media_urls": "https://example.com/a.jpg\nhttp://example.com/b.jpg"},
            {"media_urls": ["'http://example.com/b.jpg' is not an https URL Twilio can fetch"]},
        ),
        ({"validity_period": "0"}, {"validity_period": ["validity_period must be between 1 and 36,000 seconds"]}),
        ({"validity_period": "soon"}, {"validity_period": ["Enter a whole number."]}),
        ({"send_at": "2026-13-40T25:00"}, {"send_at": ["Enter a valid date/time."]}),
        (
            {"sender": "sender:999999"},
            {"sender": ["Select a valid choice. sender:999999 is not one of the available choices."]},
        ),
        ({"sender": ""}, {"sender": ["This field is required."]}),
    ],
)
def test_a_refusal_names_the_field_keeps_what_was_typed_and_stores_nothing(operator, tenant_a, sender, changes, errors):
    data = {"to": "+14165550199", "sender": f"sender:{sender.pk}", "body": "Hello", **changes}
    response = operator.post(URL, data)
    assert response.status_code == 400
    form = response.context["form"]
    assert form.errors == errors
    assert form["body"].value() == data["body"]
    assert stored(tenant_a) == []


def test_a_send_too_far_ahead_is_refused_under_its_field(operator, tenant_a, sender):
    far = (timezone.now() + timedelta(days=40)).astimezone(ZoneInfo("America/New_York"))
    data = {
        "to": "+14165550199",
        "sender": f"sender:{sender.pk}",
        "body": "Hi",
        "send_at": far.strftime("%Y-%m-%dT%H:%M"),
    }
    response = operator.post(URL, data)
    assert response.status_code == 400
    assert response.context["form"].errors == {"send_at": ["send_at must be within 35 days"]}
    assert stored(tenant_a) == []


def test_an_unverified_toll_free_number_is_refused_under_the_from_field(operator, tenant_a):
    toll_free = SenderFactory(tenant=tenant_a, kind="toll_free", address="+18445550100", country="US", mps=3)
    response = operator.post(URL, {"to": "+14155550199", "sender": f"sender:{toll_free.pk}", "body": "Hello"})
    assert response.status_code == 400
    assert response.context["form"].errors == {
        "sender": [
            "+18445550100 cannot send yet: toll-free numbers send only once toll-free verification is approved "
            "(registration is pending)"
        ]
    }
    assert stored(tenant_a) == []


def test_a_suspended_tenant_is_told_why_above_the_form(operator, tenant_a, sender):
    lifecycle.tenant_suspend(tenant=tenant_a, reason="unpaid")
    response = operator.post(URL, {"to": "+14165550199", "sender": f"sender:{sender.pk}", "body": "Hello"})
    assert response.status_code == 400
    assert response.context["form"].non_field_errors() == [
        "tenant suspended: Acme Appointments cannot send messages until ISV staff reactivate it"
    ]
    assert stored(tenant_a) == []


def test_an_analyst_may_not_compose(client_a, acme_member, tenant_a, sender):
    client_a.force_login(acme_member("analyst"))
    assert client_a.get(URL).status_code == 403
    response = client_a.post(URL, {"to": "+14165550199", "sender": f"sender:{sender.pk}", "body": "Hello"})
    assert response.status_code == 403
    assert stored(tenant_a) == []
    assert 'data-testid="tab-compose"' not in client_a.get("/messages/").content.decode()


def test_the_send_time_field_shows_the_tenants_time_zone(client_b, globex_member, tenant_b):
    SenderFactory(tenant=tenant_b, address="+447911123400", country="GB")
    client_b.force_login(globex_member("owner"))
    form = client_b.get(URL).context["form"]
    assert form.fields["send_at"].help_text == "Optional: not before this time (Europe/London); blank sends now"


def test_links_of_a_message_are_tracked_when_asked(operator, tenant_a, sender):
    from messaging.models import TrackedLink

    response = operator.post(URL, {
        "to": "+14165550199", "sender": f"sender:{sender.pk}", "body": "Menu: https://acme.test/menu",
        "track_links": "on",
    })  # fmt: skip
    assert response.status_code == 302
    (message,) = stored(tenant_a)
    with in_tenant(tenant_a):
        link = TrackedLink.objects.get()
    assert (link.owner_kind, link.owner_id, link.url) == ("message", message.pk, "https://acme.test/menu")
    assert message.body.startswith("Menu: http://localhost:8000/l/acme/")
    assert len(message.body) == len("Menu: http://localhost:8000/l/acme/") + 19
