"""The squash: fold the tenant's insight deltas into its hourly rollup, add the changed hours up again into the hour
totals (without the sender, country, category, campaign and variant), add the changed hours' days up again (days of
the tenant's time zone, which date ranges read) in the daily rollup and the day totals, count new opt-outs and clicks
of tracked links per hour, and copy the hours and days that changed into the public schema's rollups of every tenant
(opt-outs per hour and per UTC day; clicks per hour; the outcomes of each sender per day, the latency of each day).

Only the squash updates rollup rows, one tenant at a time under an advisory lock, so the send path never waits on a
shared row: it only appends deltas (see migrations 0014 and 0017). Deltas are deleted and folded in one statement, so a
delta is counted once even when two squashes race; deltas committed while a squash runs wait for the next one.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from django.db import connection, transaction

from compliance.selectors import opt_outs_after
from messaging.domain.insights import DELIVERED, FAILED, FILTERED_CODE, LATENCY_BOUNDS
from messaging.models import InsightCursor
from messaging.models.insight_totals import TOTAL_DIMENSIONS
from messaging.models.insights import DAY_DIMENSIONS, DIMENSIONS
from tenants.models import Tenant

KEY = ", ".join(DIMENSIONS)
COUNTERS = ("messages", "segments", "cost", "linked", "sent_count", "sent_ms", "delivered_count", "delivered_ms")
HISTOGRAMS = ("sent_histogram", "delivered_histogram")
COLUMNS = ", ".join((*DIMENSIONS, *COUNTERS, *HISTOGRAMS))


def _summed(histogram: str) -> str:
    """Element-wise sum of a histogram column over a group, in plain `sum`s (far quicker than an array aggregate)."""
    return "ARRAY[" + ", ".join(f"sum({histogram}[{i}])" for i in range(1, len(LATENCY_BOUNDS) + 1)) + "]::bigint[]"


FOLD = f"""
WITH moved AS (DELETE FROM messaging_insightdelta RETURNING *)
INSERT INTO messaging_insightrollup AS r ({COLUMNS})
SELECT {KEY}, {", ".join(f"sum({c})" for c in COUNTERS)}, {", ".join(_summed(h) for h in HISTOGRAMS)}
  FROM moved GROUP BY {KEY}
ON CONFLICT ({KEY}) DO UPDATE SET
  {", ".join(f"{c} = r.{c} + excluded.{c}" for c in COUNTERS)},
  {", ".join(f"{h} = insights_array_add(r.{h}, excluded.{h})" for h in HISTOGRAMS)}
RETURNING hour
"""
TOTAL_KEY = ", ".join(TOTAL_DIMENSIONS)
TOTAL_COLUMNS = ", ".join((*TOTAL_DIMENSIONS, *COUNTERS, *HISTOGRAMS))
TOTAL_SUMS = f"{', '.join(f'sum({c})' for c in COUNTERS)}, {', '.join(_summed(h) for h in HISTOGRAMS)}"
# The hour totals of the changed hours, added up again from the hourly rollup (its columns named, never `*`).
REHOUR = [
    "DELETE FROM messaging_insighthourtotal WHERE hour = ANY(%(hours)s)",
    f"INSERT INTO messaging_insighthourtotal (hour, {TOTAL_COLUMNS}) SELECT hour, {TOTAL_KEY}, {TOTAL_SUMS} "
    f"FROM messaging_insightrollup WHERE hour = ANY(%(hours)s) GROUP BY hour, {TOTAL_KEY}",
]
# A sender's outcomes of a day: outbound and inbound messages, delivered, failed, failed by carrier filtering.
OUTBOUND = "direction <> 'inbound'"
SENDER_OUTCOMES = (
    f"coalesce(sum(messages) FILTER (WHERE {OUTBOUND}), 0), "
    "coalesce(sum(messages) FILTER (WHERE direction = 'inbound'), 0), "
    f"coalesce(sum(messages) FILTER (WHERE {OUTBOUND} AND status = ANY(%(delivered)s)), 0), "
    f"coalesce(sum(messages) FILTER (WHERE {OUTBOUND} AND status = ANY(%(failed)s)), 0), "
    f"coalesce(sum(messages) FILTER (WHERE {OUTBOUND} AND status = ANY(%(failed)s) AND error_code = %(filtered)s), 0)"
)
DAY_KEY = ", ".join(DAY_DIMENSIONS[1:])
DAY_COLUMNS = ", ".join((*DAY_DIMENSIONS, *COUNTERS, *HISTOGRAMS))
LOCAL_DAY = "(hour AT TIME ZONE %(zone)s)::date"
REDAY = [
    "DELETE FROM messaging_insightday WHERE day = ANY(%(days)s)",
    f"INSERT INTO messaging_insightday ({DAY_COLUMNS}) SELECT {LOCAL_DAY}, {DAY_KEY}, "
    f"{', '.join(f'sum({c})' for c in COUNTERS)}, {', '.join(_summed(h) for h in HISTOGRAMS)} "
    f"FROM messaging_insightrollup WHERE hour >= %(low)s AND hour < %(high)s AND {LOCAL_DAY} = ANY(%(days)s) "
    f"GROUP BY {LOCAL_DAY}, {DAY_KEY}",
    "DELETE FROM insights_tenantday WHERE tenant_id = %(tenant)s AND day = ANY(%(days)s)",
    f"INSERT INTO insights_tenantday (tenant_id, {DAY_COLUMNS}) SELECT %(tenant)s, {DAY_COLUMNS} "
    "FROM messaging_insightday WHERE day = ANY(%(days)s)",
    "DELETE FROM messaging_insightdaytotal WHERE day = ANY(%(days)s)",
    f"INSERT INTO messaging_insightdaytotal (day, {TOTAL_COLUMNS}) SELECT {LOCAL_DAY}, {TOTAL_KEY}, {TOTAL_SUMS} "
    f"FROM messaging_insighthourtotal WHERE hour >= %(low)s AND hour < %(high)s AND {LOCAL_DAY} = ANY(%(days)s) "
    f"GROUP BY {LOCAL_DAY}, {TOTAL_KEY}",
    "DELETE FROM insights_tenantsenderday WHERE tenant_id = %(tenant)s AND day = ANY(%(days)s)",
    "INSERT INTO insights_tenantsenderday (tenant_id, day, sender_address, messages, inbound, delivered, failed, "
    f"filtered) SELECT %(tenant)s, day, sender_address, {SENDER_OUTCOMES} FROM messaging_insightday "
    "WHERE day = ANY(%(days)s) GROUP BY day, sender_address",
    "DELETE FROM insights_tenantdaytotal WHERE tenant_id = %(tenant)s AND day = ANY(%(days)s)",
    f"INSERT INTO insights_tenantdaytotal (tenant_id, day, {TOTAL_COLUMNS}) SELECT %(tenant)s, day, {TOTAL_COLUMNS} "
    "FROM messaging_insightdaytotal WHERE day = ANY(%(days)s)",
    "DELETE FROM insights_tenantdaylatency WHERE tenant_id = %(tenant)s AND day = ANY(%(days)s)",
    f"INSERT INTO insights_tenantdaylatency (tenant_id, day, {', '.join(HISTOGRAMS)}) SELECT %(tenant)s, day, "
    f"{', '.join(_summed(h) for h in HISTOGRAMS)} FROM messaging_insightdaytotal "
    f"WHERE day = ANY(%(days)s) AND {OUTBOUND} GROUP BY day",
]
DROP_EMPTY = "DELETE FROM messaging_insightrollup WHERE hour = ANY(%s) AND messages = 0"
PUBLISH_ROLLUP = [
    "DELETE FROM insights_tenantrollup WHERE tenant_id = %(tenant)s AND hour = ANY(%(hours)s)",
    f"INSERT INTO insights_tenantrollup (tenant_id, {COLUMNS}) SELECT %(tenant)s, {COLUMNS} "
    "FROM messaging_insightrollup WHERE hour = ANY(%(hours)s)",
]
ADD_OPT_OUTS = """
INSERT INTO messaging_insightoptouthour AS r (hour, opt_outs)
SELECT hour, count(*) FROM unnest(%s::timestamptz[]) AS t(hour) GROUP BY hour
ON CONFLICT (hour) DO UPDATE SET opt_outs = r.opt_outs + excluded.opt_outs
"""
PUBLISH_OPT_OUTS = """
INSERT INTO insights_tenantoptouthour AS p (tenant_id, hour, opt_outs)
SELECT %(tenant)s, hour, opt_outs FROM messaging_insightoptouthour WHERE hour = ANY(%(hours)s)
ON CONFLICT (tenant_id, hour) DO UPDATE SET opt_outs = excluded.opt_outs
"""
PUBLISH_OPT_OUT_DAYS = """
INSERT INTO insights_tenantoptoutday AS p (tenant_id, day, opt_outs)
SELECT %(tenant)s, (hour AT TIME ZONE 'UTC')::date, sum(opt_outs) FROM insights_tenantoptouthour
 WHERE tenant_id = %(tenant)s AND hour >= %(low)s AND hour < %(high)s GROUP BY 2
ON CONFLICT (tenant_id, day) DO UPDATE SET opt_outs = excluded.opt_outs
"""
OPT_OUT_CURSOR = "compliance.opt_outs"
CLICK_CURSOR = "messaging.link_clicks"
# The clicks after the cursor, per hour, campaign and variant; a click is a recipient's first of its owner's links
# when no earlier click by the same recipient reached a link of the same owner.
ADD_CLICKS = """
INSERT INTO messaging_insightclickhour AS r (hour, campaign_id, variant, clicks, clickers)
SELECT date_trunc('hour', c.clicked_at, 'UTC'),
       CASE WHEN l.owner_kind = 'campaign' THEN l.owner_id ELSE 0 END,
       c.variant, count(*),
       count(*) FILTER (WHERE NOT EXISTS (
           SELECT 1 FROM messaging_linkclick e JOIN messaging_trackedlink el ON el.id = e.link_id
            WHERE el.owner_kind = l.owner_kind AND el.owner_id = l.owner_id AND e.recipient_ref = c.recipient_ref
              AND e.id < c.id))
  FROM messaging_linkclick c JOIN messaging_trackedlink l ON l.id = c.link_id
 WHERE c.id > %(after)s AND c.id <= %(upto)s
 GROUP BY 1, 2, 3
ON CONFLICT (hour, campaign_id, variant) DO UPDATE
   SET clicks = r.clicks + excluded.clicks, clickers = r.clickers + excluded.clickers
RETURNING hour
"""
PUBLISH_CLICKS = """
INSERT INTO insights_tenantclickhour AS p (tenant_id, hour, campaign_id, variant, clicks, clickers)
SELECT %(tenant)s, hour, campaign_id, variant, clicks, clickers FROM messaging_insightclickhour
 WHERE hour = ANY(%(hours)s)
ON CONFLICT (tenant_id, hour, campaign_id, variant) DO UPDATE
   SET clicks = excluded.clicks, clickers = excluded.clickers
"""


@dataclass(frozen=True)
class SquashReport:
    hours: int  # rollup hours changed
    opt_outs: int  # opt-outs newly counted
    clicks: int = 0  # clicks of tracked links newly counted
    skipped: bool = False  # another squash of the tenant was running


def _hour(moment: datetime) -> datetime:
    return moment.replace(minute=0, second=0, microsecond=0)


def insights_squash(*, tenant: Tenant) -> SquashReport:
    """Fold the current schema's deltas and new opt-outs into its rollups, and copy the changed hours of `tenant`
    to the public rollup; safe to run at any time and twice."""
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_xact_lock(hashtext('insights_squash:' || current_schema()))")
        if not cursor.fetchone()[0]:
            return SquashReport(hours=0, opt_outs=0, skipped=True)
        cursor.execute(FOLD)
        hours = sorted({row[0] for row in cursor.fetchall()})
        if hours:
            cursor.execute(DROP_EMPTY, [hours])
            for statement in PUBLISH_ROLLUP:
                cursor.execute(statement, {"tenant": tenant.pk, "hours": hours})
            _redo_hours(cursor, hours)
            _redo_days(cursor, tenant, hours)
        opt_outs = _count_opt_outs(cursor, tenant)
        clicks = _count_clicks(cursor, tenant)
    return SquashReport(hours=len(hours), opt_outs=opt_outs, clicks=clicks)


def _redo_hours(cursor, hours: list[datetime]) -> None:
    """Add the changed hours' totals up again from their rollup rows."""
    for statement in REHOUR:
        cursor.execute(statement, {"hours": hours})


def _redo_days(cursor, tenant: Tenant, hours: list[datetime]) -> None:
    """Add the changed hours' days (of the tenant's zone) up again from their hours, the daily rollup from the hourly
    rollup and the day totals from the hour totals (`_redo_hours` first), here and in the public copies."""
    zone = ZoneInfo(tenant.time_zone)
    days = sorted({hour.astimezone(zone).date() for hour in hours})
    margin = timedelta(hours=27)  # a local day lies within a UTC day either side of the hour's
    params = {"days": days, "zone": tenant.time_zone, "tenant": tenant.pk, "low": hours[0] - margin,
              "high": hours[-1] + margin, "delivered": sorted(DELIVERED), "failed": sorted(FAILED),
              "filtered": FILTERED_CODE}  # fmt: skip
    for statement in REDAY:
        cursor.execute(statement, params)


def _count_opt_outs(cursor, tenant: Tenant) -> int:
    position, _ = InsightCursor.objects.select_for_update().get_or_create(name=OPT_OUT_CURSOR)
    events = opt_outs_after(after_id=position.last_id)
    if not events:
        return 0
    hours = [_hour(occurred_at) for _, occurred_at in events]
    cursor.execute(ADD_OPT_OUTS, [hours])
    hours = sorted(set(hours))
    cursor.execute(PUBLISH_OPT_OUTS, {"tenant": tenant.pk, "hours": hours})
    low = hours[0].astimezone(UTC).replace(hour=0)  # the UTC days the hours fall in, added up again
    high = hours[-1].astimezone(UTC).replace(hour=0) + timedelta(days=1)
    cursor.execute(PUBLISH_OPT_OUT_DAYS, {"tenant": tenant.pk, "low": low, "high": high})
    position.last_id = events[-1][0]
    position.save(update_fields=["last_id"])
    return len(events)


def _count_clicks(cursor, tenant: Tenant) -> int:
    position, _ = InsightCursor.objects.select_for_update().get_or_create(name=CLICK_CURSOR)
    cursor.execute("SELECT max(id), count(*) FROM messaging_linkclick WHERE id > %s", [position.last_id])
    upto, count = cursor.fetchone()
    if not count:
        return 0
    cursor.execute(ADD_CLICKS, {"after": position.last_id, "upto": upto})
    hours = sorted({row[0] for row in cursor.fetchall()})
    cursor.execute(PUBLISH_CLICKS, {"tenant": tenant.pk, "hours": hours})
    position.last_id = upto
    position.save(update_fields=["last_id"])
    return count
