"""What the API, the dashboard and the CSV export show: a date range read in the tenant's time zone, and figures
written out as plain data (rates as fractions, cost as a decimal string, latencies in seconds)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from messaging import selectors
from messaging.domain.abtest import Comparison
from messaging.domain.insights import LATENCY_BOUNDS, Figures
from messaging.errors import UnprocessableInput
from messaging.gateways.errors import ERROR_TABLE

DEFAULT_DAYS = 7
MAX_DAYS = 400
MAX_HOURLY_DAYS = 31
COST_PLACES = Decimal("0.00001")


@dataclass(frozen=True)
class DateRange:
    """Whole days from `first` to `last` (both included) in `time_zone`."""

    first: date
    last: date
    time_zone: str

    @property
    def start(self) -> datetime:
        return datetime.combine(self.first, time(0), ZoneInfo(self.time_zone))

    @property
    def end(self) -> datetime:
        return datetime.combine(self.last + timedelta(days=1), time(0), ZoneInfo(self.time_zone))

    @property
    def days(self) -> int:
        return (self.last - self.first).days + 1


def date_range(*, first: date | None, last: date | None, time_zone: str, today: date) -> DateRange:
    """The range asked for, by default the last 7 days to `today`; refused when it ends before it starts or spans
    more than 400 days."""
    last = last or today
    first = first or last - timedelta(days=DEFAULT_DAYS - 1)
    if last < first:
        raise UnprocessableInput("end must not be before start", field="end")
    if (last - first).days + 1 > MAX_DAYS:
        raise UnprocessableInput(f"the range may span at most {MAX_DAYS} days", field="start")
    return DateRange(first, last, time_zone)


def hourly_allowed(span: DateRange) -> None:
    if span.days > MAX_HOURLY_DAYS:
        raise UnprocessableInput(f"hourly buckets cover at most {MAX_HOURLY_DAYS} days; ask for days", field="bucket")


def _seconds(value: float | None) -> float | None:
    return round(value, 3) if value is not None else None


def _rate(value: float | None) -> float | None:
    return round(value, 6) if value is not None else None


def latency_data(figures: Figures, which: str) -> dict:
    histogram = figures.sent_histogram if which == "sent" else figures.delivered_histogram
    return {
        "count": sum(histogram),
        "p50": _seconds(figures.latency(which, 0.5)),
        "p95": _seconds(figures.latency(which, 0.95)),
        "histogram": [
            {
                "from_seconds": low,
                "to_seconds": LATENCY_BOUNDS[i + 1] if i + 1 < len(LATENCY_BOUNDS) else None,
                "count": histogram[i],
            }
            for i, low in enumerate(LATENCY_BOUNDS)
        ],
    }


def error_rows(figures: Figures) -> list[dict]:
    """The error codes of failed messages, most frequent first, with their share of finished messages."""
    rows = []
    for code, count in sorted(figures.by_code.items(), key=lambda item: (-item[1], item[0])):
        info = ERROR_TABLE.get(code)
        rows.append(
            {
                "code": code,
                "title": info.title if info else "",
                "count": count,
                "rate": _rate(count / figures.finished if figures.finished else None),
            }
        )
    return rows


def figures_data(figures: Figures) -> dict:
    """Figures as the API shows them."""
    return {
        "messages": figures.messages,
        "segments": figures.segments,
        "cost": figures.cost.quantize(COST_PLACES),
        "inbound": figures.inbound,
        "delivered": figures.delivered,
        "failed": figures.failed,
        "finished": figures.finished,
        "opt_outs": figures.opt_outs,
        "delivery_rate": _rate(figures.delivery_rate),
        "error_rate": _rate(figures.error_rate),
        "opt_out_rate": _rate(figures.opt_out_rate),
        "linked_delivered": figures.linked_delivered,
        "clicks": figures.clicks,
        "clickers": figures.clickers,
        "click_through_rate": _rate(figures.click_through_rate),
        "by_status": dict(sorted(figures.by_status.items())),
        "errors": error_rows(figures),
        "latency": {
            "queued_to_sent": latency_data(figures, "sent"),
            "sent_to_delivered": latency_data(figures, "delivered"),
        },
    }


def _percent(value: float | None) -> str:
    return f"{value * 100:.2f}" if value is not None else ""


def _number(value: float | None) -> str:
    return f"{value:.3f}" if value is not None else ""


CSV_HEADER = [
    "bucket", "messages", "segments", "cost", "inbound", "delivered", "failed", "opt_outs", "delivery_rate_percent",
    "error_rate_percent", "opt_out_rate_percent", "clickers", "click_through_rate_percent",
    "queued_to_sent_p50_s", "queued_to_sent_p95_s",
    "sent_to_delivered_p50_s", "sent_to_delivered_p95_s",
]  # fmt: skip


def csv_row(label: str, figures: Figures) -> list[str]:
    return [
        label, str(figures.messages), str(figures.segments), str(figures.cost.quantize(COST_PLACES)),
        str(figures.inbound), str(figures.delivered), str(figures.failed), str(figures.opt_outs),
        _percent(figures.delivery_rate), _percent(figures.error_rate), _percent(figures.opt_out_rate),
        str(figures.clickers) if figures.clicks_counted else "", _percent(figures.click_through_rate),
        _number(figures.latency("sent", 0.5)), _number(figures.latency("sent", 0.95)),
        _number(figures.latency("delivered", 0.5)), _number(figures.latency("delivered", 0.95)),
    ]  # fmt: skip


def every_bucket(
    points: list[tuple[datetime, Figures]], span: DateRange, bucket: str
) -> list[tuple[datetime, Figures]]:
    """`points` with an empty bucket for each day (of the range's zone) or hour that had no messages."""
    found = dict(points)
    zone = ZoneInfo(span.time_zone)
    if bucket == "day":
        starts = [datetime.combine(span.first + timedelta(days=n), time(0), zone) for n in range(span.days)]
    else:
        start, end = span.start.astimezone(ZoneInfo("UTC")), span.end.astimezone(ZoneInfo("UTC"))
        starts = [start + timedelta(hours=n) for n in range(int((end - start).total_seconds() // 3600))]
    return [(moment, found.get(moment, Figures())) for moment in starts]


def breakdown_labels(by: str, keys: list) -> dict:
    """What a breakdown's keys read as: senders' addresses, campaigns' names, and the rows of messages sent on
    their own (campaign 0, no variant)."""
    if by == "sender":
        return dict(selectors.senders().filter(pk__in=keys).values_list("id", "address"))
    if by == "campaign":
        names = dict(selectors.campaigns().filter(pk__in=keys).values_list("id", "name"))
        return {**names, 0: "Sent on their own"}
    if by == "variant":
        return {"": "No variant"}
    return {}


def comparison_data(comparison: Comparison | None) -> dict | None:
    """A variant against the control, as the API shows it."""
    if comparison is None:
        return None
    return {
        "control_rate": _rate(comparison.control.rate),
        "rate": _rate(comparison.variant.rate),
        "difference": _rate(comparison.difference),
        "lift": _rate(comparison.lift),
        "z": round(comparison.z, 4),
        "p_value": round(comparison.p_value, 6),
        "significant": comparison.significant,
        "needed_per_variant": comparison.needed_per_variant,
        "more_needed": comparison.more_needed,
    }


def comparison_verdict(comparison: Comparison | None, *, label: str, control: str) -> str:
    """One sentence on a variant against the control, for people."""
    if comparison is None:
        return ""
    if comparison.significant:
        direction = "higher" if comparison.difference > 0 else "lower"
        return (
            f"{label} is {abs(comparison.difference) * 100:.1f} points {direction} than {control} "
            f"(p = {comparison.p_value:.3f}): significant at 95 %."
        )
    if comparison.needed_per_variant is None:
        return f"No difference between {label} and {control} so far."
    return (
        f"Not significant yet (p = {comparison.p_value:.2f}): {comparison.needed_per_variant:,} recipients per "
        f"variant would show a difference this large, {comparison.more_needed:,} more than now."
    )
