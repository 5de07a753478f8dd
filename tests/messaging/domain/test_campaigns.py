from collections import Counter
from datetime import UTC, date, datetime, time

import pytest

from messaging.domain.campaigns import local_send_at, segments_of, variant_index
from messaging.domain.errors import DomainInputError
from messaging.domain.segments import count_segments


def test_variant_assignment_is_stable_and_follows_the_split():
    first = [variant_index(7, contact, [50, 30, 20]) for contact in range(1, 20_001)]
    again = [variant_index(7, contact, [50, 30, 20]) for contact in range(1, 20_001)]
    assert first == again
    shares = Counter(first)
    assert sorted(shares) == [0, 1, 2]
    assert abs(shares[0] / 20_000 - 0.5) < 0.02
    assert abs(shares[1] / 20_000 - 0.3) < 0.02
    assert abs(shares[2] / 20_000 - 0.2) < 0.02


def test_variant_assignment_differs_between_campaigns():
    a = [variant_index(1, contact, [50, 50]) for contact in range(1, 1001)]
    b = [variant_index(2, contact, [50, 50]) for contact in range(1, 1001)]
    assert a != b


@pytest.mark.parametrize("percents", [[50, 40], [60, 50], [-10, 110]])
def test_variant_split_must_sum_to_100(percents):
    with pytest.raises(DomainInputError) as caught:
        variant_index(1, 1, percents)
    assert caught.value.field == "variants"


NOW = datetime(2026, 12, 2, 6, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("zone", "expected"),
    [
        ("Europe/Paris", datetime(2026, 12, 2, 9, 0, tzinfo=UTC)),
        ("America/New_York", datetime(2026, 12, 2, 15, 0, tzinfo=UTC)),
        ("America/Los_Angeles", datetime(2026, 12, 2, 18, 0, tzinfo=UTC)),
        ("Asia/Tokyo", NOW),  # 10:00 in Tokyo was 01:00 UTC: passed, so at once
        ("", datetime(2026, 12, 2, 10, 0, tzinfo=UTC)),
        ("Not/AZone", datetime(2026, 12, 2, 10, 0, tzinfo=UTC)),
    ],
)
def test_local_send_at(zone, expected):
    assert local_send_at(date(2026, 12, 2), time(10, 0), zone, now=NOW) == expected


@pytest.mark.parametrize(
    "body",
    ["", "Hi", "a" * 160, "a" * 161, "a" * 306, "a" * 307, "héllo", "price {€}", "Hi 😀", "line\r\nbreak" * 20],
)
def test_segments_of_agrees_with_the_calculator(body):
    if not body:
        assert segments_of(body) == ("GSM-7", 0)
        return
    report = count_segments(body)
    assert segments_of(body) == (report.encoding, report.segments)
