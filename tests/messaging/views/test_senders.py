"""The senders page: buying a number, syncing from Twilio, sending a test message through the engine and submitting a
registration."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import connection

from messaging.dispatch import sending as dispatch_sending
from messaging.models import Message, Sender
from messaging.services import senders as sender_services
from tenants.models import AuditEvent
from tenants.services import lifecycle
from tests.factories import in_tenant


def _messages(tenant) -> list[Message]:
    with in_tenant(tenant):
        return list(Message.objects.order_by("pk"))


def _sender(tenant) -> Sender:
    connection.set_tenant(tenant)
    sender = sender_services.sender_register(kind="long_code", address="+14165550100", country="CA", mps=Decimal(1))
    connection.set_schema_to_public()
    return sender


@pytest.mark.django_db
def test_an_operator_sends_a_test_message_through_the_engine(client_a, acme_member, tenant_a, fake_gateway):
    sender = _sender(tenant_a)
    client_a.force_login(acme_member("operator"))
    # when
    response = client_a.post("/senders/test/", {"sender": sender.pk, "to": "+14155550199", "body": "Hello"})
    # then a message is queued from the sender, and the next page is its timeline
    (message,) = _messages(tenant_a)
    assert (response.status_code, response["Location"]) == (302, f"/messages/{message.uuid}/")
    assert (message.source, message.status, message.to, message.from_address, message.body) == (
        "test",
        "queued",
        "+14155550199",
        "+14165550100",
        "Hello",
    )
    assert fake_gateway.sent == []  # the engine sends it, at the sender's pace
    timeline = client_a.get(response["Location"])
    assert [str(m) for m in timeline.context["messages"]] == ["Test message to +14155550199 queued from +14165550100."]
    assert [entry.event.kind for entry in timeline.context["timeline"].entries] == ["created"]
    # when the engine takes it from the lane, it leaves from the sender
    dispatch_sending.forget_tenant(tenant_a.schema_name)  # what an earlier test left in the engine's tenant cache
    with in_tenant(tenant_a):
        assert dispatch_sending.process(tenant_a.schema_name, message.pk) == "accepted"
    assert [(m.to, m.from_, m.body) for m in fake_gateway.sent] == [("+14155550199", "+14165550100", "Hello")]


@pytest.mark.django_db
def test_a_suspended_tenant_sees_why_nothing_was_sent(client_a, acme_member, tenant_a, fake_gateway):
    sender = _sender(tenant_a)
    lifecycle.tenant_suspend(tenant=tenant_a)
    client_a.force_login(acme_member("owner"))
    response = client_a.post("/senders/test/", {"sender": sender.pk, "to": "+14155550199", "body": "Hello"})
    assert response.status_code == 400
    assert response.context["test_form"].non_field_errors() == [
        "tenant suspended: Acme Appointments cannot send messages until ISV staff reactivate it"
    ]
    assert _messages(tenant_a) == []
    assert fake_gateway.sent == []


@pytest.mark.django_db
def test_a_bad_number_keeps_the_form_and_names_the_field(client_a, acme_member, tenant_a, fake_gateway):
    sender = _sender(tenant_a)
    client_a.force_login(acme_member("operator"))
    response = client_a.post("/senders/test/", {"sender": sender.pk, "to": "12", "body": "Hello"})
    assert response.status_code == 400
    assert response.context["test_form"].errors == {"to": ["'12' is not a valid phone number"]}
    assert response.context["test_form"]["body"].value() == "Hello"
    assert _messages(tenant_a) == []
    assert fake_gateway.sent == []


@pytest.mark.django_db
def test_a_blank_test_message_is_refused_under_the_body(client_a, acme_member, tenant_a):
    sender = _sender(tenant_a)
    client_a.force_login(acme_member("operator"))
    response = client_a.post("/senders/test/", {"sender": sender.pk, "to": "+14155550199", "body": "   "})
    assert response.status_code == 400
    assert response.context["test_form"].errors == {"body": ["This field is required."]}
    assert _messages(tenant_a) == []


@pytest.mark.django_db
def test_an_admin_buys_a_number_and_syncs(client_a, acme_member, tenant_a, fake_gateway):
    client_a.force_login(acme_member("admin"))
    response = client_a.post("/senders/buy/", {"area_code": "415", "label": "Support"}, follow=True)
    assert "Number +1415555" in response.content.decode()
    response = client_a.post("/senders/sync/", follow=True)
    assert "Synced from Twilio: 0 added, 1 already here." in response.content.decode()


@pytest.mark.django_db
def test_an_admin_adds_a_sender_and_a_pool(client_a, acme_member, tenant_a):
    client_a.force_login(acme_member("admin"))
    added = client_a.post(
        "/senders/add/",
        {"kind": "long_code", "address": "(416) 555-0100", "country": "CA", "mps": "1", "label": "Desk"},
        follow=True,
    )
    assert "Sender +14165550100 added." in added.content.decode()
    connection.set_tenant(tenant_a)
    sender = Sender.objects.get(address="+14165550100")
    connection.set_schema_to_public()
    pooled = client_a.post(
        "/senders/pools/add/", {"name": "Main", "senders": [sender.pk], "two_way": "on"}, follow=True
    )
    assert "Pool Main created." in pooled.content.decode()


@pytest.mark.django_db
def test_a_bad_sender_keeps_what_was_typed_and_names_the_field(client_a, acme_member, tenant_a):
    client_a.force_login(acme_member("admin"))
    response = client_a.post(
        "/senders/add/", {"kind": "short_code", "address": "1234", "country": "US", "mps": "100", "label": "Promo"}
    )
    assert response.status_code == 400
    form = response.context["sender_form"]
    assert form.errors == {"address": ["a short code is 5 or 6 digits"]}
    assert (form["label"].value(), form["mps"].value()) == ("Promo", "100")


@pytest.mark.django_db
def test_a_tenant_submits_its_registration_but_cannot_approve_it(client_a, acme_member, tenant_a):
    # given: a 10DLC number in draft
    connection.set_tenant(tenant_a)
    sender = sender_services.sender_register(kind="a2p_10dlc", address="+14155550100", country="US", mps=Decimal(12))
    connection.set_schema_to_public()
    client_a.force_login(acme_member("owner"))
    url = f"/senders/{sender.pk}/registration/"

    # the page offers submitting only
    page = client_a.get("/senders/")
    assert [s.next_states for s in page.context["senders"]] == [["submitted"]]
    submitted = client_a.post(url, {"state": "submitted"}, follow=True)
    assert "+14155550100: registration is now submitted." in submitted.content.decode()

    # once submitted, the page offers no move and says who decides
    page = client_a.get("/senders/")
    assert [s.next_states for s in page.context["senders"]] == [[]]
    assert b'data-testid="awaiting-staff"' in page.content

    # and approving by hand is refused with the reason
    refused = client_a.post(url, {"state": "approved"}, follow=True)
    assert (
        "only ISV staff move this a2p_10dlc registration from submitted to approved, on the decision of the carriers "
        "or Twilio; you may move it to: none" in refused.content.decode()
    )
    connection.set_tenant(tenant_a)
    sender.refresh_from_db()
    connection.set_schema_to_public()
    assert sender.registration_state == "submitted"
    assert AuditEvent.objects.filter(action="sender.registration_moved").count() == 1
