"""Message statuses: Twilio's mapped to ours, and the forward-only order."""

from __future__ import annotations

import pytest

from messaging.domain.statuses import MessageStatus as S
from messaging.domain.statuses import moves_forward, status_from_provider


@pytest.mark.parametrize(
    ("provider", "ours"),
    [
        ("queued", S.ACCEPTED),
        ("accepted", S.ACCEPTED),
        ("scheduled", S.ACCEPTED),
        ("sending", S.ACCEPTED),
        ("sent", S.SENT),
        ("delivered", S.DELIVERED),
        ("partially_delivered", S.DELIVERED),
        ("undelivered", S.UNDELIVERED),
        ("failed", S.FAILED),
        ("read", S.READ),
        ("canceled", S.CANCELED),
        ("received", S.RECEIVED),
        (" Delivered ", S.DELIVERED),
        ("teleported", None),
    ],
)
def test_twilios_statuses_as_ours(provider, ours):
    assert status_from_provider(provider) == ours


@pytest.mark.parametrize(
    ("current", "new", "forward"),
    [
        (S.QUEUED, S.SENDING, True),
        (S.SENDING, S.ACCEPTED, True),
        (S.SENDING, S.SENT, True),  # a callback that beat our own record of the send
        (S.ACCEPTED, S.SENT, True),
        (S.SENT, S.DELIVERED, True),
        (S.SENT, S.UNDELIVERED, True),
        (S.ACCEPTED, S.FAILED, True),
        (S.DELIVERED, S.READ, True),
        (S.DELIVERED, S.SENT, False),  # a late callback
        (S.DELIVERED, S.DELIVERED, False),  # a repeated one
        (S.DELIVERED, S.UNDELIVERED, False),  # the first final word stands
        (S.UNDELIVERED, S.DELIVERED, False),
        (S.FAILED, S.READ, False),
        (S.SENT, S.ACCEPTED, False),
        (S.CANCELED, S.ACCEPTED, False),
        (S.READ, S.DELIVERED, False),
        (S.SCHEDULED, S.QUEUED, True),
        (S.QUEUED, S.CANCELED, True),
    ],
)
def test_a_status_only_moves_forward(current, new, forward):
    assert moves_forward(current, new) is forward
