"""Where a delivery may go (pure): https URLs whose host is a public address.

A tenant's URL is checked when it is saved and again before every delivery, against each address its host resolves
to (the resolving is the caller's: `messaging.outbound_webhooks.addresses`), so a URL cannot reach the platform's own
network: no loopback, private, link-local, multicast, reserved, carrier-grade NAT or unspecified address, IPv4 hidden
in IPv6 (mapped, 6to4, NAT64) included. `allow_private` (development and tests only) accepts http and any address.
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass
from typing import Final
from urllib.parse import urlsplit

MAX_URL_LENGTH: Final = 2000
_SHARED = ipaddress.ip_network("100.64.0.0/10")  # carrier-grade NAT (RFC 6598)
_NAT64 = ipaddress.ip_network("64:ff9b::/96")


class UrlRefused(ValueError):
    """A webhook URL we will not deliver to; the message says why, in words a tenant can act on."""


@dataclass(frozen=True)
class WebhookTarget:
    """A checked URL taken apart for the request: where to connect, what to ask for, what to send as Host."""

    scheme: str
    host: str  # a lower-case host name, or an IP address without brackets
    port: int
    target: str  # path and query, as the request line carries them
    host_header: str


def _embedded_ipv4(address: ipaddress.IPv6Address) -> ipaddress.IPv4Address | None:
    if address.ipv4_mapped is not None:
        return address.ipv4_mapped
    if address.sixtofour is not None:
        return address.sixtofour
    if address in _NAT64:
        return ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
    return None


def _reason(address: ipaddress.IPv4Address | ipaddress.IPv6Address) -> str | None:
    if address.is_unspecified:
        return "is unspecified"
    if address.is_loopback:
        return "is a loopback address"
    if address.is_link_local:
        return "is a link-local address"
    if address.is_multicast:
        return "is a multicast address"
    if address.version == 4 and address in _SHARED:
        return "is a shared (carrier-grade NAT) address"
    if address.is_private:
        return "is a private address"
    if address.is_reserved:
        return "is a reserved address"
    if not address.is_global:
        return "is not a public address"
    return None


def address_refusal(address: str) -> str | None:
    """Why a delivery may not go to this IP address (e.g. "10.0.0.5 is a private address"); None when it may."""
    try:
        parsed = ipaddress.ip_address(address)
    except ValueError:
        return f"{address} is not an IP address"
    if parsed.version == 6:
        embedded = _embedded_ipv4(parsed)
        if embedded is not None:
            reason = _reason(embedded)
            return f"{address} {reason} ({embedded})" if reason else None
    reason = _reason(parsed)
    return f"{address} {reason}" if reason else None


def is_ip_literal(host: str) -> bool:
    """Whether a URL's host is an IP address rather than a name."""
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return False
    return True


def parse_webhook_url(url: str, *, allow_private: bool) -> WebhookTarget:
    """Check the shape of a webhook URL and take it apart; UrlRefused says what is wrong.

    Only https (http too with `allow_private`), a host and no user name or password; a host that is an IP address or
    `localhost` is checked here, a host name is checked by the caller against the addresses it resolves to.
    """
    url = url.strip()
    if not url:
        raise UrlRefused("Enter the URL of your endpoint.")
    if len(url) > MAX_URL_LENGTH:
        raise UrlRefused(f"The URL is {len(url):,} characters; at most {MAX_URL_LENGTH:,} are allowed.")
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as exc:
        raise UrlRefused(f"'{url}' is not a valid URL ({exc}).") from exc
    schemes = ("https", "http") if allow_private else ("https",)
    if parts.scheme not in schemes:
        raise UrlRefused(f"The URL must start with {' or '.join(f'{s}://' for s in schemes)}.")
    host = parts.hostname or ""
    if not host:
        raise UrlRefused("The URL has no host.")
    if parts.username is not None or parts.password is not None:
        raise UrlRefused("The URL may not carry a user name or password; deliveries are signed instead.")
    if not is_ip_literal(host):
        try:
            host = host.encode("idna").decode("ascii")
        except UnicodeError as exc:
            raise UrlRefused(f"'{host}' is not a valid host name.") from exc
    if not allow_private:
        _check_literal_host(host)
    port = port or (443 if parts.scheme == "https" else 80)
    default_port = port == (443 if parts.scheme == "https" else 80)
    bracketed = f"[{host}]" if ":" in host else host
    return WebhookTarget(
        scheme=parts.scheme,
        host=host,
        port=port,
        target=(parts.path or "/") + (f"?{parts.query}" if parts.query else ""),
        host_header=bracketed if default_port else f"{bracketed}:{port}",
    )


def _check_literal_host(host: str) -> None:
    if host == "localhost" or host.endswith(".localhost"):
        raise UrlRefused(f"{host} is this machine; the URL must reach a public address.")
    if is_ip_literal(host):
        refusal = address_refusal(host)
        if refusal:
            raise UrlRefused(f"{refusal}; the URL must reach a public address.")
