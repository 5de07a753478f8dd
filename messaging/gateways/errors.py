"""What a Twilio error means for us: one table from Twilio's error code to our error class, with advice.

Everything outside the gateway reasons about four kinds of failure, never about Twilio's codes:

- **retryable**: try again later (rate limits, queue overflow, carrier hiccups, 5xx, network trouble);
- **opted out**: the recipient said STOP; never retry, record the opt-out;
- **permanent**: this message can never succeed as written (bad number, landline, blocked content);
- **misconfigured**: nothing sent from this account or sender will succeed until a person fixes the setup
  (credentials, geo permissions, registration, verification).

A fifth class, `OutcomeUnknownError`, is not in the table: the gateway raises it when a request that creates
something (a message, a subaccount, a number) failed in a way that leaves open whether Twilio acted on it (a
read timeout, a dropped connection, a 5xx). Twilio has no idempotency key, so a blind retry may send twice;
callers reconcile first (DESIGN.md invariant 2). It deliberately does not inherit from `RetryableError`.

`ERROR_TABLE` is plain data (code -> `ErrorInfo`) so the same facts can be rendered in docs and the UI.
Facts come from reference/twilio.md §3; the wording is ours.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from types import MappingProxyType
from typing import Any, Final


class ErrorKind(StrEnum):
    """How a failure should be handled, independent of which Twilio code reported it."""

    RETRYABLE = "retryable"
    OPTED_OUT = "opted_out"
    PERMANENT = "permanent"
    MISCONFIGURED = "misconfigured"
    OUTCOME_UNKNOWN = "outcome_unknown"


class ErrorSource(StrEnum):
    """Where Twilio reports a code: synchronously from the REST API, or later on the message."""

    API = "api"
    ASYNC = "async"
    TRANSPORT = "transport"


@dataclass(frozen=True)
class ErrorInfo:
    """One row of the error table: Twilio's code and our reading of it."""

    code: int | None
    kind: ErrorKind
    source: ErrorSource
    title: str
    explanation: str
    action: str
    retry_after_seconds: int | None = None  # shortest sensible wait before trying again (retryable only)
    max_retries: int | None = None  # a cap on retries for codes worth only one or two more tries

    @property
    def docs_url(self) -> str | None:
        """Twilio's page for the code, or None for failures without one (network errors)."""
        return None if self.code is None else f"https://www.twilio.com/docs/errors/{self.code}"


def _row(code: int, kind: ErrorKind, source: ErrorSource, title: str, explanation: str, action: str, **extra: Any):
    return code, ErrorInfo(code, kind, source, title, explanation, action, **extra)


_R, _O, _P, _M = ErrorKind.RETRYABLE, ErrorKind.OPTED_OUT, ErrorKind.PERMANENT, ErrorKind.MISCONFIGURED
_API, _ASYNC = ErrorSource.API, ErrorSource.ASYNC

_ROWS = [
    # --- retryable --------------------------------------------------------------------------------------------
    _row(20429, _R, _API, "Too many concurrent requests",
         "The account had too many REST requests in flight at once; Twilio did not process this one.",
         "Retry with exponential backoff and jitter; it is always safe because nothing happened.",
         retry_after_seconds=1),
    _row(20500, _R, _API, "Twilio internal error",
         "Twilio failed while handling the request.",
         "Retry after a short wait; for a send, first check whether the message was created.",
         retry_after_seconds=5),
    _row(20503, _R, _API, "Twilio temporarily unavailable",
         "Twilio could not handle the request right now.",
         "Retry after a short wait; for a send, first check whether the message was created.",
         retry_after_seconds=5),
    _row(21611, _R, _API, "Sender queue full",
         "The sending number already holds as many queued segments as it can send within the validity period.",
         "Slow down or spread traffic over more senders (or a Messaging Service), then try again later.",
         retry_after_seconds=300),
    _row(30001, _R, _ASYNC, "Queue overflow",
         "Twilio accepted the message but dropped it because the sender's queue was full.",
         "Send again after the backlog drains; add senders if this keeps happening.",
         retry_after_seconds=300),
    _row(30003, _R, _ASYNC, "Handset unreachable",
         "The phone was off, out of coverage or could not take the message at the time.",
         "Retry once or twice with a long delay; repeated failures point to a dead number or filtering.",
         retry_after_seconds=1800, max_retries=2),
    _row(30008, _R, _ASYNC, "Unknown carrier error",
         "The carrier reported a failure without saying why.",
         "Retry once later; if it repeats, give Twilio support the message SIDs (less than 48 hours old).",
         retry_after_seconds=600, max_retries=1),
    _row(30022, _R, _ASYNC, "10DLC throughput exceeded",
         "Traffic went above the per-second rate the carriers allow for this A2P 10DLC campaign.",
         "Send again more slowly; pace this sender to its campaign's rate.",
         retry_after_seconds=60),
    _row(30023, _R, _ASYNC, "10DLC daily cap reached",
         "The A2P 10DLC brand has used up the messages the carriers allow it per day.",
         "Hold the rest until the cap resets the next day.",
         retry_after_seconds=3600, max_retries=24),
    _row(30027, _R, _ASYNC, "T-Mobile daily limit reached",
         "T-Mobile's daily message limit for this brand was reached.",
         "Hold messages to T-Mobile subscribers until the limit resets the next day.",
         retry_after_seconds=3600, max_retries=24),
    _row(30035, _R, _ASYNC, "Number still being configured",
         "The sending number is registered to a 10DLC campaign but the carriers have not finished setting it up.",
         "Try again later; setup usually completes within hours.",
         retry_after_seconds=3600),
    _row(30036, _R, _ASYNC, "Validity period expired",
         "The message waited in the sender's queue longer than its validity period and was not sent.",
         "Send again only if the message still matters, ideally with a longer validity period or more senders.",
         retry_after_seconds=60, max_retries=1),
    _row(30410, _R, _ASYNC, "Provider timeout",
         "A downstream provider did not answer Twilio in time.",
         "Retry later; this is usually transient.",
         retry_after_seconds=60),
    # --- opted out --------------------------------------------------------------------------------------------
    _row(21610, _O, _API, "Recipient unsubscribed",
         "The recipient replied STOP (or another opt-out keyword) to this sender or Messaging Service.",
         "Never retry. Record the opt-out and send nothing more until the recipient replies START."),
    # --- permanent --------------------------------------------------------------------------------------------
    _row(20404, _P, _API, "Not found",
         "The resource asked for does not exist in this account.",
         "Check the SID and the account it belongs to."),
    _row(21211, _P, _API, "Invalid 'To' number",
         "The destination is not a valid phone number (or it is the sending number itself).",
         "Correct the number and store it in E.164 format (+ country code, then digits)."),
    _row(21421, _P, _API, "Invalid phone number",
         "The phone number asked for is not a valid number.",
         "Choose a different number in E.164 format."),
    _row(21422, _P, _API, "Phone number not available",
         "The phone number asked for cannot be bought (already taken, or none free in that area code).",
         "Search again and pick another number or area code."),
    _row(21479, _P, _API, "Subaccount closed",
         "The subaccount has been closed; closing is final, so its status can no longer change.",
         "Create a new subaccount if the tenant needs to send again."),
    _row(21602, _P, _API, "Message body required",
         "The message had neither a body nor media.",
         "Add a body or at least one media URL."),
    _row(21603, _P, _API, "Sender required",
         "The message named neither a 'From' sender nor a Messaging Service.",
         "Pick a sender before sending."),
    _row(21604, _P, _API, "'To' number required",
         "The message had no destination.",
         "Add the recipient's number."),
    _row(21612, _P, _API, "Destination not reachable by SMS",
         "There is no route from this sender to that number (unsupported country or carrier, alphanumeric sender "
         "where it is not allowed, or an international number from a domestic-only sender).",
         "Do not retry on the same route; use a sender that can reach that country."),
    _row(21614, _P, _API, "Not a mobile number",
         "The destination is a landline or otherwise cannot receive text messages.",
         "Do not retry. Check the line type with Lookup and mark the number as not textable."),
    _row(21617, _P, _API, "Body too long",
         "The body is longer than the 1,600 characters Twilio accepts.",
         "Shorten the text, split it into several messages, or send it as MMS."),
    _row(21623, _P, _API, "Too many media files",
         "The message carried more media URLs than allowed (at most 10).",
         "Send 10 media files or fewer per message."),
    _row(21624, _P, _API, "Invalid validity period",
         "The validity period was outside the accepted range of 1 to 36,000 seconds.",
         "Use a validity period between 1 and 36,000 seconds."),
    _row(21635, _P, _API, "Landline destination",
         "The destination is a landline in a country where Twilio will not try to text landlines.",
         "Do not retry. Mark the number as not textable."),
    _row(30004, _P, _ASYNC, "Message blocked",
         "The recipient blocked messages from this sender, or the message was blocked on the way.",
         "Do not retry; stop messaging this recipient from this sender."),
    _row(30005, _P, _ASYNC, "Unknown handset",
         "The carrier says the number does not exist (it may have been disconnected).",
         "Do not retry. Mark the number as invalid."),
    _row(30006, _P, _ASYNC, "Landline or unreachable carrier",
         "The destination is a landline or its carrier cannot be reached by text.",
         "Do not retry. Check the line type with Lookup and mark the number as not textable."),
    _row(30007, _P, _ASYNC, "Message filtered",
         "A carrier or Twilio filtered the message as spam or against policy.",
         "Do not resend the same content from the same sender; review the content and opt-in practice, and "
         "give Twilio support three or more message SIDs."),
    _row(30024, _P, _ASYNC, "Numeric sender ID not provisioned",
         "The destination carrier has not provisioned this numeric sender ID.",
         "Do not retry on this carrier; ask Twilio support about provisioning, or use another sender."),
    _row(30450, _P, _ASYNC, "Delivery blocked",
         "Twilio blocked the message, for example by SMS-pumping or fraud protection.",
         "Do not retry; review where the traffic to this destination comes from."),
    _row(35114, _P, _API, "Scheduled time too soon or too late",
         "A scheduled message must be sent more than 5 minutes and at most 35 days from now.",
         "Pick a send time inside that window."),
    _row(35115, _P, _API, "Scheduled time too soon or too late",
         "A scheduled message must be sent more than 5 minutes and at most 35 days from now.",
         "Pick a send time inside that window."),
    _row(35117, _P, _API, "Scheduled time too soon or too late",
         "A scheduled message must be sent more than 5 minutes and at most 35 days from now.",
         "Pick a send time inside that window."),
    # --- misconfigured ----------------------------------------------------------------------------------------
    _row(20003, _M, _API, "Authentication failed",
         "Twilio rejected the account SID and auth token (wrong token, rotated token, or a closed account).",
         "Check the credentials stored for this account; nothing can be sent until they are fixed."),
    _row(20403, _M, _API, "Account not active",
         "The account is suspended or otherwise not allowed to make this request.",
         "Reactivate the account (or find out why Twilio suspended it) before sending again."),
    _row(21212, _M, _API, "Invalid 'From' sender",
         "The 'From' value is not a valid phone number, short code or alphanumeric sender ID.",
         "Fix the sender configured for this tenant."),
    _row(21408, _M, _API, "Region not enabled",
         "The account's geographic permissions do not allow texting the destination's country.",
         "Enable that country in the (sub)account's Messaging geo permissions, then resend."),
    _row(21606, _M, _API, "Sender not usable",
         "The 'From' number does not belong to this account or cannot send messages to this destination.",
         "Use a message-capable number owned by this (sub)account."),
    _row(21608, _M, _API, "Unverified destination",
         "A trial account (or one without an approved customer profile) may only text verified numbers.",
         "Upgrade the account or complete its customer profile, or verify the destination number."),
    _row(21701, _M, _API, "Unknown Messaging Service",
         "The Messaging Service SID does not exist in this account.",
         "Fix the Messaging Service configured for this tenant."),
    _row(21703, _M, _API, "Messaging Service has no sender",
         "The Messaging Service has no phone number in its pool to send from.",
         "Add at least one sender to the Messaging Service."),
    _row(30002, _M, _ASYNC, "Account suspended",
         "The account was suspended after the message was accepted, so it was not sent.",
         "Alert operations: the tenant's subaccount is suspended."),
    _row(30032, _M, _ASYNC, "Toll-free number not verified",
         "US and Canadian carriers block traffic from toll-free numbers that have not passed verification.",
         "Complete toll-free verification for this number before sending from it."),
    _row(30033, _M, _ASYNC, "10DLC campaign suspended",
         "The A2P 10DLC campaign this number belongs to has been suspended.",
         "Resolve the campaign suspension with Twilio before sending from its numbers."),
    _row(30034, _M, _ASYNC, "Unregistered 10DLC number",
         "The US long code is not attached to an approved A2P 10DLC campaign, so carriers reject its traffic.",
         "Register the number under an approved campaign before sending from it."),
    _row(35118, _M, _API, "Scheduling needs a Messaging Service",
         "Only messages sent through a Messaging Service can be scheduled.",
         "Send scheduled messages through a Messaging Service."),
]  # fmt: skip

ERROR_TABLE: Final = MappingProxyType(dict(_ROWS))

# Failures that are not in the table: they depend on the HTTP status (or on there being no response at all).
TRANSPORT_ERROR: Final = ErrorInfo(
    None,
    _R,
    ErrorSource.TRANSPORT,
    "Twilio not reached",
    "The request to Twilio failed or timed out before an answer came back.",
    "Retry after a short wait; for a send, first check whether the message was created.",
    retry_after_seconds=5,
)


class GatewayError(Exception):
    """A failure talking to the SMS provider, carrying Twilio's code and our advice."""

    kind: ErrorKind = ErrorKind.PERMANENT

    def __init__(
        self,
        code: int | None = None,
        http_status: int | None = None,
        explanation: str | None = None,
        action: str | None = None,
        *,
        title: str | None = None,
        provider_message: str | None = None,
        retry_after_seconds: int | None = None,
        max_retries: int | None = None,
    ) -> None:
        known = ERROR_TABLE.get(code) if code is not None else None
        self.code = code
        self.http_status = http_status
        self.title = title or (known.title if known else "Twilio error")
        self.explanation = explanation or (known.explanation if known else "")
        self.action = action or (known.action if known else "")
        self.provider_message = provider_message  # Twilio's own message, when it sent one
        self.retry_after_seconds = retry_after_seconds if retry_after_seconds is not None else _retry_after(known)
        self.max_retries = max_retries if max_retries is not None else (known.max_retries if known else None)
        super().__init__(str(self))

    def __str__(self) -> str:
        where = ", ".join(part for part in (_label("code", self.code), _label("HTTP", self.http_status)) if part)
        detail = self.provider_message or self.explanation
        head = f"{self.title} ({where or 'no response'})"
        return f"{head}: {detail}" if detail else head

    def __reduce__(self) -> tuple[Any, ...]:
        # Exceptions cross process boundaries (Celery); keep every attribute through pickling.
        return (self.__class__, (self.code, self.http_status, self.explanation, self.action), dict(self.__dict__))

    @property
    def info(self) -> ErrorInfo:
        """This error as a table row (a generic row when the code is not in the table)."""
        known = ERROR_TABLE.get(self.code) if self.code is not None else None
        if known is not None:
            return known
        source = ErrorSource.TRANSPORT if self.http_status is None else ErrorSource.API
        return ErrorInfo(self.code, self.kind, source, self.title, self.explanation, self.action)


class RetryableError(GatewayError):
    """Nothing was done, or the failure is transient: try again after `retry_after_seconds`."""

    kind = ErrorKind.RETRYABLE


class OptedOutError(GatewayError):
    """The recipient opted out of this sender (21610): never retry; record the opt-out."""

    kind = ErrorKind.OPTED_OUT


class PermanentError(GatewayError):
    """This request can never succeed as written: do not retry it."""

    kind = ErrorKind.PERMANENT


class MisconfiguredError(GatewayError):
    """The account or sender is set up wrongly: stop sending from it and alert a person."""

    kind = ErrorKind.MISCONFIGURED


class OutcomeUnknownError(GatewayError):
    """A create request failed after it may have reached Twilio: reconcile before any retry (never blindly)."""

    kind = ErrorKind.OUTCOME_UNKNOWN


ERROR_CLASSES: Final[dict[ErrorKind, type[GatewayError]]] = {
    ErrorKind.RETRYABLE: RetryableError,
    ErrorKind.OPTED_OUT: OptedOutError,
    ErrorKind.PERMANENT: PermanentError,
    ErrorKind.MISCONFIGURED: MisconfiguredError,
    ErrorKind.OUTCOME_UNKNOWN: OutcomeUnknownError,
}


def error_for(code: int | None, http_status: int | None = None, message: str | None = None) -> GatewayError:
    """The error for a failed REST call: by Twilio code, else by HTTP status; no status means no response."""
    info = ERROR_TABLE.get(code) if code is not None else None
    if info is None:
        info = _unlisted(code, http_status)
    error_class = ERROR_CLASSES[info.kind]
    return error_class(
        code,
        http_status,
        info.explanation,
        info.action,
        title=info.title,
        provider_message=message or None,
        retry_after_seconds=info.retry_after_seconds,
        max_retries=info.max_retries,
    )


def outcome_unknown(error: GatewayError) -> OutcomeUnknownError:
    """Re-label a failure of a create request that may have been carried out despite the error."""
    return OutcomeUnknownError(
        error.code,
        error.http_status,
        error.explanation + " The request may nevertheless have been carried out.",
        "Do not resend blindly: look for the created resource first (for a message, list by 'To' and time), "
        "and retry only if it is not there.",
        title=error.title,
        provider_message=error.provider_message,
        retry_after_seconds=error.retry_after_seconds,
    )


def classify_async_error(code: int | str) -> ErrorInfo:
    """The table row for an `ErrorCode` from a status callback or a fetched message; unknown codes are permanent."""
    number = int(code)
    known = ERROR_TABLE.get(number)
    if known is not None:
        return known
    return ErrorInfo(
        number,
        ErrorKind.PERMANENT,
        ErrorSource.ASYNC,
        "Unrecognised delivery error",
        f"The message failed with Twilio error {number}, which this platform has no specific advice for.",
        f"Do not retry automatically; read https://www.twilio.com/docs/errors/{number}.",
    )


def _unlisted(code: int | None, http_status: int | None) -> ErrorInfo:
    if http_status is None:
        return TRANSPORT_ERROR
    if http_status == 429:
        return ERROR_TABLE[20429]
    if http_status >= 500:
        return ErrorInfo(
            code,
            ErrorKind.RETRYABLE,
            ErrorSource.API,
            "Twilio server error",
            f"Twilio answered HTTP {http_status}: it failed while handling the request.",
            "Retry after a short wait; for a send, first check whether the message was created.",
            retry_after_seconds=5,
        )
    named = f"error {code}" if code is not None else "an error"
    return ErrorInfo(
        code,
        ErrorKind.PERMANENT,
        ErrorSource.API,
        "Request refused by Twilio",
        f"Twilio refused the request with {named} (HTTP {http_status}), which this platform has no specific "
        "advice for.",
        "Do not retry as is; read Twilio's page for the code and correct the request.",
    )


def _retry_after(known: ErrorInfo | None) -> int | None:
    return known.retry_after_seconds if known else None


def _label(name: str, value: int | None) -> str:
    return f"{name} {value}" if value is not None else ""
