"""Campaigns end to end: launched through the services, expanded and sent by a real Celery worker (or drains in
threads) with the real `twilio` client against the running sandbox, callbacks posted back to the live test server."""

from __future__ import annotations

import pytest
from django.db import connection

from compliance.services.settings import settings_update
from messaging.dispatch import sending
from messaging.dispatch.drain import drain
from messaging.models import Campaign, Contact, ContactList, Message, Sender
from messaging.services.campaigns.drafts import campaign_create
from messaging.services.campaigns.lifecycle import campaign_complete_if_done, campaign_launch
from messaging.services.campaigns.preflight import campaign_preflight
from messaging.services.numbers import number_obtain
from messaging.webhooks.addresses import inbound_url
from tests.factories import in_tenant
from tests.fixtures.sandbox import wait_for
from tests.fixtures.workers import celery_worker

pytestmark = pytest.mark.integration

HANDSETS = [f"+141655501{i:02d}" for i in range(40, 46)]


def _setup(acme, sandbox, *, mps: int, handsets: list[str]) -> tuple[Sender, ContactList]:
    with in_tenant(acme):
        settings_update(tenant=acme, actor_label="test", quiet_hours_enabled=False)  # any hour of the test run
        sender = number_obtain(tenant=acme, area_code="416", label="Offers")
        Sender.objects.filter(pk=sender.pk).update(mps=mps)
        sender.refresh_from_db()
        group = ContactList.objects.create(name="Customers")
        for n, number in enumerate(handsets):
            contact = Contact.objects.create(phone_number=number, name=f"Guest{n} Doe", country="CA")
            group.contacts.add(contact)
    sandbox.update_sender(sender.address, mps=mps, sms_url=inbound_url())
    sending.forget_tenant(acme.schema_name)
    return sender, group


def _launched(acme, sender, group, **fields) -> Campaign:
    with in_tenant(acme):
        campaign = campaign_create(
            tenant=acme,
            fields={"name": "Winter", "category": "transactional", "sender": sender, "list_ids": [group.pk], **fields},
        )
        campaign = campaign_preflight(tenant=acme, campaign=campaign)
        assert campaign.preflight["blocking"] is False, campaign.preflight["findings"]
        return campaign_launch(tenant=acme, campaign=campaign, actor_label="ada@acme.test")


def test_an_ab_campaign_completes_at_the_senders_pace_through_a_real_worker(acme_on_sandbox, sandbox, settings):
    acme, _ = acme_on_sandbox
    sender, group = _setup(acme, sandbox, mps=4, handsets=HANDSETS)
    settings.DISPATCH_AUTOSTART = True
    settings.DISPATCH_DRAIN_SECONDS = 2.0
    settings.DISPATCH_THREADS = 2
    settings.CAMPAIGN_WATCH_SECONDS = 0.2
    with celery_worker(queues=["celery", "dispatch"]):
        campaign = _launched(acme, sender, group, variants=[
            {"body": "Hi {{ first_name }}, winter sale", "percent": 50},
            {"body": "Hello {{ first_name }}: winter sale", "percent": 50},
        ])  # fmt: skip
        connection.set_schema_to_public()

        def completed():
            with in_tenant(acme):
                found = Campaign.objects.get(pk=campaign.pk)
            return found if found.state == "completed" else None

        done = wait_for(completed, timeout=20, interval=0.1)
    with in_tenant(acme):
        rows = list(Message.objects.filter(campaign=campaign).select_related("campaign_variant").order_by("sending_at"))
    # every handset got its variant once, personalised
    assert len(rows) == len(HANDSETS)
    assert {row.campaign_variant.label for row in rows} == {"A", "B"}
    inbox = {number: [m["body"] for m in sandbox.handset(number)["inbox"]] for number in HANDSETS}
    for row in rows:
        first = f"Guest{HANDSETS.index(row.to)}"
        expected = {"A": f"Hi {first}, winter sale", "B": f"Hello {first}: winter sale"}[row.campaign_variant.label]
        assert inbox[row.to] == [expected]
    # at the sender's pace: 6 one-segment messages at 4 MPS leave over at least 5/4 s
    spread = (rows[-1].sending_at - rows[0].sending_at).total_seconds()
    assert spread >= 1.0, spread
    assert done.finished_at >= rows[-1].sending_at


def test_a_stop_mid_campaign_stops_that_handsets_message(acme_on_sandbox, sandbox, django_capture_on_commit_callbacks):
    acme, _ = acme_on_sandbox
    sender, group = _setup(acme, sandbox, mps=50, handsets=HANDSETS[:3])
    with django_capture_on_commit_callbacks(execute=True):
        campaign = _launched(acme, sender, group, body="Hi {{ first_name }}, winter sale")
    with in_tenant(acme):
        assert Message.objects.filter(campaign=campaign, status="queued").count() == 3
    # when the last handset replies STOP while the campaign's messages wait in the lane
    stopped = HANDSETS[2]
    answer = sandbox.post_inbound(stopped, sender.address, "STOP")
    wait_for(lambda: [a for a in sandbox.callbacks(message_sid=answer["sid"], kind="inbound")
                      if a["response_status"] and a["response_status"] < 300] or None, timeout=3.0)  # fmt: skip
    drain(budget_seconds=3, threads=2)
    # then its message never left, and the others were delivered
    with in_tenant(acme):

        def settled():
            rows = dict(Message.objects.filter(campaign=campaign).values_list("to", "status"))
            return rows if all(s in ("delivered", "failed") for s in rows.values()) else None

        statuses = wait_for(settled, timeout=5)
        assert statuses == {HANDSETS[0]: "delivered", HANDSETS[1]: "delivered", stopped: "failed"}
        blocked = Message.objects.get(campaign=campaign, to=stopped)
        assert (blocked.failure_reason, blocked.twilio_sid) == ("opted_out", None)
        assert campaign_complete_if_done(campaign_id=campaign.pk).state == "completed"
    campaign_bodies = [m["body"] for m in sandbox.handset(stopped)["inbox"] if "winter sale" in m["body"]]
    assert campaign_bodies == []
