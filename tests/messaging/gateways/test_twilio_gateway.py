"""TwilioGateway against the local Twilio sandbox: the real twilio client, real HTTP, Twilio's error bodies.

The acceptance criterion: every Twilio error the platform names surfaces through the gateway as the right
class, with Twilio's code, the HTTP status and our explanation. Fixtures come from tests/fixtures/sandbox.py.
"""

from __future__ import annotations

import base64
import logging
import re
from decimal import Decimal

import pytest

from messaging.gateways.base import Credentials, OutboundMessage
from messaging.gateways.errors import (
    TRANSPORT_ERROR,
    ErrorKind,
    MisconfiguredError,
    OptedOutError,
    OutcomeUnknownError,
    PermanentError,
    RetryableError,
    classify_async_error,
)
from messaging.gateways.twilio import TwilioGatewayConfig, scrub
from tests.messaging.gateways.twilio_helpers import (
    HANDSET,
    THREE_SEGMENTS,
    assert_error,
    free_port,
    message_for,
    raised_by,
)

pytestmark = pytest.mark.integration


# --- sending -------------------------------------------------------------------------------------------------


def test_a_send_returns_the_created_message(gateway, sandbox, sandbox_tenant, tenant):
    # when
    result = gateway.send(tenant, message_for(sandbox_tenant, body=THREE_SEGMENTS, validity_period=600))

    # then
    assert re.fullmatch(r"SM[0-9a-f]{32}", result.sid)
    assert (result.status, result.num_segments, result.error_code) == ("queued", 3, None)
    assert (result.account_sid, result.to, result.from_) == (tenant.account_sid, HANDSET, sandbox_tenant.sender)
    assert result.date_created is not None
    stored = sandbox.message(result.sid)
    assert (stored["body"], stored["validity_period"]) == (THREE_SEGMENTS, 600)


@pytest.mark.parametrize(("smart_encoding", "encoding"), [(True, "GSM-7"), (False, "UCS-2")])
def test_media_smart_encoding_and_status_callback_reach_twilio(
    gateway, sandbox, sandbox_tenant, tenant, callback_receiver, smart_encoding, encoding
):
    # when
    result = gateway.send(
        tenant,
        message_for(
            sandbox_tenant,
            body="\u201cSmart\u201d quotes",
            media_urls=("https://media.example/a.png",),
            status_callback=callback_receiver.url("/webhooks/status"),
            smart_encoding=smart_encoding,
        ),
    )

    # then
    stored = sandbox.message(result.sid)
    assert result.sid.startswith("MM")
    assert (stored["media_urls"], stored["encoding"]) == (["https://media.example/a.png"], encoding)
    callback = callback_receiver.wait_for(1, path="/webhooks/status")[0]
    assert callback.form["MessageSid"] == result.sid


def test_a_delivered_message_is_fetched_with_its_price(gateway, sandbox, sandbox_tenant, tenant):
    # given
    sent = gateway.send(tenant, message_for(sandbox_tenant))
    sandbox.wait_for_status(sent.sid, "delivered")

    # when
    info = gateway.fetch_message(tenant, sent.sid)

    # then
    assert (info.sid, info.status, info.direction, info.num_segments) == (sent.sid, "delivered", "outbound-api", 1)
    assert (info.error_code, info.price_unit) == (None, "USD")
    assert isinstance(info.price, Decimal)
    assert info.date_sent is not None


def test_a_messaging_service_send_is_accepted_before_a_sender_is_chosen(gateway, sandbox_tenant, tenant):
    # given: a service whose pool holds the tenant's number
    client = sandbox_tenant.client
    service = client.messaging.v1.services.create(friendly_name="pool")
    number = client.incoming_phone_numbers.list(phone_number=sandbox_tenant.sender)[0]
    client.messaging.v1.services(service.sid).phone_numbers.create(phone_number_sid=number.sid)

    # when
    result = gateway.send(tenant, OutboundMessage(to=HANDSET, body="Hi", messaging_service_sid=service.sid))

    # then
    assert (result.status, result.num_segments, result.from_) == ("accepted", 0, None)
    assert result.messaging_service_sid == service.sid


def test_a_waiting_message_can_be_canceled(gateway, sandbox, sandbox_tenant, tenant):
    # given: at 1 MPS the second message waits behind a three-segment one
    sandbox.update_sender(sandbox_tenant.sender, mps=1)
    gateway.send(tenant, message_for(sandbox_tenant, body=THREE_SEGMENTS))
    waiting = gateway.send(tenant, message_for(sandbox_tenant, body="never mind"))

    # when
    canceled = gateway.cancel_message(tenant, waiting.sid)

    # then
    assert canceled.status == "canceled"
    assert sandbox.message(waiting.sid)["segment_times"] == []


# --- every named Twilio error, through the gateway -----------------------------------------------------------


@pytest.mark.parametrize(
    ("to", "expected", "code"),
    [
        ("+15005550001", PermanentError, 21211),
        ("+15005550002", PermanentError, 21612),
        ("+15005550003", MisconfiguredError, 21408),
        ("+15005550004", OptedOutError, 21610),
        ("+15005550009", PermanentError, 21614),
        ("not-a-number", PermanentError, 21211),
    ],
)
def test_twilio_test_numbers_fail_with_their_error(gateway, sandbox, sandbox_tenant, tenant, to, expected, code):
    # when
    error = raised_by(lambda: gateway.send(tenant, message_for(sandbox_tenant, to=to)))

    # then
    assert_error(error, expected, code, 400)
    assert sandbox.messages() == []


def test_a_recipient_who_sent_stop_is_opted_out(gateway, sandbox, sandbox_tenant, tenant):
    # given
    sandbox.post_inbound(HANDSET, sandbox_tenant.sender, "STOP")

    # when
    error = raised_by(lambda: gateway.send(tenant, message_for(sandbox_tenant)))

    # then
    assert_error(error, OptedOutError, 21610, 400)
    assert sandbox.messages(direction="outbound-api") == []  # only STOP and Twilio's own auto-reply exist


def test_a_full_sender_queue_is_retryable_21611(gateway, sandbox, sandbox_tenant, tenant):
    # given: at 1 MPS a three-segment message keeps two segments queued for two seconds
    sandbox.update_sender(sandbox_tenant.sender, mps=1)
    gateway.send(tenant, message_for(sandbox_tenant, body=THREE_SEGMENTS))

    # when: a message that must leave within 2 s does not fit behind it
    error = raised_by(lambda: gateway.send(tenant, message_for(sandbox_tenant, body="late", validity_period=2)))

    # then
    assert_error(error, RetryableError, 21611, 400)
    assert error.retry_after_seconds == 300
    assert [m["body"] for m in sandbox.messages()] == [THREE_SEGMENTS]


def test_a_body_over_1600_characters_is_permanent_21617(gateway, sandbox, sandbox_tenant, tenant):
    error = raised_by(lambda: gateway.send(tenant, message_for(sandbox_tenant, body="x" * 1601)))

    assert_error(error, PermanentError, 21617, 400)
    assert sandbox.messages() == []


def test_wrong_credentials_are_misconfigured_20003(gateway, sandbox, sandbox_tenant):
    wrong = Credentials(sandbox_tenant.sid, "0" * 32)

    error = raised_by(lambda: gateway.send(wrong, message_for(sandbox_tenant)))

    assert_error(error, MisconfiguredError, 20003, 401)
    assert sandbox.messages() == []


def test_too_many_concurrent_requests_is_retryable_20429_even_for_a_send(gateway, sandbox, sandbox_tenant, tenant):
    # given: no request may be in flight, so every one is turned away unprocessed
    sandbox.set_config(concurrency_limit=0)

    # when
    error = raised_by(lambda: gateway.send(tenant, message_for(sandbox_tenant)))

    # then: Twilio never processed it, so it is plainly retryable, not "outcome unknown"
    assert_error(error, RetryableError, 20429, 429)
    assert error.retry_after_seconds == 1
    sandbox.set_config(concurrency_limit=20)
    assert sandbox.messages() == []


def test_a_number_the_account_does_not_own_is_misconfigured_21606(gateway, sandbox, sandbox_tenant, tenant):
    message = OutboundMessage(to=HANDSET, body="Hi", from_="+14155550999")

    error = raised_by(lambda: gateway.send(tenant, message))

    assert_error(error, MisconfiguredError, 21606, 400)


def test_an_unknown_messaging_service_is_misconfigured_21701(gateway, sandbox_tenant, tenant):
    message = OutboundMessage(to=HANDSET, body="Hi", messaging_service_sid="MG" + "0" * 32)

    error = raised_by(lambda: gateway.send(tenant, message))

    assert_error(error, MisconfiguredError, 21701, 400)


def test_a_suspended_subaccount_cannot_send(gateway, sandbox, sandbox_tenant, tenant):
    # given
    gateway.suspend_subaccount(tenant.account_sid)

    # when
    error = raised_by(lambda: gateway.send(tenant, message_for(sandbox_tenant)))

    # then
    assert_error(error, MisconfiguredError, 20403, 403)
    assert sandbox.messages() == []


def test_an_unknown_message_is_not_found_20404(gateway, tenant):
    error = raised_by(lambda: gateway.fetch_message(tenant, "SM" + "0" * 32))

    assert_error(error, PermanentError, 20404, 404)


@pytest.mark.parametrize(
    ("to", "code", "kind"),
    [
        ("+15553000001", 30003, ErrorKind.RETRYABLE),
        ("+15555000001", 30005, ErrorKind.PERMANENT),
        ("+15556000001", 30006, ErrorKind.PERMANENT),
        ("+15557000001", 30007, ErrorKind.PERMANENT),
    ],
)
def test_carrier_errors_arrive_on_the_fetched_message_and_are_classified(
    gateway, sandbox, sandbox_tenant, tenant, to, code, kind
):
    # given
    sent = gateway.send(tenant, message_for(sandbox_tenant, to=to))
    sandbox.wait_for_status(sent.sid, "undelivered")

    # when
    info = gateway.fetch_message(tenant, sent.sid)

    # then
    assert (info.status, info.error_code) == ("undelivered", code)
    assert info.error_message
    assert classify_async_error(info.error_code).kind is kind


# --- failures without a Twilio answer ------------------------------------------------------------------------


def test_nothing_listening_is_retryable_with_no_code_even_for_a_send(sandbox, sandbox_tenant, tenant):
    # given: a port nobody listens on, so the connection is refused before anything is sent
    gateway = sandbox.gateway(base_url=f"http://127.0.0.1:{free_port()}")

    # when
    error = raised_by(lambda: gateway.send(tenant, message_for(sandbox_tenant)))

    # then
    assert type(error) is RetryableError
    assert (error.code, error.http_status) == (None, None)
    assert (error.explanation, error.action) == (TRANSPORT_ERROR.explanation, TRANSPORT_ERROR.action)
    assert sandbox.messages() == []


def test_a_send_that_times_out_has_an_unknown_outcome(sandbox, sandbox_tenant, tenant):
    # given: Twilio answers after 1 s, the gateway waits 0.3 s
    sandbox.set_config(request_delay_ms=1000)
    gateway = sandbox.gateway(timeout=0.3)

    # when
    error = raised_by(lambda: gateway.send(tenant, message_for(sandbox_tenant)))

    # then: Twilio may have created the message after the client gave up, so no blind retry
    assert type(error) is OutcomeUnknownError
    assert not isinstance(error, RetryableError)
    assert (error.code, error.http_status) == (None, None)
    assert error.action.startswith("Do not resend blindly")
    sandbox.set_config(request_delay_ms=0)


def test_a_read_that_times_out_is_simply_retryable(sandbox, sandbox_tenant, tenant):
    # given
    sent = sandbox.gateway().send(tenant, message_for(sandbox_tenant))
    sandbox.set_config(request_delay_ms=1000)
    gateway = sandbox.gateway(timeout=0.3)

    # when
    error = raised_by(lambda: gateway.fetch_message(tenant, sent.sid))

    # then
    assert type(error) is RetryableError
    sandbox.set_config(request_delay_ms=0)


# --- secrets never reach the logs ----------------------------------------------------------------------------


def test_no_token_or_authorization_header_is_logged_at_debug(gateway, sandbox, sandbox_tenant, tenant, caplog):
    # given: everything at DEBUG, including requests/urllib3 and twilio's own loggers
    caplog.set_level(logging.DEBUG)

    # when: a send as the subaccount, and subaccount creation (whose answer carries a new token)
    gateway.send(tenant, message_for(sandbox_tenant))
    created = gateway.create_subaccount("Secret keeper")
    raised_by(lambda: gateway.send(Credentials(tenant.account_sid, "f" * 32), message_for(sandbox_tenant)))

    # then: twilio's request logging was captured (so the check below means something) ...
    http_lines = [r.getMessage() for r in caplog.records if r.name == "messaging.gateways.twilio.http"]
    assert any("POST Request: " in line for line in http_lines)
    # ... and no secret appears anywhere
    basic = base64.b64encode(f"{tenant.account_sid}:{tenant.auth_token}".encode()).decode()
    for secret in (tenant.auth_token, sandbox.auth_token, created.auth_token, "f" * 32, basic):
        assert secret not in caplog.text
    assert "authorization" not in caplog.text.lower()


def test_scrub_removes_credential_shapes():
    hex32 = "0123456789abcdef" * 2
    text = f"Authorization: Basic QUMxOnNlY3JldA==\ntoken {hex32} in SM{hex32}, sent with Basic QUMxOnNlY3JldA=="

    assert scrub(text) == f"[redacted]\ntoken [redacted] in SM{hex32}, sent with [redacted]"


# --- configuration -------------------------------------------------------------------------------------------


def test_config_from_settings(settings):
    # given
    settings.TWILIO_ACCOUNT_SID = "AC" + "1" * 32
    settings.TWILIO_AUTH_TOKEN = "2" * 32
    settings.TWILIO_API_BASE_URL = "http://127.0.0.1:8025"
    settings.TWILIO_LOOKUPS_BASE_URL = "http://127.0.0.1:8026"
    settings.TWILIO_MESSAGING_BASE_URL = ""
    settings.TWILIO_HTTP_TIMEOUT = 2.5

    # when
    config = TwilioGatewayConfig.from_settings()

    # then
    assert config == TwilioGatewayConfig(
        main_credentials=Credentials("AC" + "1" * 32, "2" * 32),
        api_base_url="http://127.0.0.1:8025",
        lookups_base_url="http://127.0.0.1:8026",
        messaging_base_url="http://127.0.0.1:8025",  # unset: the sandbox serves every product on one host
        timeout_seconds=2.5,
    )
    assert "2" * 32 not in repr(config)


def test_unset_product_urls_default_to_twilios_hosts_when_the_api_is_twilios(settings):
    settings.TWILIO_API_BASE_URL = "https://api.twilio.com"
    settings.TWILIO_LOOKUPS_BASE_URL = ""
    settings.TWILIO_MESSAGING_BASE_URL = ""

    config = TwilioGatewayConfig.from_settings()

    assert (config.lookups_base_url, config.messaging_base_url) == (
        "https://lookups.twilio.com",
        "https://messaging.twilio.com",
    )


def test_twilio_edge_and_region_in_the_environment_do_not_redirect_requests(monkeypatch, gateway, tenant):
    # given: variables that would make twilio-python rewrite hosts into *.twilio.com
    monkeypatch.setenv("TWILIO_EDGE", "sydney")
    monkeypatch.setenv("TWILIO_REGION", "au1")

    # when / then: the request still goes to the configured sandbox
    assert gateway.lookup_line_type(tenant, HANDSET).valid is True
