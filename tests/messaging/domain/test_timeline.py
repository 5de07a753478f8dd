"""A message's timeline in numbers: latencies since creation and since the step before, the legs worth a line, and
durations in words."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from messaging.domain.timeline import Leg, Step, describe_duration, latencies, legs

T0 = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)


def at(seconds: float) -> datetime:
    return T0 + timedelta(seconds=seconds)


@pytest.mark.parametrize(
    ("duration", "expected"),
    [
        (timedelta(0), "0 ms"),
        (timedelta(microseconds=999), "0 ms"),
        (timedelta(milliseconds=350), "350 ms"),
        (timedelta(milliseconds=999, microseconds=999), "999 ms"),
        (timedelta(seconds=1), "1.0 s"),
        (timedelta(milliseconds=4_299), "4.2 s"),  # cut, not rounded
        (timedelta(milliseconds=59_999), "59.9 s"),
        (timedelta(seconds=60), "1 min 0 s"),
        (timedelta(minutes=3, seconds=5, milliseconds=900), "3 min 5 s"),
        (timedelta(minutes=59, seconds=59), "59 min 59 s"),
        (timedelta(hours=1), "1 h 0 min"),
        (timedelta(hours=2, minutes=10, seconds=59), "2 h 10 min"),
        (timedelta(days=1), "1 d 0 h"),
        (timedelta(days=3, hours=4, minutes=59), "3 d 4 h"),
        (timedelta(milliseconds=-200), "-200 ms"),
        (timedelta(seconds=-90), "-1 min 30 s"),
    ],
)
def test_describe_duration(duration, expected):
    assert describe_duration(duration) == expected


def test_each_step_is_timed_from_the_start_and_from_the_step_before():
    assert latencies(T0, [at(0), at(0.35), at(2.1), at(6.4)]) == [
        Step(since_start=timedelta(0), since_previous=timedelta(0)),
        Step(since_start=timedelta(milliseconds=350), since_previous=timedelta(milliseconds=350)),
        Step(since_start=timedelta(milliseconds=2_100), since_previous=timedelta(milliseconds=1_750)),
        Step(since_start=timedelta(milliseconds=6_400), since_previous=timedelta(milliseconds=4_300)),
    ]


def test_a_step_recorded_by_another_process_slightly_earlier_keeps_its_sign():
    assert latencies(T0, [at(1.0), at(0.99)])[1] == Step(
        since_start=timedelta(milliseconds=990), since_previous=timedelta(milliseconds=-10)
    )


def test_no_steps_no_latencies():
    assert latencies(T0, []) == []


@pytest.mark.parametrize(
    ("times", "expected"),
    [
        # delivered, then read
        (
            {"created": T0, "accepted": at(0.6), "sent": at(2.1), "delivered": at(6.4), "read": at(60)},
            [
                Leg("created", "accepted", timedelta(milliseconds=600)),
                Leg("created", "sent", timedelta(milliseconds=2_100)),
                Leg("sent", "delivered", timedelta(milliseconds=4_300)),
                Leg("delivered", "read", timedelta(milliseconds=53_600)),
            ],
        ),
        # still on its way: only what happened
        ({"created": T0, "accepted": at(1), "sent": None}, [Leg("created", "accepted", timedelta(seconds=1))]),
        # undelivered after it was sent
        (
            {"created": T0, "sent": at(2), "failed": at(9)},
            [Leg("created", "sent", timedelta(seconds=2)), Leg("created", "failed", timedelta(seconds=9))],
        ),
        ({"created": T0, "canceled": at(30)}, [Leg("created", "canceled", timedelta(seconds=30))]),
        ({"created": T0}, []),
        ({}, []),
    ],
)
def test_legs(times, expected):
    assert legs(times) == expected
