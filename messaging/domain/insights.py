"""Insights arithmetic (pure): latency histograms and their percentiles, the figures of a window of rollup rows, and
the health rules that open and close incidents.

Latencies are counted in buckets whose lower bounds (seconds) are `LATENCY_BOUNDS`; the rollups keep one count per
bucket, so a percentile is read by walking the buckets and interpolating inside the one it falls in (the last bucket
has no upper bound: its lower bound is the answer there). A rollup row carries the message counts of one status and
error code, so the rates below are sums of rows divided by sums of rows.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum
from typing import Final

# Lower bounds of the latency buckets, in seconds; bucket i holds latencies in [bound i, bound i+1).
LATENCY_BOUNDS: Final[tuple[int, ...]] = (0, 1, 2, 5, 10, 20, 30, 60, 120, 300, 600, 1800, 3600, 14400)

DELIVERED: Final = frozenset({"delivered", "read"})
FAILED: Final = frozenset({"failed", "undelivered"})
FILTERED_CODE: Final = 30007
REGISTRATION_CODES: Final = frozenset({30032, 30034})
QUEUE_OVERFLOW_CODES: Final = frozenset({30001, 21611})


def bucket_of(seconds: float) -> int:
    """The index of the latency bucket that holds `seconds` (negative clock skew counts as 0)."""
    index = 0
    for position, bound in enumerate(LATENCY_BOUNDS):
        if seconds >= bound:
            index = position
    return index


def percentile(histogram: Sequence[int], fraction: float) -> float | None:
    """The latency (seconds) below which `fraction` (0-1) of the counted messages fall, interpolated inside its
    bucket; None when the histogram is empty."""
    total = sum(histogram)
    if total <= 0:
        return None
    rank = fraction * total
    seen = 0
    for index, count in enumerate(histogram):
        if count <= 0:
            continue
        if seen + count >= rank:
            low = LATENCY_BOUNDS[index]
            if index + 1 >= len(LATENCY_BOUNDS):
                return float(low)
            high = LATENCY_BOUNDS[index + 1]
            return low + (high - low) * max(rank - seen, 0) / count
        seen += count
    return float(LATENCY_BOUNDS[-1])


def add_histograms(histograms: Iterable[Sequence[int]]) -> list[int]:
    """The element-wise sum of histograms (of `LATENCY_BOUNDS` buckets)."""
    total = [0] * len(LATENCY_BOUNDS)
    for histogram in histograms:
        for index, count in enumerate(histogram):
            total[index] += count
    return total


def rate(part: int, whole: int) -> float | None:
    """`part / whole`, or None when there is nothing to divide by."""
    return part / whole if whole else None


@dataclass
class Figures:
    """What a set of rollup rows adds up to: outbound volume and outcomes, inbound volume, latencies, opt-outs."""

    messages: int = 0
    segments: int = 0
    cost: Decimal = Decimal(0)
    inbound: int = 0
    delivered: int = 0
    failed: int = 0
    opt_outs: int = 0
    linked_delivered: int = 0  # delivered messages whose body carried tracked links
    clicks: int = 0
    clickers: int = 0  # recipients who clicked (each once per campaign, or per message)
    clicks_counted: bool = False  # clicks are counted per hour, campaign and variant: not per sender or country
    by_status: dict[str, int] = field(default_factory=dict)
    by_code: dict[int, int] = field(default_factory=dict)
    sent_histogram: list[int] = field(default_factory=lambda: [0] * len(LATENCY_BOUNDS))
    delivered_histogram: list[int] = field(default_factory=lambda: [0] * len(LATENCY_BOUNDS))

    @property
    def finished(self) -> int:
        """Outbound messages with a final outcome at the carrier (delivered or failed)."""
        return self.delivered + self.failed

    @property
    def delivery_rate(self) -> float | None:
        return rate(self.delivered, self.finished)

    @property
    def error_rate(self) -> float | None:
        return rate(self.failed, self.finished)

    @property
    def opt_out_rate(self) -> float | None:
        """Opt-outs per delivered message."""
        return rate(self.opt_outs, self.delivered)

    @property
    def click_through_rate(self) -> float | None:
        """Recipients who clicked per delivered message that carried tracked links; None where clicks are not
        counted (a view by sender, country or category)."""
        return rate(self.clickers, self.linked_delivered) if self.clicks_counted else None

    def add_clicks(self, clicks: int, clickers: int) -> None:
        self.clicks += clicks
        self.clickers += clickers
        self.clicks_counted = True

    def code_rate(self, codes: Iterable[int]) -> float | None:
        return rate(sum(self.by_code.get(code, 0) for code in codes), self.finished)

    def codes_count(self, codes: Iterable[int]) -> int:
        return sum(self.by_code.get(code, 0) for code in codes)

    def latency(self, which: str, fraction: float) -> float | None:
        """`which` is "sent" (queued → sent) or "delivered" (sent → delivered)."""
        return percentile(self.sent_histogram if which == "sent" else self.delivered_histogram, fraction)

    def add_row(self, row: Mapping) -> None:
        """Fold one rollup row (direction, status, error_code, messages, segments, cost, linked, histograms) in."""
        count = row["messages"]
        if row["direction"] == "inbound":
            self.inbound += count
            return
        self.messages += count
        self.segments += row["segments"]
        self.cost += Decimal(row["cost"])
        status = row["status"]
        self.by_status[status] = self.by_status.get(status, 0) + count
        if status in DELIVERED:
            self.delivered += count
            self.linked_delivered += row.get("linked", 0)
        elif status in FAILED:
            self.failed += count
            if row["error_code"]:
                self.by_code[row["error_code"]] = self.by_code.get(row["error_code"], 0) + count
        for index, value in enumerate(row["sent_histogram"] or ()):
            self.sent_histogram[index] += value
        for index, value in enumerate(row["delivered_histogram"] or ()):
            self.delivered_histogram[index] += value

    def add(self, other: Figures) -> None:
        """Fold another set of figures in (the figures of disjoint rows: days of a range add up to the range)."""
        for name in ("messages", "segments", "cost", "inbound", "delivered", "failed", "opt_outs", "linked_delivered",
                     "clicks", "clickers"):  # fmt: skip
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.clicks_counted = self.clicks_counted or other.clicks_counted
        for mine, theirs in ((self.by_status, other.by_status), (self.by_code, other.by_code)):
            for key, count in theirs.items():
                mine[key] = mine.get(key, 0) + count
        self.sent_histogram = add_histograms([self.sent_histogram, other.sent_histogram])
        self.delivered_histogram = add_histograms([self.delivered_histogram, other.delivered_histogram])

    @classmethod
    def total(cls, parts: Iterable[Figures]) -> Figures:
        """The figures of several disjoint parts added up."""
        found = cls()
        for part in parts:
            found.add(part)
        return found


class Rule(StrEnum):
    DELIVERY_ERRORS = "delivery_errors"
    OPT_OUTS = "opt_outs"
    FILTERING = "filtering"
    REGISTRATION = "registration"
    QUEUE_OVERFLOW = "queue_overflow"
    DEBUGGER = "debugger"


RULE_TITLES: Final[dict[Rule, str]] = {
    Rule.DELIVERY_ERRORS: "Delivery error rate above its threshold",
    Rule.OPT_OUTS: "Opt-out rate above its threshold",
    Rule.FILTERING: "Carrier filtering (30007) above its threshold",
    Rule.REGISTRATION: "Messages refused for registration (30032, 30034)",
    Rule.QUEUE_OVERFLOW: "Queue overflow (30001, 21611)",
    Rule.DEBUGGER: "Errors reported by Twilio's debugger",
}


@dataclass(frozen=True)
class Thresholds:
    """When each rule fires; rates are fractions (0.02 is 2 %), counts are messages or events in the window."""

    error_rate: float = 0.02
    opt_out_rate: float = 0.01
    filtering_rate: float = 0.01
    registration_errors: int = 1
    queue_overflows: int = 1
    debugger_errors: int = 1
    min_messages: int = 20  # below this many finished messages in the window, rates are noise


@dataclass(frozen=True)
class Breach:
    rule: Rule
    value: float
    threshold: float


def breaches(figures: Figures, debugger_errors: int, limits: Thresholds) -> dict[Rule, Breach]:
    """The rules `figures` (of one window) break; rate rules need at least `min_messages` finished messages."""
    found: dict[Rule, Breach] = {}
    enough = figures.finished >= limits.min_messages
    rates = (
        (Rule.DELIVERY_ERRORS, figures.error_rate, limits.error_rate),
        (Rule.FILTERING, figures.code_rate([FILTERED_CODE]), limits.filtering_rate),
        (Rule.OPT_OUTS, figures.opt_out_rate if figures.delivered >= limits.min_messages else None,
         limits.opt_out_rate),
    )  # fmt: skip
    for rule, value, threshold in rates:
        if (enough or rule is Rule.OPT_OUTS) and value is not None and value > threshold:
            found[rule] = Breach(rule, value, threshold)
    counts = (
        (Rule.REGISTRATION, figures.codes_count(REGISTRATION_CODES), limits.registration_errors),
        (Rule.QUEUE_OVERFLOW, figures.codes_count(QUEUE_OVERFLOW_CODES), limits.queue_overflows),
        (Rule.DEBUGGER, debugger_errors, limits.debugger_errors),
    )
    for rule, value, threshold in counts:
        if value >= threshold:
            found[rule] = Breach(rule, float(value), float(threshold))
    return found
