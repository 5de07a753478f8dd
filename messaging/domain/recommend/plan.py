"""A request resolved against a catalogue: the peak MPS with headroom, the 10DLC tier and the day counts."""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from typing import Final

from messaging.domain.catalogue import Catalogue, TenDlcTier, UnknownTrustTier
from messaging.domain.recommend.request import RecommendationInputError, RecommendationRequest

HEADROOM_PERCENT: Final = 20


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


def plan_for(request: RecommendationRequest, catalogue: Catalogue) -> Plan:
    """The request against the catalogue; RecommendationInputError when its 10DLC tier is not one of the catalogue's."""
    return Plan(
        request=request,
        catalogue=catalogue,
        tier=_tier(request, catalogue),
        needed=needed_mps(request),
        go_live_in_days=(request.go_live - request.today).days,
        daily_segments=request.daily_volume * request.segments_per_message,
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
