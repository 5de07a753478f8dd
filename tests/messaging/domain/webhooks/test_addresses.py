"""Which URLs and addresses a delivery may go to: https to public addresses only, whatever the address is dressed
as; http and private addresses only when development allows them."""

from __future__ import annotations

import pytest

from messaging.domain.webhooks.addresses import (
    UrlRefused,
    WebhookTarget,
    address_refusal,
    is_ip_literal,
    parse_webhook_url,
)


@pytest.mark.parametrize(
    ("address", "refusal"),
    [
        ("93.184.216.34", None),
        ("8.8.8.8", None),
        ("2606:4700:4700::1111", None),
        ("127.0.0.1", "127.0.0.1 is a loopback address"),
        ("127.8.9.10", "127.8.9.10 is a loopback address"),
        ("::1", "::1 is a loopback address"),
        ("0.0.0.0", "0.0.0.0 is unspecified"),
        ("::", ":: is unspecified"),
        ("10.0.0.5", "10.0.0.5 is a private address"),
        ("172.16.0.1", "172.16.0.1 is a private address"),
        ("172.31.255.255", "172.31.255.255 is a private address"),
        ("192.168.1.1", "192.168.1.1 is a private address"),
        ("fc00::1", "fc00::1 is a private address"),
        ("fd12:3456::1", "fd12:3456::1 is a private address"),
        ("169.254.169.254", "169.254.169.254 is a link-local address"),
        ("fe80::1", "fe80::1 is a link-local address"),
        ("224.0.0.1", "224.0.0.1 is a multicast address"),
        ("239.255.255.250", "239.255.255.250 is a multicast address"),
        ("ff02::1", "ff02::1 is a multicast address"),
        ("100.64.0.1", "100.64.0.1 is a shared (carrier-grade NAT) address"),
        ("100.127.255.254", "100.127.255.254 is a shared (carrier-grade NAT) address"),
        ("240.0.0.1", "240.0.0.1 is a private address"),
        ("198.18.0.1", "198.18.0.1 is a private address"),
        ("192.0.2.10", "192.0.2.10 is a private address"),
        ("255.255.255.255", "255.255.255.255 is a private address"),
        ("::ffff:127.0.0.1", "::ffff:127.0.0.1 is a loopback address (127.0.0.1)"),
        ("::ffff:10.1.2.3", "::ffff:10.1.2.3 is a private address (10.1.2.3)"),
        ("::ffff:8.8.8.8", None),
        ("2002:a00:1::", "2002:a00:1:: is a private address (10.0.0.1)"),
        ("2002:808:808::", None),
        ("64:ff9b::a9fe:a9fe", "64:ff9b::a9fe:a9fe is a link-local address (169.254.169.254)"),
        ("2001:db8::1", "2001:db8::1 is a private address"),
        ("not-an-ip", "not-an-ip is not an IP address"),
    ],
)
def test_address_refusals(address, refusal):
    assert address_refusal(address) == refusal


@pytest.mark.parametrize(
    ("url", "target"),
    [
        ("https://hooks.example.com/switchboard", WebhookTarget("https", "hooks.example.com", 443, "/switchboard",
                                                                 "hooks.example.com")),
        ("https://hooks.example.com", WebhookTarget("https", "hooks.example.com", 443, "/", "hooks.example.com")),
        ("  https://Hooks.Example.com:8443/in?x=1&y=2#frag ", WebhookTarget("https", "hooks.example.com", 8443,
                                                                             "/in?x=1&y=2", "hooks.example.com:8443")),
        ("https://93.184.216.34/h", WebhookTarget("https", "93.184.216.34", 443, "/h", "93.184.216.34")),
        ("https://[2606:4700:4700::1111]:444/h", WebhookTarget("https", "2606:4700:4700::1111", 444, "/h",
                                                                "[2606:4700:4700::1111]:444")),
        ("https://bücher.example/h", WebhookTarget("https", "xn--bcher-kva.example", 443, "/h",
                                                    "xn--bcher-kva.example")),
    ],
)  # fmt: skip
def test_a_good_url_is_taken_apart_for_the_request(url, target):
    assert parse_webhook_url(url, allow_private=False) == target


PUBLIC = "; the URL must reach a public address."


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("", "Enter the URL of your endpoint."),
        ("http://hooks.example.com/h", "The URL must start with https://."),
        ("ftp://hooks.example.com/h", "The URL must start with https://."),
        ("hooks.example.com/h", "The URL must start with https://."),
        ("https:///h", "The URL has no host."),
        (
            "https://user:pw@hooks.example.com/h",
            "The URL may not carry a user name or password; deliveries are signed instead.",
        ),
        (
            "https://hooks.example.com:99999/h",
            "'https://hooks.example.com:99999/h' is not a valid URL (Port out of range 0-65535).",
        ),
        ("https://localhost/h", "localhost is this machine; the URL must reach a public address."),
        ("https://api.localhost:8000/h", "api.localhost is this machine; the URL must reach a public address."),
        ("https://127.0.0.1/h", "127.0.0.1 is a loopback address; the URL must reach a public address."),
        ("https://[::1]:8443/h", "::1 is a loopback address; the URL must reach a public address."),
        ("https://10.1.2.3/h", "10.1.2.3 is a private address; the URL must reach a public address."),
        ("https://169.254.169.254/latest/meta-data", "169.254.169.254 is a link-local address" + PUBLIC),
        ("https://100.64.1.1/h", "100.64.1.1 is a shared (carrier-grade NAT) address" + PUBLIC),
        ("https://[::ffff:192.168.0.1]/h", "::ffff:192.168.0.1 is a private address (192.168.0.1)" + PUBLIC),
        ("https://" + "a" * 1990 + ".com/", "The URL is 2,003 characters; at most 2,000 are allowed."),
        ("https://" + "a" * 64 + ".example/h", f"'{'a' * 64}.example' is not a valid host name."),
    ],
)
def test_a_bad_url_is_refused_with_a_reason(url, message):
    with pytest.raises(UrlRefused) as refused:
        parse_webhook_url(url, allow_private=False)
    assert str(refused.value) == message


@pytest.mark.parametrize(
    ("url", "target"),
    [
        ("http://127.0.0.1:8123/hook", WebhookTarget("http", "127.0.0.1", 8123, "/hook", "127.0.0.1:8123")),
        ("http://localhost/hook", WebhookTarget("http", "localhost", 80, "/hook", "localhost")),
        ("https://10.0.0.5/h", WebhookTarget("https", "10.0.0.5", 443, "/h", "10.0.0.5")),
    ],
)
def test_development_allows_http_and_private_addresses(url, target):
    assert parse_webhook_url(url, allow_private=True) == target


def test_development_still_refuses_other_schemes():
    with pytest.raises(UrlRefused, match=r"must start with https:// or http://"):
        parse_webhook_url("ftp://127.0.0.1/h", allow_private=True)


@pytest.mark.parametrize(
    ("host", "literal"), [("10.0.0.1", True), ("::1", True), ("example.com", False), ("1.2.3", False)]
)
def test_ip_literals_are_told_from_names(host, literal):
    assert is_ip_literal(host) is literal
