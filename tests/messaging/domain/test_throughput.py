"""Throughput calculator: the deliverability guide's worked examples, the 10-hour queue, and hand-worked cases."""

from __future__ import annotations

from decimal import Decimal

import pytest

from messaging.domain.errors import DomainInputError
from messaging.domain.throughput import (
    DEFAULT_API_LATENCY_MS,
    DEFAULT_MARGIN_PERCENT,
    DEFAULT_QUEUE_HORIZON_SECONDS,
    GUIDE_QUEUE_HORIZON_SECONDS,
    ThroughputInput,
    ThroughputInputError,
    calculate_throughput,
    format_duration,
)

# (recipients, segments per message, total MPS, horizon) ->
# (total segments, seconds to drain, capacity, overflow segments, seconds beyond the window)
QUEUE_CASES = [
    # The guide, horizon 4 h = 14,400 s: "750,000 messages / 3 MPS = 250,000 seconds required";
    # "250,000 - 14,400 max queue = 235,600 seconds still required * 3 MPS = 706,800 messages in queue overflow".
    pytest.param(
        750_000, 1, 3, 14_400, (750_000, 250_000, 43_200, 706_800, 235_600), id="guide-toll-free-3mps-706800-overflow"
    ),
    # The guide: "750,000 / 100 MPS = 7,500 seconds required (no queue overflow)".
    pytest.param(750_000, 1, 100, 14_400, (750_000, 7_500, 1_440_000, 0, 0), id="guide-100mps-7500s-no-overflow"),
    # The guide: "(750,000 messages * 2 segments) / 100 MPS = 15,000 seconds required - 14,400 = 600 messages in queue
    # overflow". The 600 are seconds beyond the queue; at 100 MPS they are 60,000 segments.
    pytest.param(
        750_000, 2, 100, 14_400, (1_500_000, 15_000, 1_440_000, 60_000, 600), id="guide-2-segments-15000s-600s-over"
    ),
    # The same sends against today's 10 h = 36,000 s queue.
    pytest.param(750_000, 1, 3, 36_000, (750_000, 250_000, 108_000, 642_000, 214_000), id="10h-3mps-642000-overflow"),
    pytest.param(750_000, 1, 100, 36_000, (750_000, 7_500, 3_600_000, 0, 0), id="10h-100mps-no-overflow"),
    pytest.param(750_000, 2, 100, 36_000, (1_500_000, 15_000, 3_600_000, 0, 0), id="10h-2-segments-no-overflow"),
    # twilio.md §6: "A US local number therefore holds 36,000 segments" (1 MPS × 10 h); one more overflows.
    pytest.param(36_000, 1, 1, 36_000, (36_000, 36_000, 36_000, 0, 0), id="us-local-number-holds-36000"),
    pytest.param(36_001, 1, 1, 36_000, (36_001, 36_001, 36_000, 1, 1), id="us-local-number-36001-overflows-by-1"),
    # twilio.md §5: "a 3-segment message takes 3 s on a 1-MPS long code".
    pytest.param(1, 3, 1, 36_000, (3, 3, 36_000, 0, 0), id="3-segments-3s-on-1mps"),
    # Short code at 100 MPS, 5,000,000 one-segment messages: 50,000 s > 36,000 s; 5,000,000 - 3,600,000 over.
    pytest.param(
        5_000_000, 1, 100, 36_000, (5_000_000, 50_000, 3_600_000, 1_400_000, 14_000), id="short-code-5m-overflow"
    ),
]


@pytest.mark.parametrize(("recipients", "segments", "mps", "horizon", "expected"), QUEUE_CASES)
def test_drain_time_and_overflow(
    recipients: int, segments: int, mps: int, horizon: int, expected: tuple[int, int, int, int, int]
) -> None:
    result = calculate_throughput(ThroughputInput(recipients, segments, mps, queue_horizon_seconds=horizon))
    assert (
        result.total_segments,
        result.seconds_to_drain,
        result.queue_capacity_segments,
        result.overflow_segments,
        result.seconds_beyond_window,
    ) == expected
    assert result.overflows is (expected[3] > 0)
    assert (result.window_seconds, result.window_limited_by) == (horizon, "queue")


# (recipients, segments, MPS, horizon, margin %) -> (minimum MPS, recommended MPS)
# minimum = ceil(segments / window); recommended = ceil(segments × (100 + margin) / (100 × window)).
RECOMMENDATION_CASES = [
    # 750,000 / 14,400 = 52.08 -> 53; 900,000 / 14,400 = 62.5 -> 63
    pytest.param(750_000, 1, 3, 14_400, 20, (53, 63), id="guide-750000-at-4h"),
    # 1,500,000 / 14,400 = 104.17 -> 105; 1,800,000 / 14,400 = 125 exactly
    pytest.param(750_000, 2, 100, 14_400, 20, (105, 125), id="guide-2-segments-at-4h"),
    # 750,000 / 36,000 = 20.83 -> 21; 900,000 / 36,000 = 25 exactly
    pytest.param(750_000, 1, 3, 36_000, 20, (21, 25), id="750000-at-10h"),
    # 1,500,000 / 36,000 = 41.67 -> 42; 1,800,000 / 36,000 = 50 exactly
    pytest.param(750_000, 2, 100, 36_000, 20, (42, 50), id="2-segments-at-10h"),
    # no margin: recommended = minimum
    pytest.param(750_000, 1, 3, 14_400, 0, (53, 53), id="no-margin"),
    # 100 % margin: 1,500,000 / 14,400 = 104.17 -> 105
    pytest.param(750_000, 1, 3, 14_400, 100, (53, 105), id="double-margin"),
    # 36,000 segments fill a 1-MPS queue exactly: 1 MPS, 1.2 -> 2 with 20 %
    pytest.param(36_000, 1, 1, 36_000, 20, (1, 2), id="exactly-full-queue"),
]


@pytest.mark.parametrize(("recipients", "segments", "mps", "horizon", "margin", "expected"), RECOMMENDATION_CASES)
def test_minimum_and_recommended_mps(
    recipients: int, segments: int, mps: int, horizon: int, margin: int, expected: tuple[int, int]
) -> None:
    plan = ThroughputInput(recipients, segments, mps, queue_horizon_seconds=horizon, margin_percent=margin)
    result = calculate_throughput(plan)
    assert (result.minimum_mps, result.recommended_mps) == expected


# (recipients, segments, MPS, horizon, latency ms) ->
# (requests/s at MPS, concurrency at MPS, requests/s at recommended MPS, concurrency at recommended MPS)
# requests/s = MPS / segments; concurrency = ceil(requests/s × latency / 1000).
API_CASES = [
    # 3 MPS: 3 req/s × 0.2 s = 0.6 -> 1; recommended 63 MPS: 63 req/s × 0.2 s = 12.6 -> 13
    pytest.param(750_000, 1, 3, 14_400, 200, ("3.00", 1, "63.00", 13), id="guide-3mps"),
    # 100 MPS: 100 × 0.2 = 20; recommended 63 -> 13
    pytest.param(750_000, 1, 100, 14_400, 200, ("100.00", 20, "63.00", 13), id="guide-100mps"),
    # 2 segments: 100 / 2 = 50 req/s -> 10; recommended 125 / 2 = 62.5 req/s × 0.2 = 12.5 -> 13
    pytest.param(750_000, 2, 100, 14_400, 200, ("50.00", 10, "62.50", 13), id="guide-2-segments"),
    # 3 segments at 100 MPS: 33.33 req/s × 0.5 s = 16.67 -> 17; recommended 50 / 3 = 16.67 req/s × 0.5 = 8.33 -> 9
    pytest.param(500_000, 3, 100, 36_000, 500, ("33.33", 17, "16.67", 9), id="3-segments-500ms-rounding"),
    # 1 s latency: concurrency equals requests/s
    pytest.param(900_000, 1, 25, 36_000, 1_000, ("25.00", 25, "30.00", 30), id="1s-latency"),
]


@pytest.mark.parametrize(("recipients", "segments", "mps", "horizon", "latency", "expected"), API_CASES)
def test_api_rate_and_concurrency(
    recipients: int, segments: int, mps: int, horizon: int, latency: int, expected: tuple[str, int, str, int]
) -> None:
    plan = ThroughputInput(recipients, segments, mps, queue_horizon_seconds=horizon, api_latency_ms=latency)
    result = calculate_throughput(plan)
    assert (
        result.api_requests_per_second,
        result.api_concurrency,
        result.recommended_api_requests_per_second,
        result.recommended_api_concurrency,
    ) == (Decimal(expected[0]), expected[1], Decimal(expected[2]), expected[3])


def test_defaults_are_the_10_hour_queue_200_ms_and_a_20_percent_margin() -> None:
    plan = ThroughputInput(recipients=750_000, segments_per_message=1, total_mps=3)
    assert (plan.queue_horizon_seconds, plan.validity_period_seconds) == (36_000, None)
    assert (plan.api_latency_ms, plan.margin_percent) == (200, 20)
    assert (DEFAULT_QUEUE_HORIZON_SECONDS, GUIDE_QUEUE_HORIZON_SECONDS) == (36_000, 14_400)
    assert (DEFAULT_API_LATENCY_MS, DEFAULT_MARGIN_PERCENT) == (200, 20)
    assert plan.total_mps == Decimal(3)


def test_guide_example_notes_quote_the_figures() -> None:
    result = calculate_throughput(ThroughputInput(750_000, 1, 3, queue_horizon_seconds=14_400))
    assert result.notes == (
        "750,000 segments at 3 MPS take 250,000 s (69 h 26 min 40 s) to send.",
        "The senders' queues hold 43,200 segments (4 h of throughput); 706,800 segments (235,600 s of sending beyond "
        "the window) would overflow and fail (error 21611, or 30001 through a Messaging Service).",
        "To send everything within 4 h, the senders need 53 MPS in total; with a 20 % margin, 63 MPS. Add senders, "
        "ask for more throughput, or spread the send over time.",
        "Feeding the senders 3 MPS takes 3 API requests/s; at 200 ms a request, that is 1 request in flight at once.",
        "Feeding the senders 63 MPS takes 63 API requests/s; at 200 ms a request, that is 13 requests in flight at "
        "once.",
        "Twilio answers HTTP 429 (error 20429) when too many requests are in flight.",
    )


def test_a_send_that_fits_says_how_much_time_is_left_and_warns_below_the_margin() -> None:
    # given 1,440,000 segments at 100 MPS: exactly the 4 h queue, no room for the 20 % margin
    result = calculate_throughput(ThroughputInput(1_440_000, 1, 100, queue_horizon_seconds=14_400))
    # then
    assert (result.overflows, result.overflow_segments, result.recommended_mps) == (False, 0, 120)
    assert result.notes[1:3] == (
        "Everything fits within the 4 h window, with 0 s to spare.",
        "That is less than a 20 % margin: plan for 120 MPS in case the send grows.",
    )


def test_a_send_within_the_margin_gives_no_margin_warning() -> None:
    result = calculate_throughput(ThroughputInput(750_000, 1, 100, queue_horizon_seconds=14_400))
    assert result.notes[1] == "Everything fits within the 4 h window, with 6,900 s to spare."
    assert not any("margin" in note for note in result.notes)


@pytest.mark.parametrize(
    ("validity", "window", "limited_by", "capacity", "overflow"),
    [
        # 100 MPS × 3,600 s = 360,000 segments get out; 750,000 − 360,000 expire (30036)
        pytest.param(3_600, 3_600, "validity", 360_000, 390_000, id="validity-1h-shorter-than-queue"),
        pytest.param(7_500, 7_500, "validity", 750_000, 0, id="validity-exactly-drain-time"),
        pytest.param(7_499, 7_499, "validity", 749_900, 100, id="validity-one-second-short"),
        pytest.param(36_000, 14_400, "queue", 1_440_000, 0, id="validity-longer-than-queue"),
        pytest.param(14_400, 14_400, "queue", 1_440_000, 0, id="validity-equal-to-queue"),
        pytest.param(None, 14_400, "queue", 1_440_000, 0, id="no-validity"),
    ],
)
def test_validity_period_shorter_than_the_horizon_limits_the_window(
    validity: int | None, window: int, limited_by: str, capacity: int, overflow: int
) -> None:
    plan = ThroughputInput(750_000, 1, 100, queue_horizon_seconds=14_400, validity_period_seconds=validity)
    result = calculate_throughput(plan)
    assert (result.window_seconds, result.window_limited_by) == (window, limited_by)
    assert (result.queue_capacity_segments, result.overflow_segments) == (capacity, overflow)


def test_validity_overflow_is_reported_as_expiry() -> None:
    # given 750,000 segments at 100 MPS, validity 1 h: 7,500 s needed, 3,600 s allowed
    result = calculate_throughput(ThroughputInput(750_000, 1, 100, validity_period_seconds=3_600))
    # then 750,000 / 3,600 = 208.33 -> 209; 900,000 / 3,600 = 250
    assert (result.seconds_beyond_window, result.minimum_mps, result.recommended_mps) == (3_900, 209, 250)
    assert result.notes[1] == (
        "The validity period of 3,600 s (1 h) lets the senders deliver only 360,000 segments; 390,000 segments "
        "(3,900 s of sending beyond the window) would expire in the queue (error 30036)."
    )


def test_zero_recipients_sends_nothing() -> None:
    result = calculate_throughput(ThroughputInput(0, 1, 3))
    assert (result.total_segments, result.seconds_to_drain, result.drain_time) == (0, 0, "0 s")
    assert (result.overflows, result.overflow_segments, result.seconds_beyond_window) == (False, 0, 0)
    assert (result.minimum_mps, result.recommended_mps) == (0, 0)
    assert (result.recommended_api_requests_per_second, result.recommended_api_concurrency) == (Decimal("0.00"), 0)
    # the current senders' API needs do not depend on the recipients
    assert (result.api_requests_per_second, result.api_concurrency) == (Decimal("3.00"), 1)
    assert result.notes[0] == "Nothing to send: there are no recipients."


@pytest.mark.parametrize(
    ("recipients", "segments", "mps", "horizon", "expected"),
    [
        # 10 segments at 0.5 MPS: 20 s; 0.5 MPS × 36,000 s = 18,000 segments held
        pytest.param(10, 1, Decimal("0.5"), 36_000, (20, 18_000, 0), id="half-mps"),
        # 7 segments at 3 MPS: 2.33 s -> 3 s
        pytest.param(7, 1, 3, 36_000, (3, 108_000, 0), id="drain-rounds-up"),
        # 2.5 MPS × 3 s = 7.5 -> 7 segments held; 8 segments: 3.2 s -> 4 s, 1 over
        pytest.param(8, 1, Decimal("2.5"), 3, (4, 7, 1), id="capacity-rounds-down"),
        # Sender MPS as stored (two decimals): 1.25 MPS × 36,000 s = 45,000
        pytest.param(45_000, 1, Decimal("1.25"), 36_000, (36_000, 45_000, 0), id="decimal-mps-fills-queue"),
    ],
)
def test_fractional_mps_rounds_safely(
    recipients: int, segments: int, mps: Decimal, horizon: int, expected: tuple[int, int, int]
) -> None:
    result = calculate_throughput(ThroughputInput(recipients, segments, mps, queue_horizon_seconds=horizon))
    assert (result.seconds_to_drain, result.queue_capacity_segments, result.overflow_segments) == expected


@pytest.mark.parametrize(
    ("seconds", "text"),
    [
        pytest.param(0, "0 s", id="zero"),
        pytest.param(59, "59 s", id="seconds"),
        pytest.param(4_980, "1 h 23 min", id="1h23"),
        pytest.param(7_500, "2 h 5 min", id="guide-7500"),
        pytest.param(14_400, "4 h", id="guide-horizon"),
        pytest.param(15_000, "4 h 10 min", id="guide-15000"),
        pytest.param(36_000, "10 h", id="twilio-horizon"),
        pytest.param(250_000, "69 h 26 min 40 s", id="guide-250000"),
        pytest.param(3_600_000, "1,000 h", id="thousands"),
    ],
)
def test_format_duration(seconds: int, text: str) -> None:
    assert format_duration(seconds) == text


VALID = {"recipients": 100, "segments_per_message": 1, "total_mps": 3}


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        pytest.param("recipients", -1, "must be between 0 and 1,000,000,000", id="recipients-negative"),
        pytest.param("recipients", 1_000_000_001, "must be between 0 and 1,000,000,000", id="recipients-too-many"),
        pytest.param("recipients", 1.5, "must be a whole number", id="recipients-float"),
        pytest.param("recipients", True, "must be a whole number", id="recipients-bool"),
        pytest.param("segments_per_message", 0, "must be between 1 and 100", id="segments-zero"),
        pytest.param("segments_per_message", 101, "must be between 1 and 100", id="segments-too-many"),
        pytest.param("total_mps", 0, "must be more than 0 and at most 100,000", id="mps-zero"),
        pytest.param("total_mps", Decimal("-1"), "must be more than 0 and at most 100,000", id="mps-negative"),
        pytest.param("total_mps", Decimal("100000.01"), "must be more than 0 and at most 100,000", id="mps-too-high"),
        pytest.param("total_mps", Decimal("NaN"), "must be more than 0 and at most 100,000", id="mps-nan"),
        pytest.param("total_mps", Decimal("Infinity"), "must be more than 0 and at most 100,000", id="mps-inf"),
        pytest.param("total_mps", 3.0, "must be a number", id="mps-float"),
        pytest.param("total_mps", "3", "must be a number", id="mps-text"),
        pytest.param("queue_horizon_seconds", 0, "must be between 1 and 36,000", id="horizon-zero"),
        pytest.param("queue_horizon_seconds", 36_001, "must be between 1 and 36,000", id="horizon-over-10h"),
        pytest.param("validity_period_seconds", 0, "must be between 1 and 36,000", id="validity-zero"),
        pytest.param("validity_period_seconds", 36_001, "must be between 1 and 36,000", id="validity-over-10h"),
        pytest.param("api_latency_ms", 0, "must be between 1 and 60,000", id="latency-zero"),
        pytest.param("api_latency_ms", 60_001, "must be between 1 and 60,000", id="latency-over-a-minute"),
        pytest.param("margin_percent", -1, "must be between 0 and 100", id="margin-negative"),
        pytest.param("margin_percent", 101, "must be between 0 and 100", id="margin-over-100"),
    ],
)
def test_invalid_input_names_the_field(field: str, value: object, message: str) -> None:
    with pytest.raises(ThroughputInputError) as caught:
        ThroughputInput(**{**VALID, field: value})
    assert (caught.value.field, caught.value.message) == (field, message)
    assert str(caught.value) == f"{field}: {message}"
    # a pure domain error: the one input error of the domain modules, knowing nothing of HTTP
    assert isinstance(caught.value, DomainInputError)
    assert not hasattr(caught.value, "status")


def test_limits_are_inclusive() -> None:
    plan = ThroughputInput(
        recipients=1_000_000_000,
        segments_per_message=100,
        total_mps=Decimal(100_000),
        queue_horizon_seconds=36_000,
        validity_period_seconds=1,
        api_latency_ms=60_000,
        margin_percent=100,
    )
    result = calculate_throughput(plan)
    # 10^11 segments at 10^5 MPS: 10^6 s; 1 s of validity holds 100,000 segments
    assert (result.seconds_to_drain, result.queue_capacity_segments) == (1_000_000, 100_000)
    assert result.overflow_segments == 100_000_000_000 - 100_000


def test_input_and_result_are_frozen() -> None:
    plan = ThroughputInput(1, 1, 1)
    result = calculate_throughput(plan)
    with pytest.raises(AttributeError):
        plan.recipients = 2  # type: ignore[misc]
    with pytest.raises(AttributeError):
        result.overflows = True  # type: ignore[misc]
    assert result.input is plan


def test_window_time_is_the_window_in_hours() -> None:
    assert calculate_throughput(ThroughputInput(1, 1, 1, queue_horizon_seconds=14_400)).window_time == "4 h"
    assert calculate_throughput(ThroughputInput(1, 1, 1, validity_period_seconds=5_400)).window_time == "1 h 30 min"
