"""One POST to a tenant's endpoint, at the address that was checked, with nothing followed or retried.

urllib3 (the HTTP library under `requests`) lets the connection go to a given IP address while TLS still sends the
host name (SNI) and verifies the certificate against it, which is what defeats DNS rebinding: the name is resolved
and checked once, and the request goes exactly there. Redirects are not followed (a 3xx is a failed attempt).
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import urllib3
from urllib3.exceptions import (
    ConnectTimeoutError,
    HTTPError,
    NewConnectionError,
    ReadTimeoutError,
    SSLError,
)

from messaging.domain.webhooks.addresses import WebhookTarget, is_ip_literal

BODY_EXCERPT_BYTES = 1000
USER_AGENT = "Switchboard-Webhooks/1.0"


@dataclass(frozen=True)
class Answer:
    """What came back: a status and the start of the body, or the error that stopped the attempt."""

    status: int | None
    body: str = ""
    latency_ms: int | None = None
    error: str = ""
    retry_after: str | None = None

    @property
    def succeeded(self) -> bool:
        return self.status is not None and 200 <= self.status < 300


def _pool(target: WebhookTarget, address: str, timeout: float, ca_certs: str | None) -> urllib3.HTTPConnectionPool:
    limits = urllib3.Timeout(connect=min(timeout, 5.0), read=timeout)
    if target.scheme == "http":
        return urllib3.HTTPConnectionPool(address, target.port, timeout=limits, retries=False, maxsize=1)
    return urllib3.HTTPSConnectionPool(
        address,
        target.port,
        timeout=limits,
        retries=False,
        maxsize=1,
        cert_reqs="CERT_REQUIRED",
        ca_certs=ca_certs,
        server_hostname=None if is_ip_literal(target.host) else target.host,
        assert_hostname=target.host,
    )


def post(
    *,
    target: WebhookTarget,
    address: str,
    body: bytes,
    headers: dict[str, str],
    timeout: float,
    ca_certs: str | None = None,
) -> Answer:
    """POST `body` to the target at `address`, trusting the system's certificate authorities (or those in the
    `ca_certs` file); never raises for what the network or the receiver did."""
    pool = _pool(target, address, timeout, ca_certs)
    sent_headers = {"Host": target.host_header, "User-Agent": USER_AGENT, **headers}
    started = time.monotonic()
    try:
        response = pool.urlopen(
            "POST",
            target.target,
            body=body,
            headers=sent_headers,
            redirect=False,
            retries=False,
            preload_content=False,
            assert_same_host=False,
        )
    except (HTTPError, OSError) as exc:
        pool.close()
        return Answer(status=None, latency_ms=_since(started), error=describe(exc, timeout))
    latency = _since(started)
    try:
        excerpt = response.read(BODY_EXCERPT_BYTES, decode_content=True)
    except (HTTPError, OSError):
        excerpt = b""
    finally:
        response.close()
        pool.close()
    return Answer(
        status=response.status,
        body=excerpt.decode("utf-8", errors="replace")[:BODY_EXCERPT_BYTES],
        latency_ms=latency,
        retry_after=response.headers.get("Retry-After"),
    )


def _since(started: float) -> int:
    return int((time.monotonic() - started) * 1000)


def describe(exc: BaseException, timeout: float) -> str:
    """A failed connection in a few words a tenant can act on."""
    if isinstance(exc, NewConnectionError):  # before ConnectTimeoutError: urllib3 makes it a subclass of it
        return f"could not connect: {_reason(exc)}"[:300]
    if isinstance(exc, ConnectTimeoutError):
        return f"connecting timed out after {min(timeout, 5.0):g} s"
    if isinstance(exc, ReadTimeoutError):
        return f"no answer within {timeout:g} s"
    if isinstance(exc, SSLError):
        return f"TLS failed: {_reason(exc)}"[:300]
    return f"{type(exc).__name__}: {_reason(exc)}"[:300]


def _reason(exc: BaseException) -> str:
    text = str(exc)
    # urllib3 prefixes its errors with the connection object's repr; keep what follows it
    return text.split(": ", 1)[1] if text.startswith("<") and ": " in text else text
