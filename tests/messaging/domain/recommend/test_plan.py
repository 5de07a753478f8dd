from decimal import Decimal

import pytest

from messaging.domain.recommend import HEADROOM_PERCENT, RecommendationInputError, needed_mps, recommend
from tests.messaging.domain.recommend.helpers import request


@pytest.mark.parametrize(
    ("peak", "window", "segments", "required", "expected"),
    [
        (2_000, 600, 1, None, 4),  # 2,000 / 600 × 1.2 = 4 exactly
        (2_000, 600, 2, None, 8),
        (3_000, 600, 1, None, 6),
        (600, 600, 1, None, 2),  # 1.2 rounds up
        (300, 600, 1, None, 1),
        (30_000, 300, 1, None, 120),
        (1, 86_400, 1, None, 1),
        (None, None, 1, 5, 6),
        (None, None, 3, Decimal("2.5"), 3),  # required MPS is already segments per second
        (None, None, 1, 0.5, 1),
    ],
)
def test_needed_mps_adds_twenty_percent_headroom_and_rounds_up(peak, window, segments, required, expected):
    req = request(peak_messages=peak, peak_window_seconds=window, segments_per_message=segments, required_mps=required)
    assert HEADROOM_PERCENT == 20
    assert needed_mps(req) == expected


def test_unknown_trust_tier_is_refused_by_recommend():
    with pytest.raises(RecommendationInputError) as caught:
        recommend(request(tendlc_tier="gold"))
    assert (caught.value.field, caught.value.message) == (
        "tendlc_tier",
        "must be one of high, medium, low, low_volume_mixed, sole_proprietor",
    )
