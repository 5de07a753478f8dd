"""The signature scheme: HMAC-SHA256 over "<t>.<body>" under the whole secret, one v1 per valid secret, checked
within five minutes either side."""

from __future__ import annotations

import hashlib
import hmac

import pytest

from messaging.domain.webhooks.signing import (
    SignatureInvalid,
    parse_header,
    secret_from_bytes,
    signature,
    signature_header,
    verify,
)

SECRET = "whsec_c2VjcmV0LXNpZ25pbmcta2V5LTEyMzQ1Njc4"
OLD = "whsec_b2xkLXNpZ25pbmcta2V5LTEyMzQ1Njc4OTA"
BODY = b'{"id":"e1","type":"message.delivered","occurred_at":"2026-12-01T12:05:00Z","data":{}}'
T = 1_796_126_700


def test_the_signature_is_hmac_sha256_of_the_timestamp_a_dot_and_the_body_under_the_whole_secret():
    expected = hmac.new(SECRET.encode(), f"{T}.".encode() + BODY, hashlib.sha256).hexdigest()
    assert signature(secret=SECRET, timestamp=T, body=BODY) == expected
    assert len(expected) == 64


def test_the_header_carries_the_timestamp_then_one_v1_per_secret_newest_first():
    header = signature_header(secrets=[SECRET, OLD], timestamp=T, body=BODY)
    new, old = signature(secret=SECRET, timestamp=T, body=BODY), signature(secret=OLD, timestamp=T, body=BODY)
    assert header == f"t={T},v1={new},v1={old}"


def test_a_header_needs_a_secret():
    with pytest.raises(ValueError, match="at least one secret"):
        signature_header(secrets=[], timestamp=T, body=BODY)


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("t=12,v1=ab", (12, ["ab"])),
        (" t=12 , v1=ab , v1=cd ", (12, ["ab", "cd"])),
        ("v1=ab,t=12,v0=zz,x=1", (12, ["ab"])),
    ],
)
def test_a_header_is_parsed_whatever_the_order_and_spaces(header, expected):
    assert parse_header(header) == expected


@pytest.mark.parametrize(
    ("header", "reason"),
    [
        ("", "no timestamp"),
        ("v1=ab", "no timestamp"),
        ("t=soon,v1=ab", "no timestamp"),
        ("t=12", "no v1 signature"),
        ("t=12,v1=", "no v1 signature"),
    ],
)
def test_a_malformed_header_is_refused_naming_what_is_missing(header, reason):
    with pytest.raises(SignatureInvalid, match=reason):
        parse_header(header)


def _signed(secrets=(SECRET,), timestamp=T, body=BODY) -> str:
    return signature_header(secrets=list(secrets), timestamp=timestamp, body=body)


@pytest.mark.parametrize(
    ("header", "secret", "body", "now", "outcome"),
    [
        (_signed(), SECRET, BODY, T, T),
        (_signed(), SECRET, BODY, T + 300, T),  # five minutes late: still accepted
        (_signed(), SECRET, BODY, T - 300, T),  # the sender's clock five minutes ahead
        (_signed(secrets=(SECRET, OLD)), OLD, BODY, T, T),  # a receiver still on the previous secret
        (_signed(secrets=(SECRET, OLD)), SECRET, BODY, T, T),
        (_signed(), SECRET, BODY, T + 301, "the timestamp is 301 s from now, more than 300 s"),
        (_signed(), SECRET, BODY, T - 301, "the timestamp is 301 s from now, more than 300 s"),
        (_signed(), OLD, BODY, T, "no signature matches this secret and body"),
        (_signed(), SECRET, BODY + b" ", T, "no signature matches this secret and body"),
        (_signed(timestamp=T + 1).replace(f"t={T + 1}", f"t={T}"), SECRET, BODY, T, "no signature matches"),
    ],
)
def test_verification(header, secret, body, now, outcome):
    if isinstance(outcome, int):
        assert verify(header=header, body=body, secret=secret, now=now) == outcome
    else:
        with pytest.raises(SignatureInvalid, match=outcome):
            verify(header=header, body=body, secret=secret, now=now)


def test_the_tolerance_is_an_argument():
    assert verify(header=_signed(), body=BODY, secret=SECRET, now=T + 3600, tolerance=3600) == T


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (bytes(16), "whsec_AAAAAAAAAAAAAAAAAAAAAA"),
        (bytes(range(24)), "whsec_AAECAwQFBgcICQoLDA0ODxAREhMUFRYX"),
        (b"\xff" * 18, "whsec_________________________"),
    ],
)
def test_a_secret_is_whsec_and_unpadded_url_safe_base64_of_its_random_bytes(raw, expected):
    assert secret_from_bytes(raw) == expected


def test_a_secret_needs_enough_randomness():
    with pytest.raises(ValueError, match="at least 16 random bytes"):
        secret_from_bytes(bytes(15))
