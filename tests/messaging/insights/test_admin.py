"""Insights in the staff admin: the figures of every tenant and the rankings of the worst tenants and senders, from
the public rollup; the tenant list's health columns; every tenant's incidents; the delivery-log search by number or
SID, audited."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from compliance.services.register import opt_out_record
from messaging.insights.models import Incident
from messaging.models import Message
from messaging.services.insights import insights_squash
from tenants.models import AuditEvent
from tests.factories import MessageFactory, SenderFactory, in_tenant

pytestmark = pytest.mark.django_db


def traffic(tenant, address: str, *, delivered: int, failed: dict[int, int]):
    at = timezone.now() - timedelta(hours=1)
    with in_tenant(tenant):
        sender = SenderFactory(tenant=tenant, address=address)
        for status, code, count in [("delivered", None, delivered)] + [
            ("undelivered", c, n) for c, n in failed.items()
        ]:
            for _ in range(count):
                message = MessageFactory(tenant=tenant, sender=sender, created_at=at)
                Message.objects.filter(pk=message.pk).update(
                    status=status, error_code=code, sent_at=at, delivered_at=at, failed_at=at
                )
        insights_squash(tenant=tenant)


@pytest.fixture
def two_tenants(tenant_a, tenant_b):
    traffic(tenant_a, "+14155550100", delivered=95, failed={30007: 5})
    traffic(tenant_b, "+447700900100", delivered=99, failed={30003: 1})
    with in_tenant(tenant_b):
        opt_out_record(tenant=tenant_b, number="+447700900555", source="keyword", actor_label="handset",
                       keyword="STOP")  # fmt: skip
        insights_squash(tenant=tenant_b)


def test_the_isv_page_adds_up_every_tenant_and_ranks_the_worst(staff_client, two_tenants):
    response = staff_client.get("/admin/insights/tenantrollup/")
    assert response.status_code == 200
    context = response.context
    assert (context["summary"].messages, context["summary"].failed, context["summary"].opt_outs) == (200, 6, 1)
    assert [(r["name"], round(r["value"], 4)) for r in context["tenants_by_errors"]] == [
        ("Acme Appointments", 0.05), ("Globex Deliveries", 0.01),
    ]  # fmt: skip
    assert [r["name"] for r in context["tenants_by_filtering"]] == ["Acme Appointments"]
    assert [(r["name"], r["value"]) for r in context["tenants_by_opt_outs"]] == [("Globex Deliveries", 1 / 99)]
    assert [(r["address"], r["value"]) for r in context["senders_by_filtering"]] == [("+14155550100", 0.05)]
    html = response.content.decode()
    assert html.count('<svg class="chart') == 2


def test_the_isv_page_reads_the_public_rollup_only(staff_client, two_tenants):
    with CaptureQueriesContext(connection) as captured:
        staff_client.get("/admin/insights/tenantrollup/")
    tables = " ".join(query["sql"] for query in captured.captured_queries)
    assert "messaging_" not in tables
    assert "insights_tenantday" in tables and "insights_tenantoptoutday" in tables


def test_the_tenant_list_shows_health_columns(staff_client, two_tenants, tenant_a):
    Incident.objects.create(tenant=tenant_a, rule="filtering", started_at=timezone.now(), value=0.05, threshold=0.01,
                            peak=0.05)  # fmt: skip
    response = staff_client.get("/admin/tenants/tenant/")
    rows = {row.slug: row for row in response.context["cl"].result_list}
    acme, globex = rows["acme"], rows["globex"]
    assert (acme.health_messages, acme.health_failed, acme.health_filtered, acme.health_incidents) == (100, 5, 5, 1)
    assert (globex.health_messages, globex.health_opt_outs, globex.health_incidents) == (100, 1, 0)
    html = response.content.decode()
    assert "Error rate (24 h)" in html and "5.00 %" in html and "1.01 %" in html


def test_every_tenants_incidents_are_listed(staff_client, tenant_a, tenant_b):
    for tenant in (tenant_a, tenant_b):
        Incident.objects.create(tenant=tenant, rule="opt_outs", started_at=timezone.now(), value=0.02,
                                threshold=0.01, peak=0.03)  # fmt: skip
    html = staff_client.get("/admin/insights/incident/").content.decode()
    assert "Acme Appointments" in html and "Globex Deliveries" in html
    assert "2.00 % (threshold 1.00 %)" in html


def test_staff_search_a_tenants_delivery_log_by_number_or_sid_and_it_is_audited(staff_client, tenant_a, tenant_b):
    with in_tenant(tenant_a):
        wanted = MessageFactory(tenant=tenant_a, to="+14155550177", twilio_sid="SM" + "a" * 32, status="sent")
        MessageFactory(tenant=tenant_a, to="+14155550178")
    MessageFactory(tenant=tenant_b, to="+14155550177")
    by_number = staff_client.get("/admin/tenants/tenant/acme/messages/?q=(415) 555-0177")
    by_sid = staff_client.get("/admin/tenants/tenant/acme/messages/?q=" + "SM" + "a" * 32)
    assert [m.pk for m in by_number.context["found"]] == [wanted.pk]
    assert [m.pk for m in by_sid.context["found"]] == [wanted.pk]
    events = list(AuditEvent.objects.filter(action="messages.staff_search").order_by("id"))
    assert [(e.tenant, e.actor.email, e.target, e.details["found"]) for e in events] == [
        (tenant_a, "staff@switchboard.test", "+14155550177", 1),
        (tenant_a, "staff@switchboard.test", "SM" + "a" * 32, 1),
    ]


def test_a_search_that_is_no_number_or_sid_says_so_and_is_not_audited(staff_client, tenant_a):
    response = staff_client.get("/admin/tenants/tenant/acme/messages/?q=hello")
    assert response.context["search_error"] == "'hello' is neither a phone number nor a message SID"
    assert response.context["found"] is None
    assert not AuditEvent.objects.filter(action="messages.staff_search").exists()


def test_tenant_users_cannot_open_the_isv_page(public_client, acme_member):
    public_client.force_login(acme_member("owner"))
    assert public_client.get("/admin/insights/tenantrollup/").status_code == 302
