from dataclasses import replace
from datetime import date, timedelta

import pytest

from messaging.domain.catalogue import DEFAULT_CATALOGUE, Catalogue
from messaging.domain.recommend import Priority, business_days_between, recommend
from messaging.domain.recommend.scoring import add_business_days
from tests.messaging.domain.recommend.helpers import AT_RISK, FITS, TODAY, TOO_LATE, request


@pytest.mark.parametrize(
    ("start", "end", "expected"),
    [
        (TODAY, TODAY, 0),
        (TODAY, TODAY - timedelta(days=1), 0),
        (TODAY, TODAY + timedelta(days=1), 1),  # Tuesday
        (TODAY, TODAY + timedelta(days=5), 4),  # up to Saturday
        (TODAY, TODAY + timedelta(days=7), 5),
        (TODAY, TODAY + timedelta(days=14), 10),
        (date(2026, 11, 27), date(2026, 11, 30), 1),  # Friday to Monday
        (date(2026, 11, 28), date(2026, 11, 29), 0),  # Saturday to Sunday
        (TODAY, TODAY + timedelta(days=60), 44),  # a Friday: 8 weeks and 4 days
    ],
)
def test_business_days_between(start, end, expected):
    assert business_days_between(start, end) == expected


@pytest.mark.parametrize(
    ("days", "status", "available"),
    # toll-free verification takes 10–15 business days (it was 5–7: 14 and 9 days fitted, 8 was at risk)
    [
        (21, FITS, 15),
        (20, AT_RISK, 14),  # a Sunday
        (14, AT_RISK, 10),
        (13, TOO_LATE, 9),
        (9, TOO_LATE, 7),  # Tuesday week: 7 business days
        (0, TOO_LATE, 0),
    ],
)
def test_toll_free_verification_counts_business_days(days, status, available):
    result = recommend(request(countries=("US",), go_live=TODAY + timedelta(days=days)))
    toll_free = next(o for o in result.country("US").options if o.sender_type == "toll_free")
    assert (toll_free.lead_time.status, toll_free.lead_time.available) == (status, available)


def test_a_small_daily_volume_fits_a_low_volume_standard_brand():
    us = recommend(request(countries=("US",), daily_volume=5_000, peak_messages=500)).country("US")
    tendlc = next(o for o in us.options if o.sender_type == "a2p_10dlc")
    assert "Fewer than 6,000 segments a day fit a Low-Volume Standard brand." in tendlc.reasons


def test_a_queue_overflow_is_named():
    result = recommend(
        request(countries=("US",), daily_volume=200_000, peak_messages=200_000, peak_window_seconds=3_600)
    )
    toll_free = next(o for o in result.country("US").options if o.sender_type == "toll_free")
    assert toll_free.peak_drain_seconds == 66_667
    # the overflow is named in the reason the option is unsuitable (it was in the peak warning), and the option
    # ranks after every one that can send the peak
    assert (toll_free.suitable_for_peak, toll_free.rank) == (False, 3)
    assert toll_free.unsuitable_reason == (
        "At 3 MPS the peak takes 18 h 31 min 7 s: its last segments would wait 17 h 31 min 7 s, longer than the 10 h "
        "(36,000 s) a sender queues segments: the rest are refused (21611, or 30001 through a Messaging Service). "
        "Unsuitable for this peak."
    )
    assert [w.code for w in toll_free.warnings] == [
        "toll_free_verification",
        "peak_exceeds_throughput",
        "peak_outlasts_window",
        "lead_time_at_risk",
    ]


@pytest.mark.parametrize(
    ("peak", "needed", "percent", "penalty"),
    [
        # 3 MPS of toll-free against more and more needed: -10, plus 40 × the shortfall, so at most -50
        (2_500, 5, 40, -26),  # 2 of 5 short: -10 - 16
        (6_000, 12, 75, -40),  # 9 of 12: -10 - 30
        (60_000, 120, 98, -49),  # 117 of 120: -10 - 39
        (167_000, 334, 99, -50),  # 331 of 334: -10 - 39.6, rounded
    ],
)
def test_the_peak_penalty_grows_with_the_shortfall(peak, needed, percent, penalty):
    result = recommend(request(countries=("US",), daily_volume=200_000, peak_messages=peak))
    toll_free = next(o for o in result.country("US").options if o.sender_type == "toll_free")
    assert result.needed_mps == needed
    assert f"3 MPS is {percent} % short of the {needed:,} MPS needed at peak." in toll_free.reasons
    # local +20, verified +5 (balanced), carrier fees 0 (balanced), lead time at risk in 2 weeks -40
    assert toll_free.score == 20 + penalty + 5 - 40


@pytest.mark.parametrize(
    ("validity", "suitable", "reason_end"),
    [
        (None, True, ""),
        (600, True, ""),  # the last segment waits 67 s
        (60, False, "longer than the messages' validity period of 1 min, and expire unsent (30036). Unsuitable for "
         "this peak."),
    ],
)  # fmt: skip
def test_a_short_validity_period_makes_a_slow_sender_unsuitable(validity, suitable, reason_end):
    result = recommend(request(countries=("US",), validity_period_seconds=validity))
    toll_free = next(o for o in result.country("US").options if o.sender_type == "toll_free")
    assert (toll_free.peak_drain_seconds, toll_free.suitable_for_peak) == (667, suitable)
    assert toll_free.unsuitable_reason.endswith(reason_end)
    assert result.window_seconds == (validity or 36_000)
    if not suitable:
        took = "At 3 MPS the peak takes 11 min 7 s: its last segments would wait 1 min 7 s, "
        assert toll_free.unsuitable_reason.startswith(took)
        assert toll_free.rank == 3  # after every option that can send the peak


@pytest.mark.parametrize(
    ("priority", "carrier_points"),
    [(Priority.COST, -5), (Priority.BALANCED, 0), (Priority.DELIVERABILITY, 0)],
)
def test_carrier_fees_are_a_visible_line_that_costs_points_when_cost_comes_first(priority, carrier_points):
    us = recommend(request(countries=("US",), priority=priority, go_live=TODAY + timedelta(days=30))).country("US")
    tendlc = next(o for o in us.options if o.sender_type == "a2p_10dlc")
    assert "Carrier fees are charged on every segment on top of Twilio's message price." in tendlc.reasons
    assert "Carrier fees: on every segment, passed on by Twilio." in tendlc.fee_lines
    vetted = {Priority.COST: 0, Priority.BALANCED: 5, Priority.DELIVERABILITY: 10}[priority]
    # local 20, meets the peak 20, T-Mobile cap -20 (20,000 of the 50,000 go to T-Mobile), lead time fits 0
    assert tendlc.score == 20 + 20 - 20 + vetted + carrier_points


def test_carrier_filtering_costs_points_and_warns():
    ca = recommend(request(countries=("CA",))).country("CA")
    long_code = ca.options[0]
    assert long_code.sender_type == "long_code"
    assert long_code.reasons[2] == (
        "Carrier filtering: Canadian carriers filter application-to-person messages on long codes strictly; Twilio "
        "recommends short codes for them."
    )
    assert long_code.score == 20 + 10 - 10  # local, four pooled, filtered


@pytest.mark.parametrize(
    ("daily_volume", "share", "warned"),
    [
        (5_000, 40, False),  # 2,000 to T-Mobile: at the cap, not over it
        (5_001, 40, True),  # 2,001
        (2_001, None, True),  # without a share in the catalogue the whole volume counts
    ],
)
def test_the_tmobile_cap_applies_to_the_tmobile_share(daily_volume, share, warned):
    us_rule = DEFAULT_CATALOGUE.country("US")
    shares = {"T-Mobile": share} if share is not None else {}
    rules = tuple(
        replace(rule, carrier_share_percent=shares) if rule.country == "US" else rule
        for rule in DEFAULT_CATALOGUE.countries
    )
    catalogue = Catalogue(DEFAULT_CATALOGUE.sender_types, rules, DEFAULT_CATALOGUE.tendlc_tiers)
    result = recommend(request(countries=("US",), daily_volume=daily_volume, peak_messages=500), catalogue)
    tendlc = next(o for o in result.country("US").options if o.sender_type == "a2p_10dlc")
    assert ("tendlc_tmobile_daily_cap" in [w.code for w in tendlc.warnings]) is warned
    assert us_rule.carrier_share_percent == {"T-Mobile": 40}


@pytest.mark.parametrize(
    ("start", "days", "expected"),
    [
        (TODAY, 0, TODAY),
        (TODAY, 1, date(2026, 11, 24)),
        (TODAY, 5, date(2026, 11, 30)),  # Monday to Monday
        (TODAY, 15, date(2026, 12, 14)),
        (date(2026, 11, 27), 1, date(2026, 11, 30)),  # Friday to Monday
        (date(2026, 11, 28), 1, date(2026, 11, 30)),  # Saturday to Monday
    ],
)
def test_add_business_days(start, days, expected):
    assert add_business_days(start, days) == expected
    assert business_days_between(start, expected) == days
