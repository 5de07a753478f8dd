"""Retry timing: exponential with full jitter, Retry-After honoured, a limit on attempts."""

from __future__ import annotations

import pytest

from messaging.domain.backoff import Retry, retry_after_failure


@pytest.mark.parametrize(
    ("attempts", "jitter", "retry_after", "expected"),
    [
        (1, 1.0, None, Retry(False, 2.0)),
        (2, 1.0, None, Retry(False, 4.0)),
        (3, 0.5, None, Retry(False, 4.0)),
        (4, 0.0, None, Retry(False, 0.0)),
        (7, 1.0, None, Retry(False, 128.0)),
        (1, 0.25, 30.0, Retry(False, 30.0)),  # Retry-After is a floor
        (3, 1.0, 1.0, Retry(False, 8.0)),
        (8, 1.0, None, Retry(True)),
        (12, 0.3, 5.0, Retry(True)),
    ],
)
def test_when_to_retry(attempts, jitter, retry_after, expected):
    assert retry_after_failure(attempts=attempts, jitter=jitter, retry_after_seconds=retry_after) == expected


def test_the_wait_is_capped():
    assert retry_after_failure(attempts=7, jitter=1.0, max_attempts=20, cap=60.0) == Retry(False, 60.0)


def test_jitter_outside_zero_to_one_is_a_bug():
    with pytest.raises(ValueError, match=r"jitter must be in \[0, 1\]"):
        retry_after_failure(attempts=1, jitter=1.5)
