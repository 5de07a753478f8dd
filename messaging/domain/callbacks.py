"""Reading Twilio's status callbacks (pure): the carrier's delivery time, and what a callback reports."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime

from messaging.domain.statuses import MessageStatus, status_from_provider


def parse_raw_dlr_done_date(value: str | None) -> datetime | None:
    """The carrier's delivery time from `RawDlrDoneDate` (YYMMDDhhmm, minute precision, no time zone: the carrier's
    offset is unknown, so it is read as UTC); None when absent or malformed."""
    if not value or len(value) != 10 or not value.isdigit():
        return None
    try:
        return datetime.strptime(value, "%y%m%d%H%M").replace(tzinfo=UTC)
    except ValueError:
        return None


@dataclass(frozen=True)
class StatusReport:
    """What one status callback says about one message."""

    message_sid: str
    provider_status: str
    status: MessageStatus
    error_code: int | None
    carrier_time: datetime | None


class MalformedCallback(ValueError):
    """A callback without what every status callback carries; the message names the field."""


def read_status_callback(params: Mapping[str, str]) -> StatusReport:
    """The report in a status callback's form fields; MalformedCallback naming what is missing or wrong."""
    sid = params.get("MessageSid") or params.get("SmsSid") or ""
    if not sid:
        raise MalformedCallback("MessageSid is missing")
    provider_status = params.get("MessageStatus") or params.get("SmsStatus") or ""
    if not provider_status:
        raise MalformedCallback("MessageStatus is missing")
    status = status_from_provider(provider_status)
    if status is None:
        raise MalformedCallback(f"MessageStatus {provider_status!r} is not a status Twilio documents")
    code_text = params.get("ErrorCode") or ""
    if code_text and not code_text.isdigit():
        raise MalformedCallback(f"ErrorCode {code_text!r} is not a number")
    return StatusReport(
        message_sid=sid,
        provider_status=provider_status.strip().lower(),
        status=status,
        error_code=int(code_text) if code_text and int(code_text) else None,
        carrier_time=parse_raw_dlr_done_date(params.get("RawDlrDoneDate")),
    )
