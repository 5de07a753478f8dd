"""What the TwilioGateway tests share: a gateway on the sandbox, a message, and the checks of a raised error."""

from __future__ import annotations

import socket

import pytest

from messaging.gateways.base import OutboundMessage
from messaging.gateways.errors import ERROR_TABLE, GatewayError

HANDSET = "+14155551234"
THREE_SEGMENTS = "x" * 400


def message_for(sandbox_tenant, to: str = HANDSET, **kwargs) -> OutboundMessage:
    return OutboundMessage(to=to, from_=sandbox_tenant.sender, body=kwargs.pop("body", "Hello"), **kwargs)


def raised_by(call) -> GatewayError:
    with pytest.raises(GatewayError) as raised:
        call()
    return raised.value


def assert_error(error: GatewayError, expected: type[GatewayError], code: int, status: int) -> None:
    assert type(error) is expected, f"{type(error).__name__}: {error}"
    assert (error.code, error.http_status) == (code, status)
    assert (error.explanation, error.action) == (ERROR_TABLE[code].explanation, ERROR_TABLE[code].action)
    assert error.provider_message  # Twilio's own words, as the sandbox sent them
    assert str(code) in str(error)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]
