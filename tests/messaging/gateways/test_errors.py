"""The error table: every Twilio code we name maps to exactly one of our classes, with advice."""

from __future__ import annotations

import pickle

import pytest

from messaging.gateways.errors import (
    ERROR_CLASSES,
    ERROR_TABLE,
    ErrorKind,
    ErrorSource,
    GatewayError,
    MisconfiguredError,
    OptedOutError,
    OutcomeUnknownError,
    PermanentError,
    RetryableError,
    classify_async_error,
    error_for,
    outcome_unknown,
)

EXPECTED_CLASS = {
    # retryable
    20429: RetryableError,
    20500: RetryableError,
    20503: RetryableError,
    21611: RetryableError,
    30001: RetryableError,
    30003: RetryableError,
    30008: RetryableError,
    30022: RetryableError,
    30023: RetryableError,
    30027: RetryableError,
    30035: RetryableError,
    30036: RetryableError,
    30410: RetryableError,
    # opted out
    21610: OptedOutError,
    # permanent
    20404: PermanentError,
    21211: PermanentError,
    21421: PermanentError,
    21422: PermanentError,
    21479: PermanentError,
    21602: PermanentError,
    21603: PermanentError,
    21604: PermanentError,
    21612: PermanentError,
    21614: PermanentError,
    21617: PermanentError,
    21623: PermanentError,
    21624: PermanentError,
    21635: PermanentError,
    30004: PermanentError,
    30005: PermanentError,
    30006: PermanentError,
    30007: PermanentError,
    30024: PermanentError,
    30450: PermanentError,
    35114: PermanentError,
    35115: PermanentError,
    35117: PermanentError,
    # misconfigured
    20003: MisconfiguredError,
    20403: MisconfiguredError,
    21212: MisconfiguredError,
    21408: MisconfiguredError,
    21606: MisconfiguredError,
    21608: MisconfiguredError,
    21701: MisconfiguredError,
    21703: MisconfiguredError,
    30002: MisconfiguredError,
    30032: MisconfiguredError,
    30033: MisconfiguredError,
    30034: MisconfiguredError,
    35118: MisconfiguredError,
}


@pytest.mark.parametrize(("code", "expected"), sorted(EXPECTED_CLASS.items()))
def test_each_code_maps_to_exactly_its_class(code, expected):
    # when
    error = error_for(code, 400, "Twilio's words")

    # then
    assert type(error) is expected
    assert (error.code, error.http_status, error.provider_message) == (code, 400, "Twilio's words")
    assert error.explanation.strip() and error.action.strip() and error.title.strip()
    assert error.info is ERROR_TABLE[code]


def test_the_table_holds_exactly_the_expected_codes():
    assert set(ERROR_TABLE) == set(EXPECTED_CLASS)


@pytest.mark.parametrize("code", sorted(ERROR_TABLE))
def test_every_row_is_complete_and_consistent(code):
    info = ERROR_TABLE[code]

    assert info.code == code
    assert info.source in {ErrorSource.API, ErrorSource.ASYNC}
    assert info.explanation.endswith(".") and info.action.endswith(".")
    assert info.docs_url == f"https://www.twilio.com/docs/errors/{code}"
    # a wait is advice only for what may be retried; the rest must not suggest one
    assert (info.retry_after_seconds is not None) == (info.kind is ErrorKind.RETRYABLE)
    assert ERROR_CLASSES[info.kind] is EXPECTED_CLASS[code]


def test_limited_retries_are_capped():
    assert (ERROR_TABLE[30003].max_retries, ERROR_TABLE[30008].max_retries) == (2, 1)
    assert ERROR_TABLE[20429].max_retries is None


@pytest.mark.parametrize(
    ("code", "status", "expected"),
    [
        (29999, 400, PermanentError),
        (None, 400, PermanentError),
        (29999, 404, PermanentError),
        (None, 500, RetryableError),
        (29999, 502, RetryableError),
        (None, 503, RetryableError),
        (None, 429, RetryableError),
        (None, None, RetryableError),
    ],
)
def test_unlisted_failures_fall_back_on_the_http_status(code, status, expected):
    # when
    error = error_for(code, status)

    # then
    assert type(error) is expected
    assert (error.code, error.http_status) == (code, status)
    assert error.explanation and error.action


def test_an_unlisted_4xx_code_gets_a_generic_explanation_naming_it():
    error = error_for(29999, 400, "Something new")

    assert error.explanation == (
        "Twilio refused the request with error 29999 (HTTP 400), which this platform has no specific advice for."
    )
    assert error.info.kind is ErrorKind.PERMANENT
    assert str(error) == "Request refused by Twilio (code 29999, HTTP 400): Something new"


def test_a_failure_without_a_response_is_retryable_with_no_code():
    error = error_for(None, None, "ConnectionError while calling Twilio")

    assert type(error) is RetryableError
    assert (error.code, error.http_status, error.retry_after_seconds) == (None, None, 5)
    assert error.info.source is ErrorSource.TRANSPORT
    assert str(error) == "Twilio not reached (no response): ConnectionError while calling Twilio"


def test_a_plain_429_is_treated_as_20429():
    error = error_for(None, 429)

    assert type(error) is RetryableError
    assert error.retry_after_seconds == ERROR_TABLE[20429].retry_after_seconds


def test_the_message_shows_code_status_and_twilios_words():
    error = error_for(21610, 400, "Attempt to send to unsubscribed recipient")

    assert str(error) == "Recipient unsubscribed (code 21610, HTTP 400): Attempt to send to unsubscribed recipient"


def test_without_twilios_words_the_message_shows_our_explanation():
    error = error_for(21614, 400)

    assert str(error) == f"Not a mobile number (code 21614, HTTP 400): {ERROR_TABLE[21614].explanation}"


def test_an_error_class_fills_its_advice_from_the_table():
    error = OptedOutError(21610, 400)

    assert (error.explanation, error.action) == (ERROR_TABLE[21610].explanation, ERROR_TABLE[21610].action)
    assert error.kind is ErrorKind.OPTED_OUT


def test_outcome_unknown_keeps_the_cause_but_is_not_retryable():
    # given
    cause = error_for(None, 503, "Service Unavailable")

    # when
    error = outcome_unknown(cause)

    # then
    assert type(error) is OutcomeUnknownError
    assert not isinstance(error, RetryableError)
    assert (error.code, error.http_status, error.provider_message) == (None, 503, "Service Unavailable")
    assert error.explanation.endswith("The request may nevertheless have been carried out.")
    assert error.action.startswith("Do not resend blindly")


@pytest.mark.parametrize("code", [21610, 20429, None])
def test_errors_survive_pickling_with_every_attribute(code):
    error = error_for(code, 400 if code else None, "words")

    copy = pickle.loads(pickle.dumps(error))

    assert type(copy) is type(error)
    assert copy.__dict__ == error.__dict__
    assert str(copy) == str(error)


def test_every_error_is_a_gateway_error():
    assert all(issubclass(cls, GatewayError) for cls in ERROR_CLASSES.values())


@pytest.mark.parametrize(
    ("code", "kind"),
    [
        (30001, ErrorKind.RETRYABLE),
        (30002, ErrorKind.MISCONFIGURED),
        (30003, ErrorKind.RETRYABLE),
        (30005, ErrorKind.PERMANENT),
        (30006, ErrorKind.PERMANENT),
        (30007, ErrorKind.PERMANENT),
        (30034, ErrorKind.MISCONFIGURED),
        ("30036", ErrorKind.RETRYABLE),
    ],
)
def test_async_codes_from_callbacks_are_classified(code, kind):
    info = classify_async_error(code)

    assert (info.code, info.kind) == (int(code), kind)


def test_an_unknown_async_code_is_permanent_with_generic_advice():
    info = classify_async_error("30999")

    assert (info.code, info.kind, info.source) == (30999, ErrorKind.PERMANENT, ErrorSource.ASYNC)
    assert "30999" in info.explanation
    assert info.action == "Do not retry automatically; read https://www.twilio.com/docs/errors/30999."


@pytest.mark.parametrize("code", [30023, 30027])
def test_daily_caps_are_retried_hourly_for_at_most_a_day(code):
    info = classify_async_error(code)
    assert (info.retry_after_seconds, info.max_retries) == (3600, 24)
