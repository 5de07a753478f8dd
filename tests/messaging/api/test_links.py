"""Tracked links on the API: the preview, a message sent with `track_links` whose short link redirects and is
counted, a link's clicks; another tenant's key sees none of it."""

from __future__ import annotations

import pytest
from django.test import Client

from messaging.models import LinkClick, Message, TrackedLink
from messaging.services.links import links_routes_forget
from tests.factories import SenderFactory, in_tenant
from tests.messaging.api.helpers import call

pytestmark = pytest.mark.django_db

PREVIEW = "/api/v1/tools/links"
BASE = "http://localhost:8000/l/acme/"


@pytest.fixture(autouse=True)
def _fresh_routes():
    links_routes_forget()
    yield
    links_routes_forget()


@pytest.fixture
def sender(tenant_a, dispatch_index):
    return SenderFactory(tenant=tenant_a, address="+14165550100", mps=2)


def test_the_preview_rewrites_each_url_and_counts_the_segments_it_makes(client_a, api_key_a, tenant_a):
    body = "Your table: https://acme.test/b?id=1 (or https://acme.test/help). See https://acme.test/b?id=1"
    response = call(client_a, api_key_a, "post", PREVIEW, {"body": body})
    assert response.status_code == 200
    data = response.json()
    short = BASE + "0" * 19
    assert data["body"] == f"Your table: {short} (or {short}). See {short}"
    assert data["links"] == [
        {"url": "https://acme.test/b?id=1", "short_link": short},
        {"url": "https://acme.test/help", "short_link": short},
    ]
    assert data["short_link_length"] == len(short) == 48
    assert (data["segments"]["characters"], data["segments"]["segments"]) == (len(data["body"]), 2)
    assert (data["original_segments"]["characters"], data["original_segments"]["segments"]) == (len(body), 1)
    with in_tenant(tenant_a):
        assert TrackedLink.objects.count() == 0


def test_the_preview_uses_the_tenant_s_link_domain(client_a, api_key_a, tenant_a):
    tenant_a.link_domain = "go.acme.localhost"
    tenant_a.save(update_fields=["link_domain"])
    data = call(client_a, api_key_a, "post", PREVIEW, {"body": "https://acme.test"}).json()
    assert data["body"] == "http://go.acme.localhost/l/" + "0" * 19


@pytest.mark.parametrize(
    ("payload", "field", "message"),
    [
        ({"body": ""}, "body", "must not be empty: Twilio refuses a message without a body (error 21602)"),
        ({}, "body", "This field is required."),
        ({"body": 5}, "body", "Not a valid string."),
        ({"body": "x", "smart_encoding": "yes"}, "smart_encoding", "Must be a valid boolean."),
    ],
)
def test_a_bad_preview_is_refused_naming_the_field(client_a, api_key_a, payload, field, message):
    response = call(client_a, api_key_a, "post", PREVIEW, payload)
    assert (response.status_code, response["Content-Type"]) == (400, "application/problem+json")
    assert response.json()["errors"] == [{"field": field, "message": message}]


def test_a_message_sent_with_track_links_carries_a_short_link_that_redirects_and_counts(
    client_a, client_b, api_key_a, api_key_b, sender, tenant_a, tenant_b
):
    # given a message sent with its link tracked
    response = call(client_a, api_key_a, "post", "/api/v1/messages", {
        "to": "+14165550199", "body": "Your order: https://acme.test/o/42", "sender": sender.pk, "track_links": True,
    })  # fmt: skip
    assert response.status_code == 201
    sent = response.json()
    with in_tenant(tenant_a):
        message = Message.objects.get()
        link = TrackedLink.objects.get()
    assert (link.owner_kind, link.owner_id, link.url) == ("message", message.pk, "https://acme.test/o/42")
    assert sent["body"] == message.body and message.body.startswith(f"Your order: {BASE}")
    assert len(message.body) == len(f"Your order: {BASE}") + 19
    assert (sent["segments"], sent["encoding"]) == (1, "GSM-7")
    links_url = f"/api/v1/messages/{sent['id']}/links"
    assert call(client_a, api_key_a, "get", links_url).json() == {
        "links": [{"id": link.pk, "url": "https://acme.test/o/42", "owner_kind": "message", "clicks": 0,
                   "clicking_recipients": 0, "created_at": link.created_at.isoformat().replace("+00:00", "Z")}],
        "clicked": False,
        "clicks": 0,
    }  # fmt: skip
    # when the recipient clicks twice
    path = message.body.removeprefix("Your order: http://localhost:8000")
    for _ in range(2):
        redirect = Client(HTTP_HOST="localhost").get(path, HTTP_USER_AGENT="Handset/2")
        assert (redirect.status_code, redirect["Location"]) == (302, "https://acme.test/o/42")
    # then
    after = call(client_a, api_key_a, "get", links_url).json()
    assert (after["clicked"], after["clicks"], after["links"][0]["clicks"]) == (True, 2, 2)
    assert after["links"][0]["clicking_recipients"] == 1
    clicks = call(client_a, api_key_a, "get", f"/api/v1/links/{link.pk}/clicks").json()
    assert [(c["variant"], c["user_agent"]) for c in clicks["results"]] == [("", "Handset/2")] * 2
    assert clicks["next"] is None
    with in_tenant(tenant_a):
        assert set(LinkClick.objects.values_list("recipient_ref", flat=True)) == {message.pk}
    # and another tenant's key sees none of it
    assert call(client_b, api_key_b, "get", links_url).status_code == 404
    assert call(client_b, api_key_b, "get", f"/api/v1/links/{link.pk}/clicks").status_code == 404


def test_without_track_links_the_body_is_sent_as_written(client_a, api_key_a, sender, tenant_a):
    response = call(client_a, api_key_a, "post", "/api/v1/messages", {
        "to": "+14165550199", "body": "See https://acme.test/o/42", "sender": sender.pk,
    })  # fmt: skip
    assert response.json()["body"] == "See https://acme.test/o/42"
    with in_tenant(tenant_a):
        assert TrackedLink.objects.count() == 0


def test_a_body_too_long_once_its_links_are_short_links_is_refused_and_nothing_stored(
    client_a, api_key_a, sender, tenant_a
):
    body = "x" * 1560 + " https://a.test"  # 1,575 characters as written; 1,609 with the short link
    response = call(client_a, api_key_a, "post", "/api/v1/messages", {
        "to": "+14165550199", "body": body, "sender": sender.pk, "track_links": True,
    })  # fmt: skip
    assert response.status_code == 422
    message = "body is 1,609 characters; Twilio takes at most 1,600"
    assert response.json()["errors"] == [{"field": "body", "message": message}]
    with in_tenant(tenant_a):
        assert (Message.objects.count(), TrackedLink.objects.count()) == (0, 0)


def test_clicks_of_an_unknown_link_are_a_404(client_a, api_key_a):
    response = call(client_a, api_key_a, "get", "/api/v1/links/999999/clicks")
    assert (response.status_code, response["Content-Type"]) == (404, "application/problem+json")


def test_reading_links_needs_the_read_scope(client_a, tenant_a, sender):
    from tenants.services.api_keys import api_key_create

    _, writer = api_key_create(tenant=tenant_a, name="writer", scopes=["contacts:write"])
    assert call(client_a, writer, "get", "/api/v1/links/1/clicks").status_code == 403
