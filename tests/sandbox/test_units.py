"""Pure parts of the sandbox: signatures, sender profiles, keywords, number validation, queue capacity."""

from __future__ import annotations

import pytest
from twilio.request_validator import RequestValidator

from sandbox import numbers
from sandbox.callbacks import compute_signature, parse_target
from sandbox.config import SandboxConfig, parse_delays, parse_mapping, parse_range
from sandbox.inbound import keyword_type, parse_twiml_messages
from sandbox.pacing import SenderLane
from sandbox.segments import segment_count
from sandbox.state import Message, Sender

TWILIO_VECTOR_URL = "https://mycompany.com/myapp.php?foo=1&bar=2"
TWILIO_VECTOR_PARAMS = {
    "CallSid": "CA1234567890ABCDE",
    "Digits": "1234",
    "From": "+14158675309",
    "To": "+18005551212",
    "Caller": "+14158675309",
}


def test_signature_matches_twilio_published_vector():
    # when
    signature = compute_signature("12345", TWILIO_VECTOR_URL, TWILIO_VECTOR_PARAMS.items())

    # then
    assert signature == "RSOYDt4T1cUTdK1PDd93/VVr8B8="


def test_signature_of_repeated_parameters_validates_with_twilio_request_validator():
    # given
    params = [("MediaUrl", "b"), ("MediaUrl", "a"), ("Body", "hi")]

    # when
    signature = compute_signature("token", "http://127.0.0.1:9/x", params)

    # then
    class MultiDict(dict):
        def getall(self, name):
            return [value for key, value in params if key == name]

    assert RequestValidator("token").validate("http://127.0.0.1:9/x", MultiDict(params), signature) is True


def test_fragment_overrides_are_read_and_not_signed():
    # when
    target = parse_target("http://example.test/cb?x=1#rc=3&tt=2500", SandboxConfig())

    # then
    assert (target.url, target.retries, target.timeout_s) == ("http://example.test/cb?x=1", 3, 2.5)


@pytest.mark.parametrize(
    ("address", "kind", "mps"),
    [
        ("+14155550100", "long_code", 1),
        ("+18005550100", "toll_free", 3),
        ("+18335550100", "toll_free", 3),
        ("+18885550100", "toll_free", 3),
        ("+447700900123", "long_code", 10),
        ("12345", "short_code", 100),
        ("123456", "short_code", 100),
        ("Switchboard", "alphanumeric", 10),
        ("ACME 2", "alphanumeric", 10),
    ],
)
def test_sender_profile_is_inferred_from_the_address(address, kind, mps):
    assert numbers.sender_profile(address) == numbers.SenderProfile(kind, mps)


@pytest.mark.parametrize("address", ["1234", "+", "not a sender id!", "ABCDEFGHIJKL"])
def test_sender_profile_rejects_what_is_no_sender(address):
    with pytest.raises(ValueError):
        numbers.sender_profile(address)


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ("STOP", "STOP"),
        ("  stop \n", "STOP"),
        ("StopAll", "STOP"),
        ("unsubscribe", "STOP"),
        ("Cancel", "STOP"),
        ("END", "STOP"),
        ("quit", "STOP"),
        ("REVOKE", "STOP"),
        ("optout", "STOP"),
        ("start", "START"),
        ("Yes", "START"),
        ("UNSTOP", "START"),
        ("help", "HELP"),
        ("INFO", "HELP"),
        ("Stop please", None),
        ("OPT OUT", None),
        ("", None),
    ],
)
def test_keywords_match_the_whole_trimmed_body_case_insensitively(body, expected):
    assert keyword_type(body) == expected


@pytest.mark.parametrize(
    ("number", "errors"),
    [
        ("+14155551234", []),
        ("+447700900123", []),
        ("+1415555123", ["TOO_SHORT"]),
        ("+141555512345", ["TOO_LONG"]),
        ("+14150551234", ["INVALID_BUT_POSSIBLE"]),
        ("+99912345678", ["INVALID_COUNTRY_CODE"]),
        ("4155551234", ["NOT_A_NUMBER"]),
        ("+1415abc1234", ["NOT_A_NUMBER"]),
    ],
)
def test_validation_errors_follow_lookup_v2_names(number, errors):
    assert numbers.validation_errors(number) == errors


@pytest.mark.parametrize(
    ("number", "code"),
    [
        ("+15553001234", 30003),
        ("+15555001234", 30005),
        ("+15556001234", 30006),
        ("+15557001234", 30007),
        ("+15552001234", 30006),
        ("+14155551234", None),
    ],
)
def test_default_ranges_decide_undelivered_codes(number, code):
    config = SandboxConfig()
    assert numbers.undelivered_code(number, config.undelivered_ranges, config.line_type_ranges) == code


def test_lane_holds_ten_hours_of_segments_or_the_validity_period():
    # given
    lane = SenderLane(Sender("PN1", "AC1", "+14155550100", "long_code", mps=3), hooks=None, queue_hours=10)

    # then
    assert (lane.capacity(36000), lane.capacity(600)) == (108000, 1800)


def test_lane_refuses_a_message_that_would_not_leave_within_its_validity():
    # given
    lane = SenderLane(Sender("PN1", "AC1", "+14155550100", "long_code", mps=1), hooks=None, queue_hours=10)
    lane.backlog_segments = 5
    message = Message("SM1", "AC1", "+14155551234", "+14155550100", "hi", "outbound-api", "queued", num_segments=1)

    # when
    message.validity_period = 5
    refused = not lane.can_accept(message)
    message.validity_period = 6
    accepted = lane.can_accept(message)

    # then
    assert (refused, accepted) == (True, True)


@pytest.mark.parametrize(
    ("value", "expected"),
    [(5, (5.0, 5.0)), ("2-8", (2.0, 8.0)), ([1, 3], (1.0, 3.0)), ("7", (7.0, 7.0))],
)
def test_latency_ranges_parse(value, expected):
    assert parse_range(value) == expected


def test_range_mappings_parse_from_flags():
    assert parse_mapping("+1555300=30003, +1555500=30005", int) == {"+1555300": 30003, "+1555500": 30005}


@pytest.mark.parametrize(
    ("body", "expected"),
    [("", (0, "GSM-7")), ("a" * 160, (1, "GSM-7")), ("a" * 161, (2, "GSM-7")), ("é" * 70, (1, "GSM-7")),
     ("ś" * 70, (1, "UCS-2")), ("ś" * 71, (2, "UCS-2"))],
)  # fmt: skip
def test_segment_counter(body, expected):
    assert segment_count(body) == expected


def test_segment_counter_applies_smart_encoding_when_asked():
    assert (segment_count("“hi”"), segment_count("“hi”", True)) == ((1, "UCS-2"), (1, "GSM-7"))


def test_twiml_messages_are_parsed():
    # given
    twiml = '<Response><Message>Thanks!</Message><Message to="+14155550000"><Body>Hi</Body></Message></Response>'

    # then
    assert parse_twiml_messages(twiml) == [("", "Thanks!", ()), ("+14155550000", "Hi", ())]
    assert parse_twiml_messages("not xml") == []


def test_scripted_delivery_delays_parse_from_flags_and_json():
    assert parse_delays("+1416555=300/200/0, +1415=50") == {"+1416555": [300.0, 200.0, 0.0], "+1415": [50.0]}
    assert parse_delays({"+1416": [1, 2.5]}) == {"+1416": [1.0, 2.5]}


@pytest.mark.parametrize("value", ["+1416=", "+1416=-5", {"+1416": []}, "+1416=soon"])
def test_scripted_delivery_delays_refuse_what_is_no_delay(value):
    with pytest.raises(ValueError):
        parse_delays(value)
