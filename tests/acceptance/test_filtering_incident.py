"""Acceptance: when 5 % of a tenant's messages land in a carrier-filtering range of the sandbox (error 30007),
the minute's insights run opens a filtering incident, emails the tenant's admins and the ISV staff, and closes it once
healthy traffic brings the rate down. Real `twilio` client against the sandbox, signed callbacks to the live server,
a real Celery worker for the drains and for the insights run.

The sandbox's own 30007 range (+1555700…) is no number of the numbering plan, which the platform refuses before
sending, so the test adds a range of valid Toronto numbers (+1416555 99xx) to the sandbox's undelivered ranges."""

from __future__ import annotations

import time

import pytest
from celery.contrib.testing.worker import start_worker
from django.core import mail
from django.db import connection

from config.celery import app
from messaging.dispatch import sending
from messaging.insights.models import Incident, TenantRollup
from messaging.models import Message, Sender
from messaging.services.messages import message_send
from messaging.services.numbers import number_obtain
from messaging.tasks import insights
from tests.factories import UserFactory, in_tenant

pytestmark = pytest.mark.integration

FILTERED = "+141655599"  # numbers the sandbox undelivers with 30007 in this test
FINAL = {"delivered", "undelivered", "failed"}


def _send(acme, sender, numbers: list[str]) -> list[Message]:
    with in_tenant(acme):
        return [message_send(tenant=acme, to=to, body="Your table is ready", sender=sender) for to in numbers]


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
    acme_on_sandbox, filtering_sandbox, settings, acme_member
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
    app.conf.task_always_eager = False
    try:
        with start_worker(
            app, pool="solo", perform_ping_check=False, shutdown_timeout=10, queues=["dispatch", "celery"]
        ):
            # given 40 messages, 2 of them (5 %) to numbers the carrier filters
            first = _send(acme, sender, [f"+1416555{n:04d}" for n in range(38)] + [f"{FILTERED}01", f"{FILTERED}02"])
            assert _wait(lambda: _all_final(acme, first), 60)
            # when the minute's insights run
            insights.apply_async()
            opened = _wait(lambda: len(_incidents()) == 2 and _incidents(), 30)
            assert opened == [("delivery_errors", "open"), ("filtering", "open")]
            # and healthy traffic brings the filtered share to 2 in 240 (0.83 %)
            second = _send(acme, sender, [f"+1416556{n:04d}" for n in range(200)])
            assert _wait(lambda: _all_final(acme, second), 120)
            insights.apply_async()
            closed = _wait(lambda: {s for _, s in _incidents()} == {"closed"} and _incidents(), 30)
    finally:
        app.conf.task_always_eager = True
    assert closed == [("delivery_errors", "closed"), ("filtering", "closed")]
    filtering = Incident.objects.get(rule="filtering")
    assert (filtering.tenant, filtering.value, filtering.figures["by_code"]) == (acme, 0.05, {"30007": 2})
    assert filtering.ended_at > filtering.started_at
    subjects = [m.subject for m in mail.outbox if "Carrier filtering" in m.subject]
    assert [s.split(":")[1].strip() for s in subjects] == [
        "incident opened for Acme Appointments",
        "incident closed for Acme Appointments",
    ]
    assert mail.outbox[-1].to == ["admin@acme.test", "ops@switchboard.test"]
    # the figures match the messages, in the tenant's rollup and in the public one
    with in_tenant(acme):
        counted = Message.objects.filter(direction="outbound", error_code=30007).count()
    public = sum(TenantRollup.objects.filter(tenant=acme, error_code=30007).values_list("messages", flat=True))
    assert (counted, public) == (2, 2)
    assert sum(TenantRollup.objects.filter(tenant=acme).values_list("messages", flat=True)) == 240
