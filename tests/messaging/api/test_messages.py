"""Messages on the API: sent with an Idempotency-Key, refused naming the field, listed and filtered, read with
their events, canceled; another tenant's key sees none of them."""

from __future__ import annotations

import pytest
from django.utils import timezone

from messaging.models import Message
from tests.factories import SenderFactory, in_tenant
from tests.messaging.api.helpers import call

pytestmark = pytest.mark.django_db

MESSAGES = "/api/v1/messages"


@pytest.fixture
def sender(tenant_a, dispatch_index):
    return SenderFactory(tenant=tenant_a, address="+14165550100", mps=2)


def send(client, key, payload, **headers):
    return client.post(
        MESSAGES, payload, content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {key}", **headers
    )


def test_a_message_is_accepted_at_once_and_queued(client_a, api_key_a, sender, tenant_a):
    response = send(client_a, api_key_a, {"to": "+14165550199", "body": "Hello", "sender": sender.pk})
    assert response.status_code == 201
    body = response.json()
    assert {key: body[key] for key in ("direction", "source", "status", "to", "from_address", "sender_id")} == {
        "direction": "outbound",
        "source": "api",
        "status": "queued",
        "to": "+14165550199",
        "from_address": "+14165550100",
        "sender_id": sender.pk,
    }
    assert (body["encoding"], body["segments"], body["lane"], body["twilio_sid"]) == ("GSM-7", 1, "priority", None)
    with in_tenant(tenant_a):
        assert str(Message.objects.get().uuid) == body["id"]


def test_the_same_idempotency_key_creates_one_message_and_answers_the_same(client_a, api_key_a, sender, tenant_a):
    payload = {"to": "+14165550199", "body": "Your code is 123456", "sender": sender.pk}
    first = send(client_a, api_key_a, payload, HTTP_IDEMPOTENCY_KEY="order-42")
    again = send(client_a, api_key_a, payload, HTTP_IDEMPOTENCY_KEY="order-42")
    assert (first.status_code, again.status_code) == (201, 201)
    assert first.json() == again.json()
    with in_tenant(tenant_a):
        assert Message.objects.count() == 1


def test_an_idempotency_key_reused_for_another_request_is_a_conflict(client_a, api_key_a, sender, tenant_a):
    send(client_a, api_key_a, {"to": "+14165550199", "body": "One", "sender": sender.pk}, HTTP_IDEMPOTENCY_KEY="k1")
    other = send(
        client_a, api_key_a, {"to": "+14165550199", "body": "Two", "sender": sender.pk}, HTTP_IDEMPOTENCY_KEY="k1"
    )
    assert (other.status_code, other["Content-Type"], other.json()["code"]) == (
        409,
        "application/problem+json",
        "idempotency_key_reused",
    )
    with in_tenant(tenant_a):
        assert list(Message.objects.values_list("body", flat=True)) == ["One"]


@pytest.mark.parametrize(
    ("changes", "status", "field", "message"),
    [
        ({"to": "hello"}, 422, "to", "'hello' is not a phone number"),
        ({"sender": 999_999}, 422, "sender", "no sender with id 999999"),
        (
            {"media_urls": ["ftp://example.com/a.png"]},
            422,
            "media_urls[0]",
            "'ftp://example.com/a.png' is not an https URL Twilio can fetch",
        ),
        ({"body": "x" * 1601}, 422, "body", "body is 1,601 characters; Twilio takes at most 1,600"),
        ({"validity_period": 36_001}, 400, "validity_period", "Ensure this value is less than or equal to 36000."),
        ({"body": 5}, 400, "body", "Not a valid string."),
    ],
)
def test_bad_input_is_refused_naming_the_field_and_nothing_is_stored(
    client_a, api_key_a, sender, tenant_a, changes, status, field, message
):
    response = send(client_a, api_key_a, {"to": "+14165550199", "body": "Hi", "sender": sender.pk, **changes})
    assert (response.status_code, response.json()["errors"]) == (status, [{"field": field, "message": message}])
    with in_tenant(tenant_a):
        assert Message.objects.count() == 0


def test_a_sender_that_may_not_send_yet_is_a_conflict(client_a, api_key_a, tenant_a, dispatch_index):
    toll_free = SenderFactory(tenant=tenant_a, kind="toll_free", address="+18445550100", country="US", mps=3)
    response = send(client_a, api_key_a, {"to": "+14165550199", "body": "Hi", "sender": toll_free.pk})
    assert (response.status_code, response.json()["code"]) == (409, "sender_not_registered")


def test_listing_filters_and_another_tenant_sees_nothing(client_a, client_b, api_key_a, api_key_b, sender, tenant_a):
    for to in ("+14165550199", "+14165550198", "+14165550199"):
        send(client_a, api_key_a, {"to": to, "body": "Hi", "sender": sender.pk})
    listed = call(client_a, api_key_a, "get", f"{MESSAGES}?to=%2B14165550199&status=queued").json()
    assert [item["to"] for item in listed["results"]] == ["+14165550199", "+14165550199"]
    assert call(client_b, api_key_b, "get", MESSAGES).json()["results"] == []
    one = listed["results"][0]["id"]
    assert call(client_b, api_key_b, "get", f"{MESSAGES}/{one}").status_code == 404
    assert call(client_b, api_key_b, "post", f"{MESSAGES}/{one}/cancel").status_code == 404


def test_a_message_and_its_events_are_read_by_its_id(client_a, api_key_a, sender):
    created = send(client_a, api_key_a, {"to": "+14165550199", "body": "Hi", "sender": sender.pk}).json()
    assert call(client_a, api_key_a, "get", f"{MESSAGES}/{created['id']}").json() == created
    events = call(client_a, api_key_a, "get", f"{MESSAGES}/{created['id']}/events").json()["results"]
    assert [(e["kind"], e["status"], e["detail"]) for e in events] == [("created", "queued", "from +14165550100")]


def test_a_queued_message_is_canceled_and_a_canceled_one_cannot_be_again(client_a, api_key_a, sender):
    created = send(client_a, api_key_a, {"to": "+14165550199", "body": "Hi", "sender": sender.pk}).json()
    before = timezone.now()
    canceled = call(client_a, api_key_a, "post", f"{MESSAGES}/{created['id']}/cancel")
    assert (canceled.status_code, canceled.json()["status"]) == (200, "canceled")
    assert before.isoformat() <= canceled.json()["canceled_at"].replace("Z", "+00:00")
    again = call(client_a, api_key_a, "post", f"{MESSAGES}/{created['id']}/cancel")
    assert (again.status_code, again.json()["code"]) == (409, "message_not_cancelable")


def test_a_key_without_the_send_scope_cannot_send(client_a, tenant_a, sender):
    from tenants.services.api_keys import api_key_create

    _, reader = api_key_create(tenant=tenant_a, name="reader", scopes=["messages:read"])
    response = send(client_a, reader, {"to": "+14165550199", "body": "Hi", "sender": sender.pk})
    assert response.status_code == 403
    with in_tenant(tenant_a):
        assert Message.objects.count() == 0
