"""Twilio error codes the sandbox raises, with the HTTP status and message Twilio uses for each.

API errors become `{"code", "message", "more_info", "status"}` bodies, which twilio-python turns into a
`TwilioRestException` carrying `.code` and `.status`. Asynchronous codes (30xxx) only ever appear as a
message's `error_code` and in status callbacks.
"""

from __future__ import annotations

from typing import Final

# code -> (HTTP status, message)
API_ERRORS: Final[dict[int, tuple[int, str]]] = {
    20003: (401, "Authenticate"),
    20403: (403, "Forbidden: the account is not active (suspended)"),
    20404: (404, "The requested resource was not found"),
    20429: (429, "Too Many Requests"),
    21211: (400, "Invalid 'To' Phone Number"),
    21212: (400, "Invalid 'From' Phone Number"),
    21408: (400, "Permission to send an SMS has not been enabled for the region indicated by the 'To' number"),
    21421: (400, "PhoneNumber is invalid"),
    21422: (400, "PhoneNumber is not available"),
    21479: (400, "Unable to update Status for subaccount, subaccount has been closed."),
    21602: (400, "Message body is required."),
    21603: (400, "A 'From' phone number is required."),
    21604: (400, "A 'To' phone number is required."),
    21606: (400, "The 'From' phone number provided is not a valid message-capable Twilio phone number for "
                 "this destination/account."),
    21610: (400, "Attempt to send to unsubscribed recipient"),
    21611: (400, "This 'From' number has exceeded the maximum number of queued messages"),
    21612: (400, "The 'To' phone number is not currently reachable via SMS"),
    21614: (400, "'To' number is not a valid mobile number"),
    21617: (400, "The concatenated message body exceeds the 1600 character limit."),
    21623: (400, "Number of media files exceeds allowed limit"),
    21624: (400, "Invalid Validity Period Value"),
    21701: (400, "The Messaging Service Sid is invalid"),
    21703: (400, "The Messaging Service does not have a phone number available to send a message"),
    21710: (400, "The phone number is already in a Messaging Service"),
    20009: (400, "Only queued messages can be canceled in the sandbox; this message has left the queue"),
    20001: (400, "Bad request"),
}  # fmt: skip

# Asynchronous codes: error_message of a failed/undelivered message.
ASYNC_ERRORS: Final[dict[int, str]] = {
    30001: "Queue overflow",
    30002: "Account suspended",
    30003: "Unreachable destination handset",
    30005: "Unknown destination handset",
    30006: "Landline or unreachable carrier",
    30007: "Message filtered",
    30036: "Validity Period Expired",
}


class ApiError(Exception):
    """An error answered synchronously with Twilio's JSON error body."""

    def __init__(self, code: int, message: str | None = None, *, status: int | None = None) -> None:
        default_status, default_message = API_ERRORS.get(code, (400, "Bad request"))
        self.code = code
        self.status = status or default_status
        self.message = message or default_message
        super().__init__(f"{code}: {self.message}")

    def body(self) -> dict[str, object]:
        """Twilio's error body."""
        return {
            "code": self.code,
            "message": self.message,
            "more_info": f"https://www.twilio.com/docs/errors/{self.code}",
            "status": self.status,
        }


def async_error_message(code: int) -> str:
    """The error_message Twilio shows for an asynchronous error code."""
    return ASYNC_ERRORS.get(code, "Unknown error")
