"""X-Twilio-Signature without the `twilio` package: computing it, checking it, and the URL it covers.

Twilio signs a webhook with HMAC-SHA1, keyed by the auth token of the account that owns the resource (a
tenant's subaccount token for tenant traffic), over the full URL it requested followed by every POST parameter
as `name + value`, names sorted, values of a repeated name sorted and de-duplicated; the digest is base64.
Because Twilio is inconsistent about default ports, a signature is accepted for the URL with or without
`:443`/`:80`. A JSON webhook is signed over the URL alone, and its body is bound by the `bodySHA256` query
parameter (reference/twilio.md §2.3).

The signed URL is the one Twilio called, byte for byte: the path and query string as requested (the raw request
target where the server gives it, not Django's re-encoded `get_full_path()`), and the port. Behind a
TLS-terminating proxy the scheme, host and port must come from the proxy's `X-Forwarded-Proto`,
`X-Forwarded-Host` and `X-Forwarded-Port`, but only when the proxy is trusted to set them, and only from the entry
the proxy itself wrote: a client can send its own `X-Forwarded-*` values, and a proxy appends to what it received,
so with N trusted proxies in front the outermost one's entry is the N-th from the end (as `TRUSTED_PROXY_COUNT`
counts them for `X-Forwarded-For`).

The production gateway checks signatures with twilio's own `RequestValidator`; these helpers let the fake
gateway and the tests sign and check requests the same way, and they are checked against it in the tests.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from collections.abc import Mapping, Sequence
from typing import Any
from urllib.parse import parse_qs, quote, urlsplit, urlunsplit

DEFAULT_PORTS = {"http": 80, "https": 443}
_FORWARDABLE_SCHEMES = frozenset(DEFAULT_PORTS)
# What django.urls.reverse() leaves unquoted in a path: RFC 3986 sub-delimiters and "/~:@".
_PATH_SAFE = "!$&'()*+,;=/~:@"


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
    """True when `signature` is valid for `url` (with or without its default port) and `params`; a malformed URL
    (a port that is not a number) or body hash never validates."""
    if not signature or not auth_token:
        return False
    try:
        candidates = _port_variants(url)
    except ValueError:
        return False
    if isinstance(params, str):  # a JSON webhook: the body is bound by bodySHA256, the signature by the URL
        if not _body_hash_matches(url, params):
            return False
        params = None
    expected = signature.encode("utf-8")
    return any(
        hmac.compare_digest(compute_signature(auth_token, candidate, params).encode("utf-8"), expected)
        for candidate in candidates
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
    forwarded_port: str | None = None,
    *,
    trust_proxy: bool,
    proxy_count: int = 1,
) -> str:
    """The URL Twilio called: the scheme, host and port the outermost of `proxy_count` trusted proxies received
    (its own entry in each forwarded header), else the request's own; the path and query exactly as given."""
    scheme, netloc = request_scheme.lower(), host
    if trust_proxy:
        proto = proxy_entry(forwarded_proto, proxy_count).lower()
        if proto in _FORWARDABLE_SCHEMES:
            scheme = proto
        netloc = proxy_entry(forwarded_host, proxy_count) or netloc
        port = proxy_entry(forwarded_port, proxy_count)
        if port.isdigit():
            bare = _split_port(netloc)[0]
            netloc = bare if int(port) == DEFAULT_PORTS.get(scheme) else f"{bare}:{port}"
    path, mark, query = path_with_query.partition("?")
    return f"{scheme}://{netloc}{path or '/'}{mark}{query}"


def request_public_url(request: Any, *, trust_proxy: bool | None = None, proxy_count: int | None = None) -> str:
    """`public_url_for` a Django request; `trust_proxy` defaults to settings.WEBHOOK_TRUSTED_PROXY and
    `proxy_count` to settings.TRUSTED_PROXY_COUNT (at least 1: a trusted proxy is one proxy)."""
    if trust_proxy is None or proxy_count is None:
        from django.conf import settings

        if trust_proxy is None:
            trust_proxy = bool(getattr(settings, "WEBHOOK_TRUSTED_PROXY", False))
        if proxy_count is None:
            proxy_count = int(getattr(settings, "TRUSTED_PROXY_COUNT", 0))
    meta = request.META
    host = meta.get("HTTP_HOST") or _server_host(meta)
    return public_url_for(
        request.scheme,
        host,
        requested_path(request),
        meta.get("HTTP_X_FORWARDED_PROTO"),
        meta.get("HTTP_X_FORWARDED_HOST"),
        meta.get("HTTP_X_FORWARDED_PORT"),
        trust_proxy=trust_proxy,
        proxy_count=max(proxy_count, 1),
    )


def requested_path(request: Any) -> str:
    """The path and query string as the client sent them.

    gunicorn (`RAW_URI`) and uWSGI (`REQUEST_URI`) hand over the raw request target; otherwise the decoded path
    is quoted as `reverse()` quotes the URLs we give Twilio, and the query string is taken as received. Django's
    `get_full_path()` is not used: it re-encodes characters such as `;`, `=` and `|` that Twilio signed as they were.
    """
    meta = request.META
    raw = meta.get("RAW_URI") or meta.get("REQUEST_URI") or ""
    if raw.startswith("/"):
        return raw.partition("#")[0]
    if raw:  # an absolute-form target (`POST https://host/path?query`): the scheme and host are read elsewhere
        parts = urlsplit(raw)
        return urlunsplit(("", "", parts.path or "/", parts.query, ""))
    query = meta.get("QUERY_STRING", "")
    return quote(request.path, safe=_PATH_SAFE) + (f"?{query}" if query else "")


def proxy_entry(header: str | None, proxy_count: int) -> str:
    """The entry the outermost of `proxy_count` trusted proxies wrote in a comma-separated forwarded header.

    Each proxy appends what it received, after whatever the client sent, so that entry is the `proxy_count`-th
    from the end. With fewer entries than proxies, some proxy replaced the header instead of appending, so every
    entry left was written by a trusted proxy and the first is the outermost one's.
    """
    entries = [entry.strip() for entry in (header or "").split(",") if entry.strip()]
    if not entries:
        return ""
    return entries[-min(max(proxy_count, 1), len(entries))]


def _split_port(netloc: str) -> tuple[str, str]:
    host, separator, port = netloc.rpartition(":")
    if separator and port.isdigit() and (host.endswith("]") or ":" not in host):
        return host, port
    return netloc, ""


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
    # Compared as bytes: compare_digest refuses a str that is not ASCII, and a claimed hash need not be.
    return bool(claimed) and hmac.compare_digest(body_sha256(body).encode("ascii"), claimed.encode("utf-8"))
