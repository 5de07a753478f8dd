"""Acceptance: when 5 % of a campaign's recipients are in a carrier-filtering range of the sandbox (error 30007),
the minute's insights run opens a filtering incident, shown on the tenant's dashboard and the ISV page and emailed to
the tenant's admins and the ISV staff, and closes it once healthy traffic brings the rate down. Real `twilio` client
against the sandbox, signed callbacks to the live server, a real Celery worker for the drains and for the insights run.

The sandbox's own 30007 range (+1555700…) is no number of the numbering plan, which the platform refuses before
sending, so the test adds a range of valid Toronto numbers (+1416555 99xx) to the sandbox's undelivered ranges."""

from __future__ import annotations

import time

import pytest
from django.core import mail
from django.db import connection

from compliance.services.settings import settings_update
from messaging.dispatch import sending
from messaging.insights.models import Incident, TenantRollup
from messaging.models import Campaign, Contact, ContactList, Message, Sender
from messaging.services.campaigns.drafts import campaign_create
from messaging.services.campaigns.lifecycle import campaign_launch
from messaging.services.campaigns.preflight import campaign_preflight
from messaging.services.messages import message_send
from messaging.services.numbers import number_obtain
from messaging.tasks import insights
from tests.factories import UserFactory, in_tenant
from tests.fixtures.workers import celery_worker

pytestmark = pytest.mark.integration

FILTERED = "+141655599"  # numbers the sandbox undelivers with 30007 in this test
FINAL = {"delivered", "undelivered", "failed"}


def _send(acme, sender, numbers: list[str]) -> list[Message]:
    with in_tenant(acme):
        return [message_send(tenant=acme, to=to, body="Your table is ready", sender=sender) for to in numbers]


def _campaign(acme, sender, numbers: list[str]) -> tuple[Campaign, list[Message]]:
    """A campaign to `numbers`, launched; its messages once the fan-out has made them all."""
    with in_tenant(acme):
        settings_update(tenant=acme, actor_label="test", quiet_hours_enabled=False)  # any hour of the test run
        group = ContactList.objects.create(name="Diners")
        for n, number in enumerate(numbers):
            group.contacts.add(Contact.objects.create(phone_number=number, name=f"Diner{n} Doe", country="CA"))
        campaign = campaign_create(tenant=acme, fields={"name": "Tonight", "category": "transactional",
                                                         "sender": sender, "list_ids": [group.pk],
                                                         "body": "Your table is ready"})  # fmt: skip
        campaign = campaign_preflight(tenant=acme, campaign=campaign)
        assert campaign.preflight["blocking"] is False, campaign.preflight["findings"]
        campaign = campaign_launch(tenant=acme, campaign=campaign, actor_label="ada@acme.test")

    def made():
        with in_tenant(acme):
            rows = list(Message.objects.filter(campaign=campaign))
        connection.set_schema_to_public()
        return rows if len(rows) == len(numbers) else None

    return campaign, _wait(made, 30)


def _wait(predicate, seconds: float):
    deadline = time.monotonic() + seconds
    while True:
        found = predicate()
        if found or time.monotonic() > deadline:
            return found
        time.sleep(0.2)


def _all_final(acme, messages) -> bool:
    with in_tenant(acme):
        statuses = set(Message.objects.filter(pk__in=[m.pk for m in messages]).values_list("status", flat=True))
    connection.set_schema_to_public()
    return statuses <= FINAL


def _incidents() -> list[tuple[str, str]]:
    connection.set_schema_to_public()
    return sorted(Incident.objects.values_list("rule", "status"))


@pytest.fixture
def filtering_sandbox(sandbox):
    """The sandbox with FILTERED numbers undelivered as 30007, and quick deliveries; as it was afterwards."""
    before = sandbox.config()
    sandbox.set_config(
        undelivered_ranges={**before["undelivered_ranges"], FILTERED: 30007}, delivery_latency_ms=[50.0, 300.0]
    )
    yield sandbox
    sandbox.set_config(
        undelivered_ranges=before["undelivered_ranges"], delivery_latency_ms=before["delivery_latency_ms"]
    )


def test_a_filtering_spike_opens_an_incident_that_closes_when_the_rate_falls(
    acme_on_sandbox, filtering_sandbox, settings, acme_member, client_a, staff_client
):
    sandbox = filtering_sandbox
    acme, _ = acme_on_sandbox
    acme_member("admin")
    UserFactory(email="ops@switchboard.test", is_staff=True)
    with in_tenant(acme):
        sender = number_obtain(tenant=acme, area_code="416", label="Front desk")
        Sender.objects.filter(pk=sender.pk).update(mps=100)
        sender.refresh_from_db()
    sandbox.update_sender(sender.address, mps=100)
    sending.forget_tenant(acme.schema_name)
    settings.DISPATCH_AUTOSTART = True
    settings.DISPATCH_DRAIN_SECONDS = 2.0
    settings.DISPATCH_THREADS = 4
    settings.CAMPAIGN_WATCH_SECONDS = 0.2
    client_a.force_login(acme_member("analyst"))
    with celery_worker(queues=["dispatch", "celery"]):
        # given a campaign to 40 recipients, 2 of them (5 %) at numbers the carrier filters
        campaign, first = _campaign(
            acme, sender, [f"+1416555{n:04d}" for n in range(38)] + [f"{FILTERED}01", f"{FILTERED}02"]
        )
        assert _wait(lambda: _all_final(acme, first), 60)
        # when the minute's insights run
        insights.apply_async()
        opened = _wait(lambda: len(_incidents()) == 2 and _incidents(), 30)
        assert opened == [("delivery_errors", "open"), ("filtering", "open")]
        # then both dashboards show it, and the campaign's own figures hold the two filtered messages
        dashboard = client_a.get("/insights/")
        assert 'data-testid="open-incidents"' in dashboard.content.decode()
        assert "Carrier filtering (30007) above its threshold" in dashboard.content.decode()
        isv = staff_client.get("/admin/insights/tenantrollup/")
        shown = sorted((row["incident"].rule, row["incident"].tenant_id) for row in isv.context["open_incidents"])
        assert shown == [("delivery_errors", acme.pk), ("filtering", acme.pk)]
        by_campaign = {key: figures for key, _, figures in dashboard.context["by_campaign"]}
        assert (by_campaign[campaign.pk].messages, by_campaign[campaign.pk].by_code) == (40, {30007: 2})
        # and healthy traffic brings the filtered share to 2 in 240 (0.83 %)
        second = _send(acme, sender, [f"+1416556{n:04d}" for n in range(200)])
        assert _wait(lambda: _all_final(acme, second), 120)
        insights.apply_async()
        closed = _wait(lambda: {s for _, s in _incidents()} == {"closed"} and _incidents(), 30)
    assert closed == [("delivery_errors", "closed"), ("filtering", "closed")]
    filtering = Incident.objects.get(rule="filtering")
    assert (filtering.tenant, filtering.value, filtering.figures["by_code"]) == (acme, 0.05, {"30007": 2})
    assert filtering.ended_at > filtering.started_at
    subjects = [m.subject for m in mail.outbox if "Carrier filtering" in m.subject]
    assert [s.split(":")[1].strip() for s in subjects] == [
        "incident opened for Acme Appointments",
        "incident closed for Acme Appointments",
    ]
    assert sorted(mail.outbox[-1].to) == ["admin@acme.test", "ops@switchboard.test", "staff@switchboard.test"]
    # the figures match the messages, in the tenant's rollup and in the public one
    with in_tenant(acme):
        counted = Message.objects.filter(direction="outbound", error_code=30007).count()
    public = sum(TenantRollup.objects.filter(tenant=acme, error_code=30007).values_list("messages", flat=True))
    assert (counted, public) == (2, 2)
    assert sum(TenantRollup.objects.filter(tenant=acme).values_list("messages", flat=True)) == 240
