"""An in-process `SmsGateway` for unit tests: records every call, answers deterministically, fails on request.

- Every call is appended to `calls` as `(method, arguments)`; successful sends are in `sent`.
- SIDs come from counters (`SM` + 32 hex digits, `MM` with media, `AC5ab0…`, `PN…`): tests can assert exact values.
- Outcomes are scripted per method, in order: `script_send(to=..., error=...)`, `script("fetch_message", ...)`.
  A rule applies to matching calls `times` times (forever when None); the first matching rule wins. Without a
  rule, a call succeeds.
- Messages, numbers and subaccounts live in memory, with the same status rules the sandbox follows, so a test
  can send, move a message on with `set_status()`, and fetch it.
- Signatures are real HMAC-SHA1 (`signatures.py`), so webhook tests sign with `sign()` and the fake checks them.
"""

from __future__ import annotations

import hashlib
import itertools
import threading
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import Any

from messaging.gateways.base import (
    Credentials,
    IncomingNumber,
    LineTypeResult,
    MessageInfo,
    OutboundMessage,
    SendResult,
    Subaccount,
    WebhookParams,
)
from messaging.gateways.errors import GatewayError, error_for, outcome_unknown
from messaging.gateways.signatures import compute_signature, signature_matches

MAIN_ACCOUNT = Credentials("AC" + "f" * 32, "fake0main0auth0token000000000000")
# Distinct from the settings' and the sandbox's main account SID (AC000...001), which a plain counter would hit.
SUBACCOUNT_SID_PREFIX = "AC5ab0"
CANCELABLE_STATUSES = frozenset({"accepted", "queued", "scheduled"})
_TYPICAL_HTTP_STATUS = {20003: 401, 20403: 403, 20404: 404, 20429: 429, 20500: 500, 20503: 503}
_SUBACCOUNT_STATUSES = {"suspend": "suspended", "reactivate": "active", "close": "closed"}


@dataclass
class ScriptedOutcome:
    """What a matching call does: raise `error`, or succeed with `changes` applied to the normal result."""

    method: str
    error: GatewayError | None = None
    changes: dict[str, Any] | None = None
    when: Callable[[dict[str, Any]], bool] | None = None
    times: int | None = 1

    def matches(self, method: str, arguments: dict[str, Any]) -> bool:
        """True when this rule applies to the call and has uses left."""
        if method != self.method or self.times == 0:
            return False
        return self.when is None or self.when(arguments)


class FakeGateway:
    """A scriptable, recording stand-in for `TwilioGateway`; see the module docstring."""

    def __init__(self, main_credentials: Credentials = MAIN_ACCOUNT) -> None:
        self.main_credentials = main_credentials
        self.calls: list[tuple[str, dict[str, Any]]] = []
        self.sent: list[OutboundMessage] = []
        self.messages: dict[str, MessageInfo] = {}
        self.numbers: dict[str, IncomingNumber] = {}
        self.subaccounts: dict[str, Subaccount] = {}
        self.line_types: dict[str, LineTypeResult] = {}
        self._rules: list[ScriptedOutcome] = []
        self._counter = itertools.count(1)
        self._lost_answers = 0
        self._lock = threading.RLock()

    def fork(self) -> FakeGateway:
        """A new fake that knows this one's subaccounts and numbers and continues its SID counter.

        No calls, messages or rules carry over. Tests use it to start clean while subaccounts made during session
        set-up (the test tenants') stay known and new SIDs never collide with theirs.
        """
        with self._lock:
            forked = FakeGateway(self.main_credentials)
            forked.subaccounts = dict(self.subaccounts)
            forked.numbers = dict(self.numbers)
            forked._counter = itertools.count(next(self._counter))
            return forked

    def adopt_subaccount(self, subaccount: Subaccount) -> None:
        """Know a subaccount made elsewhere (e.g. by an earlier test run); new SIDs continue past its number."""
        with self._lock:
            self.subaccounts.setdefault(subaccount.sid, subaccount)
            if subaccount.sid.startswith(SUBACCOUNT_SID_PREFIX):
                number = int(subaccount.sid[len(SUBACCOUNT_SID_PREFIX) :], 16)
                self._counter = itertools.count(max(next(self._counter), number + 1))

    # --- scripting ---------------------------------------------------------------------------------------------

    def script(
        self,
        method: str,
        *,
        error: GatewayError | None = None,
        when: Callable[[dict[str, Any]], bool] | None = None,
        times: int | None = 1,
        **changes: Any,
    ) -> ScriptedOutcome:
        """Make the next `times` matching calls of `method` raise `error`, or succeed with `changes`."""
        rule = ScriptedOutcome(method, error, changes or None, when, times)
        with self._lock:
            self._rules.append(rule)
        return rule

    def script_send(
        self, *, to: str | None = None, error: GatewayError | None = None, times: int | None = 1, **changes: Any
    ) -> ScriptedOutcome:
        """Script sends (to `to` only, when given): raise `error`, or change the result (status, num_segments...)."""
        when = None if to is None else (lambda arguments: arguments["message"].to == to)
        return self.script("send", error=error, when=when, times=times, **changes)

    def script_error(self, method: str, code: int, *, http_status: int | None = None, times: int | None = 1) -> None:
        """Make `method` fail with the error the table gives for a Twilio `code` (HTTP status as Twilio sends it)."""
        status = http_status or _TYPICAL_HTTP_STATUS.get(code, 400)
        self.script(method, error=error_for(code, status), times=times)

    def lose_answers(self, times: int = 1) -> None:
        """The next `times` sends create their message, then fail as if the answer never came back (a read
        timeout): OutcomeUnknownError, as Twilio's missing idempotency makes it."""
        with self._lock:
            self._lost_answers += times

    def script_lookup(self, phone_number: str, **fields: Any) -> None:
        """Fix the Lookup answer for a number, e.g. `line_type="landline"` or `valid=False`."""
        with self._lock:
            self.line_types[phone_number] = replace(_default_lookup(phone_number), **fields)

    def set_status(self, sid: str, status: str, *, error_code: int | None = None) -> MessageInfo:
        """Move a sent message on, as a status callback would report it."""
        with self._lock:
            message = replace(self.messages[sid], status=status, error_code=error_code)
            self.messages[sid] = message
            return message

    def sign(self, auth_token: str, url: str, params: dict[str, Any]) -> str:
        """The X-Twilio-Signature Twilio would send for this webhook."""
        return compute_signature(auth_token, url, params)

    def calls_of(self, method: str) -> list[dict[str, Any]]:
        """The arguments of every call of `method`, in order."""
        return [arguments for name, arguments in self.calls if name == method]

    # --- SmsGateway --------------------------------------------------------------------------------------------

    def send(self, credentials: Credentials, message: OutboundMessage) -> SendResult:
        """Record the send and answer `queued` (or `accepted` for a Messaging Service), unless scripted."""
        changes = self._enter("send", credentials=credentials, message=message)
        with self._lock:
            number = next(self._counter)
            result = _send_result(credentials, message, number)
            result = replace(result, **changes) if changes else result
            self.sent.append(message)
            self.messages[result.sid] = _message_info(result, message)
            if self._lost_answers:
                self._lost_answers -= 1
                raise outcome_unknown(error_for(None, None, "ReadTimeout while calling Twilio"))
            return result

    def fetch_message(self, credentials: Credentials, sid: str) -> MessageInfo:
        """The stored message, or PermanentError 20404."""
        changes = self._enter("fetch_message", credentials=credentials, sid=sid)
        message = self._message(credentials, sid)
        return replace(message, **changes) if changes else message

    def cancel_message(self, credentials: Credentials, sid: str) -> MessageInfo:
        """Cancel a message still waiting; one that has left cannot be canceled (PermanentError)."""
        self._enter("cancel_message", credentials=credentials, sid=sid)
        with self._lock:
            message = self._message(credentials, sid)
            if message.status not in CANCELABLE_STATUSES:
                raise error_for(None, 400, f"Message {sid} is {message.status} and can no longer be canceled")
            return self.set_status(sid, "canceled")

    def find_messages(
        self, credentials: Credentials, *, to: str, from_: str | None = None, limit: int = 50
    ) -> list[MessageInfo]:
        """The account's recorded messages to `to` (from `from_` when given), newest first, at most `limit`."""
        self._enter("find_messages", credentials=credentials, to=to, from_=from_, limit=limit)
        with self._lock:
            found = [
                info
                for info in reversed(self.messages.values())
                if info.account_sid == credentials.account_sid and info.to == to and (not from_ or info.from_ == from_)
            ]
            return found[:limit]

    def list_incoming_numbers(self, credentials: Credentials) -> list[IncomingNumber]:
        """The numbers provisioned for this account, oldest first."""
        self._enter("list_incoming_numbers", credentials=credentials)
        return [number for number in self.numbers.values() if number.account_sid == credentials.account_sid]

    def provision_number(
        self,
        credentials: Credentials,
        *,
        area_code: str | None = None,
        phone_number: str | None = None,
        sms_url: str | None = None,
        friendly_name: str | None = None,
    ) -> IncomingNumber:
        """Take `phone_number`, or a deterministic `+1<area code>555xxxx` number."""
        _check_one_of(area_code, phone_number)
        arguments = {
            "area_code": area_code,
            "phone_number": phone_number,
            "sms_url": sms_url,
            "friendly_name": friendly_name,
        }
        self._enter("provision_number", credentials=credentials, **arguments)
        with self._lock:
            number = next(self._counter)
            address = phone_number or f"+1{area_code}555{number % 10_000:04d}"
            if any(existing.phone_number == address for existing in self.numbers.values()):
                raise error_for(21422, 400)
            provisioned = IncomingNumber(
                f"PN{number:032x}", address, credentials.account_sid, friendly_name or address, sms_url or ""
            )
            self.numbers[provisioned.sid] = provisioned
            return provisioned

    def set_number_sms_url(
        self,
        credentials: Credentials,
        number_sid: str,
        sms_url: str,
        *,
        sms_method: str = "POST",
        sms_fallback_url: str | None = None,
    ) -> IncomingNumber:
        """Change a provisioned number's webhooks; PermanentError 20404 for someone else's number."""
        self._enter(
            "set_number_sms_url",
            credentials=credentials,
            number_sid=number_sid,
            sms_url=sms_url,
            sms_fallback_url=sms_fallback_url,
        )
        with self._lock:
            number = self.numbers.get(number_sid)
            if number is None or number.account_sid != credentials.account_sid:
                raise error_for(20404, 404)
            fallback = number.sms_fallback_url if sms_fallback_url is None else sms_fallback_url
            changed = replace(number, sms_url=sms_url, sms_method=sms_method.upper(), sms_fallback_url=fallback)
            self.numbers[number_sid] = changed
            return changed

    def lookup_line_type(self, credentials: Credentials, phone_number: str) -> LineTypeResult:
        """A scripted answer, else a valid mobile for an E.164-looking number and NOT_A_NUMBER otherwise."""
        changes = self._enter("lookup_line_type", credentials=credentials, phone_number=phone_number)
        result = self.line_types.get(phone_number) or _default_lookup(phone_number)
        return replace(result, **changes) if changes else result

    def create_subaccount(self, friendly_name: str) -> Subaccount:
        """A new active subaccount with a deterministic SID and token."""
        changes = self._enter("create_subaccount", friendly_name=friendly_name)
        with self._lock:
            number = next(self._counter)
            token = hashlib.sha256(f"fake-subaccount-token-{number}".encode()).hexdigest()[:32]
            sid = f"{SUBACCOUNT_SID_PREFIX}{number:028x}"
            subaccount = Subaccount(sid, "active", friendly_name, token, self.main_credentials.account_sid)
            self.subaccounts[sid] = replace(subaccount, **changes) if changes else subaccount
            return self.subaccounts[sid]

    def find_subaccount(self, friendly_name: str) -> Subaccount | None:
        """The oldest non-closed subaccount with this name."""
        self._enter("find_subaccount", friendly_name=friendly_name)
        candidates = (s for s in self.subaccounts.values() if s.friendly_name == friendly_name)
        return next((s for s in candidates if s.status != "closed"), None)

    def suspend_subaccount(self, sid: str) -> Subaccount:
        """Status `suspended`."""
        return self._change_subaccount("suspend", sid)

    def reactivate_subaccount(self, sid: str) -> Subaccount:
        """Status `active` (21479 for a closed subaccount)."""
        return self._change_subaccount("reactivate", sid)

    def close_subaccount(self, sid: str) -> Subaccount:
        """Status `closed`, for good."""
        return self._change_subaccount("close", sid)

    def validate_signature(self, *, auth_token: str, url: str, params: WebhookParams, signature: str) -> bool:
        """Real HMAC-SHA1 validation, as Twilio signs."""
        self._enter("validate_signature", url=url, signature=signature)
        return signature_matches(auth_token, url, params, signature)

    # --- internals ---------------------------------------------------------------------------------------------

    def _enter(self, method: str, **arguments: Any) -> dict[str, Any]:
        # Record the call, then apply the first matching rule: raise its error or return its result changes.
        with self._lock:
            self.calls.append((method, arguments))
            rule = next((rule for rule in self._rules if rule.matches(method, arguments)), None)
            if rule is None:
                return {}
            if rule.times is not None:
                rule.times -= 1
        if rule.error is not None:
            raise rule.error
        return dict(rule.changes or {})

    def _message(self, credentials: Credentials, sid: str) -> MessageInfo:
        message = self.messages.get(sid)
        if message is None or message.account_sid != credentials.account_sid:
            raise error_for(20404, 404)
        return message

    def _change_subaccount(self, change: str, sid: str) -> Subaccount:
        self._enter(f"{change}_subaccount", sid=sid)
        with self._lock:
            subaccount = self.subaccounts.get(sid)
            if subaccount is None:
                raise error_for(20404, 404)
            target = _SUBACCOUNT_STATUSES[change]
            if subaccount.status == "closed" and target != "closed":
                raise error_for(21479, 400)
            self.subaccounts[sid] = replace(subaccount, status=target)
            return self.subaccounts[sid]


def _check_one_of(area_code: str | None, phone_number: str | None) -> None:
    if bool(area_code) == bool(phone_number):
        raise ValueError("give exactly one of area_code and phone_number")


def _send_result(credentials: Credentials, message: OutboundMessage, number: int) -> SendResult:
    via_service = message.messaging_service_sid is not None and message.from_ is None
    return SendResult(
        sid=f"{'MM' if message.media_urls else 'SM'}{number:032x}",
        status="accepted" if via_service else "queued",
        num_segments=0 if via_service else 1,
        price=None,
        error_code=None,
        price_unit="USD",
        account_sid=credentials.account_sid,
        to=message.to,
        from_=message.from_,
        messaging_service_sid=message.messaging_service_sid,
        date_created=datetime.now(UTC),
    )


def _message_info(result: SendResult, message: OutboundMessage) -> MessageInfo:
    return MessageInfo(
        sid=result.sid,
        status=result.status,
        to=result.to,
        from_=result.from_,
        direction="outbound-api",
        num_segments=result.num_segments,
        num_media=len(message.media_urls),
        price=result.price,
        price_unit=result.price_unit,
        error_code=result.error_code,
        error_message=result.error_message,
        account_sid=result.account_sid,
        messaging_service_sid=result.messaging_service_sid,
        date_created=result.date_created,
        body=message.body,
    )


def _default_lookup(phone_number: str) -> LineTypeResult:
    digits = phone_number[1:]
    if not (phone_number.startswith("+") and digits.isdigit() and 8 <= len(digits) <= 15):
        return LineTypeResult(phone_number, False, None, None, None, ("NOT_A_NUMBER",))
    country = "US" if digits.startswith("1") else None
    return LineTypeResult(phone_number, True, "mobile", "Fake Mobile", country, ())
