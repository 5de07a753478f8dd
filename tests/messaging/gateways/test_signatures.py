"""X-Twilio-Signature: Twilio's published vector, tampering, multi-valued and JSON bodies, malformed input, and the
URL Twilio called as rebuilt behind proxies.

Each check runs through our pure helper (used by the fake gateway) and through TwilioGateway, which delegates to
twilio's own RequestValidator, so the two are proven to agree.
"""

from __future__ import annotations

import pytest
from django.test import RequestFactory

from messaging.gateways.base import Credentials
from messaging.gateways.fake import FakeGateway
from messaging.gateways.signatures import (
    body_sha256,
    compute_signature,
    param_lists,
    proxy_entry,
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


@pytest.mark.parametrize("claimed", ["%C3%A9" * 64, JSON_BODY_HASH[:-1] + "%E2%82%AC"])
def test_a_body_hash_that_is_not_ascii_fails_validation(validate, claimed):
    # given: a bodySHA256 of non-ASCII characters (percent-encoded in the URL, as a client would send them)
    url = f"https://mycompany.com/myapp.php?bodySHA256={claimed}"

    # then: a failed validation, not an exception
    assert validate(TOKEN, url, JSON_BODY, compute_signature(TOKEN, url)) is False


@pytest.mark.parametrize("netloc", ["mycompany.com:https", "mycompany.com:99999", "mycompany.com:-1"])
def test_a_url_whose_port_is_not_a_port_fails_validation(validate, netloc):
    url = f"https://{netloc}/myapp.php?foo=1&bar=2"

    assert validate(TOKEN, url, PARAMS, compute_signature(TOKEN, url, PARAMS)) is False


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


@pytest.mark.parametrize(
    ("forwarded_proto", "forwarded_host", "proxy_count", "expected"),
    [
        # the client sent its own values first; the one proxy appended what it received
        ("https, http", "sms.example.com, evil.example", 1, "http://evil.example/webhooks/status?t=acme"),
        ("http, https", "evil.example, sms.example.com", 1, "https://sms.example.com/webhooks/status?t=acme"),
        ("http,,https", "evil.example, ,sms.example.com", 1, "https://sms.example.com/webhooks/status?t=acme"),
        # two proxies: the outer one's entry comes before the inner one's, after the client's
        ("http, HTTPS, http", "evil.example, sms.example.com, lb.internal", 2, "https://sms.example.com/webhooks/status?t=acme"),
        # a proxy that replaced the header left only trusted entries: the first is the outermost one's
        ("https", "sms.example.com", 2, "https://sms.example.com/webhooks/status?t=acme"),
    ],
)  # fmt: skip
def test_public_url_reads_the_entry_of_the_outermost_trusted_proxy(
    forwarded_proto, forwarded_host, proxy_count, expected
):
    url = public_url_for(
        "http",
        "app.internal:8000",
        "/webhooks/status?t=acme",
        forwarded_proto,
        forwarded_host,
        trust_proxy=True,
        proxy_count=proxy_count,
    )

    assert url == expected


@pytest.mark.parametrize(
    ("header", "proxy_count", "entry"),
    [
        (None, 1, ""), ("", 1, ""), (" a ", 1, "a"),
        ("a, b, c", 1, "c"), ("a, b, c", 2, "b"), ("a, b", 3, "a"), ("a, b", 0, "b"),
    ],
)  # fmt: skip
def test_proxy_entry_counts_from_the_end(header, proxy_count, entry):
    assert proxy_entry(header, proxy_count) == entry


@pytest.mark.parametrize(
    ("forwarded_host", "forwarded_port", "expected"),
    [
        ("sms.example.com", "8443", "https://sms.example.com:8443/webhooks/status?t=acme"),
        ("sms.example.com", "443", "https://sms.example.com/webhooks/status?t=acme"),
        ("sms.example.com:8443", None, "https://sms.example.com:8443/webhooks/status?t=acme"),
        ("sms.example.com:8000", "8443", "https://sms.example.com:8443/webhooks/status?t=acme"),
        ("[2001:db8::1]", "8443", "https://[2001:db8::1]:8443/webhooks/status?t=acme"),
        (None, "8443", "https://app.internal:8443/webhooks/status?t=acme"),
        ("sms.example.com", "http", "https://sms.example.com/webhooks/status?t=acme"),
    ],
)
def test_public_url_keeps_the_port_the_client_called(forwarded_host, forwarded_port, expected):
    url = public_url_for(
        "http",
        "app.internal:8000",
        "/webhooks/status?t=acme",
        "https",
        forwarded_host,
        forwarded_port,
        trust_proxy=True,
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


def test_a_signature_for_a_non_default_port_validates_after_rebuilding_it_behind_a_proxy():
    # given: Twilio called port 8443; the proxy forwards the host without it and the port apart
    public = "https://sms.example.com:8443/webhooks/status?t=acme"
    signature = compute_signature(TOKEN, public, PARAMS)
    request = _request("http", "app.internal:8000", "/webhooks/status?t=acme", "https", "sms.example.com", "8443")

    # then
    assert request_public_url(request, trust_proxy=True) == public
    assert signature_matches(TOKEN, request_public_url(request, trust_proxy=True), PARAMS, signature)


def test_request_public_url_reads_the_trust_setting(settings):
    request = _request("http", "app.internal", "/w", "https", "sms.example.com")

    settings.WEBHOOK_TRUSTED_PROXY = True
    trusted = request_public_url(request)
    settings.WEBHOOK_TRUSTED_PROXY = False
    untrusted = request_public_url(request)

    assert (trusted, untrusted) == ("https://sms.example.com/w", "http://app.internal/w")


def test_request_public_url_reads_the_proxy_count_setting(settings):
    # given: two proxies in front; the client forged a first entry of each header
    request = _request(
        "http", "app.internal", "/w", "http, https, http", "evil.example, sms.example.com, lb.internal", "80, 443, 80"
    )
    settings.WEBHOOK_TRUSTED_PROXY = True

    settings.TRUSTED_PROXY_COUNT = 2
    two = request_public_url(request)
    settings.TRUSTED_PROXY_COUNT = 0  # a trusted proxy is at least one
    one = request_public_url(request)

    assert (two, one) == ("https://sms.example.com/w", "http://lb.internal/w")


def test_request_public_url_falls_back_on_the_server_name_without_a_host_header():
    request = RequestFactory().post("/w?x=1", SERVER_NAME="10.0.0.5", SERVER_PORT="8000")
    assert "HTTP_HOST" not in request.META

    assert request_public_url(request, trust_proxy=False) == "http://10.0.0.5:8000/w?x=1"


# --- the path and query string exactly as requested --------------------------------------------------------------

SIGNED_TARGET = "/webhooks/status;v=2/acme?To=%2B15005550006&tags=a|b&note=caf%C3%A9&q=a+b%20c&empty="


@pytest.mark.parametrize(
    "raw_target",
    [
        pytest.param(None, id="no raw target (runserver, the test client)"),
        pytest.param(SIGNED_TARGET, id="gunicorn RAW_URI"),
        pytest.param(f"https://sms.example.com{SIGNED_TARGET}", id="absolute-form target"),
    ],
)
def test_the_path_and_query_string_are_rebuilt_as_twilio_signed_them(raw_target):
    # given: Twilio signed a URL whose path and query hold characters Django would re-encode (; = |)
    public = f"https://sms.example.com{SIGNED_TARGET}"
    signature = compute_signature(TOKEN, public, PARAMS)
    request = _request("http", "app.internal:8000", SIGNED_TARGET, "https", "sms.example.com")
    if raw_target:
        request.META["RAW_URI"] = raw_target

    # when
    url = request_public_url(request, trust_proxy=True)

    # then
    assert url == public
    assert signature_matches(TOKEN, url, PARAMS, signature)


def test_uwsgi_request_uri_is_read_like_raw_uri():
    request = _request("https", "sms.example.com", "/w?a=1")
    request.META["REQUEST_URI"] = "/w;x=1?a=|"

    assert request_public_url(request, trust_proxy=False) == "https://sms.example.com/w;x=1?a=|"


def _request(scheme, host, full_path, forwarded_proto=None, forwarded_host=None, forwarded_port=None):
    meta = {"HTTP_HOST": host}
    if forwarded_proto:
        meta["HTTP_X_FORWARDED_PROTO"] = forwarded_proto
    if forwarded_host:
        meta["HTTP_X_FORWARDED_HOST"] = forwarded_host
    if forwarded_port:
        meta["HTTP_X_FORWARDED_PORT"] = forwarded_port
    return RequestFactory().post(full_path, secure=scheme == "https", **meta)
