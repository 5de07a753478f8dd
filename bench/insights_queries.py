"""Insights queries: the dashboard's reads over 10,000,000 messages' worth of rollup in one tenant, and the ISV view
over the public rollup of 1,000 tenants, p95 per query; beside a bare `SELECT 1` round trip and the same summary
counted straight from a messages table of --messages rows.

What it generates (rollup rows written directly, not by sending):
- tenant `bench-insights`: --days (90) days of hours × 20 senders (4 kinds) × 2 countries each × 2 categories × 5
  outcomes (delivered 54 messages; 1 each of 30007, 30003, 30034 and 21611), 58 messages per sender, country and
  category per hour: 400 rollup rows and 4,640 messages an hour, 10,022,400 messages over 90 days; opt-outs per hour.
  The squash's own steps then add up the hour totals, the daily rollup and the day totals.
- 1,000 tenants `bench-isv-NNNN` (rows in `tenants_tenant` only, no schemas), --isv-days (14) days of hours × 2
  senders × 5 outcomes each in the public rollup, and their opt-outs; the public day totals, latency per day,
  outcomes per sender and day and opt-outs per day added up from them as the squash does; removed again at the end.
- --messages (100,000) rows in the bench tenant's messages table (its trigger off while filling) for the baseline.

Uses the development database (`make run` once, or `python -m config.dev.embedded start`); migrates it. Run from
the repository root:

    .venv/bin/python bench/insights_queries.py [--days 90] [--isv-days 14] [--runs 20]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO_ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
os.environ.setdefault("DEBUG", "false")

SLUG, SCHEMA = "bench-insights", "bench_insights"
ISV_PREFIX = "bench-isv-"
ISV_TABLES = ("insights_tenantrollup", "insights_tenantday", "insights_tenantdaytotal", "insights_tenantdaylatency",
              "insights_tenantsenderday", "insights_tenantoptouthour", "insights_tenantoptoutday")  # fmt: skip
END = datetime(2026, 12, 1, tzinfo=UTC)
ZEROS = "array_fill(0::bigint, ARRAY[{n}])"


def histogram(bucket: int, count: str) -> str:
    """A 14-bucket histogram literal with `count` in bucket `bucket` (0-based)."""
    return f"({ZEROS.format(n=bucket)} || ARRAY[{count}::bigint] || {ZEROS.format(n=13 - bucket)})"


OUTCOMES = "(VALUES ('delivered', 0, 54), ('undelivered', 30007, 1), ('undelivered', 30003, 1), " \
           "('failed', 30034, 1), ('failed', 21611, 1)) AS o(status, code, n)"  # fmt: skip
SUMS = f"""o.n, o.n * 2, o.n * 0.0158, 0,
    CASE WHEN o.status = 'failed' THEN 0 ELSE o.n END, CASE WHEN o.status = 'failed' THEN 0 ELSE o.n * 1800 END,
    CASE WHEN o.status = 'failed' THEN {ZEROS.format(n=14)} ELSE {histogram(2, "o.n")} END,
    CASE WHEN o.status = 'delivered' THEN o.n ELSE 0 END, CASE WHEN o.status = 'delivered' THEN o.n * 4200 ELSE 0 END,
    CASE WHEN o.status = 'delivered' THEN {histogram(3, "o.n")} ELSE {ZEROS.format(n=14)} END"""
COLUMNS = """hour, direction, sender_id, sender_address, sender_kind, country, category, campaign_id, variant, status,
    error_code, messages, segments, cost, linked, sent_count, sent_ms, sent_histogram, delivered_count, delivered_ms,
    delivered_histogram"""

TENANT_FILL = f"""
TRUNCATE messaging_insightrollup, messaging_insighthourtotal, messaging_insightoptouthour, messaging_insightdelta;
INSERT INTO messaging_insightrollup ({COLUMNS})
SELECT h, 'outbound', s, '+1415555' || lpad(s::text, 4, '0'),
       (ARRAY['a2p_10dlc', 'toll_free', 'short_code', 'long_code'])[1 + s %% 4],
       (ARRAY['US', 'CA', 'GB', 'FR', 'DE', 'BR', 'MX', 'AU'])[1 + (s + c) %% 8],
       (ARRAY['transactional', 'marketing'])[1 + k], 0, '', o.status, o.code, {SUMS}
  FROM generate_series(%(start)s::timestamptz, %(end)s::timestamptz - interval '1 hour', interval '1 hour') AS h,
       generate_series(1, 20) AS s, generate_series(0, 1) AS c, generate_series(0, 1) AS k, {OUTCOMES};
INSERT INTO messaging_insightoptouthour (hour, opt_outs)
SELECT h, 20
  FROM generate_series(%(start)s::timestamptz, %(end)s::timestamptz - interval '1 hour', interval '1 hour') AS h;
ANALYZE messaging_insightrollup;
"""

ISV_FILL = f"""
DELETE FROM insights_tenantrollup WHERE tenant_id = ANY(%(ids)s);
DELETE FROM insights_tenantoptouthour WHERE tenant_id = ANY(%(ids)s);
INSERT INTO insights_tenantrollup (tenant_id, {COLUMNS})
SELECT t, h, 'outbound', s, '+1415' || lpad(t::text, 5, '0') || s::text, 'a2p_10dlc', 'US', 'transactional',
       0, '', o.status, o.code, {SUMS.replace("o.n", "(o.n + (t %% 7) * (o.code / 30000))")}
  FROM unnest(%(ids)s::bigint[]) AS t,
       generate_series(%(start)s::timestamptz, %(end)s::timestamptz - interval '1 hour', interval '1 hour') AS h,
       generate_series(1, 2) AS s, {OUTCOMES};
INSERT INTO insights_tenantoptouthour (tenant_id, hour, opt_outs)
SELECT t, h, t %% 3 FROM unnest(%(ids)s::bigint[]) AS t,
       generate_series(%(start)s::timestamptz, %(end)s::timestamptz - interval '1 hour', interval '1 hour') AS h;
DELETE FROM insights_tenantoptoutday WHERE tenant_id = ANY(%(ids)s);
INSERT INTO insights_tenantoptoutday (tenant_id, day, opt_outs)
SELECT tenant_id, (hour AT TIME ZONE 'UTC')::date, sum(opt_outs) FROM insights_tenantoptouthour
 WHERE tenant_id = ANY(%(ids)s) GROUP BY 1, 2;
ANALYZE insights_tenantrollup;
ANALYZE insights_tenantoptouthour;
ANALYZE insights_tenantoptoutday;
"""

DAY_COLUMNS = COLUMNS.replace("hour,", "day,", 1)
LATENCY_SUMS = ", ".join(
    "ARRAY[" + ", ".join(f"sum({name}[{i}])" for i in range(1, 15)) + "]::bigint[]"
    for name in ("sent_histogram", "delivered_histogram")
)
TOTAL_SUMS = "sum(messages), sum(segments), sum(cost), sum(linked), sum(sent_count), sum(sent_ms), {sent}, " \
             "sum(delivered_count), sum(delivered_ms), {delivered}".format(
    **{name: "ARRAY[" + ", ".join(f"sum({name}_histogram[{i}])" for i in range(1, 15)) + "]::bigint[]"
       for name in ("sent", "delivered")})  # fmt: skip
ISV_DAYS_FILL = f"""
DELETE FROM insights_tenantday WHERE tenant_id = ANY(%(ids)s);
INSERT INTO insights_tenantday (tenant_id, {DAY_COLUMNS})
SELECT t, d::date, 'outbound', s, '+1415' || lpad(t::text, 5, '0') || s::text, 'a2p_10dlc', 'US', 'transactional',
       0, '', o.status, o.code, {SUMS.replace("o.n", "(24 * (o.n + (t %% 7) * (o.code / 30000)))")}
  FROM unnest(%(ids)s::bigint[]) AS t,
       generate_series(%(start)s::timestamptz, %(end)s::timestamptz - interval '1 day', interval '1 day') AS d,
       generate_series(1, 2) AS s, {OUTCOMES};
ANALYZE insights_tenantday;
DELETE FROM insights_tenantdaytotal WHERE tenant_id = ANY(%(ids)s);
INSERT INTO insights_tenantdaytotal (tenant_id, day, direction, status, error_code, messages, segments, cost, linked,
                                     sent_count, sent_ms, sent_histogram, delivered_count, delivered_ms,
                                     delivered_histogram)
SELECT tenant_id, day, direction, status, error_code, {TOTAL_SUMS}
  FROM insights_tenantday WHERE tenant_id = ANY(%(ids)s) GROUP BY tenant_id, day, direction, status, error_code;
ANALYZE insights_tenantdaytotal;
DELETE FROM insights_tenantdaylatency WHERE tenant_id = ANY(%(ids)s);
INSERT INTO insights_tenantdaylatency (tenant_id, day, sent_histogram, delivered_histogram)
SELECT tenant_id, day, {LATENCY_SUMS} FROM insights_tenantdaytotal
 WHERE tenant_id = ANY(%(ids)s) AND direction <> 'inbound' GROUP BY tenant_id, day;
ANALYZE insights_tenantdaylatency;
DELETE FROM insights_tenantsenderday WHERE tenant_id = ANY(%(ids)s);
INSERT INTO insights_tenantsenderday (tenant_id, day, sender_address, messages, inbound, delivered, failed, filtered)
SELECT tenant_id, day, sender_address, sum(messages) FILTER (WHERE direction <> 'inbound'),
       coalesce(sum(messages) FILTER (WHERE direction = 'inbound'), 0),
       coalesce(sum(messages) FILTER (WHERE status IN ('delivered', 'read')), 0),
       coalesce(sum(messages) FILTER (WHERE status IN ('failed', 'undelivered')), 0),
       coalesce(sum(messages) FILTER (WHERE status IN ('failed', 'undelivered') AND error_code = 30007), 0)
  FROM insights_tenantday WHERE tenant_id = ANY(%(ids)s) GROUP BY tenant_id, day, sender_address;
ANALYZE insights_tenantsenderday;
"""

MESSAGES_FILL = """
SET CONSTRAINTS ALL IMMEDIATE;
TRUNCATE messaging_message CASCADE;
ALTER TABLE messaging_message DISABLE TRIGGER USER;
INSERT INTO messaging_sender (kind, address, label, country, mps, two_way, sms, mms, voice, registration_state,
                              registration_reference, twilio_sid, paused, created_at)
VALUES ('long_code', '+14155559999', '', 'US', 1, true, true, false, false, '', '', '', false, now())
ON CONFLICT (address) DO NOTHING;
INSERT INTO messaging_message (uuid, direction, source, status, provider_status, "to", from_address, sender_id, body,
    media_urls, encoding, segments, lane, category, compliance, error_code, failure_reason, error_message, price,
    price_unit, attempts, reconcile_lookups, created_at, queued_at, sent_at, delivered_at, failed_at)
SELECT gen_random_uuid(), 'outbound', 'api', CASE WHEN i %% 58 < 54 THEN 'delivered' ELSE 'undelivered' END, '',
       '+1416555' || lpad((i %% 10000)::text, 4, '0'), '+14155559999',
       (SELECT id FROM messaging_sender WHERE address = '+14155559999'), 'Hello', '[]', 'GSM-7', 2, 'priority',
       'transactional', '[]', CASE WHEN i %% 58 < 54 THEN NULL ELSE 30007 END, '', '', -0.0158, 'USD', 1, 0,
       %(end)s::timestamptz - (i %% (%(days)s * 24 * 60)) * interval '1 minute',
       %(end)s::timestamptz - (i %% (%(days)s * 24 * 60)) * interval '1 minute',
       %(end)s::timestamptz - (i %% (%(days)s * 24 * 60)) * interval '1 minute' + interval '2 seconds',
       CASE WHEN i %% 58 < 54 THEN %(end)s::timestamptz - (i %% (%(days)s * 24 * 60)) * interval '1 minute'
            + interval '6 seconds' END,
       CASE WHEN i %% 58 < 54 THEN NULL ELSE %(end)s::timestamptz - (i %% (%(days)s * 24 * 60)) * interval '1 minute'
            + interval '6 seconds' END
  FROM generate_series(1, %(n)s) AS i;
ALTER TABLE messaging_message ENABLE TRIGGER USER;
ANALYZE messaging_message;
"""

DIRECT_SUMMARY = """
SELECT status, coalesce(error_code, 0), count(*), sum(segments), sum(-price),
       percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM sent_at - queued_at)),
       percentile_cont(0.95) WITHIN GROUP (ORDER BY extract(epoch FROM sent_at - queued_at))
  FROM messaging_message WHERE direction = 'outbound' AND created_at >= %s AND created_at < %s
 GROUP BY 1, 2
"""


def setup():
    import django

    django.setup()
    from django.core.management import call_command

    from tenants.models import Tenant

    call_command("migrate_all", verbosity=0)
    tenant = Tenant.objects.filter(slug=SLUG).first()
    if tenant is None:
        tenant = Tenant.objects.create(slug=SLUG, schema_name=SCHEMA, name="Insights benchmark")
    return tenant


def remove_isv_tenants(ids: list[int]) -> None:
    """Their rollup rows and tenant rows, in SQL (the ORM's cascade would load millions of rows first)."""
    from django.db import connection

    with connection.cursor() as cursor:
        for table in ISV_TABLES:
            cursor.execute(f"DELETE FROM {table} WHERE tenant_id = ANY(%s)", [ids])
        cursor.execute("DELETE FROM tenants_tenant WHERE id = ANY(%s)", [ids])


def isv_tenants(count: int) -> list[int]:
    from tenants.models import Tenant

    remove_isv_tenants(list(Tenant.objects.filter(slug__startswith=ISV_PREFIX).values_list("pk", flat=True)))
    rows = [Tenant(slug=f"{ISV_PREFIX}{n:04d}", schema_name=f"bench_isv_{n:04d}", name=f"ISV bench {n:04d}")
            for n in range(count)]  # fmt: skip
    return [tenant.pk for tenant in Tenant.objects.bulk_create(rows)]


def timed(label: str, run, runs: int, results: list) -> None:
    run()  # warm the cache: the figures are of a dashboard in use
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        run()
        samples.append((time.perf_counter() - started) * 1000)
    samples.sort()
    p95 = samples[min(len(samples) - 1, round(0.95 * (len(samples) - 1)))]
    results.append((label, statistics.median(samples), p95))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--days", type=int, default=90)
    parser.add_argument("--isv-days", type=int, default=14)
    parser.add_argument("--tenants", type=int, default=1000)
    parser.add_argument("--messages", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=20)
    args = parser.parse_args()

    tenant = setup()
    from django.db import connection
    from django_tenants.utils import schema_context, tenant_context

    from messaging.domain.insights import FILTERED_CODE
    from messaging.insights import queries
    from messaging.insights.admin import _health_annotations, isv_figures
    from messaging.services.insights import _redo_days, _redo_hours
    from tenants.models import Tenant

    start = END - timedelta(days=args.days)
    filled = time.perf_counter()
    with tenant_context(tenant), connection.cursor() as cursor:
        cursor.execute(TENANT_FILL, {"start": start, "end": END})
        hours = [start + timedelta(hours=n) for n in range(args.days * 24)]
        redone = time.perf_counter()
        _redo_hours(cursor, hours)  # the squash's own steps, over every hour and day at once
        print(f"hour totals added up from the hourly rows by the squash's step: {time.perf_counter() - redone:,.1f} s")
        redone = time.perf_counter()
        _redo_days(cursor, tenant, hours)
        print(f"days and day totals added up from hours by the squash's step: {time.perf_counter() - redone:,.1f} s")
        cursor.execute("ANALYZE messaging_insightday")
        cursor.execute("ANALYZE messaging_insighthourtotal")
        cursor.execute("ANALYZE messaging_insightdaytotal")
        cursor.execute("SELECT count(*), sum(messages) FROM messaging_insightday")
        day_rows, day_messages = cursor.fetchone()
        cursor.execute("SELECT count(*), sum(messages) FROM messaging_insightrollup")
        rollup_rows, rollup_messages = cursor.fetchone()
        cursor.execute(MESSAGES_FILL, {"end": END, "days": 7, "n": args.messages})
    with schema_context("public"):
        ids = isv_tenants(args.tenants)
        with connection.cursor() as cursor:
            isv = {"ids": ids, "start": END - timedelta(days=args.isv_days), "end": END}
            cursor.execute(ISV_FILL, isv)
            cursor.execute(ISV_DAYS_FILL, isv)
            for table in ISV_TABLES[1:]:
                cursor.execute(f"VACUUM {table}")  # as autovacuum leaves days the squash no longer changes
            cursor.execute("SELECT count(*), sum(messages) FROM insights_tenantrollup WHERE tenant_id = ANY(%s)", [ids])
            isv_rows, isv_messages = cursor.fetchone()
    print(f"generated in {time.perf_counter() - filled:,.0f} s")
    print(f"tenant rollup: {rollup_rows:,} rows, {rollup_messages:,} messages over {args.days} days")
    print(f"tenant days: {day_rows:,} rows, {day_messages:,} messages")
    print(
        f"public rollup: {isv_rows:,} rows of {len(ids):,} tenants, {isv_messages:,} messages over {args.isv_days} days"
    )
    print(f"messages table (baseline): {args.messages:,} rows over 7 days")

    results: list[tuple[str, float, float]] = []

    def days(count: int, *, public: bool = False) -> queries.Scope:
        first, last = (END - timedelta(days=count)).date(), (END - timedelta(days=1)).date()
        return queries.Scope(start=END - timedelta(days=count), end=END, days=(first, last), public=public)

    week, month, quarter = days(7), days(30), days(90)
    try:
        with tenant_context(tenant):
            timed("SELECT 1 (round trip)", lambda: connection.cursor().execute("SELECT 1"), args.runs, results)
            timed("summary, 7 days", lambda: queries.summary(week), args.runs, results)
            timed("summary, 30 days", lambda: queries.summary(month), args.runs, results)
            timed("summary, 90 days", lambda: queries.summary(quarter), args.runs, results)
            timed("summary, 30 days, from the hourly rows", lambda: queries.summary(month.hourly()), args.runs, results)
            filtered = queries.Scope(start=month.start, end=END, days=month.days, sender_id=5)
            timed("summary, 30 days, one sender", lambda: queries.summary(filtered), args.runs, results)
            timed("by day, 30 days", lambda: queries.timeseries(month, bucket="day", time_zone="America/New_York"),
                  args.runs, results)  # fmt: skip
            timed("by hour, 7 days", lambda: queries.timeseries(week, bucket="hour"), args.runs, results)
            for by in ("sender", "country", "error_code", "sender_type", "campaign"):
                timed(f"by {by}, 30 days", lambda by=by: queries.breakdown(month, by=by), args.runs, results)

            def page():
                queries.summary(week)
                queries.timeseries(week, bucket="day", time_zone="America/New_York", latency=False)
                for by in ("sender", "country", "sender_type", "campaign"):
                    queries.breakdown(week, by=by, latency=False)

            timed("dashboard page's queries, 7 days", page, args.runs, results)
            direct = (END - timedelta(days=7), END)

            def straight():
                with connection.cursor() as cursor:
                    cursor.execute(DIRECT_SUMMARY, direct)
                    cursor.fetchall()

            timed(f"baseline: summary from {args.messages:,} messages, 7 days", straight, args.runs, results)
        with schema_context("public"):
            isv_week = days(7, public=True)
            timed("ISV summary, 7 days", lambda: queries.summary(isv_week), args.runs, results)
            timed("ISV by day, 7 days", lambda: queries.timeseries(isv_week, bucket="day", latency=False),
                  args.runs, results)  # fmt: skip
            timed("ISV by tenant, 7 days", lambda: queries.breakdown(isv_week, by="tenant", latency=False),
                  args.runs, results)  # fmt: skip
            timed(
                "ISV by tenant and sender, 7 days",
                lambda: queries.breakdown(isv_week, by="tenant_sender", latency=False),
                args.runs,
                results,
            )
            timed(
                "ISV outcomes per tenant and sender, 7 days",
                lambda: queries.outcomes(isv_week, by="tenant_sender", codes=[FILTERED_CODE]),
                args.runs,
                results,
            )
            page_of_tenants = Tenant.objects.filter(pk__in=ids[:100])
            timed("tenant list health columns, 100 tenants",
                  lambda: list(page_of_tenants.annotate(**_health_annotations())), args.runs, results)  # fmt: skip

            timed("ISV page's queries, 7 days", lambda: isv_figures(isv_week), args.runs, results)
    finally:
        with schema_context("public"):
            remove_isv_tenants(ids)
    base = results[0][2]
    print(f"\n{'query':<52} {'p50 ms':>9} {'p95 ms':>9} {'p95 / SELECT 1':>15}")
    for label, p50, p95 in results:
        print(f"{label:<52} {p50:>9.1f} {p95:>9.1f} {p95 / base:>14.0f}x")


if __name__ == "__main__":
    main()
