"""What a sender recommendation answers: ranked options, exclusions, lead times and warnings, JSON-ready."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, fields, is_dataclass
from datetime import date
from decimal import Decimal
from enum import Enum, StrEnum
from typing import Any

from messaging.domain.catalogue import Fees
from messaging.domain.recommend.request import RecommendationRequest


class LeadTimeStatus(StrEnum):
    FITS = "fits"
    AT_RISK = "at_risk"
    TOO_LATE = "too_late"
    UNKNOWN = "unknown"


@dataclass(frozen=True, slots=True)
class SenderWarning:
    code: str
    text: str


@dataclass(frozen=True, slots=True)
class Exclusion:
    sender_type: str
    label: str
    reason: str


@dataclass(frozen=True, slots=True)
class LeadTimeCheck:
    """The type's lead time against go-live; `available` counts business days when the lead time does."""

    status: LeadTimeStatus
    min_days: int | None
    max_days: int | None
    business_days: bool
    available: int | None  # days (or business days) from today to go-live
    go_live_in_days: int
    text: str
    ready_on: date | None = None  # the latest the sender should be ready, started today; None when unknown


@dataclass(frozen=True, slots=True)
class SenderOption:
    rank: int
    sender_type: str
    label: str
    kind: str  # the Sender.Kind of a sender of this type
    score: int
    reasons: tuple[str, ...]
    mps_per_sender: int | None
    senders_needed: int | None  # None: unknown MPS, or more senders of this type add no throughput
    throughput_mps: int | None  # of senders_needed senders (of one when the peak is missed)
    needed_mps: int
    meets_peak: bool | None  # None: the MPS is unknown
    peak_drain_seconds: int | None  # seconds to send the stated peak at throughput_mps
    lead_time: LeadTimeCheck
    fees: Fees
    registration_steps: tuple[str, ...]
    warnings: tuple[SenderWarning, ...]
    two_way: bool
    voice: bool
    delivery_receipts: str
    suitable_for_peak: bool | None = None  # False: the peak outlasts the queue or validity; None: not known
    unsuitable_reason: str = ""  # why, when not suitable
    fee_lines: tuple[str, ...] = ()  # one-time, recurring and carrier fees, one line each


@dataclass(frozen=True, slots=True)
class CountryRecommendation:
    country: str
    name: str
    recommended: str | None  # the first option's sender type
    options: tuple[SenderOption, ...]  # best first
    excluded: tuple[Exclusion, ...]  # in catalogue order
    warnings: tuple[SenderWarning, ...]
    notes: tuple[str, ...]
    ready_by_go_live: bool = False  # an option suitable for the peak fits the lead time before go-live
    fastest: str | None = None  # the option that can be ready soonest (suitable ones first)
    fastest_ready_on: date | None = None


@dataclass(frozen=True, slots=True)
class Recommendation:
    request: RecommendationRequest
    needed_mps: int
    headroom_percent: int
    peak_text: str
    daily_segments: int
    go_live_in_days: int
    tendlc_tier: str
    countries: tuple[CountryRecommendation, ...]  # in the order of the request
    warnings: tuple[SenderWarning, ...]  # not_ready_by_go_live first when it applies
    notes: tuple[str, ...]
    ready_by_go_live: bool = True  # every country has a sender ready by go-live
    meanwhile: tuple[str, ...] = ()  # what to do until a sender is ready, fastest path last; empty when ready
    window_seconds: int = 36_000  # how long a segment may wait: the sender queue or the validity period

    def country(self, code: str) -> CountryRecommendation:
        """The recommendation for one requested country; KeyError when it was not requested."""
        for item in self.countries:
            if item.country == code:
                return item
        raise KeyError(code)

    def to_dict(self) -> dict:
        """JSON-ready: enums as values, dates as ISO 8601, Decimals as strings, tuples as lists."""
        return _plain(self)


def _plain(value: Any) -> Any:
    if is_dataclass(value) and not isinstance(value, type):
        return {f.name: _plain(getattr(value, f.name)) for f in fields(value)}
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, Mapping):
        return {str(key): _plain(item) for key, item in value.items()}
    if isinstance(value, (frozenset, set)):
        return sorted(_plain(item) for item in value)
    if isinstance(value, (tuple, list)):
        return [_plain(item) for item in value]
    return value
