"""The gateway's contract: our own value types and the `SmsGateway` protocol every implementation follows.

Nothing here imports `twilio`; the rest of the project speaks these types and the errors in `errors.py`
(DESIGN.md invariant 6). Secrets (auth tokens) are kept out of `repr()` so they never reach a log line.

Twilio facts behind the shapes are in reference/twilio.md: counts arrive as strings and become ints here; prices
are strings (negative for a charge, as Twilio reports them) and become `Decimal`; dates become aware datetimes.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import Protocol
from urllib.parse import urlsplit

MAX_MEDIA_URLS = 10
MAX_VALIDITY_PERIOD_SECONDS = 36_000

# Webhook parameters as they arrive: a Django QueryDict, or a plain mapping of one value or several per name,
# or the raw body string of a JSON webhook (validated through its bodySHA256 query parameter).
WebhookParams = Mapping[str, str] | Mapping[str, Sequence[str]] | str


@dataclass(frozen=True)
class Credentials:
    """An account SID and its auth token (a tenant's subaccount, or the ISV's main account)."""

    account_sid: str
    auth_token: str = field(repr=False)


@dataclass(frozen=True)
class OutboundMessage:
    """One SMS/MMS to send: exactly one of `from_` and `messaging_service_sid` names the sender."""

    to: str
    body: str = ""
    from_: str | None = None
    messaging_service_sid: str | None = None
    media_urls: tuple[str, ...] = ()
    status_callback: str | None = None
    validity_period: int | None = None  # seconds the message may wait in Twilio's queue, 1..36,000
    smart_encoding: bool = False

    def __post_init__(self) -> None:
        # A tuple even when a list was passed, so the message stays hashable and immutable.
        object.__setattr__(self, "media_urls", tuple(self.media_urls))
        problem = _outbound_problem(self)
        if problem:
            raise ValueError(problem)


def _outbound_problem(message: OutboundMessage) -> str | None:
    # Structural mistakes are our bugs, caught before any request; content limits (1,600 characters and
    # the like) are left to Twilio, whose answer the error table explains.
    if not message.to:
        return "a message needs a 'to' number"
    if bool(message.from_) == bool(message.messaging_service_sid):
        return "give exactly one of from_ and messaging_service_sid"
    if not message.body and not message.media_urls:
        return "a message needs a body or at least one media URL"
    if len(message.media_urls) > MAX_MEDIA_URLS:
        return f"at most {MAX_MEDIA_URLS} media URLs per message"
    period = message.validity_period
    if period is not None and not 1 <= period <= MAX_VALIDITY_PERIOD_SECONDS:
        return f"validity_period must be 1..{MAX_VALIDITY_PERIOD_SECONDS} seconds"
    if message.status_callback and "_" in (urlsplit(message.status_callback).hostname or ""):
        return "Twilio refuses status callback hosts that contain an underscore"
    return None


@dataclass(frozen=True)
class SendResult:
    """Twilio's answer to a send: the message SID and its initial status (`queued`, or `accepted` for a service)."""

    sid: str
    status: str
    num_segments: int  # 0 for a Messaging Service send until Twilio has picked the sender
    price: Decimal | None  # usually None at creation; Twilio fills it in later
    error_code: int | None
    price_unit: str | None = None
    error_message: str | None = None
    account_sid: str = ""
    to: str = ""
    from_: str | None = None  # None for a Messaging Service send until a sender is picked
    messaging_service_sid: str | None = None
    date_created: datetime | None = None


@dataclass(frozen=True)
class MessageInfo:
    """A message as Twilio currently knows it (fetch or cancel result); `error_code` is set when it failed."""

    sid: str
    status: str
    to: str
    from_: str | None
    direction: str
    num_segments: int
    num_media: int
    price: Decimal | None
    price_unit: str | None
    error_code: int | None
    error_message: str | None
    account_sid: str = ""
    messaging_service_sid: str | None = None
    date_created: datetime | None = None
    date_sent: datetime | None = None
    date_updated: datetime | None = None
    body: str = ""


@dataclass(frozen=True)
class IncomingNumber:
    """A phone number an account owns, with the webhook Twilio calls when a message comes in."""

    sid: str
    phone_number: str
    account_sid: str
    friendly_name: str = ""
    sms_url: str = ""
    sms_method: str = "POST"
    sms_fallback_url: str = ""
    sms_capable: bool = True
    mms_capable: bool = False


@dataclass(frozen=True)
class LineTypeResult:
    """Lookup v2 validation and line type of a number; `line_type` is None when the number is invalid."""

    phone_number: str
    valid: bool
    line_type: str | None  # mobile, landline, fixedVoip, nonFixedVoip, tollFree, personal, ... or None
    carrier_name: str | None
    country_code: str | None  # ISO 3166 alpha-2
    validation_errors: tuple[str, ...] = ()  # TOO_SHORT, TOO_LONG, INVALID_BUT_POSSIBLE, ...
    national_format: str | None = None


@dataclass(frozen=True)
class Subaccount:
    """A tenant's Twilio subaccount under the ISV's main account; status is active, suspended or closed."""

    sid: str
    status: str
    friendly_name: str
    auth_token: str = field(repr=False)
    owner_account_sid: str | None = None

    @property
    def credentials(self) -> Credentials:
        """The subaccount's own credentials, for sending and for validating its webhooks."""
        return Credentials(self.sid, self.auth_token)


class SmsGateway(Protocol):
    """Everything the platform asks of its SMS provider; implementations raise only `errors.GatewayError`."""

    def send(self, credentials: Credentials, message: OutboundMessage) -> SendResult:
        """Create one outbound message; OutcomeUnknownError when it may have been created despite an error."""
        ...

    def fetch_message(self, credentials: Credentials, sid: str) -> MessageInfo:
        """The current state of a message of this account (PermanentError 20404 when it is not there)."""
        ...

    def cancel_message(self, credentials: Credentials, sid: str) -> MessageInfo:
        """Cancel a message that has not left yet (Twilio: a scheduled one); its new state."""
        ...

    def find_messages(
        self, credentials: Credentials, *, to: str, from_: str | None = None, limit: int = 50
    ) -> list[MessageInfo]:
        """The account's most recent messages to `to` (from `from_` when given), newest first, at most `limit`.

        Messages still queued at Twilio have no date sent, so no date filter is asked of Twilio.
        """
        ...

    def list_incoming_numbers(self, credentials: Credentials) -> list[IncomingNumber]:
        """Every phone number the account owns (all pages)."""
        ...

    def provision_number(
        self,
        credentials: Credentials,
        *,
        area_code: str | None = None,
        phone_number: str | None = None,
        sms_url: str | None = None,
        friendly_name: str | None = None,
    ) -> IncomingNumber:
        """Buy a number: exactly one of `phone_number` (E.164) or `area_code` (3 digits, +1 only)."""
        ...

    def set_number_sms_url(
        self,
        credentials: Credentials,
        number_sid: str,
        sms_url: str,
        *,
        sms_method: str = "POST",
        sms_fallback_url: str | None = None,
    ) -> IncomingNumber:
        """Point a number's incoming-message webhook at `sms_url` ("" removes it), and its fallback when given."""
        ...

    def lookup_line_type(self, credentials: Credentials, phone_number: str) -> LineTypeResult:
        """Lookup v2 with line type intelligence; an invalid number is a result (valid=False), not an error."""
        ...

    def create_subaccount(self, friendly_name: str) -> Subaccount:
        """Create an active subaccount under the main account; OutcomeUnknownError when it may exist anyway."""
        ...

    def find_subaccount(self, friendly_name: str) -> Subaccount | None:
        """The main account's oldest non-closed subaccount with this exact name, or None."""
        ...

    def suspend_subaccount(self, sid: str) -> Subaccount:
        """Suspend a subaccount: it can no longer send, and Twilio fails what it has queued (30002)."""
        ...

    def reactivate_subaccount(self, sid: str) -> Subaccount:
        """Make a suspended subaccount active again (a closed one cannot come back: 21479)."""
        ...

    def close_subaccount(self, sid: str) -> Subaccount:
        """Close a subaccount for good; its numbers are released."""
        ...

    def validate_signature(self, *, auth_token: str, url: str, params: WebhookParams, signature: str) -> bool:
        """True when `signature` (X-Twilio-Signature) is Twilio's HMAC-SHA1 of `url` + `params` with the token."""
        ...
