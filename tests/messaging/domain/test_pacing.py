"""The segment bucket (GCRA): exact pacing at the sender's MPS, and long messages never starve."""

from __future__ import annotations

from decimal import Decimal

import pytest

from messaging.domain.pacing import Admission, admit, interval_for


@pytest.mark.parametrize(
    ("mps", "margin", "interval"),
    [
        (1, 1, 1_000_000),
        (3, 1, 333_334),
        (100, 1, 10_000),
        (Decimal("0.5"), 1, 2_000_000),
        (10, Decimal("0.98"), 102_041),
    ],
)
def test_the_interval_between_segments(mps, margin, interval):
    assert interval_for(mps, margin=margin) == interval


def test_a_zero_rate_is_refused():
    with pytest.raises(ValueError, match="mps and margin must be positive"):
        interval_for(0)


def _run(costs: list[int], *, interval: int, burst: int, step: int, until: int) -> list[int]:
    """Offer the messages in order every `step` µs until admitted; the times they were admitted."""
    tat, admitted, now = None, [], 0
    for cost in costs:
        while now <= until:
            decision = admit(tat=tat, now=now, cost=cost, interval=interval, burst=burst)
            tat = decision.tat
            if decision.admitted:
                admitted.append(now)
                break
            now += step
    return admitted


def test_one_mps_admits_one_segment_a_second():
    assert _run([1] * 5, interval=1_000_000, burst=0, step=1_000, until=10_000_000) == [
        0,
        1_000_000,
        2_000_000,
        3_000_000,
        4_000_000,
    ]


def test_a_three_segment_message_passes_and_the_next_waits_for_its_segments():
    assert _run([3, 1, 1], interval=100_000, burst=0, step=1_000, until=10_000_000) == [0, 300_000, 400_000]


def test_a_message_longer_than_the_burst_is_admitted_when_the_debt_is_paid():
    # the textbook check (tat + cost·interval − now ≤ burst) would refuse a 10-segment message forever at burst 4·T
    assert _run([10, 10], interval=100_000, burst=400_000, step=1_000, until=10_000_000) == [0, 600_000]


def test_a_burst_admits_that_many_segments_at_once_then_paces():
    assert _run([1] * 7, interval=100_000, burst=400_000, step=1_000, until=10_000_000) == [
        0,
        0,
        0,
        0,
        0,
        100_000,
        200_000,
    ]


def test_a_refusal_says_how_long_to_wait_and_charges_nothing():
    decision = admit(tat=1_500_000, now=1_000_000, cost=2, interval=100_000, burst=100_000)
    assert decision == Admission(admitted=False, tat=1_500_000, wait=400_000)


def test_an_idle_bucket_does_not_bank_credit():
    # an old TAT is lifted to now: a sender idle for an hour gets no extra burst
    assert admit(tat=0, now=3_600_000_000, cost=1, interval=1_000_000) == Admission(True, 3_601_000_000, 0)
