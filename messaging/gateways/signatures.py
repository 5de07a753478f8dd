"""X-Twilio-Signature without the `twilio` package: computing it, checking it, and the URL it covers.

Twilio signs a webhook with HMAC-SHA1, keyed by the auth token of the account that owns the resource (a
tenant's subaccount token for tenant traffic), over the full URL it requested followed by every POST parameter
as `name + value`, names sorted, values of a repeated name sorted and de-duplicated; the digest is base64.
Because Twilio is inconsistent about default ports, a signature is accepted for the URL with or without
`:443`/`:80`. A JSON webhook is signed over the URL alone, and its body is bound by the `bodySHA256` query
parameter (reference/twilio.md §2.3).

The signed URL is the one Twilio called, so behind a TLS-terminating proxy the scheme and host must come from
the proxy's `X-Forwarded-Proto`/`X-Forwarded-Host`, but only when the proxy is trusted to set them.

The production gateway checks signatures with twilio's own `RequestValidator`; these helpers let the fake
gateway and the tests sign and check requests the same way, and they are checked against it in the tests.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from collections.abc import Mapping, Sequence
from typing import Any
from urllib.parse import parse_qs, urlsplit, urlunsplit

DEFAULT_PORTS = {"http": 80, "https": 443}
_FORWARDABLE_SCHEMES = frozenset(DEFAULT_PORTS)


def param_lists(params: Any) -> dict[str, list[str]]:
    """Every webhook parameter as name -> list of values (QueryDict, MultiDict or a plain mapping)."""
    result: dict[str, list[str]] = {}
    for name in params:
        if hasattr(params, "getlist"):
            values = params.getlist(name)
        elif hasattr(params, "getall"):
            values = params.getall(name)
        else:
            values = params[name]
        result[str(name)] = [values] if isinstance(values, str) else [str(value) for value in values]
    return result


def compute_signature(auth_token: str, url: str, params: Mapping[str, Any] | None = None) -> str:
    """The X-Twilio-Signature Twilio would send for a form POST of `params` to exactly `url`."""
    payload = url
    for name, values in sorted(param_lists(params or {}).items()):
        payload += "".join(name + value for value in sorted(set(values)))
    digest = hmac.new(auth_token.encode("utf-8"), payload.encode("utf-8"), hashlib.sha1).digest()
    return base64.b64encode(digest).decode("ascii")


def signature_matches(auth_token: str, url: str, params: Mapping[str, Any] | str | None, signature: str) -> bool:
    """True when `signature` is valid for `url` (with or without its default port) and `params`."""
    if not signature or not auth_token:
        return False
    if isinstance(params, str):  # a JSON webhook: the body is bound by bodySHA256, the signature by the URL
        if not _body_hash_matches(url, params):
            return False
        params = None
    expected = signature.encode("utf-8")
    return any(
        hmac.compare_digest(compute_signature(auth_token, candidate, params).encode("utf-8"), expected)
        for candidate in _port_variants(url)
    )


def body_sha256(body: str) -> str:
    """The hex SHA-256 Twilio puts in `bodySHA256` for a JSON webhook body."""
    return hashlib.sha256(body.encode("utf-8")).hexdigest()


def public_url_for(
    request_scheme: str,
    host: str,
    path_with_query: str,
    forwarded_proto: str | None = None,
    forwarded_host: str | None = None,
    *,
    trust_proxy: bool,
) -> str:
    """The URL Twilio called: the forwarded scheme and host when the proxy is trusted, else the request's own."""
    scheme, netloc = request_scheme.lower(), host
    if trust_proxy:
        proto = _first_hop(forwarded_proto).lower()
        if proto in _FORWARDABLE_SCHEMES:
            scheme = proto
        netloc = _first_hop(forwarded_host) or netloc
    path, _, query = path_with_query.partition("?")
    return urlunsplit((scheme, netloc, path or "/", query, ""))


def request_public_url(request: Any, *, trust_proxy: bool | None = None) -> str:
    """`public_url_for` a Django request; `trust_proxy` defaults to settings.WEBHOOK_TRUSTED_PROXY."""
    if trust_proxy is None:
        from django.conf import settings

        trust_proxy = bool(getattr(settings, "WEBHOOK_TRUSTED_PROXY", False))
    meta = request.META
    host = meta.get("HTTP_HOST") or _server_host(meta)
    return public_url_for(
        request.scheme,
        host,
        request.get_full_path(),
        meta.get("HTTP_X_FORWARDED_PROTO"),
        meta.get("HTTP_X_FORWARDED_HOST"),
        trust_proxy=trust_proxy,
    )


def _first_hop(header: str | None) -> str:
    # A chain of proxies appends to the header; the first entry is what the original client (Twilio) used.
    return (header or "").split(",")[0].strip()


def _server_host(meta: Mapping[str, str]) -> str:
    name, port = meta.get("SERVER_NAME", ""), meta.get("SERVER_PORT", "")
    return f"{name}:{port}" if port else name


def _port_variants(url: str) -> Sequence[str]:
    parts = urlsplit(url)
    hostname = parts.netloc.rsplit("@", 1)[-1]
    bare = hostname.rsplit(":", 1)[0] if parts.port else hostname
    with_port = hostname if parts.port else f"{hostname}:{DEFAULT_PORTS.get(parts.scheme, 80)}"
    return [urlunsplit(parts._replace(netloc=netloc)) for netloc in dict.fromkeys((bare, with_port))]


def _body_hash_matches(url: str, body: str) -> bool:
    claimed = parse_qs(urlsplit(url).query).get("bodySHA256", [""])[0]
    return bool(claimed) and hmac.compare_digest(body_sha256(body), claimed)
