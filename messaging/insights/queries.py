"""Reads of the rollups: the figures of a range of hours, by time bucket or by a dimension, from a tenant's own
rollup (the current schema) or from the public rollup of every tenant. One SQL statement per answer, grouped in the
database down to (group, direction, status, error code) and folded into `Figures` here.

An answer that needs no sender, country, category, campaign or variant (no such filter, no such breakdown) reads the
totals instead: the rollups added up per hour or day, direction, status and error code
(`messaging.models.insight_totals`), which hold the same sums in a fraction of the rows. Clicks of tracked links are
counted per hour, campaign and variant, so every answer but those by sender, sender type, country or category has
them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, time
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.db import connection

from messaging.domain.insights import DELIVERED, FAILED, FILTERED_CODE, LATENCY_BOUNDS, Figures

TENANT = "messaging_insightrollup"
PUBLIC = "insights_tenantrollup"
TENANT_DAYS = "messaging_insightday"
PUBLIC_DAYS = "insights_tenantday"
TENANT_HOUR_TOTALS = "messaging_insighthourtotal"
TENANT_DAY_TOTALS = "messaging_insightdaytotal"
PUBLIC_DAY_TOTALS = "insights_tenantdaytotal"
PUBLIC_DAY_LATENCY = "insights_tenantdaylatency"
TENANT_OPT_OUTS = "messaging_insightoptouthour"
PUBLIC_OPT_OUTS = "insights_tenantoptouthour"
PUBLIC_OPT_OUT_DAYS = "insights_tenantoptoutday"
PUBLIC_SENDER_DAYS = "insights_tenantsenderday"
TENANT_CLICKS = "messaging_insightclickhour"
PUBLIC_CLICKS = "insights_tenantclickhour"

# What a breakdown may group by: the name the API uses and its column.
# A group of several columns is keyed by their values joined by spaces.
GROUPS = {
    "sender": "sender_id",
    "sender_type": "sender_kind",
    "country": "country",
    "category": "category",
    "error_code": "error_code",
    "status": "status",
    "campaign": "campaign_id",
    "variant": "variant",
    "tenant": "tenant_id",
    "tenant_sender": ("tenant_id", "sender_address"),  # "<tenant id> <address>"
}
PUBLIC_ONLY = {"tenant", "tenant_sender"}
IN_TOTALS = {"error_code", "status", "tenant"}  # breakdowns the totals can answer
CLICK_GROUPS = {"campaign", "variant", "tenant"}  # clicks are counted per hour, campaign and variant (and tenant)
BUCKETS = {"hour", "day"}
_HISTOGRAM_SUMS = ", ".join(
    f"sum({name}[{index}])" for name in ("sent_histogram", "delivered_histogram")
    for index in range(1, len(LATENCY_BOUNDS) + 1)
)  # fmt: skip


@dataclass(frozen=True)
class Scope:
    """Which rows: hours in [start, end), or with `days` whole days of the tenant's zone (first, last) read from the
    daily rollup; optional filters; `tenant_ids` only on the public rollup."""

    start: datetime
    end: datetime
    days: tuple[date, date] | None = None
    sender_id: int | None = None
    sender_kind: str = ""
    country: str = ""
    category: str = ""
    campaign_id: int | None = None
    variant: str = ""
    tenant_ids: Sequence[int] | None = None
    public: bool = False

    def where(self) -> tuple[str, list]:
        if self.days is not None:
            clauses, params = ["day >= %s", "day <= %s"], list(self.days)
        else:
            clauses, params = ["hour >= %s", "hour < %s"], [self.start, self.end]
        for column, value in (
            ("sender_id", self.sender_id),
            ("sender_kind", self.sender_kind),
            ("country", self.country),
            ("category", self.category),
            ("campaign_id", self.campaign_id),
            ("variant", self.variant),
        ):
            if value not in (None, ""):
                clauses.append(f"{column} = %s")
                params.append(value)
        if self.public and self.tenant_ids is not None:
            clauses.append("tenant_id = ANY(%s)")
            params.append(list(self.tenant_ids))
        return " AND ".join(clauses), params

    @property
    def filtered(self) -> bool:
        """Whether a sender, sender type, country, category, campaign or variant is chosen (only the full rollups
        tell them apart)."""
        return self.campaign_id is not None or bool(self.variant) or not self.clicks_countable

    @property
    def clicks_countable(self) -> bool:
        """Whether the scope's clicks are known: they are counted per hour, campaign and variant only."""
        return self.sender_id is None and not (self.sender_kind or self.country or self.category)

    @property
    def table(self) -> str:
        """The full rollup the scope reads (every dimension)."""
        if self.days is not None:
            return PUBLIC_DAYS if self.public else TENANT_DAYS
        return PUBLIC if self.public else TENANT

    def source(self, *, totals: bool) -> str:
        """The table to read: the totals when `totals` (the answer needs no sender, country or category), the scope
        has no such filter and totals of its kind exist (not the public hours), else the full rollup."""
        if totals and not self.filtered:
            if self.days is not None:
                return PUBLIC_DAY_TOTALS if self.public else TENANT_DAY_TOTALS
            if not self.public:
                return TENANT_HOUR_TOTALS
        return self.table

    def hourly(self) -> Scope:
        return replace(self, days=None)


def _grouped(
    scope: Scope,
    group_sql: str | tuple[str, ...] | None,
    params: Sequence = (),
    *,
    latency: bool = True,
    totals: bool = False,
) -> dict[object, Figures]:
    """Figures per group; without `latency` the histograms are not summed (most of a query's time). `totals`: the
    group needs no sender, country or category, so the totals may answer."""
    where, where_params = scope.where()
    columns = (group_sql,) if isinstance(group_sql, str) else tuple(group_sql or ())
    width = len(columns) or 1
    group_select = ", ".join(f"{column} AS g{n}" for n, column in enumerate(columns)) or "NULL AS g0"
    group_by = "".join(f"g{n}, " for n in range(len(columns)))
    histograms = f", {_HISTOGRAM_SUMS}" if latency else ""
    sql = (
        f"SELECT {group_select}, direction, status, error_code, sum(messages), sum(segments), sum(cost), sum(linked)"
        f"{histograms} FROM {scope.source(totals=totals)} WHERE {where} GROUP BY {group_by}direction, status, "
        "error_code"
    )
    buckets = len(LATENCY_BOUNDS)
    found: dict[object, Figures] = {}
    source = scope.source(totals=totals)
    if latency and source == PUBLIC_DAY_TOTALS and columns in ((), ("day",), ("tenant_id",)):
        found = _grouped(scope, group_sql, params, latency=False, totals=totals)
        for key, histograms in _day_latency(scope, columns).items():
            figures = found.setdefault(key, Figures())
            figures.sent_histogram, figures.delivered_histogram = histograms
        return found
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, *where_params])
        rows = cursor.fetchall()
    for row in rows:
        key = row[0] if width == 1 else " ".join(str(value) for value in row[:width])
        figures = found.get(key)
        if figures is None:
            figures = found[key] = Figures()
        at = width + 7
        figures.add_row(
            {
                "direction": row[width],
                "status": row[width + 1],
                "error_code": row[width + 2],
                "messages": int(row[width + 3] or 0),
                "segments": int(row[width + 4] or 0),
                "cost": row[width + 5] or Decimal(0),
                "linked": int(row[width + 6] or 0),
                "sent_histogram": [int(v or 0) for v in row[at : at + buckets]] if latency else (),
                "delivered_histogram": [int(v or 0) for v in row[at + buckets : at + 2 * buckets]] if latency else (),
            }
        )
    return found


def _day_latency(scope: Scope, columns: tuple[str, ...]) -> dict[object, tuple[list[int], list[int]]]:
    """The outbound latency histograms of the public days, all together or per day or tenant (one row per tenant
    and day read, not one per status and code)."""
    where, params = scope.where()
    group = columns[0] if columns else "NULL"
    sql = f"SELECT {group} AS g, {_HISTOGRAM_SUMS} FROM {PUBLIC_DAY_LATENCY} WHERE {where} GROUP BY g"
    buckets = len(LATENCY_BOUNDS)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return {
            row[0]: ([int(v or 0) for v in row[1 : 1 + buckets]], [int(v or 0) for v in row[1 + buckets :]])
            for row in cursor.fetchall()
        }


def _opt_outs(scope: Scope, by: str | None, time_zone: str = "UTC") -> dict[object, int]:
    """Opt-outs of the scope's hours, all together (`by` None) or per "tenant", "hour" or "day" (days of
    `time_zone`). The public rollup's ranges of whole UTC days read its daily opt-outs."""
    if scope.filtered:
        return {}  # opt-outs are counted per tenant and hour only
    start, end = scope.start.astimezone(UTC), scope.end.astimezone(UTC)
    whole_days = start.time() == time(0) and end.time() == time(0)
    params: list = []
    if scope.public and whole_days and by != "hour" and (by != "day" or time_zone == "UTC"):
        table, clauses, where_params = PUBLIC_OPT_OUT_DAYS, ["day >= %s", "day < %s"], [start.date(), end.date()]
        group = {None: "NULL", "tenant": "tenant_id", "day": "day::timestamp AT TIME ZONE 'UTC'"}[by]
    else:
        table = PUBLIC_OPT_OUTS if scope.public else TENANT_OPT_OUTS
        clauses, where_params = ["hour >= %s", "hour < %s"], [scope.start, scope.end]
        group = {None: "NULL", "tenant": "tenant_id", "hour": "hour", "day": "date_trunc('day', hour, %s)"}[by]
        params = [time_zone] if by == "day" else []
    if scope.public and scope.tenant_ids is not None:
        clauses.append("tenant_id = ANY(%s)")
        where_params.append(list(scope.tenant_ids))
    sql = f"SELECT {group} AS g, sum(opt_outs) FROM {table} WHERE {' AND '.join(clauses)} GROUP BY g"
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, *where_params])
        return {row[0]: int(row[1]) for row in cursor.fetchall()}


def _clicks(scope: Scope, group_sql: str | None, params: Sequence = ()) -> dict[object, tuple[int, int]]:
    """(clicks, recipients who clicked) per group, by the hour of the click; only for a scope whose clicks are
    counted (its filters are then the hours, a campaign, a variant and tenants, which the click tables have)."""
    table = PUBLIC_CLICKS if scope.public else TENANT_CLICKS
    where, where_params = scope.hourly().where()
    sql = f"SELECT {group_sql or 'NULL'} AS g, sum(clicks), sum(clickers) FROM {table} WHERE {where} GROUP BY g"
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, *where_params])
        return {row[0]: (int(row[1]), int(row[2])) for row in cursor.fetchall()}


def _add_clicks(scope: Scope, found: dict[object, Figures], group_sql: str | None, params: Sequence = ()) -> None:
    """Count the scope's clicks into `found` (per group), where they are known."""
    if not scope.clicks_countable:
        return
    for figures in found.values():
        figures.clicks_counted = True
    for key, (count, people) in _clicks(scope, group_sql, params).items():
        found.setdefault(key, Figures()).add_clicks(count, people)


def summary(scope: Scope) -> Figures:
    """Every figure of the scope added up."""
    found = {None: _grouped(scope, None, totals=True).get(None, Figures())}
    found[None].opt_outs = _opt_outs(scope, None).get(None, 0)
    _add_clicks(scope, found, None)
    return found[None]


def timeseries(
    scope: Scope, *, bucket: str, time_zone: str = "UTC", latency: bool = True
) -> list[tuple[datetime, Figures]]:
    """The figures per hour or per day (days of `time_zone`), oldest first; buckets without messages are left out.
    Hours are the rollup's own (UTC) hours."""
    if bucket not in BUCKETS:
        raise ValueError(f"bucket must be one of {sorted(BUCKETS)}")
    group = "date_trunc(%s, hour, %s)"
    params = [bucket, time_zone]
    if bucket == "day" and scope.days is not None:
        zone = ZoneInfo(time_zone)
        days = _grouped(scope, "day", latency=latency, totals=True)
        found = {datetime.combine(day, time(0), zone): figures for day, figures in days.items()}
    elif bucket == "hour":
        found = _grouped(scope.hourly(), "hour", latency=latency, totals=True)
    else:
        found = _grouped(scope.hourly(), group, params, latency=latency, totals=True)
    for key, count in _opt_outs(scope, bucket, time_zone).items():
        found.setdefault(key, Figures()).opt_outs = count
    click_group, click_params = ("hour", []) if bucket == "hour" else (group, params)
    _add_clicks(scope, found, click_group, click_params)
    return sorted(found.items(), key=lambda item: item[0])


def breakdown(scope: Scope, *, by: str, latency: bool = True) -> list[tuple[object, Figures]]:
    """The figures per value of one dimension (see `GROUPS`), most messages first; per tenant, with opt-outs."""
    column = GROUPS[by]
    if by in PUBLIC_ONLY and not scope.public:
        raise ValueError(f"a {by} breakdown reads the public rollup")
    found = _grouped(scope, column, latency=latency, totals=by in IN_TOTALS)
    if column == "tenant_id":
        for key, count in _opt_outs(scope, "tenant").items():
            found.setdefault(key, Figures()).opt_outs = count
    if by in CLICK_GROUPS:
        _add_clicks(scope, found, column)
    if by == "error_code":
        found.pop(0, None)
    return sorted(found.items(), key=lambda item: (-item[1].messages - item[1].inbound, str(item[0])))


def outcomes(scope: Scope, *, by: str, codes: Sequence[int] = ()) -> list[tuple[object, Figures]]:
    """What rankings by delivery, error or code rate need, per value of one dimension (see `GROUPS`) in
    `breakdown`'s order: Figures with the outbound messages, the inbound, the delivered and the failed, and among
    the failures those of `codes` (`by_code`); no segments, cost, statuses or latency. One row per group: the
    outcomes are counted in the database, not grouped by status and code. Per tenant and sender over whole days
    (codes at most the filtering one) they are read from the senders' daily outcomes."""
    if by in PUBLIC_ONLY and not scope.public:
        raise ValueError(f"a {by} breakdown reads the public rollup")
    group = GROUPS[by]
    columns = (group,) if isinstance(group, str) else group
    width = len(columns)
    where, params = scope.where()
    if by == "tenant_sender" and scope.days is not None and not scope.filtered and set(codes) <= {FILTERED_CODE}:
        counted = ["sum(messages)", "sum(inbound)", "sum(delivered)", "sum(failed)"]
        counted += ["sum(filtered)"] if codes else []
        sql = (
            f"SELECT tenant_id, sender_address, {', '.join(counted)} FROM {PUBLIC_SENDER_DAYS} WHERE {where} "
            "GROUP BY tenant_id, sender_address"
        )
        return _outcome_rows(sql, params, width, codes)
    outbound = "direction <> 'inbound'"
    finished = {"delivered": sorted(DELIVERED), "failed": sorted(FAILED)}
    counted = [
        f"sum(messages) FILTER (WHERE {outbound})",
        "sum(messages) FILTER (WHERE direction = 'inbound')",
        f"sum(messages) FILTER (WHERE {outbound} AND status = ANY(%s))",
        f"sum(messages) FILTER (WHERE {outbound} AND status = ANY(%s))",
        *[f"sum(messages) FILTER (WHERE {outbound} AND status = ANY(%s) AND error_code = %s)" for _ in codes],
    ]
    counted_params = [finished["delivered"], finished["failed"]]
    for code in codes:
        counted_params += [finished["failed"], code]
    sql = (
        f"SELECT {', '.join(columns)}, {', '.join(counted)} FROM {scope.source(totals=by in IN_TOTALS)} "
        f"WHERE {where} GROUP BY {', '.join(columns)}"
    )
    return _outcome_rows(sql, [*counted_params, *params], width, codes)


def _outcome_rows(sql: str, params: Sequence, width: int, codes: Sequence[int]) -> list[tuple[object, Figures]]:
    found: dict[object, Figures] = {}
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    for row in rows:
        key = row[0] if width == 1 else " ".join(str(value) for value in row[:width])
        messages, inbound, delivered, failed, *by_code = (int(value or 0) for value in row[width:])
        found[key] = Figures(
            messages=messages, inbound=inbound, delivered=delivered, failed=failed,
            by_code={code: count for code, count in zip(codes, by_code, strict=True) if count},
        )  # fmt: skip
    return sorted(found.items(), key=lambda item: (-item[1].messages - item[1].inbound, str(item[0])))


def tenant_outcomes(scope: Scope, senders: list[tuple[object, Figures]]) -> list[tuple[object, Figures]]:
    """`outcomes` per tenant, added up from those of its senders (`senders`: `outcomes(scope, by="tenant_sender")`,
    so one read gives both), with the tenants' opt-outs; in `breakdown`'s order."""
    found: dict[object, Figures] = {}
    for key, figures in senders:
        tenant_id = int(str(key).partition(" ")[0])
        found.setdefault(tenant_id, Figures()).add(figures)
    for tenant_id, count in _opt_outs(scope, "tenant").items():
        found.setdefault(tenant_id, Figures()).opt_outs = count
    return sorted(found.items(), key=lambda item: (-item[1].messages - item[1].inbound, str(item[0])))
