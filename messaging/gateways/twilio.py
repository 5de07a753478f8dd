"""`TwilioGateway`: the only module in the project that imports `twilio` (DESIGN.md invariant 6).

It turns our value types into twilio-python calls and Twilio's answers back into our types, and every failure
into a `GatewayError` through the one table in `errors.py`. Twilio exceptions and `requests` errors are caught
here and nowhere else.

- The base URL of each Twilio product comes from the config, so the same code talks to Twilio or to the local
  sandbox (reference/twilio.md §7: `client.api.base_url` and friends).
- A request that creates something (a message, a subaccount, a number) has no idempotency key at Twilio. When it
  fails in a way that leaves open whether Twilio acted (read timeout, dropped connection, 5xx) the gateway raises
  `OutcomeUnknownError` instead of `RetryableError`, so nobody resends blindly. 429 / 20429 and connection
  failures before anything was sent stay retryable: Twilio never saw them.
- twilio's HTTP client logs every request at INFO (URL, query, headers without Authorization). Those lines go to
  our own logger at DEBUG, with anything that looks like a credential scrubbed, so secrets never reach a log.
"""

from __future__ import annotations

import logging
import re
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any, TypeVar
from urllib.parse import parse_qs, urlsplit

import requests
from twilio.base.exceptions import TwilioException, TwilioRestException, TwilioServiceException
from twilio.http.http_client import TwilioHttpClient
from twilio.request_validator import RequestValidator
from twilio.rest import Client
from urllib3.exceptions import ConnectTimeoutError, NewConnectionError

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
from messaging.gateways.signatures import param_lists

logger = logging.getLogger(__name__)
http_logger = logging.getLogger(__name__ + ".http")

TWILIO_API_URL = "https://api.twilio.com"
TWILIO_LOOKUPS_URL = "https://lookups.twilio.com"
TWILIO_MESSAGING_URL = "https://messaging.twilio.com"
DEFAULT_TIMEOUT_SECONDS = 10.0
# Without this, TWILIO_EDGE / TWILIO_REGION in the process environment would make twilio-python rewrite our
# configured hosts (into `api.<edge>.<region>.twilio.com`); the configured base URLs are the only authority.
_NO_ENVIRONMENT = {"TWILIO_EDGE": "", "TWILIO_REGION": ""}

T = TypeVar("T")


@dataclass(frozen=True)
class TwilioGatewayConfig:
    """Where Twilio is and how to reach it; `main_credentials` are the ISV's own account (subaccount admin)."""

    main_credentials: Credentials
    api_base_url: str = TWILIO_API_URL
    lookups_base_url: str = TWILIO_LOOKUPS_URL
    messaging_base_url: str = TWILIO_MESSAGING_URL
    timeout_seconds: float = DEFAULT_TIMEOUT_SECONDS

    @classmethod
    def from_settings(cls) -> TwilioGatewayConfig:
        """Read the TWILIO_* Django settings (see config/settings/base.py)."""
        from django.conf import settings

        api = getattr(settings, "TWILIO_API_BASE_URL", None) or TWILIO_API_URL
        return cls(
            main_credentials=Credentials(settings.TWILIO_ACCOUNT_SID, settings.TWILIO_AUTH_TOKEN),
            api_base_url=api,
            lookups_base_url=_product_url(getattr(settings, "TWILIO_LOOKUPS_BASE_URL", None), TWILIO_LOOKUPS_URL, api),
            messaging_base_url=_product_url(
                getattr(settings, "TWILIO_MESSAGING_BASE_URL", None), TWILIO_MESSAGING_URL, api
            ),
            timeout_seconds=float(getattr(settings, "TWILIO_HTTP_TIMEOUT", None) or DEFAULT_TIMEOUT_SECONDS),
        )


def _product_url(configured: str | None, twilio_default: str, api_base_url: str) -> str:
    # Unset: Twilio's own host when the API is Twilio's, else the API's host (the sandbox serves every product).
    if configured:
        return configured
    return twilio_default if api_base_url.rstrip("/") == TWILIO_API_URL else api_base_url


class TwilioGateway:
    """`SmsGateway` over twilio-python; see the module docstring."""

    def __init__(self, config: TwilioGatewayConfig) -> None:
        self.config = config
        self._local = threading.local()  # one requests.Session per thread: sessions are not thread-safe

    @classmethod
    def from_settings(cls) -> TwilioGateway:
        """The gateway configured by Django settings (the only place that reads them)."""
        return cls(TwilioGatewayConfig.from_settings())

    def __repr__(self) -> str:
        return f"TwilioGateway(api={self.config.api_base_url!r}, account={self.config.main_credentials.account_sid})"

    # --- messages ----------------------------------------------------------------------------------------------

    def send(self, credentials: Credentials, message: OutboundMessage) -> SendResult:
        """Create one outbound message; OutcomeUnknownError when it may have been created despite an error."""
        messages = self._client(credentials).api.v2010.account.messages
        created = _call(lambda: messages.create(**_create_arguments(message)), creates=True)
        logger.debug("Twilio accepted message %s (%s) for account %s", created.sid, created.status, created.account_sid)
        return SendResult(
            sid=created.sid,
            status=created.status,
            num_segments=_integer(created.num_segments),
            price=_decimal(created.price),
            error_code=created.error_code,
            price_unit=created.price_unit,
            error_message=created.error_message,
            account_sid=created.account_sid or credentials.account_sid,
            to=created.to or message.to,
            from_=created.from_ or None,
            messaging_service_sid=created.messaging_service_sid or None,
            date_created=created.date_created,
        )

    def fetch_message(self, credentials: Credentials, sid: str) -> MessageInfo:
        """The current state of a message of this account (PermanentError 20404 when it is not there)."""
        context = self._client(credentials).api.v2010.account.messages(sid)
        return _message_info(_call(context.fetch))

    def cancel_message(self, credentials: Credentials, sid: str) -> MessageInfo:
        """Cancel a message that has not left yet (Twilio: a scheduled one); its new state."""
        context = self._client(credentials).api.v2010.account.messages(sid)
        return _message_info(_call(lambda: context.update(status="canceled")))

    def find_messages(
        self, credentials: Credentials, *, to: str, from_: str | None = None, limit: int = 50
    ) -> list[MessageInfo]:
        """The account's most recent messages to `to` (from `from_` when given), newest first, at most `limit`.

        Messages still queued at Twilio have no date sent, so no date filter is asked of Twilio.
        """
        messages = self._client(credentials).api.v2010.account.messages
        arguments = _present({"to": to, "from_": from_})
        found = _call(lambda: messages.list(**arguments, limit=limit, page_size=min(limit, 1000)))
        return [_message_info(message) for message in found]

    # --- numbers and lookup ------------------------------------------------------------------------------------

    def list_incoming_numbers(self, credentials: Credentials) -> list[IncomingNumber]:
        """Every phone number the account owns (all pages)."""
        numbers = self._client(credentials).api.v2010.account.incoming_phone_numbers
        return [_incoming_number(number) for number in _call(numbers.list)]

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
        if bool(area_code) == bool(phone_number):
            raise ValueError("give exactly one of area_code and phone_number")
        arguments = {"area_code": area_code, "phone_number": phone_number, "friendly_name": friendly_name}
        if sms_url is not None:
            arguments |= {"sms_url": sms_url, "sms_method": "POST"}
        numbers = self._client(credentials).api.v2010.account.incoming_phone_numbers
        created = _call(lambda: numbers.create(**_present(arguments)), creates=True)
        return _incoming_number(created)

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
        context = self._client(credentials).api.v2010.account.incoming_phone_numbers(number_sid)
        arguments = {"sms_url": sms_url, "sms_method": sms_method.upper()}
        if sms_fallback_url is not None:
            arguments |= {"sms_fallback_url": sms_fallback_url, "sms_fallback_method": "POST"}
        return _incoming_number(_call(lambda: context.update(**arguments)))

    def lookup_line_type(self, credentials: Credentials, phone_number: str) -> LineTypeResult:
        """Lookup v2 with line type intelligence; an invalid number is a result (valid=False), not an error."""
        context = self._client(credentials).lookups.v2.phone_numbers(phone_number)
        found = _call(lambda: context.fetch(fields="line_type_intelligence"))
        intelligence = found.line_type_intelligence or {}
        return LineTypeResult(
            phone_number=found.phone_number or phone_number,
            valid=bool(found.valid),
            line_type=intelligence.get("type"),
            carrier_name=intelligence.get("carrier_name"),
            country_code=found.country_code,
            validation_errors=tuple(found.validation_errors or ()),
            national_format=found.national_format,
        )

    # --- subaccounts (as the ISV's main account) ---------------------------------------------------------------

    def create_subaccount(self, friendly_name: str) -> Subaccount:
        """Create an active subaccount under the main account; OutcomeUnknownError when it may exist anyway."""
        accounts = self._main_client().api.v2010.accounts
        created = _call(lambda: accounts.create(friendly_name=friendly_name), creates=True)
        logger.info("Created Twilio subaccount %s (%s)", created.sid, friendly_name)
        return _subaccount(created)

    def find_subaccount(self, friendly_name: str) -> Subaccount | None:
        """The main account's oldest non-closed subaccount with this exact name, or None."""
        main_sid = self.config.main_credentials.account_sid
        accounts = self._main_client().api.v2010.accounts
        found = _call(lambda: accounts.list(friendly_name=friendly_name))
        candidates = [
            account
            for account in found
            if account.sid != main_sid and account.status != "closed" and account.friendly_name == friendly_name
        ]
        candidates.sort(key=lambda account: account.date_created.timestamp() if account.date_created else 0.0)
        return _subaccount(candidates[0]) if candidates else None

    def suspend_subaccount(self, sid: str) -> Subaccount:
        """Suspend a subaccount: it can no longer send, and Twilio fails what it has queued (30002)."""
        return self._set_subaccount_status(sid, "suspended")

    def reactivate_subaccount(self, sid: str) -> Subaccount:
        """Make a suspended subaccount active again (a closed one cannot come back: 21479)."""
        return self._set_subaccount_status(sid, "active")

    def close_subaccount(self, sid: str) -> Subaccount:
        """Close a subaccount for good; its numbers are released."""
        return self._set_subaccount_status(sid, "closed")

    def _set_subaccount_status(self, sid: str, status: str) -> Subaccount:
        context = self._main_client().api.v2010.accounts(sid)
        updated = _call(lambda: context.update(status=status))
        logger.info("Twilio subaccount %s is now %s", sid, updated.status)
        return _subaccount(updated)

    # --- webhooks ----------------------------------------------------------------------------------------------

    def validate_signature(self, *, auth_token: str, url: str, params: WebhookParams, signature: str) -> bool:
        """True when `signature` (X-Twilio-Signature) is Twilio's HMAC-SHA1 of `url` + `params` with the token."""
        if not signature or not auth_token:
            return False
        if isinstance(params, str) and "bodySHA256" not in parse_qs(urlsplit(url).query):
            return False  # a raw (JSON) body is signed only through the bodySHA256 query parameter
        # twilio's validator reads repeated names through `getlist`; a plain dict of lists would be misread.
        normalized: Any = params if isinstance(params, str) else _ParamLists(param_lists(params))
        try:
            return bool(RequestValidator(auth_token).validate(url, normalized, signature))
        except ValueError:  # a port that is not a number: not a URL Twilio could have signed
            return False

    # --- plumbing ----------------------------------------------------------------------------------------------

    def _main_client(self) -> Client:
        return self._client(self.config.main_credentials)

    def _client(self, credentials: Credentials) -> Client:
        # A Client is cheap (its product domains are created lazily); the HTTP session behind it is the costly
        # part and is shared by every account on this thread, since credentials travel with each request.
        client = Client(
            credentials.account_sid,
            credentials.auth_token,
            http_client=self._http_client(),
            environment=_NO_ENVIRONMENT,
        )
        client.api.base_url = self.config.api_base_url.rstrip("/")
        client.lookups.base_url = self.config.lookups_base_url.rstrip("/")
        client.messaging.base_url = self.config.messaging_base_url.rstrip("/")
        return client

    def _http_client(self) -> TwilioHttpClient:
        http_client = getattr(self._local, "http_client", None)
        if http_client is None:
            http_client = TwilioHttpClient(timeout=self.config.timeout_seconds, logger=_ScrubbedLog(http_logger))
            self._local.http_client = http_client
        return http_client


class _ParamLists(dict[str, list[str]]):
    """Webhook parameters in the shape twilio's RequestValidator reads multi-valued names from."""

    def getlist(self, name: str) -> list[str]:
        return self[name]


# --- error translation ---------------------------------------------------------------------------------------


def _call(request: Callable[[], T], *, creates: bool = False) -> T:
    """Run one twilio-python call, translating every failure into a GatewayError."""
    try:
        return request()
    except TwilioRestException as exc:
        raise _for_response(exc.code, exc.status, exc.msg, creates=creates) from exc
    except TwilioServiceException as exc:
        raise _for_response(exc.code, exc.status, exc.detail or exc.title, creates=creates) from exc
    except requests.RequestException as exc:
        raise _for_transport(exc, creates=creates) from exc
    except TwilioException as exc:  # e.g. an answer twilio-python could not parse: Twilio may have acted
        error = error_for(None, None, f"twilio client error: {type(exc).__name__}")
        raise (outcome_unknown(error) if creates else error) from exc


def _for_response(code: Any, status: int, message: str | None, *, creates: bool) -> GatewayError:
    # twilio-python puts the HTTP status in `code` when the body carried no Twilio code (not JSON, e.g. a proxy).
    twilio_code = code if isinstance(code, int) and code != status else None
    error = error_for(twilio_code, status, _provider_message(message))
    if creates and status >= 500:
        return outcome_unknown(error)  # a 4xx is a refusal, but after a 5xx Twilio may have acted on the create
    return error


def _for_transport(exc: requests.RequestException, *, creates: bool) -> GatewayError:
    error = error_for(None, None, f"{type(exc).__name__} while calling Twilio")
    if creates and not _never_reached_twilio(exc):
        return outcome_unknown(error)
    return error


def _never_reached_twilio(exc: requests.RequestException) -> bool:
    # Only a failure to connect proves the request was never sent; a read timeout or a dropped connection
    # may come after Twilio received (and acted on) it.
    if isinstance(exc, requests.ConnectTimeout):
        return True
    if not isinstance(exc, requests.ConnectionError):
        return False
    reason = getattr(exc.args[0], "reason", None) if exc.args else None
    return isinstance(reason, NewConnectionError | ConnectTimeoutError)


def _provider_message(message: str | None) -> str | None:
    # twilio-python prefixes Twilio's message with what it was doing ("Unable to create record: ...").
    if not message:
        return None
    return message.split(": ", 1)[1] if message.startswith("Unable to ") and ": " in message else message


# --- conversions -------------------------------------------------------------------------------------------------


def _create_arguments(message: OutboundMessage) -> dict[str, Any]:
    arguments = {
        "to": message.to,
        "from_": message.from_,
        "messaging_service_sid": message.messaging_service_sid,
        "body": message.body,
        "media_url": list(message.media_urls),
        "status_callback": message.status_callback,
        "validity_period": message.validity_period,
        "smart_encoded": True if message.smart_encoding else None,
    }
    return _present(arguments)


def _present(arguments: dict[str, Any]) -> dict[str, Any]:
    """Drop unset arguments, so twilio-python leaves them out of the request (Twilio then uses its default)."""
    return {name: value for name, value in arguments.items() if value not in (None, "", [])}


def _message_info(instance: Any) -> MessageInfo:
    return MessageInfo(
        sid=instance.sid,
        status=instance.status,
        to=instance.to,
        from_=instance.from_ or None,
        direction=instance.direction or "",
        num_segments=_integer(instance.num_segments),
        num_media=_integer(instance.num_media),
        price=_decimal(instance.price),
        price_unit=instance.price_unit,
        error_code=instance.error_code,
        error_message=instance.error_message,
        account_sid=instance.account_sid or "",
        messaging_service_sid=instance.messaging_service_sid or None,
        date_created=instance.date_created,
        date_sent=instance.date_sent,
        date_updated=instance.date_updated,
        body=instance.body or "",
    )


def _incoming_number(instance: Any) -> IncomingNumber:
    capabilities = instance.capabilities or {}
    return IncomingNumber(
        sid=instance.sid,
        phone_number=instance.phone_number,
        account_sid=instance.account_sid,
        friendly_name=instance.friendly_name or "",
        sms_url=instance.sms_url or "",
        sms_method=(instance.sms_method or "POST").upper(),
        sms_fallback_url=instance.sms_fallback_url or "",
        sms_capable=bool(capabilities.get("sms", True)),
        mms_capable=bool(capabilities.get("mms", False)),
    )


def _subaccount(instance: Any) -> Subaccount:
    return Subaccount(
        sid=instance.sid,
        status=instance.status,
        friendly_name=instance.friendly_name or "",
        auth_token=instance.auth_token or "",
        owner_account_sid=instance.owner_account_sid,
    )


def _integer(value: Any) -> int:
    """Twilio's string counts ("2") as int; missing counts are 0."""
    try:
        return int(value)
    except (TypeError, ValueError):
        return 0


def _decimal(value: Any) -> Decimal | None:
    """Twilio's string price ("-0.00790") as Decimal, or None while Twilio has not priced the message."""
    if value in (None, ""):
        return None
    try:
        return Decimal(str(value))
    except InvalidOperation:
        return None


# --- logging -----------------------------------------------------------------------------------------------------

_SECRETS = [
    re.compile(r"(?i)^.*authorization.*$", re.MULTILINE),  # a whole header line, whatever its format
    re.compile(r"(?i)\b(?:basic|bearer)\s+[A-Za-z0-9+/=._-]{8,}"),
    re.compile(r"\b[0-9a-f]{32}\b"),  # the shape of a Twilio auth token
]


def scrub(text: str) -> str:
    """`text` with anything shaped like a credential replaced by [redacted]."""
    for pattern in _SECRETS:
        text = pattern.sub("[redacted]", text)
    return text


@dataclass
class _ScrubbedLog:
    """The logger twilio's HTTP client writes to: its INFO chatter becomes DEBUG here, credentials scrubbed."""

    target: logging.Logger = field(default=http_logger)

    def info(self, message: object, *args: object) -> None:
        if self.target.isEnabledFor(logging.DEBUG):
            self.target.debug("%s", scrub(str(message) % args if args else str(message)))

    debug = info

    def warning(self, message: object, *args: object) -> None:
        self.target.warning("%s", scrub(str(message) % args if args else str(message)))
