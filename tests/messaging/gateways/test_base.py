"""The gateway's value types: outbound message validation and secrets kept out of repr()."""

from __future__ import annotations

import inspect
import logging

import pytest

from messaging.gateways.base import Credentials, OutboundMessage, SmsGateway, Subaccount
from messaging.gateways.fake import FakeGateway
from messaging.gateways.twilio import TwilioGateway

TOKEN = "0123456789abcdef0123456789abcdef"


@pytest.mark.parametrize(
    "kwargs",
    [
        {"to": "+14155551234", "body": "hi", "from_": "+14155550100"},
        {"to": "+14155551234", "body": "hi", "messaging_service_sid": "MG" + "1" * 32},
        {"to": "+14155551234", "media_urls": ["https://m.example/a.png"], "from_": "+14155550100"},
        {"to": "+14155551234", "body": "hi", "from_": "+14155550100", "validity_period": 36_000},
        {"to": "+14155551234", "body": "x" * 1601, "from_": "+14155550100"},  # Twilio's limit, Twilio's answer
        {"to": "+14155551234", "body": "hi", "from_": "+1", "status_callback": "https://a-b.example/s?x_y=1"},
    ],
)
def test_well_formed_messages_are_accepted(kwargs):
    message = OutboundMessage(**kwargs)

    assert message.to == "+14155551234"
    assert isinstance(message.media_urls, tuple)


@pytest.mark.parametrize(
    ("kwargs", "problem"),
    [
        ({"to": "", "body": "hi", "from_": "+1"}, "a message needs a 'to' number"),
        ({"to": "+1", "body": "hi"}, "give exactly one of from_ and messaging_service_sid"),
        (
            {"to": "+1", "body": "hi", "from_": "+1", "messaging_service_sid": "MG1"},
            "give exactly one of from_ and messaging_service_sid",
        ),
        ({"to": "+1", "from_": "+1"}, "a message needs a body or at least one media URL"),
        ({"to": "+1", "from_": "+1", "media_urls": ["u"] * 11}, "at most 10 media URLs per message"),
        ({"to": "+1", "body": "hi", "from_": "+1", "validity_period": 0}, "validity_period must be 1..36000 seconds"),
        (
            {"to": "+1", "body": "hi", "from_": "+1", "validity_period": 36_001},
            "validity_period must be 1..36000 seconds",
        ),
        (
            {"to": "+1", "body": "hi", "from_": "+1", "status_callback": "https://my_app.example/status"},
            "Twilio refuses status callback hosts that contain an underscore",
        ),
    ],
)
def test_malformed_messages_are_refused_before_any_request(kwargs, problem):
    with pytest.raises(ValueError) as raised:
        OutboundMessage(**kwargs)

    assert str(raised.value) == problem


def test_messages_are_hashable_values():
    first = OutboundMessage(to="+1", body="hi", from_="+2", media_urls=["a"])
    second = OutboundMessage(to="+1", body="hi", from_="+2", media_urls=("a",))

    assert first == second
    assert hash(first) == hash(second)


def test_auth_tokens_never_appear_in_repr_str_or_logs(caplog):
    # given
    credentials = Credentials("AC" + "1" * 32, TOKEN)
    subaccount = Subaccount("AC" + "2" * 32, "active", "Acme", TOKEN)

    # when
    with caplog.at_level(logging.DEBUG):
        logging.getLogger("test").debug("using %s and %r", credentials, subaccount)

    # then
    for text in (repr(credentials), str(credentials), repr(subaccount), str(subaccount), caplog.text):
        assert TOKEN not in text
    assert repr(credentials) == f"Credentials(account_sid='AC{'1' * 32}')"
    assert subaccount.credentials == Credentials("AC" + "2" * 32, TOKEN)


# --- the protocol, as each implementation follows it --------------------------------------------------------------

PROTOCOL_METHODS = sorted(
    name for name in vars(SmsGateway) if not name.startswith("_") and callable(vars(SmsGateway)[name])
)


def _shape(function) -> tuple:
    """What a caller relies on: each parameter's name, kind and default, and the annotations as written."""
    signature = inspect.signature(function)
    parameters = [(p.name, p.kind, p.default, str(p.annotation)) for p in signature.parameters.values()]
    return parameters, str(signature.return_annotation)


def test_the_protocol_lists_every_provider_operation():
    assert PROTOCOL_METHODS == [
        "cancel_message",
        "close_subaccount",
        "create_subaccount",
        "fetch_message",
        "find_messages",
        "find_subaccount",
        "list_incoming_numbers",
        "lookup_line_type",
        "provision_number",
        "reactivate_subaccount",
        "send",
        "set_number_sms_url",
        "suspend_subaccount",
        "validate_signature",
    ]


@pytest.mark.parametrize("implementation", [FakeGateway, TwilioGateway], ids=["fake", "twilio"])
@pytest.mark.parametrize("method", PROTOCOL_METHODS)
def test_each_gateway_takes_exactly_the_protocols_arguments(implementation, method):
    assert _shape(getattr(implementation, method)) == _shape(getattr(SmsGateway, method))
