"""The insight totals (the rollups without the sender, country and category): after every squash they equal the full
rollups added up, in the tenant's schema and in the public copy; the migration adds up rollups kept before them;
answers read from them equal those read from the full rollups."""

from __future__ import annotations

import importlib
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from compliance.services.register import opt_out_record
from messaging.insights import queries
from messaging.insights.models import (
    TenantDay,
    TenantDayLatency,
    TenantDayTotal,
    TenantOptOutDay,
    TenantOptOutHour,
    TenantSenderDay,
)
from messaging.models import InsightDay, InsightDayTotal, InsightHourTotal, InsightRollup, Message
from messaging.services.insights import insights_squash
from tests.factories import MessageFactory, in_tenant

from .test_rollup import T0, traffic  # noqa: F401  (the fixture)

pytestmark = pytest.mark.django_db

TOTAL_KEY = ("direction", "status", "error_code")


def added_up(rows, when: str) -> dict[tuple, tuple]:
    """Every sum of `rows` per (`when`, direction, status, error code); histograms bucket by bucket."""
    found: dict[tuple, list] = {}
    for row in rows:
        key = (getattr(row, when), *(getattr(row, name) for name in TOTAL_KEY))
        sums = found.setdefault(key, [0, 0, Decimal(0), 0, 0, [0] * 14, 0, 0, [0] * 14])
        for index, name in enumerate(("messages", "segments", "cost", "sent_count", "sent_ms")):
            sums[index] += getattr(row, name)
        sums[6] += row.delivered_count
        sums[7] += row.delivered_ms
        sums[5] = [a + b for a, b in zip(sums[5], row.sent_histogram, strict=True)]
        sums[8] = [a + b for a, b in zip(sums[8], row.delivered_histogram, strict=True)]
    return {key: tuple(tuple(v) if isinstance(v, list) else v for v in sums) for key, sums in found.items()}


def totals(rows, when: str) -> dict[tuple, tuple]:
    """The totals rows as `added_up` gives them; each key once."""
    found = {}
    for row in rows:
        key = (getattr(row, when), *(getattr(row, name) for name in TOTAL_KEY))
        assert key not in found
        found[key] = (row.messages, row.segments, row.cost, row.sent_count, row.sent_ms, tuple(row.sent_histogram),
                      row.delivered_count, row.delivered_ms, tuple(row.delivered_histogram))  # fmt: skip
    return found


def assert_totals_add_up(tenant) -> dict[tuple, tuple]:
    """The tenant's hour and day totals, and its public day totals, equal its rollups added up; returns the hours'."""
    with in_tenant(tenant):
        hours = totals(InsightHourTotal.objects.all(), "hour")
        assert hours == added_up(InsightRollup.objects.all(), "hour")
        days = totals(InsightDayTotal.objects.all(), "day")
        assert days == added_up(InsightDay.objects.all(), "day")
    assert totals(TenantDayTotal.objects.filter(tenant=tenant), "day") == days
    assert days == added_up(TenantDay.objects.filter(tenant=tenant), "day")
    assert sender_days(tenant) == sender_outcomes(TenantDay.objects.filter(tenant=tenant))
    latency = {r.day: (tuple(r.sent_histogram), tuple(r.delivered_histogram))
               for r in TenantDayLatency.objects.filter(tenant=tenant)}  # fmt: skip
    outbound = {}
    for (day, direction, *_), sums in days.items():
        if direction != "inbound":
            sent, delivered = outbound.get(day, ((0,) * 14, (0,) * 14))
            outbound[day] = (tuple(map(sum, zip(sent, sums[5], strict=True))),
                             tuple(map(sum, zip(delivered, sums[8], strict=True))))  # fmt: skip
    assert latency == outbound
    return hours


def sender_outcomes(rows) -> dict[tuple, tuple]:
    """(outbound, inbound, delivered, failed, filtered) per day and sender address, added up from rollup rows."""
    found: dict[tuple, list] = {}
    for row in rows:
        sums = found.setdefault((row.day, row.sender_address), [0, 0, 0, 0, 0])
        outbound = row.direction != "inbound"
        sums[0] += row.messages if outbound else 0
        sums[1] += 0 if outbound else row.messages
        sums[2] += row.messages if outbound and row.status in ("delivered", "read") else 0
        sums[3] += row.messages if outbound and row.status in ("failed", "undelivered") else 0
        sums[4] += (
            row.messages if outbound and row.status in ("failed", "undelivered") and row.error_code == 30007 else 0
        )
    return {key: tuple(sums) for key, sums in found.items()}


def sender_days(tenant) -> dict[tuple, tuple]:
    rows = TenantSenderDay.objects.filter(tenant=tenant)
    return {(r.day, r.sender_address): (r.messages, r.inbound, r.delivered, r.failed, r.filtered) for r in rows}


def test_the_totals_equal_the_rollups_added_up_after_a_squash(tenant_a, traffic):  # noqa: F811
    with in_tenant(tenant_a):
        insights_squash(tenant=tenant_a)
    hours = assert_totals_add_up(tenant_a)
    nine = datetime(2026, 11, 30, 9, tzinfo=UTC)
    assert hours[(nine, "outbound", "delivered", 0)][:3] == (1, 1, Decimal("0.00790"))
    assert hours[(nine, "outbound", "delivered", 0)][5] == (0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
    # two senders and two countries in the rollup's 09h, one row per outcome in the totals
    with in_tenant(tenant_a):
        assert InsightRollup.objects.filter(hour=nine, direction="outbound").count() == 3
        assert InsightHourTotal.objects.filter(hour=nine, direction="outbound").count() == 3
        assert InsightDayTotal.objects.get(day=date(2026, 11, 30), status="undelivered", error_code=30007).messages == 1


def test_a_message_changing_status_across_squashes_moves_in_every_total(tenant_a, traffic):  # noqa: F811
    with in_tenant(tenant_a):
        insights_squash(tenant=tenant_a)
        Message.objects.filter(to="+14155550101").update(status="read", read_at=T0 + timedelta(minutes=5))
        Message.objects.filter(to="+14155550102").update(
            status="delivered", error_code=None, failed_at=None, delivered_at=T0 + timedelta(seconds=43)
        )
        insights_squash(tenant=tenant_a)
        statuses = sorted(InsightHourTotal.objects.filter(direction="outbound").values_list("status", "messages"))
        day_statuses = sorted(
            InsightDayTotal.objects.filter(direction="outbound").values_list("status", "error_code", "messages")
        )
    assert_totals_add_up(tenant_a)
    assert statuses == [("canceled", 1), ("delivered", 1), ("failed", 1), ("read", 1), ("undelivered", 1)]
    assert day_statuses == [("canceled", 0, 1), ("delivered", 0, 1), ("failed", 30034, 1), ("read", 0, 1),
                            ("undelivered", 30007, 1)]  # fmt: skip
    public = TenantDayTotal.objects.filter(tenant=tenant_a, direction="outbound")
    public = sorted(public.values_list("status", "messages"))
    assert public == [("canceled", 1), ("delivered", 1), ("failed", 1), ("read", 1), ("undelivered", 1)]
    # the US sender: 3 outbound (read, delivered, filtered), 1 inbound; before the second squash 1 delivered, 2 failed
    assert sender_days(tenant_a)[(date(2026, 11, 30), "+14155550100")] == (3, 1, 2, 1, 1)


def test_a_day_of_the_tenants_zone_and_another_tenant_keep_their_own_totals(tenant_a, tenant_b, traffic):  # noqa: F811
    # given a message created at 02:30 UTC on Nov 30: still Nov 29 in New York, acme's zone
    with in_tenant(tenant_a):
        MessageFactory(tenant=tenant_a, to="+14155550109", created_at=datetime(2026, 11, 30, 2, 30, tzinfo=UTC))
        insights_squash(tenant=tenant_a)
    with in_tenant(tenant_b):
        MessageFactory(tenant=tenant_b, to="+447700900002", created_at=T0)
        insights_squash(tenant=tenant_b)
    assert_totals_add_up(tenant_a)
    assert_totals_add_up(tenant_b)
    assert TenantDayTotal.objects.get(tenant=tenant_a, day=date(2026, 11, 29)).messages == 1
    assert list(TenantDayTotal.objects.filter(tenant=tenant_b).values_list("day", "status", "messages")) == [
        (date(2026, 11, 30), "queued", 1)
    ]


def opt_out(tenant, number: str, at: datetime) -> None:
    opt_out_record(tenant=tenant, number=number, source="keyword", actor_label="handset", keyword="STOP",
                   occurred_at=at)  # fmt: skip


def test_the_migration_adds_up_rollups_kept_before_the_totals(tenant_a, traffic):  # noqa: F811
    tenant_fill = importlib.import_module("messaging.migrations.0018_insight_totals").FILL
    public_fill = importlib.import_module("messaging.insights.migrations.0006_tenant_totals").FILL
    with in_tenant(tenant_a):
        opt_out(tenant_a, "+14155550101", T0)
        opt_out(tenant_a, "+14155550102", T0 + timedelta(hours=2))
        opt_out(tenant_a, "+14155550103", T0 - timedelta(hours=12))
        insights_squash(tenant=tenant_a)
        hours = totals(InsightHourTotal.objects.all(), "hour")
        days = totals(InsightDayTotal.objects.all(), "day")
        with connection.cursor() as cursor:
            cursor.execute("DELETE FROM messaging_insighthourtotal; DELETE FROM messaging_insightdaytotal")
            for statement in tenant_fill:
                cursor.execute(statement)
        assert totals(InsightHourTotal.objects.all(), "hour") == hours
        assert totals(InsightDayTotal.objects.all(), "day") == days
    opt_outs = list(TenantOptOutDay.objects.values_list("tenant_id", "day", "opt_outs"))
    senders = sender_days(tenant_a)
    latency = list(TenantDayLatency.objects.values_list("tenant_id", "day", "sent_histogram", "delivered_histogram"))
    TenantDayLatency.objects.all().delete()
    TenantDayTotal.objects.all().delete()
    TenantOptOutDay.objects.all().delete()
    TenantSenderDay.objects.all().delete()
    with connection.cursor() as cursor:
        for statement in public_fill:
            cursor.execute(statement)
    assert totals(TenantDayTotal.objects.filter(tenant=tenant_a), "day") == days
    assert list(TenantOptOutDay.objects.values_list("tenant_id", "day", "opt_outs")) == opt_outs
    assert sender_days(tenant_a) == senders and len(senders) == 2
    assert list(TenantDayLatency.objects.values_list("tenant_id", "day", "sent_histogram", "delivered_histogram")) == (
        latency
    )
    assert [(day, sent[:3]) for _, day, sent, _ in latency] == [(date(2026, 11, 30), [1, 0, 2])]
    assert opt_outs == [(tenant_a.pk, date(2026, 11, 29), 1), (tenant_a.pk, date(2026, 11, 30), 2)]
    assert len(hours) == 6 and sum(v[0] for v in hours.values()) == 6


def figures_from_rollup(scope: queries.Scope, group, **kwargs):
    """What the full rollup answers (the totals left out), with the clicks where the answer has them."""
    found = queries._grouped(scope, group, totals=False, **kwargs)
    if group in (None, "hour", "tenant_id"):
        queries._add_clicks(scope, found, group)
    return found


def test_answers_from_the_totals_equal_answers_from_the_full_rollups(tenant_a, tenant_b, traffic):  # noqa: F811
    hours = queries.Scope(start=T0 - timedelta(hours=10), end=T0 + timedelta(hours=3))
    days = queries.Scope(start=hours.start, end=hours.end, days=(date(2026, 11, 29), date(2026, 11, 30)))
    with in_tenant(tenant_a):
        insights_squash(tenant=tenant_a)
        assert hours.source(totals=True) == "messaging_insighthourtotal"
        assert days.source(totals=True) == "messaging_insightdaytotal"
        summary = queries.summary(hours)
        assert summary.messages == 5 and summary.sent_histogram[:3] == [1, 0, 2]
        assert queries.summary(days) == summary
        assert summary == figures_from_rollup(hours, None)[None]
        by_hour = dict(queries.timeseries(hours, bucket="hour"))
        assert by_hour == figures_from_rollup(hours, "hour")
        assert len(by_hour) == 2
        by_day = dict(queries.timeseries(days, bucket="day", time_zone="America/New_York"))
        assert [figures.messages for figures in by_day.values()] == [5]
        by_code = dict(queries.breakdown(days, by="error_code"))
        assert by_code == {30003: figures_from_rollup(days, "error_code")[30003],
                           30007: figures_from_rollup(days, "error_code")[30007],
                           30034: figures_from_rollup(days, "error_code")[30034]}  # fmt: skip
        # a filter reads the full rollup
        one_sender = queries.Scope(start=hours.start, end=hours.end, country="CA")
        assert one_sender.source(totals=True) == "messaging_insightrollup"
        assert queries.summary(one_sender).messages == 1
    public = queries.Scope(start=days.start, end=days.end, days=days.days, public=True)
    assert public.source(totals=True) == "insights_tenantdaytotal"
    assert queries.summary(public) == figures_from_rollup(public, None)[None]
    by_tenant = dict(queries.breakdown(public, by="tenant", latency=False))
    assert by_tenant == figures_from_rollup(public, "tenant_id", latency=False)
    assert by_tenant[tenant_a.pk].messages == 5
    senders = dict(queries.breakdown(public, by="tenant_sender", latency=False))
    assert sorted((key, f.messages) for key, f in senders.items()) == [
        (f"{tenant_a.pk} +14155550100", 3), (f"{tenant_a.pk} +14165550100", 2)
    ]  # fmt: skip


def test_outcomes_count_what_the_breakdown_counts_in_its_order(tenant_a, tenant_b, traffic):  # noqa: F811
    with in_tenant(tenant_a):
        insights_squash(tenant=tenant_a)
    with in_tenant(tenant_b):
        MessageFactory(tenant=tenant_b, to="+447700900002", created_at=T0)
        insights_squash(tenant=tenant_b)
    public = queries.Scope(start=T0 - timedelta(days=1), end=T0 + timedelta(days=1),
                           days=(date(2026, 11, 29), date(2026, 11, 30)), public=True)  # fmt: skip
    with CaptureQueriesContext(connection) as captured:
        queries.outcomes(public, by="tenant_sender", codes=[30007])
    assert "insights_tenantsenderday" in captured.captured_queries[-1]["sql"]
    for by in ("tenant_sender", "tenant"):
        full = queries.breakdown(public, by=by, latency=False)
        counted = queries.outcomes(public, by=by, codes=[30007, 30034])  # 30034: read from the full rollup
        assert [(k, f.messages, f.failed) for k, f in queries.outcomes(public, by=by, codes=[30007])] == [
            (k, f.messages, f.failed) for k, f in counted
        ]
        assert [key for key, _ in counted] == [key for key, _ in full]
        for (_, figures), (_, outcome) in zip(full, counted, strict=True):
            assert (outcome.messages, outcome.inbound, outcome.delivered, outcome.failed) == (
                figures.messages, figures.inbound, figures.delivered, figures.failed,
            )  # fmt: skip
            assert outcome.by_code == {code: n for code, n in figures.by_code.items() if code in (30007, 30034)}
            assert outcome.error_rate == figures.error_rate
    with in_tenant(tenant_b):
        opt_out(tenant_b, "+447700900002", T0)
        insights_squash(tenant=tenant_b)
    tenants = queries.tenant_outcomes(public, queries.outcomes(public, by="tenant_sender", codes=[30007, 30034]))
    assert [(key, f.messages, f.inbound, f.delivered, f.failed, f.by_code, f.opt_outs) for key, f in tenants] == [
        (key, f.messages, f.inbound, f.delivered, f.failed, {c: n for c, n in f.by_code.items() if c in (30007, 30034)},
         f.opt_outs)
        for key, f in queries.breakdown(public, by="tenant", latency=False)
    ]  # fmt: skip
    assert [(key, f.messages, f.opt_outs) for key, f in tenants] == [(tenant_a.pk, 5, 0), (tenant_b.pk, 1, 1)]
    senders = dict(queries.outcomes(public, by="tenant_sender", codes=[30007]))
    us = senders[f"{tenant_a.pk} +14155550100"]
    assert (us.messages, us.inbound, us.delivered, us.failed, us.by_code) == (3, 1, 1, 2, {30007: 1})
    assert us.code_rate([30007]) == 1 / 3


def test_opt_outs_of_whole_utc_days_are_read_from_their_days_and_equal_their_hours(tenant_a, tenant_b, traffic):  # noqa: F811
    with in_tenant(tenant_a):
        opt_out(tenant_a, "+14155550101", T0)
        opt_out(tenant_a, "+14155550102", datetime(2026, 11, 30, 23, 59, tzinfo=UTC))
        insights_squash(tenant=tenant_a)
        opt_out(tenant_a, "+14155550103", datetime(2026, 12, 1, 0, 1, tzinfo=UTC))
        opt_out(tenant_a, "+14155550104", T0 + timedelta(minutes=1))
        insights_squash(tenant=tenant_a)  # a day already counted is added up again
    with in_tenant(tenant_b):
        opt_out(tenant_b, "+447700900002", T0)
        insights_squash(tenant=tenant_b)
    days = sorted(TenantOptOutDay.objects.values_list("tenant__slug", "day", "opt_outs"))
    assert days == [("acme", date(2026, 11, 30), 3), ("acme", date(2026, 12, 1), 1), ("globex", date(2026, 11, 30), 1)]
    hours = {}
    for tenant_id, hour, count in TenantOptOutHour.objects.values_list("tenant_id", "hour", "opt_outs"):
        hours[(tenant_id, hour.date())] = hours.get((tenant_id, hour.date()), 0) + count
    assert hours == {(t, d): n for t, d, n in TenantOptOutDay.objects.values_list("tenant_id", "day", "opt_outs")}
    start = datetime(2026, 11, 30, tzinfo=UTC)
    whole = queries.Scope(start=start, end=start + timedelta(days=2), days=(date(2026, 11, 30), date(2026, 12, 1)),
                          public=True)  # fmt: skip
    part = queries.Scope(start=start, end=start + timedelta(days=1, hours=23), public=True)
    with CaptureQueriesContext(connection) as captured:
        assert queries.summary(whole).opt_outs == 5
        by_tenant = {key: f.opt_outs for key, f in queries.breakdown(whole, by="tenant", latency=False)}
        by_day = [(moment.date(), f.opt_outs) for moment, f in queries.timeseries(whole, bucket="day")]
    assert all("insights_tenantoptouthour" not in query["sql"] for query in captured.captured_queries)
    assert by_tenant == {tenant_a.pk: 4, tenant_b.pk: 1}
    assert by_day == [(date(2026, 11, 30), 4), (date(2026, 12, 1), 1)]
    assert queries.summary(part).opt_outs == 5  # hours, not whole days: read from the hours
    assert [(m.date(), f.opt_outs) for m, f in queries.timeseries(part, bucket="day")] == by_day
