"""Reads of the rollups: the figures of a range of hours, by time bucket or by a dimension, from a tenant's own
rollup (the current schema) or from the public rollup of every tenant. One SQL statement per answer, grouped in the
database down to (group, direction, status, error code) and folded into `Figures` here.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime, time
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.db import connection

from messaging.domain.insights import LATENCY_BOUNDS, Figures

TENANT = "messaging_insightrollup"
PUBLIC = "insights_tenantrollup"
TENANT_DAYS = "messaging_insightday"
PUBLIC_DAYS = "insights_tenantday"
TENANT_OPT_OUTS = "messaging_insightoptouthour"
PUBLIC_OPT_OUTS = "insights_tenantoptouthour"
TENANT_CLICKS = "messaging_insightclickhour"
PUBLIC_CLICKS = "insights_tenantclickhour"

# What a breakdown may group by: the name the API uses and its column.
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
    "tenant_sender": "tenant_id::text || ' ' || sender_address",  # "<tenant id> <address>"
}
PUBLIC_ONLY = {"tenant", "tenant_sender"}
# Clicks are counted per hour, campaign and variant (and tenant): these groups have them.
CLICK_GROUPS = {"campaign", "variant", "tenant"}
BUCKETS = {"hour", "day"}
_HISTOGRAM_SUMS = ", ".join(
    f"sum({name}[{index}])" for name in ("sent_histogram", "delivered_histogram")
    for index in range(1, len(LATENCY_BOUNDS) + 1)
)  # fmt: skip


_NO_HISTOGRAMS = ", ".join(["0"] * (2 * len(LATENCY_BOUNDS)))


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
    def table(self) -> str:
        if self.days is not None:
            return PUBLIC_DAYS if self.public else TENANT_DAYS
        return PUBLIC if self.public else TENANT

    def hourly(self) -> Scope:
        return replace(self, days=None)


def _grouped(
    scope: Scope, group_sql: str | None, params: Sequence = (), *, latency: bool = True
) -> dict[object, Figures]:
    """Figures per group; without `latency` the histograms are not summed (most of a query's time)."""
    where, where_params = scope.where()
    group_select = f"{group_sql} AS g, " if group_sql else "NULL AS g, "
    group_by = "g, " if group_sql else ""
    histograms = _HISTOGRAM_SUMS if latency else _NO_HISTOGRAMS
    sql = (
        f"SELECT {group_select}direction, status, error_code, sum(messages), sum(segments), sum(cost), sum(linked), "
        f"{histograms} FROM {scope.table} WHERE {where} GROUP BY {group_by}direction, status, error_code"
    )
    buckets = len(LATENCY_BOUNDS)
    found: dict[object, Figures] = {}
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, *where_params])
        for row in cursor.fetchall():
            figures = found.setdefault(row[0], Figures())
            figures.add_row(
                {
                    "direction": row[1],
                    "status": row[2],
                    "error_code": row[3],
                    "messages": int(row[4] or 0),
                    "segments": int(row[5] or 0),
                    "cost": row[6] or Decimal(0),
                    "linked": int(row[7] or 0),
                    "sent_histogram": [int(v or 0) for v in row[8 : 8 + buckets]],
                    "delivered_histogram": [int(v or 0) for v in row[8 + buckets : 8 + 2 * buckets]],
                }
            )
    return found


def _hours_of(scope: Scope) -> tuple[list[str], list]:
    clauses, params = ["hour >= %s", "hour < %s"], [scope.start, scope.end]
    if scope.public and scope.tenant_ids is not None:
        clauses.append("tenant_id = ANY(%s)")
        params.append(list(scope.tenant_ids))
    return clauses, params


def _opt_outs(scope: Scope, group_sql: str | None, params: Sequence = ()) -> dict[object, int]:
    if not clicks_countable(scope) or scope.campaign_id is not None or scope.variant:
        return {}  # opt-outs are counted per tenant and hour only
    table = PUBLIC_OPT_OUTS if scope.public else TENANT_OPT_OUTS
    clauses, where_params = _hours_of(scope)
    group_select = f"{group_sql}" if group_sql else "NULL"
    sql = f"SELECT {group_select} AS g, sum(opt_outs) FROM {table} WHERE {' AND '.join(clauses)} GROUP BY g"
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, *where_params])
        return {row[0]: int(row[1]) for row in cursor.fetchall()}


def clicks_countable(scope: Scope) -> bool:
    """Whether the scope's clicks are known: they are counted per hour, campaign and variant only."""
    return scope.sender_id is None and not (scope.sender_kind or scope.country or scope.category)


def _clicks(scope: Scope, group_sql: str | None, params: Sequence = ()) -> dict[object, tuple[int, int]]:
    """(clicks, recipients who clicked) per group, by the hour of the click."""
    table = PUBLIC_CLICKS if scope.public else TENANT_CLICKS
    clauses, where_params = _hours_of(scope)
    if scope.campaign_id is not None:
        clauses.append("campaign_id = %s")
        where_params.append(scope.campaign_id)
    if scope.variant:
        clauses.append("variant = %s")
        where_params.append(scope.variant)
    group_select = f"{group_sql}" if group_sql else "NULL"
    sql = (
        f"SELECT {group_select} AS g, sum(clicks), sum(clickers) FROM {table} WHERE {' AND '.join(clauses)} GROUP BY g"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, *where_params])
        return {row[0]: (int(row[1]), int(row[2])) for row in cursor.fetchall()}


def _add_clicks(found: dict[object, Figures], clicks: dict[object, tuple[int, int]]) -> None:
    for figures in found.values():
        figures.clicks_counted = True
    for key, (count, people) in clicks.items():
        found.setdefault(key, Figures()).add_clicks(count, people)


def summary(scope: Scope) -> Figures:
    """Every figure of the scope added up."""
    figures = _grouped(scope, None).get(None, Figures())
    figures.opt_outs = _opt_outs(scope, None).get(None, 0)
    if clicks_countable(scope):
        found = {None: figures}
        _add_clicks(found, _clicks(scope, None))
    return figures


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
        days = _grouped(scope, "day", latency=latency)
        found = {datetime.combine(day, time(0), zone): figures for day, figures in days.items()}
    elif bucket == "hour":
        found = _grouped(scope.hourly(), "hour", latency=latency)
    else:
        found = _grouped(scope.hourly(), group, params, latency=latency)
    opt_group, opt_params = ("hour", []) if bucket == "hour" else (group, params)
    for key, count in _opt_outs(scope, opt_group, opt_params).items():
        found.setdefault(key, Figures()).opt_outs = count
    if clicks_countable(scope):
        _add_clicks(found, _clicks(scope, opt_group, opt_params))
    return sorted(found.items(), key=lambda item: item[0])


def breakdown(scope: Scope, *, by: str, latency: bool = True) -> list[tuple[object, Figures]]:
    """The figures per value of one dimension (see `GROUPS`), most messages first; per tenant, with opt-outs."""
    column = GROUPS[by]
    if by in PUBLIC_ONLY and not scope.public:
        raise ValueError(f"a {by} breakdown reads the public rollup")
    found = _grouped(scope, column, latency=latency)
    if column == "tenant_id":
        for key, count in _opt_outs(scope, column).items():
            found.setdefault(key, Figures()).opt_outs = count
    if by in CLICK_GROUPS and clicks_countable(scope):
        _add_clicks(found, _clicks(scope, column))
    if by == "error_code":
        found.pop(0, None)
    return sorted(found.items(), key=lambda item: (-item[1].messages - item[1].inbound, str(item[0])))
