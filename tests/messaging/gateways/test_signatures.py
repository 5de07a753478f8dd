"""X-Twilio-Signature: Twilio's published vector, tampering, multi-valued and JSON bodies, and proxy URLs.

Each check runs through our pure helper (used by the fake gateway) and through TwilioGateway, which delegates to
twilio's own RequestValidator, so the two are proven to agree.
"""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from messaging.gateways.base import Credentials
from messaging.gateways.fake import FakeGateway
from messaging.gateways.signatures import (
    body_sha256,
    compute_signature,
    param_lists,
    public_url_for,
    request_public_url,
    signature_matches,
)
from messaging.gateways.twilio import TwilioGateway, TwilioGatewayConfig

# twilio-python's tests/unit/test_request_validator.py (reference/twilio.md §2.3)
TOKEN = "12345"
URL = "https://mycompany.com/myapp.php?foo=1&bar=2"
PARAMS = {
    "CallSid": "CA1234567890ABCDE",
    "Digits": "1234",
    "From": "+14158675309",
    "To": "+18005551212",
    "Caller": "+14158675309",
}
SIGNATURE = "RSOYDt4T1cUTdK1PDd93/VVr8B8="
JSON_BODY = '{"property": "value", "boolean": true}'
JSON_BODY_HASH = "0a1ff7634d9ab3b95db5c9a2dfe9416e41502b283a80c7cf19632632f96e6620"

VALIDATORS = {
    "pure": lambda token, url, params, signature: signature_matches(token, url, params, signature),
    "twilio": lambda token, url, params, signature: TwilioGateway(
        TwilioGatewayConfig(Credentials("AC" + "0" * 32, "unused"))
    ).validate_signature(auth_token=token, url=url, params=params, signature=signature),
    "fake": lambda token, url, params, signature: FakeGateway().validate_signature(
        auth_token=token, url=url, params=params, signature=signature
    ),
}


@pytest.fixture(params=sorted(VALIDATORS))
def validate(request):
    return VALIDATORS[request.param]


class MultiValueParams:
    """What Django's QueryDict looks like to a validator: iteration over names, getlist() per name."""

    def __init__(self, pairs: list[tuple[str, str]]) -> None:
        self.pairs = pairs

    def __iter__(self):
        return iter(dict.fromkeys(name for name, _ in self.pairs))

    def getlist(self, name: str) -> list[str]:
        return [value for key, value in self.pairs if key == name]


def test_the_published_vector_computes_to_the_published_signature():
    assert compute_signature(TOKEN, URL, PARAMS) == SIGNATURE


def test_the_published_vector_validates(validate):
    assert validate(TOKEN, URL, PARAMS, SIGNATURE) is True


def test_the_url_with_the_default_port_also_validates(validate):
    assert validate(TOKEN, "https://mycompany.com:443/myapp.php?foo=1&bar=2", PARAMS, SIGNATURE) is True


def test_a_url_signed_with_a_port_validates_only_with_that_port_or_none(validate):
    # twilio's validator tries the URL as given and with the port stripped (or the default one added)
    signed = "https://mycompany.com:8443/myapp.php"
    signature = compute_signature(TOKEN, signed, PARAMS)

    assert validate(TOKEN, signed, PARAMS, signature) is True
    assert validate(TOKEN, "https://mycompany.com:9443/myapp.php", PARAMS, signature) is False
    assert validate(TOKEN, "https://mycompany.com/myapp.php", PARAMS, signature) is False


@pytest.mark.parametrize(
    ("token", "url", "params", "signature"),
    [
        pytest.param(TOKEN, URL, {**PARAMS, "Digits": "1235"}, SIGNATURE, id="tampered value"),
        pytest.param(TOKEN, URL, {**PARAMS, "Extra": "1"}, SIGNATURE, id="added parameter"),
        pytest.param(TOKEN, URL, {k: v for k, v in PARAMS.items() if k != "To"}, SIGNATURE, id="dropped parameter"),
        pytest.param("54321", URL, PARAMS, SIGNATURE, id="wrong token"),
        pytest.param(TOKEN, "https://mycompany.com/myapp.php?foo=1&bar=3", PARAMS, SIGNATURE, id="wrong query"),
        pytest.param(TOKEN, "http://mycompany.com/myapp.php?foo=1&bar=2", PARAMS, SIGNATURE, id="wrong scheme"),
        pytest.param(TOKEN, "https://evil.example/myapp.php?foo=1&bar=2", PARAMS, SIGNATURE, id="wrong host"),
        pytest.param(TOKEN, URL, PARAMS, "", id="no signature"),
        pytest.param(TOKEN, URL, PARAMS, "RSOYDt4T1cUTdK1PDd93/VVr8B8", id="truncated signature"),
    ],
)
def test_anything_changed_fails(validate, token, url, params, signature):
    assert validate(token, url, params, signature) is False


def test_repeated_names_sign_sorted_unique_values(validate):
    # given: two media URLs under one name, in the order a webhook may carry them
    pairs = [("MediaUrl", "https://m.example/b"), ("Body", "hi"), ("MediaUrl", "https://m.example/a")]
    url = "https://app.example/webhooks/inbound"
    expected = compute_signature(TOKEN, url + "Bodyhi" + "MediaUrlhttps://m.example/a" + "MediaUrlhttps://m.example/b")

    # then: a QueryDict-like object and a dict of lists both validate
    assert compute_signature(TOKEN, url, MultiValueParams(pairs)) == expected
    assert validate(TOKEN, url, MultiValueParams(pairs), expected) is True
    assert validate(TOKEN, url, param_lists(MultiValueParams(pairs)), expected) is True
    assert validate(TOKEN, url, {"Body": "hi", "MediaUrl": "https://m.example/a"}, expected) is False


def test_the_body_hash_matches_the_published_value():
    assert body_sha256(JSON_BODY) == JSON_BODY_HASH


def test_a_json_webhook_is_bound_by_its_body_hash(validate):
    # given
    url = f"https://mycompany.com/myapp.php?foo=1&bar=2&bodySHA256={JSON_BODY_HASH}"
    signature = compute_signature(TOKEN, url)

    # then
    assert validate(TOKEN, url, JSON_BODY, signature) is True
    assert validate(TOKEN, url, JSON_BODY.replace("true", "false"), signature) is False


def test_a_json_body_without_a_body_hash_in_the_url_never_validates(validate):
    url = "https://mycompany.com/myapp.php?foo=1&bar=2"
    assert validate(TOKEN, url, JSON_BODY, compute_signature(TOKEN, url)) is False


def test_param_lists_accepts_every_shape():
    assert param_lists({"A": "1", "B": ["2", "3"], "C": ("4",)}) == {"A": ["1"], "B": ["2", "3"], "C": ["4"]}
    assert param_lists(MultiValueParams([("A", "1"), ("A", "2")])) == {"A": ["1", "2"]}


# --- the URL Twilio called ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("forwarded_proto", "forwarded_host", "trust_proxy", "expected"),
    [
        (None, None, False, "http://app.internal:8000/webhooks/status?t=acme"),
        ("https", "sms.example.com", False, "http://app.internal:8000/webhooks/status?t=acme"),
        ("https", "sms.example.com", True, "https://sms.example.com/webhooks/status?t=acme"),
        ("https", None, True, "https://app.internal:8000/webhooks/status?t=acme"),
        ("HTTPS, http", "sms.example.com, lb.internal", True, "https://sms.example.com/webhooks/status?t=acme"),
        ("gopher", " ", True, "http://app.internal:8000/webhooks/status?t=acme"),
    ],
)
def test_public_url_uses_forwarded_headers_only_from_a_trusted_proxy(
    forwarded_proto, forwarded_host, trust_proxy, expected
):
    url = public_url_for(
        "http", "app.internal:8000", "/webhooks/status?t=acme", forwarded_proto, forwarded_host, trust_proxy=trust_proxy
    )

    assert url == expected


def test_public_url_keeps_an_empty_path_as_root():
    assert public_url_for("https", "sms.example.com", "", trust_proxy=False) == "https://sms.example.com/"


def test_a_signature_made_for_the_public_url_validates_after_rebuilding_it_behind_a_proxy():
    # given: Twilio signed the public https URL; the app sees plain http from the proxy
    public = "https://sms.example.com/webhooks/status?t=acme"
    signature = compute_signature(TOKEN, public, PARAMS)
    request = _request("http", "app.internal:8000", "/webhooks/status?t=acme", "https", "sms.example.com")

    # then
    assert signature_matches(TOKEN, request_public_url(request, trust_proxy=True), PARAMS, signature)
    assert not signature_matches(TOKEN, request_public_url(request, trust_proxy=False), PARAMS, signature)


def test_request_public_url_reads_the_trust_setting(settings):
    request = _request("http", "app.internal", "/w", "https", "sms.example.com")

    settings.WEBHOOK_TRUSTED_PROXY = True
    trusted = request_public_url(request)
    settings.WEBHOOK_TRUSTED_PROXY = False
    untrusted = request_public_url(request)

    assert (trusted, untrusted) == ("https://sms.example.com/w", "http://app.internal/w")


def test_request_public_url_falls_back_on_the_server_name_without_a_host_header():
    request = SimpleNamespace(
        scheme="http",
        META={"SERVER_NAME": "10.0.0.5", "SERVER_PORT": "8000"},
        get_full_path=lambda: "/w?x=1",
    )

    assert request_public_url(request, trust_proxy=False) == "http://10.0.0.5:8000/w?x=1"


def _request(scheme, host, full_path, forwarded_proto=None, forwarded_host=None):
    meta = {"HTTP_HOST": host}
    if forwarded_proto:
        meta["HTTP_X_FORWARDED_PROTO"] = forwarded_proto
    if forwarded_host:
        meta["HTTP_X_FORWARDED_HOST"] = forwarded_host
    return SimpleNamespace(scheme=scheme, META=meta, get_full_path=lambda: full_path)
