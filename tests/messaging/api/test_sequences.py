"""Ordered sequences on the API: started with an Idempotency-Key, refused naming the field with nothing stored,
listed, read with their parts' statuses, canceled; scopes as for messages; another tenant's key sees none of it."""

from __future__ import annotations

import pytest

from messaging.models import Message, Sequence, SequencePart
from tenants.services.api_keys import api_key_create
from tests.factories import SenderFactory, in_tenant
from tests.messaging.api.helpers import call

pytestmark = pytest.mark.django_db

SEQUENCES = "/api/v1/sequences"
HANDSET = "+14165550199"


@pytest.fixture
def sender(tenant_a, dispatch_index):
    return SenderFactory(tenant=tenant_a, address="+14165550100", mps=2)


def payload(chosen, **changes) -> dict:
    return {
        "to": HANDSET,
        "sender": chosen.pk,
        "policy": "continue",
        "part_timeout_seconds": 120,
        "parts": [{"body": "Part one"}, {"body": "Part two", "media_urls": ["https://example.com/2.png"]}],
        **changes,
    }


def test_a_sequence_starts_with_its_first_part_and_shows_every_part(client_a, api_key_a, sender, tenant_a):
    response = call(client_a, api_key_a, "post", SEQUENCES, payload(sender))
    assert response.status_code == 201
    body = response.json()
    with in_tenant(tenant_a):
        sequence = Sequence.objects.get()
        message = Message.objects.get()
    assert body["id"] == str(sequence.uuid)
    assert {
        key: body[key]
        for key in (
            "to",
            "sender_id",
            "pool_id",
            "category",
            "policy",
            "part_timeout_seconds",
            "status",
            "reason",
            "source",
            "finished_at",
        )
    } == {
        "to": HANDSET,
        "sender_id": sender.pk,
        "pool_id": None,
        "category": "transactional",
        "policy": "continue",
        "part_timeout_seconds": 120,
        "status": "running",
        "reason": "",
        "source": "api",
        "finished_at": None,
    }
    first, second = body["parts"]
    assert {key: first[key] for key in ("position", "status", "body", "message_id", "message_status", "detail")} == {
        "position": 1,
        "status": "sent",
        "body": "Part one",
        "message_id": str(message.uuid),
        "message_status": "queued",
        "detail": "",
    }
    assert second == {
        "position": 2,
        "status": "pending",
        "body": "Part two",
        "media_urls": ["https://example.com/2.png"],
        "message_id": None,
        "message_status": None,
        "detail": "",
        "sent_at": None,
        "deadline_at": None,
        "finished_at": None,
    }


def test_the_same_idempotency_key_starts_one_sequence(client_a, api_key_a, sender, tenant_a):
    def post():
        return client_a.post(
            SEQUENCES,
            payload(sender),
            content_type="application/json",
            HTTP_AUTHORIZATION=f"Bearer {api_key_a}",
            HTTP_IDEMPOTENCY_KEY="welcome-42",
        )

    first, again = post(), post()
    assert (first.status_code, again.status_code) == (201, 201)
    assert first.json() == again.json()
    with in_tenant(tenant_a):
        assert (Sequence.objects.count(), Message.objects.count()) == (1, 1)


@pytest.mark.parametrize(
    ("changes", "status", "field", "message"),
    [
        ({"parts": [{"body": "alone"}]}, 400, "parts", "Ensure this field has at least 2 elements."),
        ({"parts": [{"body": "a"}, {"body": ""}]}, 422, "parts.1.body", "give a body, media URLs, or both"),
        (
            {"parts": [{"body": "a"}, {"media_urls": ["http://example.com/a.png"]}]},
            422,
            "parts.1.media_urls.0",
            "'http://example.com/a.png' is not an https URL Twilio can fetch",
        ),
        ({"parts": [{"body": "a"}, {"body": 5}]}, 400, "parts.1.body", "Not a valid string."),
        ({"part_timeout_seconds": 5}, 400, "part_timeout_seconds", "must be between 10 and 86,400"),
        ({"policy": "maybe"}, 400, "policy", "must be one of halt, continue"),
        ({"sender": None}, 422, "sender", "give either a sender or a pool"),
        ({"sender": 999_999}, 422, "sender", "no sender with id 999999"),
    ],
)
def test_bad_input_is_refused_naming_the_field_and_nothing_is_stored(
    client_a, api_key_a, sender, tenant_a, changes, status, field, message
):
    response = call(client_a, api_key_a, "post", SEQUENCES, payload(sender, **changes))
    assert response.status_code == status
    assert response["Content-Type"] == "application/problem+json"
    assert {"field": field, "message": message} in response.json()["errors"]
    with in_tenant(tenant_a):
        assert (Sequence.objects.count(), SequencePart.objects.count(), Message.objects.count()) == (0, 0, 0)


def test_a_first_part_a_rule_blocks_is_refused_with_its_findings(client_a, api_key_a, sender, tenant_a):
    from compliance.services.register import opt_out_record

    with in_tenant(tenant_a):
        opt_out_record(tenant=tenant_a, number=HANDSET, source="api", actor_label="k")
    response = call(client_a, api_key_a, "post", SEQUENCES, payload(sender))
    assert (response.status_code, response.json()["code"]) == (422, "compliance_blocked")
    assert [finding["rule"] for finding in response.json()["findings"]] == ["OPT-01"]
    with in_tenant(tenant_a):
        assert (Sequence.objects.count(), Message.objects.count()) == (0, 0)


def test_sequences_are_listed_newest_first_and_read_one_by_one(client_a, api_key_a, sender):
    first = call(client_a, api_key_a, "post", SEQUENCES, payload(sender)).json()
    second = call(client_a, api_key_a, "post", SEQUENCES, payload(sender, to="+14165550198")).json()
    listed = call(client_a, api_key_a, "get", f"{SEQUENCES}?page_size=1")
    assert listed.status_code == 200
    assert [s["id"] for s in listed.json()["results"]] == [second["id"]]
    older = client_a.get(listed.json()["next"], HTTP_AUTHORIZATION=f"Bearer {api_key_a}")
    assert [s["id"] for s in older.json()["results"]] == [first["id"]]
    read = call(client_a, api_key_a, "get", f"{SEQUENCES}/{first['id']}")
    assert read.json() == first


def test_a_sequence_is_canceled_once(client_a, api_key_a, sender, tenant_a):
    started = call(client_a, api_key_a, "post", SEQUENCES, payload(sender)).json()
    response = call(client_a, api_key_a, "post", f"{SEQUENCES}/{started['id']}/cancel")
    assert response.status_code == 200
    assert (response.json()["status"], [p["status"] for p in response.json()["parts"]]) == (
        "canceled",
        ["skipped", "skipped"],
    )
    again = call(client_a, api_key_a, "post", f"{SEQUENCES}/{started['id']}/cancel")
    assert (again.status_code, again.json()["code"]) == (409, "sequence_not_cancelable")


def test_reading_needs_messages_read_and_starting_needs_messages_send(client_a, tenant_a, sender):
    _, reader = api_key_create(tenant=tenant_a, name="reader", scopes=["messages:read"])
    assert call(client_a, reader, "get", SEQUENCES).status_code == 200
    refused = call(client_a, reader, "post", SEQUENCES, payload(sender))
    assert refused.status_code == 403
    with in_tenant(tenant_a):
        assert Sequence.objects.count() == 0


def test_another_tenants_key_sees_none_of_them(client_a, api_key_a, client_b, api_key_b, sender, tenant_b):
    started = call(client_a, api_key_a, "post", SEQUENCES, payload(sender)).json()
    # given globex has a sequence of its own
    globex_sender = SenderFactory(tenant=tenant_b, address="+447911123456", country="GB", mps=10)
    own = call(client_b, api_key_b, "post", SEQUENCES, payload(globex_sender, to="+447400123456"))
    assert own.status_code == 201, own.json()
    # then globex lists only its own, and acme's is not found, read or canceled
    listed = call(client_b, api_key_b, "get", SEQUENCES).json()["results"]
    assert [s["id"] for s in listed] == [own.json()["id"]]
    assert call(client_b, api_key_b, "get", f"{SEQUENCES}/{started['id']}").status_code == 404
    assert call(client_b, api_key_b, "post", f"{SEQUENCES}/{started['id']}/cancel").status_code == 404
    assert call(client_a, api_key_a, "get", f"{SEQUENCES}/{started['id']}").json()["status"] == "running"


def test_an_idempotency_key_unlike_its_document_is_refused_naming_the_header(client_a, api_key_a, sender, tenant_a):
    response = client_a.post(
        SEQUENCES,
        payload(sender),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {api_key_a}",
        HTTP_IDEMPOTENCY_KEY="tab\there",
    )
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "Idempotency-Key"
    with in_tenant(tenant_a):
        assert Sequence.objects.count() == 0
