"""Why a message failed, as a short list people and reports understand (pure); Twilio's code is kept beside it."""

from __future__ import annotations

from enum import StrEnum
from typing import Final


class FailureReason(StrEnum):
    OPTED_OUT = "opted_out"
    INVALID_NUMBER = "invalid_number"
    LANDLINE = "landline"
    UNREACHABLE = "unreachable"
    BLOCKED = "blocked"
    CARRIER_FILTERED = "carrier_filtered"
    UNREGISTERED_SENDER = "unregistered_sender"
    QUEUE_OVERFLOW = "queue_overflow"
    CARRIER_LIMIT = "carrier_limit"
    EXPIRED = "expired"
    GEO_PERMISSION = "geo_permission"
    CONTENT_REJECTED = "content_rejected"
    ACCOUNT_SUSPENDED = "account_suspended"
    MISCONFIGURED = "misconfigured"
    PROVIDER_ERROR = "provider_error"
    TENANT_CLOSED = "tenant_closed"
    COMPLIANCE = "compliance"


LABELS: Final[dict[FailureReason, str]] = {
    FailureReason.OPTED_OUT: "Recipient opted out",
    FailureReason.INVALID_NUMBER: "Invalid number",
    FailureReason.LANDLINE: "Landline or number that cannot take texts",
    FailureReason.UNREACHABLE: "Recipient unreachable",
    FailureReason.BLOCKED: "Blocked by the recipient or downstream",
    FailureReason.CARRIER_FILTERED: "Carrier filtering",
    FailureReason.UNREGISTERED_SENDER: "Sender not registered or verified",
    FailureReason.QUEUE_OVERFLOW: "Sender queue overflow",
    FailureReason.CARRIER_LIMIT: "Carrier rate or daily limit",
    FailureReason.EXPIRED: "Validity period expired",
    FailureReason.GEO_PERMISSION: "Country not enabled for sending",
    FailureReason.CONTENT_REJECTED: "Content refused",
    FailureReason.ACCOUNT_SUSPENDED: "Twilio account suspended",
    FailureReason.MISCONFIGURED: "Account or sender set up wrongly",
    FailureReason.PROVIDER_ERROR: "Twilio or the carrier failed",
    FailureReason.TENANT_CLOSED: "Tenant closed",
    FailureReason.COMPLIANCE: "Blocked by a compliance rule",
}

_BY_CODE: Final[dict[int, FailureReason]] = {
    21610: FailureReason.OPTED_OUT,
    21211: FailureReason.INVALID_NUMBER,
    21421: FailureReason.INVALID_NUMBER,
    21614: FailureReason.INVALID_NUMBER,
    30005: FailureReason.INVALID_NUMBER,
    21635: FailureReason.LANDLINE,
    30006: FailureReason.LANDLINE,
    21612: FailureReason.UNREACHABLE,
    30003: FailureReason.UNREACHABLE,
    30004: FailureReason.BLOCKED,
    30450: FailureReason.BLOCKED,
    30007: FailureReason.CARRIER_FILTERED,
    30024: FailureReason.UNREGISTERED_SENDER,
    30032: FailureReason.UNREGISTERED_SENDER,
    30033: FailureReason.UNREGISTERED_SENDER,
    30034: FailureReason.UNREGISTERED_SENDER,
    30035: FailureReason.UNREGISTERED_SENDER,
    21611: FailureReason.QUEUE_OVERFLOW,
    30001: FailureReason.QUEUE_OVERFLOW,
    30022: FailureReason.CARRIER_LIMIT,
    30023: FailureReason.CARRIER_LIMIT,
    30027: FailureReason.CARRIER_LIMIT,
    30036: FailureReason.EXPIRED,
    21408: FailureReason.GEO_PERMISSION,
    21617: FailureReason.CONTENT_REJECTED,
    30002: FailureReason.ACCOUNT_SUSPENDED,
    20403: FailureReason.ACCOUNT_SUSPENDED,
    20003: FailureReason.MISCONFIGURED,
    21606: FailureReason.MISCONFIGURED,
    21701: FailureReason.MISCONFIGURED,
}
_BY_KIND: Final[dict[str, FailureReason]] = {
    "opted_out": FailureReason.OPTED_OUT,
    "misconfigured": FailureReason.MISCONFIGURED,
    "permanent": FailureReason.CONTENT_REJECTED,
}


def reason_for(code: int | None, kind: str | None = None) -> FailureReason:
    """The reason for Twilio's error code; for a code we do not list, by the error's kind; else a provider error."""
    if code is not None and code in _BY_CODE:
        return _BY_CODE[code]
    return _BY_KIND.get(kind or "", FailureReason.PROVIDER_ERROR)
