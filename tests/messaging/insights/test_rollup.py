"""The insight rollups: the trigger's deltas, the squash, the public copy, opt-outs; the figures they add up to equal
counts taken straight from the messages table."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest
from django.db import connection

from compliance.services.register import opt_out_record
from messaging.insights import queries
from messaging.insights.models import TenantDay, TenantOptOutHour, TenantRollup
from messaging.models import InsightDay, InsightDelta, InsightOptOutHour, InsightRollup, Message
from messaging.services.insights import insights_squash
from tests.factories import MessageFactory, SenderFactory, in_tenant

pytestmark = pytest.mark.django_db

T0 = datetime(2026, 11, 30, 9, 15, tzinfo=UTC)
KEY = ("hour", "direction", "sender_id", "country", "category", "status", "error_code")


def direct_counts() -> dict[tuple, tuple[int, int, Decimal]]:
    """(messages, segments, cost) per rollup key, counted from the messages table of the current schema."""
    with connection.cursor() as cursor:
        cursor.execute(
            """SELECT date_trunc('hour', created_at, 'UTC'), direction, coalesce(sender_id, 0),
                      CASE WHEN direction = 'inbound' THEN from_address ELSE "to" END, category, status,
                      coalesce(error_code, 0), count(*), sum(segments), coalesce(sum(-price), 0)
                 FROM messaging_message GROUP BY 1, 2, 3, 4, 5, 6, 7"""
        )
        rows = cursor.fetchall()
    country = {"+1416": "CA", "+1415": "US", "+4477": "GB", "+1555": "US"}
    return {(r[0], r[1], r[2], country[r[3][:5]], r[4], r[5], r[6]): (r[7], r[8], Decimal(r[9])) for r in rows}


def rollup_counts(rows) -> dict[tuple, tuple[int, int, Decimal]]:
    return {tuple(getattr(row, k) for k in KEY): (row.messages, row.segments, row.cost) for row in rows}


@pytest.fixture
def traffic(tenant_a):
    """A mixed hour and a half of acme's traffic, moved on the way the engine and callbacks move it."""
    with in_tenant(tenant_a):
        us = SenderFactory(tenant=tenant_a, address="+14155550100", kind="a2p_10dlc")
        ca = SenderFactory(tenant=tenant_a, address="+14165550100", kind="toll_free")
        made = [
            MessageFactory(tenant=tenant_a, sender=us, to="+14155550101", created_at=T0),
            MessageFactory(tenant=tenant_a, sender=us, to="+14155550102", created_at=T0, segments=3),
            MessageFactory(tenant=tenant_a, sender=ca, to="+14165550103", created_at=T0, category="marketing"),
            MessageFactory(tenant=tenant_a, sender=ca, to="+447700900001", created_at=T0 + timedelta(hours=1)),
            MessageFactory(tenant=tenant_a, sender=us, to="+15557000001", created_at=T0 + timedelta(hours=1)),
            MessageFactory(tenant=tenant_a, sender=us, direction="inbound", from_address="+14165550199", created_at=T0),
        ]
        first, second, third, fourth, fifth, _ = made
        sent, delivered = T0 + timedelta(seconds=3), T0 + timedelta(seconds=43)
        Message.objects.filter(pk=first.pk).update(status="sent", sent_at=sent, price=Decimal("-0.0079"))
        Message.objects.filter(pk=first.pk).update(status="delivered", delivered_at=delivered)
        Message.objects.filter(pk=second.pk).update(
            status="undelivered", sent_at=sent, failed_at=delivered, error_code=30003, price=Decimal("-0.0237")
        )
        Message.objects.filter(pk=third.pk).update(status="failed", failed_at=sent, error_code=30034)
        Message.objects.filter(pk=fourth.pk).update(status="canceled", canceled_at=sent)
        Message.objects.filter(pk=fifth.pk).update(
            status="undelivered", sent_at=sent, failed_at=delivered, error_code=30007
        )
    return made


def test_the_squashed_rollup_equals_counts_from_the_messages_table(tenant_a, traffic):
    with in_tenant(tenant_a):
        report = insights_squash(tenant=tenant_a)
        expected = direct_counts()
        rollup = rollup_counts(InsightRollup.objects.all())
        assert InsightDelta.objects.count() == 0
    assert (report.hours, report.skipped) == (3, False)  # T0's two hours, and the hour the factory inserted in
    assert rollup == expected
    assert sum(v[0] for v in rollup.values()) == 6
    assert rollup_counts(TenantRollup.objects.filter(tenant=tenant_a)) == expected


def test_every_status_change_moves_the_message_and_the_rollup_keeps_no_empty_rows(tenant_a, traffic):
    with in_tenant(tenant_a):
        insights_squash(tenant=tenant_a)
        Message.objects.filter(to="+14155550101").update(status="read", read_at=T0 + timedelta(minutes=5))
        assert InsightDelta.objects.count() == 2  # the old contribution out, the new one in
        insights_squash(tenant=tenant_a)
        expected = direct_counts()
        statuses = sorted(InsightRollup.objects.filter(direction="outbound").values_list("status", flat=True))
        assert rollup_counts(InsightRollup.objects.all()) == expected
    assert statuses == ["canceled", "failed", "read", "undelivered", "undelivered"]
    assert rollup_counts(TenantRollup.objects.filter(tenant=tenant_a)) == expected


def test_a_change_the_rollup_does_not_read_writes_no_delta(tenant_a, traffic):
    with in_tenant(tenant_a):
        insights_squash(tenant=tenant_a)
        Message.objects.filter(to="+14155550101").update(attempts=3, reconcile_lookups=1)
        assert InsightDelta.objects.count() == 0


def test_a_second_squash_changes_nothing(tenant_a, traffic):
    with in_tenant(tenant_a):
        insights_squash(tenant=tenant_a)
        before = rollup_counts(InsightRollup.objects.all())
        again = insights_squash(tenant=tenant_a)
        assert rollup_counts(InsightRollup.objects.all()) == before
    assert again.hours == 0


def test_dimensions_sender_kind_country_and_latency_buckets(tenant_a, traffic):
    with in_tenant(tenant_a):
        insights_squash(tenant=tenant_a)
        delivered = InsightRollup.objects.get(status="delivered")
        inbound = InsightRollup.objects.get(direction="inbound")
        countries = dict(InsightRollup.objects.filter(direction="outbound").values_list("status", "country"))
    assert (delivered.sender_kind, delivered.sender_address, delivered.country) == ("a2p_10dlc", "+14155550100", "US")
    assert (delivered.sent_count, delivered.sent_ms, delivered.delivered_count, delivered.delivered_ms) == (
        1, 3000, 1, 40000,
    )  # fmt: skip
    assert delivered.sent_histogram == [0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]  # 3 s: the [2, 5) bucket
    assert delivered.delivered_histogram == [0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0]  # 40 s: [30, 60)
    assert delivered.cost == Decimal("0.00790")
    assert inbound.country == "CA"  # the handset's number, +1 416
    assert countries == {"failed": "CA", "canceled": "GB", "undelivered": "US", "delivered": "US"}


def test_summary_figures_match_the_messages(tenant_a, traffic):
    with in_tenant(tenant_a):
        insights_squash(tenant=tenant_a)
        figures = queries.summary(queries.Scope(start=T0 - timedelta(hours=1), end=T0 + timedelta(hours=3)))
    assert (figures.messages, figures.inbound, figures.segments) == (5, 1, 7)
    assert (figures.delivered, figures.failed, figures.finished) == (1, 3, 4)
    assert figures.by_code == {30003: 1, 30007: 1, 30034: 1}
    assert figures.cost == Decimal("0.03160")
    assert figures.error_rate == 0.75


def test_opt_outs_asked_for_by_recipients_are_counted_per_hour(tenant_a, tenant_b, traffic):
    with in_tenant(tenant_a):
        opt_out_record(tenant=tenant_a, number="+14155550101", source="keyword", actor_label="handset",
                       keyword="STOP", occurred_at=T0)  # fmt: skip
        opt_out_record(tenant=tenant_a, number="+14155550102", source="twilio", actor_label="system",
                       occurred_at=T0 + timedelta(minutes=20))  # fmt: skip
        opt_out_record(tenant=tenant_a, number="+14155550103", source="import", actor_label="a@acme.test",
                       occurred_at=T0)  # fmt: skip
        first = insights_squash(tenant=tenant_a)
        again = insights_squash(tenant=tenant_a)
        hours = list(InsightOptOutHour.objects.values_list("hour", "opt_outs"))
    assert (first.opt_outs, again.opt_outs) == (2, 0)
    assert hours == [(datetime(2026, 11, 30, 9, tzinfo=UTC), 2)]
    assert list(TenantOptOutHour.objects.values_list("tenant__slug", "opt_outs")) == [("acme", 2)]


def test_another_tenants_rows_stay_its_own(tenant_a, tenant_b, traffic):
    with in_tenant(tenant_b):
        MessageFactory(tenant=tenant_b, to="+447700900002", created_at=T0)
        insights_squash(tenant=tenant_b)
        globex = rollup_counts(InsightRollup.objects.all())
    with in_tenant(tenant_a):
        insights_squash(tenant=tenant_a)
        acme = rollup_counts(InsightRollup.objects.all())
    assert sum(v[0] for v in globex.values()) == 1
    assert rollup_counts(TenantRollup.objects.filter(tenant=tenant_b)) == globex
    assert rollup_counts(TenantRollup.objects.filter(tenant=tenant_a)) == acme
    assert TenantRollup.objects.count() == len(globex) + len(acme)


def test_days_of_the_tenants_zone_add_up_their_hours(tenant_a, traffic):
    # given a message created at 02:30 UTC on Nov 30: still Nov 29 in New York, acme's zone
    with in_tenant(tenant_a):
        MessageFactory(tenant=tenant_a, to="+14155550109", created_at=datetime(2026, 11, 30, 2, 30, tzinfo=UTC))
        insights_squash(tenant=tenant_a)
        days = {}
        for row in InsightDay.objects.all():
            days[(row.day, row.status)] = days.get((row.day, row.status), 0) + row.messages
        with connection.cursor() as cursor:
            cursor.execute(
                """SELECT (created_at AT TIME ZONE 'America/New_York')::date, status, count(*)
                     FROM messaging_message GROUP BY 1, 2"""
            )
            expected = {(day, status): count for day, status, count in cursor.fetchall()}
        delivered = InsightDay.objects.get(status="delivered")
    assert days == expected
    assert days[(date(2026, 11, 29), "queued")] == 1
    assert (delivered.sent_ms, delivered.delivered_histogram[6]) == (3000, 1)
    public = {(row.day, row.status): row.messages for row in TenantDay.objects.filter(tenant=tenant_a, status="queued")}
    assert public == {(date(2026, 11, 29), "queued"): 1}


def test_a_days_rows_are_added_up_again_when_its_hours_change(tenant_a, traffic):
    with in_tenant(tenant_a):
        insights_squash(tenant=tenant_a)
        Message.objects.filter(to="+14155550101").update(status="read", read_at=T0 + timedelta(minutes=5))
        insights_squash(tenant=tenant_a)
        statuses = sorted(InsightDay.objects.filter(direction="outbound").values_list("status", "messages"))
    assert statuses == [("canceled", 1), ("failed", 1), ("read", 1), ("undelivered", 1), ("undelivered", 1)]
