"""Ordered sequences (pure): a part's outcome from its message's status and deadline; whether the sequence goes on."""

from __future__ import annotations

import pytest

from messaging.domain.sequences import PartOutcome, goes_on, part_outcome


@pytest.mark.parametrize(
    ("message_status", "deadline_passed", "outcome"),
    [
        ("scheduled", False, None),
        ("queued", False, None),
        ("sending", False, None),
        ("accepted", False, None),
        ("sent", False, None),
        ("sent", True, PartOutcome.TIMED_OUT),
        ("queued", True, PartOutcome.TIMED_OUT),
        ("delivered", False, PartOutcome.DELIVERED),
        ("delivered", True, PartOutcome.DELIVERED),
        ("read", False, PartOutcome.DELIVERED),
        ("undelivered", False, PartOutcome.UNDELIVERED),
        ("undelivered", True, PartOutcome.UNDELIVERED),
        ("failed", False, PartOutcome.FAILED),
        ("canceled", True, PartOutcome.FAILED),
    ],
)
def test_a_parts_outcome(message_status, deadline_passed, outcome):
    assert part_outcome(message_status, deadline_passed=deadline_passed) == outcome


@pytest.mark.parametrize(
    ("outcome", "policy", "opted_out", "expected"),
    [
        (PartOutcome.DELIVERED, "halt", False, True),
        (PartOutcome.DELIVERED, "continue", False, True),
        (PartOutcome.UNDELIVERED, "halt", False, False),
        (PartOutcome.UNDELIVERED, "continue", False, True),
        (PartOutcome.FAILED, "halt", False, False),
        (PartOutcome.FAILED, "continue", False, True),
        (PartOutcome.TIMED_OUT, "halt", False, False),
        (PartOutcome.TIMED_OUT, "continue", False, True),
        (PartOutcome.FAILED, "continue", True, False),
        (PartOutcome.DELIVERED, "continue", True, False),
    ],
)
def test_whether_the_sequence_goes_on(outcome, policy, opted_out, expected):
    assert goes_on(outcome, policy=policy, opted_out=opted_out) is expected
