"""Latency percentiles from histogram buckets, and the health rules (pure)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from messaging.domain.insights import (
    LATENCY_BOUNDS,
    Figures,
    Rule,
    Thresholds,
    add_histograms,
    breaches,
    bucket_of,
    percentile,
)


@pytest.mark.parametrize(
    ("seconds", "bucket"), [(0, 0), (0.5, 0), (1, 1), (3, 2), (59.9, 6), (60, 7), (14_399, 12), (90_000, 13), (-2, 0)]
)
def test_bucket_of(seconds, bucket):
    assert bucket_of(seconds) == bucket


def histogram(**counts: int) -> list[int]:
    found = [0] * len(LATENCY_BOUNDS)
    for key, count in counts.items():
        found[int(key[1:])] = count
    return found


@pytest.mark.parametrize(
    ("counts", "fraction", "expected"),
    [
        (histogram(b2=100), 0.5, 3.5),  # all in [2, 5): halfway is 3.5 s
        (histogram(b2=100), 0.95, 4.85),
        (histogram(b1=50, b6=50), 0.5, 2.0),  # the 50th message is the last of [1, 2)
        (histogram(b1=50, b6=50), 0.95, 30 + 30 * 0.9),
        (histogram(b13=10), 0.95, 14_400.0),  # the open last bucket answers its lower bound
        (histogram(), 0.5, None),
    ],
)
def test_percentile(counts, fraction, expected):
    found = percentile(counts, fraction)
    assert found == (pytest.approx(expected) if expected is not None else None)


def test_percentile_against_exact_values():
    latencies = [0.2] * 10 + [1.5] * 40 + [3] * 45 + [45] * 5  # 100 messages
    counts = add_histograms([histogram(**{f"b{bucket_of(x)}": 1}) for x in latencies])
    assert counts[:7] == [10, 40, 45, 0, 0, 0, 5]
    assert 1 <= percentile(counts, 0.5) <= 2  # the exact median (1.5) is in [1, 2]
    assert 2 <= percentile(counts, 0.95) <= 5  # the exact p95 (3) is in [2, 5]


def figures(delivered=0, failed=0, codes=None, opt_outs=0) -> Figures:
    return Figures(messages=delivered + failed, delivered=delivered, failed=failed, by_code=codes or {},
                   opt_outs=opt_outs)  # fmt: skip


LIMITS = Thresholds()


@pytest.mark.parametrize(
    ("given", "debugger", "fired"),
    [
        (figures(delivered=98, failed=2), 0, set()),  # exactly 2 %: not above
        (figures(delivered=97, failed=3, codes={30003: 3}), 0, {Rule.DELIVERY_ERRORS}),
        (figures(delivered=95, failed=5, codes={30007: 5}), 0, {Rule.DELIVERY_ERRORS, Rule.FILTERING}),
        (figures(delivered=99, failed=1, codes={30007: 1}), 0, set()),  # 1 %: not above
        (figures(delivered=100, opt_outs=2), 0, {Rule.OPT_OUTS}),
        (figures(delivered=100, opt_outs=1), 0, set()),
        (figures(delivered=10, failed=5, codes={30003: 5}), 0, set()),  # 15 outcomes: too few for a rate
        (figures(delivered=10, failed=1, codes={30034: 1}), 0, {Rule.REGISTRATION}),
        (figures(delivered=10, failed=1, codes={21611: 1}), 0, {Rule.QUEUE_OVERFLOW}),
        (figures(delivered=10), 1, {Rule.DEBUGGER}),
    ],
)
def test_breaches(given, debugger, fired):
    assert set(breaches(given, debugger, LIMITS)) == fired


def test_figures_of_disjoint_parts_add_up_to_the_figures_of_their_rows():
    rows = [
        {"direction": "outbound", "status": "delivered", "error_code": 0, "messages": 5, "segments": 7,
         "cost": Decimal("0.0395"), "sent_histogram": [0, 0, 5] + [0] * 11, "delivered_histogram": [0, 5] + [0] * 12},
        {"direction": "outbound", "status": "undelivered", "error_code": 30007, "messages": 2, "segments": 2,
         "cost": Decimal("0.0158"), "sent_histogram": [2] + [0] * 13, "delivered_histogram": []},
        {"direction": "inbound", "status": "received", "error_code": 0, "messages": 3, "segments": 3,
         "cost": Decimal(0), "sent_histogram": [], "delivered_histogram": []},
    ]  # fmt: skip
    whole, first, rest = Figures(opt_outs=0), Figures(opt_outs=1), Figures(opt_outs=2)
    for row in rows:
        whole.add_row(row)
    first.add_row(rows[0])
    rest.add_row(rows[1])
    rest.add_row(rows[2])
    whole.opt_outs = 3
    total = Figures.total([first, rest])
    assert total == whole
    assert (total.messages, total.inbound, total.delivered, total.failed, total.by_code) == (7, 3, 5, 2, {30007: 2})
    assert total.sent_histogram[:3] == [2, 0, 5] and total.cost == Decimal("0.0553")
