"""Insights and incidents on the API: figures read from the squashed rollup equal the messages; filters, buckets,
breakdowns and latency; bad ranges refused naming the field; another tenant's key sees none of acme's figures."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
import time_machine

from messaging.insights.models import Incident
from messaging.models import Message
from messaging.services.insights import insights_squash
from tests.factories import MessageFactory, SenderFactory, in_tenant
from tests.messaging.api.helpers import call

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 11, 30, 18, 0, tzinfo=UTC)  # 13:00 in New York, acme's zone
T0 = datetime(2026, 11, 30, 14, 10, tzinfo=UTC)


@pytest.fixture
def acme_traffic(tenant_a):
    with in_tenant(tenant_a):
        sender = SenderFactory(tenant=tenant_a, address="+14155550100", kind="a2p_10dlc")
        other = SenderFactory(tenant=tenant_a, address="+14165550100", kind="toll_free")
        for index in range(8):
            message = MessageFactory(tenant=tenant_a, sender=sender, to=f"+1415555020{index}", created_at=T0)
            sent, done = T0 + timedelta(seconds=2), T0 + timedelta(seconds=12)
            if index < 6:
                Message.objects.filter(pk=message.pk).update(
                    status="delivered", sent_at=sent, delivered_at=done, price=Decimal("-0.0079")
                )
            else:
                Message.objects.filter(pk=message.pk).update(
                    status="undelivered", sent_at=sent, failed_at=done, error_code=30007, price=Decimal("-0.0079")
                )
        MessageFactory(tenant=tenant_a, sender=other, to="+14165550300", created_at=T0 - timedelta(days=1))
        insights_squash(tenant=tenant_a)
        return sender


@pytest.fixture
def globex_traffic(tenant_b):
    with in_tenant(tenant_b):
        message = MessageFactory(tenant=tenant_b, to="+447700900123", created_at=T0)
        Message.objects.filter(pk=message.pk).update(status="failed", failed_at=T0, error_code=30003)
        insights_squash(tenant=tenant_b)
    Incident.objects.create(tenant=tenant_b, rule="delivery_errors", started_at=T0, value=1, threshold=0.02, peak=1)


def get(client, key, url):
    with time_machine.travel(NOW, tick=False):
        return call(client, key, "get", url)


def test_the_summary_adds_up_the_range(client_a, api_key_a, acme_traffic, globex_traffic):
    response = get(client_a, api_key_a, "/api/v1/insights/summary?start=2026-11-30&end=2026-11-30")
    assert response.status_code == 200
    body = response.json()
    figures = body["figures"]
    assert (body["start"], body["end"], body["time_zone"]) == ("2026-11-30", "2026-11-30", "America/New_York")
    assert {k: figures[k] for k in ("messages", "segments", "cost", "delivered", "failed", "finished")} == {
        "messages": 8, "segments": 8, "cost": "0.06320", "delivered": 6, "failed": 2, "finished": 8,
    }  # fmt: skip
    assert (figures["delivery_rate"], figures["error_rate"], figures["opt_out_rate"]) == (0.75, 0.25, 0.0)
    assert figures["errors"] == [{"code": 30007, "title": figures["errors"][0]["title"], "count": 2, "rate": 0.25}]
    assert figures["latency"]["queued_to_sent"]["count"] == 8
    assert 2 <= figures["latency"]["queued_to_sent"]["p50"] <= 5  # every one took 2 s: the [2, 5) bucket
    assert 10 <= figures["latency"]["sent_to_delivered"]["p95"] <= 20


def test_the_default_range_is_the_last_seven_days(client_a, api_key_a, acme_traffic):
    body = get(client_a, api_key_a, "/api/v1/insights/summary").json()
    assert (body["start"], body["end"], body["figures"]["messages"]) == ("2026-11-24", "2026-11-30", 9)


def test_filters_narrow_the_figures(client_a, api_key_a, acme_traffic):
    by_type = get(client_a, api_key_a, "/api/v1/insights/summary?start=2026-11-01&sender_type=toll_free").json()
    by_country = get(client_a, api_key_a, "/api/v1/insights/summary?start=2026-11-01&country=CA").json()
    by_sender = get(client_a, api_key_a, f"/api/v1/insights/summary?start=2026-11-01&sender={acme_traffic.pk}").json()
    assert (by_type["figures"]["messages"], by_country["figures"]["messages"]) == (1, 1)
    assert by_sender["figures"]["messages"] == 8


def test_the_timeseries_by_day_and_by_hour(client_a, api_key_a, acme_traffic):
    days = get(client_a, api_key_a, "/api/v1/insights/timeseries?start=2026-11-28&end=2026-11-30").json()
    hours = get(client_a, api_key_a, "/api/v1/insights/timeseries?start=2026-11-30&end=2026-11-30&bucket=hour").json()
    assert [(p["start"], p["figures"]["messages"]) for p in days["results"]] == [
        ("2026-11-29T00:00:00-05:00", 1),
        ("2026-11-30T00:00:00-05:00", 8),
    ]
    assert [(p["start"], p["figures"]["messages"]) for p in hours["results"]] == [("2026-11-30T09:00:00-05:00", 8)]


def test_breakdowns_by_sender_and_error_code(client_a, api_key_a, acme_traffic):
    senders = get(client_a, api_key_a, "/api/v1/insights/breakdown?by=sender&start=2026-11-01").json()
    codes = get(client_a, api_key_a, "/api/v1/insights/breakdown?by=error_code&start=2026-11-01").json()
    countries = get(client_a, api_key_a, "/api/v1/insights/breakdown?by=country&start=2026-11-01").json()
    assert [(r["label"], r["figures"]["messages"]) for r in senders["results"]] == [
        ("+14155550100", 8),
        ("+14165550100", 1),
    ]
    assert [(r["key"], r["figures"]["messages"]) for r in codes["results"]] == [("30007", 2)]
    assert [(r["key"], r["figures"]["messages"]) for r in countries["results"]] == [("US", 8), ("CA", 1)]


def test_latency_percentiles(client_a, api_key_a, acme_traffic):
    body = get(client_a, api_key_a, "/api/v1/insights/latency?start=2026-11-30").json()
    assert body["queued_to_sent"]["count"] == 8
    assert [b["count"] for b in body["queued_to_sent"]["histogram"]][:4] == [0, 0, 8, 0]
    assert body["sent_to_delivered"]["histogram"][4] == {
        "from_seconds": 10,
        "to_seconds": 20,
        "count": 6,
    }  # the delivered ones


@pytest.mark.parametrize(
    ("query", "status", "field"),
    [
        ("start=2026-11-30&end=2026-11-01", 422, "end"),
        ("start=2024-01-01&end=2026-11-30", 422, "start"),
        ("start=2026-01-01&end=2026-11-30&bucket=hour", 422, "bucket"),
        ("start=yesterday", 400, "start"),
        ("country=us", 400, "country"),
        ("sender_type=pigeon", 400, "sender_type"),
        ("sender=0", 400, "sender"),
    ],
)
def test_bad_queries_are_refused_naming_the_field(client_a, api_key_a, query, status, field):
    response = get(client_a, api_key_a, f"/api/v1/insights/timeseries?{query}")
    assert response.status_code == status
    assert response["Content-Type"] == "application/problem+json"
    assert [e["field"] for e in response.json()["errors"]] == [field]


def test_a_breakdown_needs_a_known_dimension(client_a, api_key_a):
    response = get(client_a, api_key_a, "/api/v1/insights/breakdown?by=tenant")
    assert response.status_code == 400
    assert [e["field"] for e in response.json()["errors"]] == ["by"]


def test_another_tenants_key_sees_only_its_own_figures(client_b, api_key_b, acme_traffic, globex_traffic):
    body = get(client_b, api_key_b, "/api/v1/insights/summary?start=2026-11-01&end=2026-11-30").json()
    assert (body["figures"]["messages"], body["figures"]["failed"], body["time_zone"]) == (1, 1, "Europe/London")
    senders = get(client_b, api_key_b, "/api/v1/insights/breakdown?by=sender&start=2026-11-01").json()
    assert [r["figures"]["messages"] for r in senders["results"]] == [1]


def test_incidents_are_listed_for_their_tenant_only(client_a, api_key_a, tenant_a, globex_traffic):
    mine = Incident.objects.create(
        tenant=tenant_a,
        rule="filtering",
        started_at=T0,
        value=0.05,
        threshold=0.01,
        peak=0.06,
        figures={"finished": 100},
    )
    listed = get(client_a, api_key_a, "/api/v1/incidents").json()
    assert [(i["id"], i["rule"], i["status"], i["value"], i["peak"]) for i in listed["results"]] == [
        (mine.pk, "filtering", "open", 0.05, 0.06)
    ]
    assert listed["results"][0]["title"] == "Carrier filtering (30007) above its threshold"
    theirs = Incident.objects.get(tenant__slug="globex")
    assert get(client_a, api_key_a, f"/api/v1/incidents/{theirs.pk}").status_code == 404
    assert get(client_a, api_key_a, f"/api/v1/incidents/{mine.pk}").json()["figures"] == {"finished": 100}


def test_insights_need_the_insights_scope(client_a, tenant_a):
    from tenants.services.api_keys import api_key_create

    _, key = api_key_create(tenant=tenant_a, name="sender only", scopes=["messages:send"])
    assert get(client_a, key, "/api/v1/insights/summary").status_code == 403
    assert get(client_a, key, "/api/v1/incidents").status_code == 403
