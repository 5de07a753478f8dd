from datetime import datetime, timedelta

import pytest

from messaging.domain.errors import DomainInputError
from messaging.domain.recommend import Priority, RecommendationInputError, UseCase
from tests.messaging.domain.recommend.helpers import TODAY, request


def test_strings_and_lower_case_countries_are_accepted():
    req = request(use_case="otp", priority="cost", countries=["us", " gb "])
    assert (req.use_case, req.priority, req.countries) == (UseCase.OTP, Priority.COST, ("US", "GB"))


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"use_case": "marketing"}, "use_case", "must be one of conversational, transactional, promotional, otp"),
        ({"two_way": "yes"}, "two_way", "must be true or false"),
        ({"countries": ()}, "countries", "must list at least one country"),
        ({"countries": "US"}, "countries", "must list at least one country"),
        ({"countries": ("UK",)}, "countries", "UK is not an ISO 3166-1 code: use GB for the United Kingdom"),
        ({"countries": ("USA",)}, "countries", "'USA' is not a two-letter ISO 3166-1 country code"),
        ({"countries": (1,)}, "countries", "1 is not a two-letter ISO 3166-1 country code"),
        ({"countries": ("US", "us")}, "countries", "US is listed twice"),
        ({"countries": ("US",) * 51}, "countries", "must list at most 50 countries"),
        ({"daily_volume": 0}, "daily_volume", "must be between 1 and 100,000,000"),
        ({"daily_volume": 10.5}, "daily_volume", "must be a whole number"),
        (
            {"required_mps": 5},
            "required_mps",
            "give either the peak (peak_messages and peak_window_seconds) or required_mps",
        ),
        (
            {"peak_messages": None, "peak_window_seconds": None},
            "peak_messages",
            "give the peak (peak_messages and peak_window_seconds) or required_mps",
        ),
        ({"peak_messages": None}, "peak_messages", "is required with peak_window_seconds"),
        ({"peak_window_seconds": None}, "peak_window_seconds", "is required with peak_messages"),
        ({"peak_messages": 0}, "peak_messages", "must be between 1 and 100,000,000"),
        ({"peak_messages": 50_001}, "peak_messages", "cannot exceed daily_volume (50,000)"),
        ({"peak_window_seconds": 0}, "peak_window_seconds", "must be between 1 and 86,400"),
        ({"peak_window_seconds": 86_401}, "peak_window_seconds", "must be between 1 and 86,400"),
        (
            {"peak_messages": None, "peak_window_seconds": None, "required_mps": 0},
            "required_mps",
            "must be more than 0 and at most 100,000",
        ),
        (
            {"peak_messages": None, "peak_window_seconds": None, "required_mps": "4"},
            "required_mps",
            "must be a number",
        ),
        ({"segments_per_message": 0}, "segments_per_message", "must be between 1 and 100"),
        ({"time_sensitive": 1}, "time_sensitive", "must be true or false"),
        ({"priority": "speed"}, "priority", "must be one of cost, deliverability, balanced"),
        ({"voice": None}, "voice", "must be true or false"),
        ({"today": "2026-11-23"}, "today", "must be a date"),
        ({"go_live": datetime(2026, 12, 7, 9, 0)}, "go_live", "must be a date"),
        ({"go_live": TODAY - timedelta(days=1)}, "go_live", "cannot be before today (2026-11-23)"),
        ({"tendlc_tier": 3}, "tendlc_tier", "must be a tier code"),
        ({"validity_period_seconds": 0}, "validity_period_seconds", "must be between 1 and 36,000"),
        ({"validity_period_seconds": 36_001}, "validity_period_seconds", "must be between 1 and 36,000"),
        ({"validity_period_seconds": 600.0}, "validity_period_seconds", "must be a whole number"),
    ],
)
def test_validation_errors_name_the_field(changes, field, message):
    with pytest.raises(RecommendationInputError) as caught:
        request(**changes)
    assert (caught.value.field, caught.value.message) == (field, message)
    # a pure domain error: the one input error of the domain modules, knowing nothing of HTTP
    assert isinstance(caught.value, DomainInputError)
    assert not hasattr(caught.value, "status")
