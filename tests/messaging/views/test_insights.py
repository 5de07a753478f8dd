"""The insights pages: the dashboard's figures, SVG charts and tables equal the messages; filters and bad ranges;
the CSV export; incidents of the tenant only; thresholds edited by owners and admins, audited."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
import time_machine

from messaging.insights.models import HealthThresholds, Incident
from messaging.models import Message
from messaging.services.insights import insights_squash
from tenants.models import AuditEvent
from tests.factories import MessageFactory, SenderFactory, in_tenant

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 11, 30, 20, 0, tzinfo=UTC)
T0 = datetime(2026, 11, 29, 15, 5, tzinfo=UTC)


@pytest.fixture
def analyst_a(client_a, acme_member):
    client_a.force_login(acme_member("analyst"))
    return client_a


@pytest.fixture
def traffic(tenant_a):
    with in_tenant(tenant_a):
        sender = SenderFactory(tenant=tenant_a, address="+14155550100", kind="a2p_10dlc")
        for index in range(5):
            message = MessageFactory(tenant=tenant_a, sender=sender, to=f"+1415555030{index}", created_at=T0)
            status = {"status": "delivered", "delivered_at": T0} if index else {"failed_at": T0, "error_code": 30007,
                                                                                 "status": "undelivered"}  # fmt: skip
            Message.objects.filter(pk=message.pk).update(sent_at=T0, price=Decimal("-0.01"), **status)
        MessageFactory(tenant=tenant_a, sender=sender, to="+14165550300", created_at=T0 + timedelta(days=1))
        insights_squash(tenant=tenant_a)


def get(client, url):
    with time_machine.travel(NOW, tick=False):
        return client.get(url)


def test_the_dashboard_shows_figures_and_svg_charts(analyst_a, traffic, tenant_b):
    Incident.objects.create(tenant=tenant_b, rule="opt_outs", started_at=T0, value=0.5, threshold=0.01, peak=0.5)
    response = get(analyst_a, "/insights/")
    assert response.status_code == 200
    html = response.content.decode()
    summary = response.context["summary"]
    assert (summary.messages, summary.delivered, summary.failed, summary.segments) == (6, 4, 1, 6)
    assert summary.cost == Decimal("0.05000")
    assert html.count('<svg class="chart') == 5
    assert '<title id="chart-' in html and ">Messages per day</title>" in html
    assert "Failed messages by error code" in html
    points = [(label, f.messages) for label, f in response.context["points"]]
    assert points == [("Nov 24", 0), ("Nov 25", 0), ("Nov 26", 0), ("Nov 27", 0), ("Nov 28", 0), ("Nov 29", 5),
                      ("Nov 30", 1)]  # fmt: skip
    assert 'data-testid="open-incidents"' not in html  # globex's incident is not acme's


def test_filters_narrow_the_dashboard_and_bad_ones_are_shown_under_their_field(analyst_a, traffic):
    canada = get(analyst_a, "/insights/?country=ca&start=2026-11-01")
    assert canada.context["summary"].messages == 1
    backwards = get(analyst_a, "/insights/?start=2026-11-30&end=2026-11-01")
    assert (backwards.status_code, backwards.context["form"].errors) == (400, {"end": ["end must not be before start"]})
    hourly = get(analyst_a, "/insights/?start=2026-09-01&bucket=hour")
    assert hourly.status_code == 400
    assert list(hourly.context["form"].errors) == ["bucket"]


def test_the_csv_export_has_a_row_per_bucket_and_a_total(analyst_a, traffic):
    response = get(analyst_a, "/insights/export.csv?start=2026-11-29&end=2026-11-30")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0][:4] == ["bucket", "messages", "segments", "cost"]
    assert [(r[0], r[1], r[5], r[6], r[9]) for r in rows[1:]] == [
        ("2026-11-29T00:00:00-05:00", "5", "4", "1", "20.00"),
        ("2026-11-30T00:00:00-05:00", "1", "0", "0", ""),
        ("total", "6", "4", "1", "20.00"),
    ]


def test_incidents_of_the_tenant_are_listed(analyst_a, tenant_a, tenant_b):
    Incident.objects.create(tenant=tenant_a, rule="filtering", started_at=T0, value=0.05, threshold=0.01, peak=0.07)
    Incident.objects.create(tenant=tenant_b, rule="opt_outs", started_at=T0, value=0.5, threshold=0.01, peak=0.5)
    html = get(analyst_a, "/insights/incidents/").content.decode()
    assert "Carrier filtering (30007) above its threshold" in html
    assert "5.00 %" in html and "7.00 %" in html
    assert "Opt-out rate above" not in html


def test_owners_edit_the_thresholds_and_the_change_is_audited(client_a, acme_member, tenant_a):
    client_a.force_login(acme_member("owner"))
    form = {"error_rate_percent": "3.5", "opt_out_rate_percent": "1", "filtering_rate_percent": "0.5",
            "registration_errors": "2", "queue_overflows": "1", "debugger_errors": "1", "min_messages": "50",
            "window_minutes": "30"}  # fmt: skip
    response = client_a.post("/insights/thresholds/", form)
    assert response.status_code == 302
    row = HealthThresholds.objects.get(tenant=tenant_a)
    assert (row.error_rate_percent, row.min_messages, row.window_minutes) == (Decimal("3.50"), 50, 30)
    event = AuditEvent.objects.get(action="insights.thresholds_changed")
    assert event.details["after"]["error_rate_percent"] == "3.50"


def test_a_threshold_out_of_range_is_refused_and_nothing_is_stored(client_a, acme_member, tenant_a):
    client_a.force_login(acme_member("admin"))
    form = {"error_rate_percent": "0", "opt_out_rate_percent": "1", "filtering_rate_percent": "1",
            "registration_errors": "1", "queue_overflows": "1", "debugger_errors": "1", "min_messages": "20",
            "window_minutes": "5"}  # fmt: skip
    response = client_a.post("/insights/thresholds/", form)
    assert response.status_code == 400
    assert sorted(response.context["form"].errors) == ["error_rate_percent", "window_minutes"]
    assert not HealthThresholds.objects.filter(tenant=tenant_a).exists()
    assert not AuditEvent.objects.filter(action="insights.thresholds_changed").exists()


def test_analysts_read_insights_but_cannot_edit_thresholds(analyst_a):
    assert analyst_a.get("/insights/thresholds/").status_code == 403
