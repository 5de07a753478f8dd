from datetime import date, timedelta

import pytest

from messaging.domain.recommend import business_days_between, recommend
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
    assert "segments queued for more than 10 h fail (21611, or 30001 through a Messaging Service)" in (
        toll_free.warnings[1].text
    )
