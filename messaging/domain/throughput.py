"""Throughput calculator: how long a bulk send takes, whether the sender queues overflow, and what fixes it.

The model is the one of Twilio's deliverability guide (seeds/architecting-for-deliverability.txt), corrected by
reference/twilio.md §0 and §6:

- Throughput is counted in segments per second (MPS): `recipients × segments_per_message` segments leave the
  senders at `total_mps` (the sum over the senders used).
- A bulk send is submitted at once. Each sender queues up to `queue_horizon_seconds` of its MPS (10 h = 36,000 s
  now; the guide's 4 h = 14,400 s is outdated); a segment beyond that is refused with 21611 (30001 through a
  Messaging Service). A `ValidityPeriod` shorter than the horizon shortens the window: segments still queued when it
  ends expire with 30036. Either way the senders deliver at most `total_mps × window` segments of the send.
- Every message is one REST request, so feeding the senders at M MPS takes M / segments_per_message requests per
  second; with `api_latency_ms` per request that needs rate × latency / 1000 requests in flight (Little's law:
  requests/s = concurrency × 1000 / latency ms).

All arithmetic is exact (integers and `fractions.Fraction`; `total_mps` may be a `Decimal` such as 0.5). Rounding
happens only where a figure must be whole, and always in the direction that keeps the advice safe:

- `seconds_to_drain`: ceiling of segments / MPS (a second the last segment leaves in counts as a whole second).
- `queue_capacity_segments`: floor of MPS × window (a queue holds whole segments).
- `minimum_mps` and `recommended_mps`: ceiling, to whole MPS (the rates Twilio publishes are whole numbers).
- `*_api_concurrency`: ceiling of requests/s × latency / 1000.
- `*_api_requests_per_second`: the exact rate rounded half-up to 2 decimal places, for display only.

The margin is a whole percentage of extra throughput (default 20 %): `recommended_mps` is the ceiling of
segments × (100 + margin_percent) / (100 × window), the margin applied before rounding. The API latency defaults to
200 ms, an assumption to replace with the round trip measured from the sending workers.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, replace
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from typing import Final, Literal

from messaging.domain.errors import DomainInputError

__all__ = [
    "DEFAULT_API_LATENCY_MS",
    "DEFAULT_MARGIN_PERCENT",
    "DEFAULT_QUEUE_HORIZON_SECONDS",
    "GUIDE_QUEUE_HORIZON_SECONDS",
    "MAX_API_LATENCY_MS",
    "MAX_MARGIN_PERCENT",
    "MAX_QUEUE_SECONDS",
    "MAX_RECIPIENTS",
    "MAX_SEGMENTS_PER_MESSAGE",
    "MAX_TOTAL_MPS",
    "ThroughputInput",
    "ThroughputInputError",
    "ThroughputResult",
    "calculate_throughput",
    "format_duration",
]

DEFAULT_QUEUE_HORIZON_SECONDS: Final = 36_000  # 10 h of segments per sender (reference/twilio.md §0, §6)
GUIDE_QUEUE_HORIZON_SECONDS: Final = 14_400  # the 4 h of the deliverability guide, before Twilio raised it
MAX_QUEUE_SECONDS: Final = 36_000  # neither a queue nor ValidityPeriod (1-36,000 s) holds a message longer
DEFAULT_API_LATENCY_MS: Final = 200
DEFAULT_MARGIN_PERCENT: Final = 20
MAX_RECIPIENTS: Final = 1_000_000_000
MAX_SEGMENTS_PER_MESSAGE: Final = 100  # a 1,600-character UCS-2 body is 24; emoji-heavy bodies need more
MAX_TOTAL_MPS: Final = Decimal(100_000)
MAX_API_LATENCY_MS: Final = 60_000
MAX_MARGIN_PERCENT: Final = 100

WindowLimit = Literal["queue", "validity"]


class ThroughputInputError(DomainInputError):
    """An input the calculator refuses; `field` names it."""


@dataclass(frozen=True, slots=True)
class ThroughputInput:
    """A bulk send to plan. Raises ThroughputInputError naming the first field out of range.

    `total_mps` is normalised to a Decimal; `validity_period_seconds=None` means Twilio's default (36,000 s), which
    never shortens the window below the queue horizon.
    """

    recipients: int
    segments_per_message: int
    total_mps: Decimal | int
    queue_horizon_seconds: int = DEFAULT_QUEUE_HORIZON_SECONDS
    validity_period_seconds: int | None = None
    api_latency_ms: int = DEFAULT_API_LATENCY_MS
    margin_percent: int = DEFAULT_MARGIN_PERCENT

    def __post_init__(self) -> None:
        _check_int("recipients", self.recipients, 0, MAX_RECIPIENTS)
        _check_int("segments_per_message", self.segments_per_message, 1, MAX_SEGMENTS_PER_MESSAGE)
        object.__setattr__(self, "total_mps", _checked_mps(self.total_mps))
        _check_int("queue_horizon_seconds", self.queue_horizon_seconds, 1, MAX_QUEUE_SECONDS)
        if self.validity_period_seconds is not None:
            _check_int("validity_period_seconds", self.validity_period_seconds, 1, MAX_QUEUE_SECONDS)
        _check_int("api_latency_ms", self.api_latency_ms, 1, MAX_API_LATENCY_MS)
        _check_int("margin_percent", self.margin_percent, 0, MAX_MARGIN_PERCENT)


@dataclass(frozen=True, slots=True)
class ThroughputResult:
    """What the send does at the given MPS, and the throughput and API concurrency that avoid an overflow."""

    input: ThroughputInput
    total_segments: int
    seconds_to_drain: int  # to send every segment at total_mps, ignoring the queue limit
    drain_time: str  # seconds_to_drain as "69 h 26 min 40 s"
    window_seconds: int  # min(queue horizon, validity period): how long a segment may wait
    window_limited_by: WindowLimit
    queue_capacity_segments: int  # total_mps × window: what the senders deliver before the window ends
    overflows: bool
    overflow_segments: int  # refused (21611/30001) or expired (30036); 0 without overflow
    seconds_beyond_window: int  # seconds_to_drain − window, 0 without overflow
    minimum_mps: int  # the least MPS that sends everything within the window
    recommended_mps: int  # minimum with the margin
    api_requests_per_second: Decimal  # at total_mps
    api_concurrency: int  # requests in flight at total_mps
    recommended_api_requests_per_second: Decimal  # at recommended_mps
    recommended_api_concurrency: int
    notes: tuple[str, ...] = field(default=())

    @property
    def window_time(self) -> str:
        """window_seconds as "4 h"."""
        return format_duration(self.window_seconds)


def calculate_throughput(plan: ThroughputInput) -> ThroughputResult:
    """Plan an instantaneous bulk send: drain time, overflow, and the MPS and API concurrency that avoid it."""
    mps = Fraction(plan.total_mps)
    total_segments = plan.recipients * plan.segments_per_message
    window, limited_by = _window(plan)
    seconds_to_drain = _ceil(total_segments / mps)
    capacity = math.floor(mps * window)
    overflow_segments = max(0, total_segments - capacity)
    minimum_mps = _ceil(Fraction(total_segments, window))
    recommended_mps = _ceil(Fraction(total_segments * (100 + plan.margin_percent), 100 * window))
    current_rate = mps / plan.segments_per_message
    recommended_rate = Fraction(recommended_mps, plan.segments_per_message)
    result = ThroughputResult(
        input=plan,
        total_segments=total_segments,
        seconds_to_drain=seconds_to_drain,
        drain_time=format_duration(seconds_to_drain),
        window_seconds=window,
        window_limited_by=limited_by,
        queue_capacity_segments=capacity,
        overflows=overflow_segments > 0,
        overflow_segments=overflow_segments,
        seconds_beyond_window=seconds_to_drain - window if overflow_segments else 0,
        minimum_mps=minimum_mps,
        recommended_mps=recommended_mps,
        api_requests_per_second=_two_places(current_rate),
        api_concurrency=_concurrency(current_rate, plan.api_latency_ms),
        recommended_api_requests_per_second=_two_places(recommended_rate),
        recommended_api_concurrency=_concurrency(recommended_rate, plan.api_latency_ms),
    )
    return replace(result, notes=_notes(result))


def format_duration(seconds: int) -> str:
    """Whole seconds as hours, minutes and seconds, leaving out zero parts: 7500 -> "2 h 5 min", 0 -> "0 s"."""
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    parts = [f"{value:,} {unit}" for value, unit in ((hours, "h"), (minutes, "min"), (secs, "s")) if value]
    return " ".join(parts) or "0 s"


def _window(plan: ThroughputInput) -> tuple[int, WindowLimit]:
    validity = plan.validity_period_seconds
    if validity is not None and validity < plan.queue_horizon_seconds:
        return validity, "validity"
    return plan.queue_horizon_seconds, "queue"


def _ceil(value: Fraction) -> int:
    return -(-value.numerator // value.denominator)


def _concurrency(requests_per_second: Fraction, latency_ms: int) -> int:
    return _ceil(requests_per_second * latency_ms / 1000)


def _two_places(value: Fraction) -> Decimal:
    return (Decimal(value.numerator) / Decimal(value.denominator)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def _check_int(name: str, value: object, low: int, high: int) -> None:
    if isinstance(value, bool) or not isinstance(value, int):
        raise ThroughputInputError(name, "must be a whole number")
    if not low <= value <= high:
        raise ThroughputInputError(name, f"must be between {low:,} and {high:,}")


def _checked_mps(value: object) -> Decimal:
    if isinstance(value, bool) or not isinstance(value, (int, Decimal)):
        raise ThroughputInputError("total_mps", "must be a number")
    mps = Decimal(value)
    if not mps.is_finite() or not 0 < mps <= MAX_TOTAL_MPS:
        raise ThroughputInputError("total_mps", f"must be more than 0 and at most {MAX_TOTAL_MPS:,}")
    return mps


def _notes(result: ThroughputResult) -> tuple[str, ...]:
    plan = result.input
    mps = _number(Decimal(plan.total_mps))
    notes = [_drain_note(result, mps)]
    notes.extend(_window_notes(result))
    if plan.segments_per_message > 1:
        notes.append(
            f"Each message is {plan.segments_per_message} segments, so it uses {plan.segments_per_message} times "
            "the throughput of a one-segment message; a shorter body sends faster."
        )
    notes.append(_api_note(mps, result.api_requests_per_second, result.api_concurrency, plan.api_latency_ms))
    if result.overflows:
        recommended = _number(Decimal(result.recommended_mps))
        rate, concurrency = result.recommended_api_requests_per_second, result.recommended_api_concurrency
        notes.append(_api_note(recommended, rate, concurrency, plan.api_latency_ms))
    notes.append("Twilio answers HTTP 429 (error 20429) when too many requests are in flight.")
    return tuple(notes)


def _drain_note(result: ThroughputResult, mps: str) -> str:
    if result.total_segments == 0:
        return "Nothing to send: there are no recipients."
    return (
        f"{result.total_segments:,} segments at {mps} MPS take {result.seconds_to_drain:,} s "
        f"({result.drain_time}) to send."
    )


def _window_notes(result: ThroughputResult) -> list[str]:
    margin = result.input.margin_percent
    window = format_duration(result.window_seconds)
    if result.overflows:
        return [
            _overflow_note(result, window),
            f"To send everything within {window}, the senders need {result.minimum_mps:,} MPS in total; with a "
            f"{margin} % margin, {result.recommended_mps:,} MPS. Add senders, ask for more throughput, or spread "
            "the send over time.",
        ]
    if result.total_segments == 0:
        return []
    notes = [
        f"Everything fits within the {window} window, with {result.window_seconds - result.seconds_to_drain:,} s "
        "to spare."
    ]
    if result.input.total_mps < result.recommended_mps:
        notes.append(
            f"That is less than a {margin} % margin: plan for {result.recommended_mps:,} MPS in case the send grows."
        )
    return notes


def _overflow_note(result: ThroughputResult, window: str) -> str:
    lost = f"{result.overflow_segments:,} segments ({result.seconds_beyond_window:,} s of sending beyond the window)"
    if result.window_limited_by == "validity":
        return (
            f"The validity period of {result.window_seconds:,} s ({window}) lets the senders deliver only "
            f"{result.queue_capacity_segments:,} segments; {lost} would expire in the queue (error 30036)."
        )
    return (
        f"The senders' queues hold {result.queue_capacity_segments:,} segments ({window} of throughput); {lost} "
        "would overflow and fail (error 21611, or 30001 through a Messaging Service)."
    )


def _api_note(mps: str, requests_per_second: Decimal, concurrency: int, latency_ms: int) -> str:
    in_flight = "1 request" if concurrency == 1 else f"{concurrency:,} requests"
    return (
        f"Feeding the senders {mps} MPS takes {_number(requests_per_second)} API requests/s; at {latency_ms:,} ms "
        f"a request, that is {in_flight} in flight at once."
    )


def _number(value: Decimal) -> str:
    """A Decimal with thousands separators and no trailing zeros: 1000.50 -> "1,000.5", 3.00 -> "3"."""
    text = f"{value:,f}"
    return text.rstrip("0").rstrip(".") if "." in text else text
