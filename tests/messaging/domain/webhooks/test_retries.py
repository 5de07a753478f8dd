"""Retry timing of deliveries (8 attempts, 10 min doubling, half to full of it, Retry-After a floor, 12 h cap) and
when an endpoint that keeps failing is switched off (20 failures in a row over 24 hours)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from messaging.domain.backoff import Retry
from messaging.domain.webhooks.retries import retry_after_attempt, retry_after_header, should_disable


@pytest.mark.parametrize(
    ("attempts", "jitter", "retry_after", "expected"),
    [
        (1, 1.0, None, Retry(False, 600.0)),
        (1, 0.0, None, Retry(False, 300.0)),
        (2, 1.0, None, Retry(False, 1200.0)),
        (3, 0.5, None, Retry(False, 1800.0)),
        (7, 1.0, None, Retry(False, 38_400.0)),
        (7, 0.0, None, Retry(False, 19_200.0)),
        (1, 0.0, 900.0, Retry(False, 900.0)),  # Retry-After is a floor
        (1, 1.0, 86_400.0, Retry(False, 43_200.0)),  # but never past the cap
        (8, 1.0, None, Retry(True)),
        (9, 0.2, 60.0, Retry(True)),
    ],
)
def test_when_a_failed_delivery_is_tried_again(attempts, jitter, retry_after, expected):
    assert retry_after_attempt(attempts=attempts, jitter=jitter, retry_after_seconds=retry_after) == expected


def test_the_whole_schedule_spans_ten_and_a_half_to_twenty_one_hours():
    def span(jitter: float) -> float:
        return sum(retry_after_attempt(attempts=n, jitter=jitter).delay_seconds for n in range(1, 8))

    assert (span(0.0) / 3600, span(1.0) / 3600) == (pytest.approx(10.583, abs=0.001), pytest.approx(21.167, abs=0.001))


def test_jitter_outside_its_range_is_a_programming_error():
    with pytest.raises(ValueError, match="jitter"):
        retry_after_attempt(attempts=1, jitter=1.5)


NOW = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("failures", "since", "disabled"),
    [
        (20, NOW - timedelta(hours=24), True),
        (500, NOW - timedelta(days=3), True),
        (19, NOW - timedelta(days=3), False),  # a quiet endpoint: not enough attempts yet
        (2_000, NOW - timedelta(hours=23, minutes=59), False),  # a busy endpoint down for less than a day
        (0, None, False),
        (25, None, False),
    ],
)
def test_when_an_endpoint_that_keeps_failing_is_switched_off(failures, since, disabled):
    assert should_disable(consecutive_failures=failures, failing_since=since, now=NOW) is disabled


def test_the_thresholds_are_arguments():
    since = NOW - timedelta(minutes=5)
    assert should_disable(consecutive_failures=3, failing_since=since, now=NOW, min_failures=3,
                          min_duration=timedelta(minutes=5)) is True  # fmt: skip


@pytest.mark.parametrize(
    ("value", "seconds"),
    [("120", 120.0), (" 5 ", 5.0), (None, None), ("", None), ("soon", None), ("-3", None),
     ("Wed, 21 Oct 2026 07:28:00 GMT", None)],
)  # fmt: skip
def test_retry_after_is_read_in_its_seconds_form(value, seconds):
    assert retry_after_header(value) == seconds
