"""The requests the recommendation tests start from: the acceptance case and today's date."""

from datetime import date, timedelta

from messaging.domain.recommend import LeadTimeStatus, RecommendationRequest, UseCase

TODAY = date(2026, 11, 23)  # a Monday
FITS, AT_RISK, TOO_LATE, UNKNOWN = (
    LeadTimeStatus.FITS,
    LeadTimeStatus.AT_RISK,
    LeadTimeStatus.TOO_LATE,
    LeadTimeStatus.UNKNOWN,
)

# The acceptance case: one-time passcodes to the US and the UK, one-way, 50,000 a day peaking at 2,000 in
# 10 minutes, live in 2 weeks.
ACCEPTANCE = {
    "use_case": UseCase.OTP,
    "two_way": False,
    "countries": ("US", "GB"),
    "daily_volume": 50_000,
    "peak_messages": 2_000,
    "peak_window_seconds": 600,
    "today": TODAY,
    "go_live": TODAY + timedelta(days=14),
}


def request(**changes) -> RecommendationRequest:
    """The acceptance case with `changes` applied."""
    return RecommendationRequest(**{**ACCEPTANCE, **changes})
