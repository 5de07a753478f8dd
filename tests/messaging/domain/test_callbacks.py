"""Status callbacks read: the carrier's time, the reported status, and refusals that name the field."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from messaging.domain.callbacks import MalformedCallback, StatusReport, parse_raw_dlr_done_date, read_status_callback
from messaging.domain.statuses import MessageStatus


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2312011530", datetime(2023, 12, 1, 15, 30, tzinfo=UTC)),
        ("2602290000", None),  # 2026 has no 29 February
        ("23120115", None),
        ("23120115301", None),
        ("23-12-0115", None),
        ("", None),
        (None, None),
    ],
)
def test_raw_dlr_done_date(value, expected):
    assert parse_raw_dlr_done_date(value) == expected


def test_a_delivered_callback():
    report = read_status_callback(
        {"MessageSid": "SM1", "MessageStatus": "delivered", "RawDlrDoneDate": "2612011205", "AccountSid": "AC1"}
    )
    assert report == StatusReport(
        "SM1", "delivered", MessageStatus.DELIVERED, None, datetime(2026, 12, 1, 12, 5, tzinfo=UTC)
    )


def test_an_undelivered_callback_carries_its_code_and_legacy_names_are_read():
    report = read_status_callback({"SmsSid": "SM2", "SmsStatus": "undelivered", "ErrorCode": "30007"})
    assert report == StatusReport("SM2", "undelivered", MessageStatus.UNDELIVERED, 30007, None)


def test_an_error_code_of_zero_is_no_error():
    assert read_status_callback({"MessageSid": "SM3", "MessageStatus": "sent", "ErrorCode": "0"}).error_code is None


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"MessageStatus": "sent"}, "MessageSid is missing"),
        ({"MessageSid": "SM1"}, "MessageStatus is missing"),
        (
            {"MessageSid": "SM1", "MessageStatus": "teleported"},
            "MessageStatus 'teleported' is not a status Twilio documents",
        ),
        ({"MessageSid": "SM1", "MessageStatus": "failed", "ErrorCode": "x1"}, "ErrorCode 'x1' is not a number"),
    ],
)
def test_a_malformed_callback_names_what_is_wrong(params, message):
    with pytest.raises(MalformedCallback, match=message):
        read_status_callback(params)
