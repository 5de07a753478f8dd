"""A request resolved against a catalogue: the peak MPS with headroom, the 10DLC tier, the window and day counts."""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from typing import Final

from messaging.domain.catalogue import Catalogue, TenDlcTier, UnknownTrustTier
from messaging.domain.recommend.request import RecommendationInputError, RecommendationRequest, UseCase
from messaging.domain.throughput import DEFAULT_QUEUE_HORIZON_SECONDS

HEADROOM_PERCENT: Final = 20
TRANSACTIONAL_USE_CASES: Final = frozenset({UseCase.OTP, UseCase.TRANSACTIONAL})


def needed_mps(request: RecommendationRequest, headroom_percent: int = HEADROOM_PERCENT) -> int:
    """Segments per second needed at peak with the headroom, rounded up (peak/window × segments × 1.2)."""
    if request.required_mps is not None:
        return _ceil(Fraction(request.required_mps) * (100 + headroom_percent) / 100)
    assert request.peak_messages is not None and request.peak_window_seconds is not None
    segments = request.peak_messages * request.segments_per_message
    return _ceil(Fraction(segments * (100 + headroom_percent), request.peak_window_seconds * 100))


@dataclass(frozen=True, slots=True)
class Plan:
    """What every score and warning reads: the request, the catalogue, the 10DLC tier and the figures it needs."""

    request: RecommendationRequest
    catalogue: Catalogue
    tier: TenDlcTier
    needed: int
    go_live_in_days: int
    daily_segments: int
    window_seconds: int  # how long a segment may wait: the sender queue, or a shorter validity period
    transactional: bool  # passcodes or transactional messages, where a country may set their own MPS

    @property
    def window_is_validity(self) -> bool:
        """True when the messages' validity period, not the sender queue, ends the window."""
        return self.window_seconds < DEFAULT_QUEUE_HORIZON_SECONDS


def plan_for(request: RecommendationRequest, catalogue: Catalogue) -> Plan:
    """The request against the catalogue; RecommendationInputError when its 10DLC tier is not one of the catalogue's."""
    validity = request.validity_period_seconds or DEFAULT_QUEUE_HORIZON_SECONDS
    return Plan(
        request=request,
        catalogue=catalogue,
        tier=_tier(request, catalogue),
        needed=needed_mps(request),
        go_live_in_days=(request.go_live - request.today).days,
        daily_segments=request.daily_volume * request.segments_per_message,
        window_seconds=min(validity, DEFAULT_QUEUE_HORIZON_SECONDS),
        transactional=request.use_case in TRANSACTIONAL_USE_CASES,
    )


def _tier(request: RecommendationRequest, catalogue: Catalogue) -> TenDlcTier:
    try:
        return catalogue.tendlc_tier(request.tendlc_tier)
    except UnknownTrustTier:
        raise RecommendationInputError(
            "tendlc_tier", f"must be one of {', '.join(catalogue.tendlc_tier_codes())}"
        ) from None


def _ceil(value: Fraction) -> int:
    return -(-value.numerator // value.denominator)
