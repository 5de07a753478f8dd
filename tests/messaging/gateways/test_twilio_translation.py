"""How TwilioGateway translates twilio-python's exceptions, for failures the sandbox cannot produce (5xx, odd
bodies, each kind of network failure). No HTTP: the calls raise what twilio-python or requests would raise."""

from __future__ import annotations

import pytest
import requests
from twilio.base.exceptions import TwilioException, TwilioRestException, TwilioServiceException
from urllib3.exceptions import MaxRetryError, NewConnectionError, ProtocolError

from messaging.gateways.errors import (
    MisconfiguredError,
    OptedOutError,
    OutcomeUnknownError,
    PermanentError,
    RetryableError,
)
from messaging.gateways.twilio import _call

URI = "/2010-04-01/Accounts/AC1/Messages.json"


def _raising(exc: Exception):
    def request():
        raise exc

    return request


def _refused() -> requests.ConnectionError:
    reason = NewConnectionError(None, "Failed to establish a new connection: [Errno 111] Connection refused")
    return requests.ConnectionError(MaxRetryError(None, URI, reason))


def _dropped() -> requests.ConnectionError:
    return requests.ConnectionError(ProtocolError("Connection aborted.", ConnectionResetError(104, "reset")))


@pytest.mark.parametrize(
    ("exc", "creates", "expected", "code", "status"),
    [
        (TwilioRestException(400, URI, "Unable to create record: Unsubscribed", 21610, "POST"), True,
         OptedOutError, 21610, 400),
        (TwilioRestException(401, URI, "Unable to fetch record: Authenticate", 20003), False,
         MisconfiguredError, 20003, 401),
        (TwilioRestException(429, URI, "Too Many Requests", 20429, "POST"), True, RetryableError, 20429, 429),
        (TwilioRestException(500, URI, "Unable to fetch record", 500), False, RetryableError, None, 500),
        (TwilioRestException(500, URI, "Unable to create record", 500, "POST"), True,
         OutcomeUnknownError, None, 500),
        (TwilioRestException(503, URI, "Unable to create record: busy", 20503, "POST"), True,
         OutcomeUnknownError, 20503, 503),
        (TwilioRestException(404, URI, "Unable to fetch record", 404), False, PermanentError, None, 404),
        (TwilioServiceException("https://twilio.com/e/21211", "Invalid 'To'", 400, 21211, method="POST"), True,
         PermanentError, 21211, 400),
        (requests.ConnectTimeout("connect timed out"), True, RetryableError, None, None),
        (_refused(), True, RetryableError, None, None),
        (requests.ReadTimeout("read timed out"), True, OutcomeUnknownError, None, None),
        (requests.ReadTimeout("read timed out"), False, RetryableError, None, None),
        (_dropped(), True, OutcomeUnknownError, None, None),
        (_dropped(), False, RetryableError, None, None),
        (TwilioException("could not parse"), True, OutcomeUnknownError, None, None),
        (TwilioException("could not parse"), False, RetryableError, None, None),
    ],
)  # fmt: skip
def test_failures_are_translated_by_the_table(exc, creates, expected, code, status):
    with pytest.raises(expected) as raised:
        _call(_raising(exc), creates=creates)

    assert type(raised.value) is expected
    assert (raised.value.code, raised.value.http_status) == (code, status)
    assert raised.value.__cause__ is exc


def test_twilios_words_are_kept_without_the_client_prefix():
    exc = TwilioRestException(400, URI, "Unable to create record: Attempt to send to unsubscribed recipient", 21610)

    with pytest.raises(OptedOutError) as raised:
        _call(_raising(exc), creates=True)

    assert raised.value.provider_message == "Attempt to send to unsubscribed recipient"


def test_a_successful_call_returns_its_value():
    assert _call(lambda: 42) == 42
