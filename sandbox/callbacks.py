"""Signed webhooks: status callbacks and inbound messages, posted like Twilio posts them.

The signature is Twilio's X-Twilio-Signature: HMAC-SHA1, keyed with the auth token of the account that owns the
resource (a subaccount's own token for subaccount traffic), over the URL followed by every POST parameter name and
value, names sorted, then base64. A URL fragment is not part of what is signed (the receiver never sees it); of its
connection overrides, `rc` (retry count) and `tt` (time per attempt, ms) are honoured.

A failed attempt (connection error, timeout or non-2xx answer) is retried `callback_retries` times (1 by default,
like Twilio's `rc`). With probability `duplicate_callback_probability` the whole delivery happens twice, so
receivers see the duplicates Twilio warns about. Every attempt is logged for the control API.
"""

from __future__ import annotations

import asyncio
import base64
import hashlib
import hmac
import time
import uuid
from collections import deque
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import aiohttp

from sandbox.config import SandboxConfig

Params = list[tuple[str, str]]
ResponseHook = Callable[[int, str, str], Awaitable[None]]  # (HTTP status, content type, body text)


def compute_signature(auth_token: str, url: str, params: Iterable[tuple[str, str]] = ()) -> str:
    """X-Twilio-Signature for a request to `url` with form `params`, as twilio's RequestValidator computes it."""
    values: dict[str, set[str]] = {}
    for name, value in params:
        values.setdefault(name, set()).add(value)
    payload = url + "".join(name + value for name in sorted(values) for value in sorted(values[name]))
    digest = hmac.new(auth_token.encode("utf-8"), payload.encode("utf-8"), hashlib.sha1).digest()
    return base64.b64encode(digest).decode("ascii")


@dataclass(frozen=True, slots=True)
class Target:
    """Where and how one webhook goes, after the fragment's connection overrides are read."""

    url: str  # without the fragment: the URL the receiver sees and the signature covers
    retries: int
    timeout_s: float


def parse_target(url: str, config: SandboxConfig) -> Target:
    """Split the connection overrides (`#rc=..&ct=..&tt=..`) off a configured webhook URL."""
    parts = urlsplit(url)
    overrides = dict(parse_qsl(parts.fragment))
    retries = _bounded_int(overrides.get("rc"), config.callback_retries, 0, 5)
    timeout_ms = _bounded_int(overrides.get("tt"), int(config.callback_timeout_ms), 100, 15000)
    return Target(urlunsplit(parts._replace(fragment="")), retries, timeout_ms / 1000)


def _bounded_int(text: str | None, default: int, low: int, high: int) -> int:
    if text is None or not text.isdigit():
        return default
    return max(low, min(high, int(text)))


class CallbackPoster:
    """Posts signed webhooks in the background, with retries, duplicates and an attempt log."""

    def __init__(self, config: SandboxConfig, rng: Any) -> None:
        self.config = config
        self.rng = rng
        self.log: deque[dict[str, Any]] = deque(maxlen=5000)
        self._session: aiohttp.ClientSession | None = None
        self._tasks: set[asyncio.Task[None]] = set()

    def post(
        self,
        url: str,
        params: Params,
        *,
        auth_token: str,
        kind: str,
        record: list[dict[str, Any]] | None = None,
        method: str = "POST",
        on_response: ResponseHook | None = None,
    ) -> None:
        """Schedule one webhook (twice when the duplicate dice say so); returns at once."""
        target = parse_target(url, self.config)
        deliveries = 2 if self.rng.random() < self.config.duplicate_callback_probability else 1
        context = {"kind": kind, "idempotency": uuid.UUID(int=self.rng.getrandbits(128)).hex, "record": record}
        for delivery in range(1, deliveries + 1):
            hook = on_response if delivery == 1 else None
            coroutine = self._deliver(target, params, auth_token, method.upper(), context, delivery, hook)
            task = asyncio.get_running_loop().create_task(coroutine)
            self._tasks.add(task)
            task.add_done_callback(self._tasks.discard)

    async def _deliver(
        self,
        target: Target,
        params: Params,
        auth_token: str,
        method: str,
        context: dict[str, Any],
        delivery: int,
        on_response: ResponseHook | None,
    ) -> None:
        for attempt in range(1, target.retries + 2):
            if attempt > 1:
                await asyncio.sleep(self.config.callback_retry_delay_ms / 1000)
            outcome = await self._attempt(target, params, auth_token, method, context)
            self._remember(target, params, context, delivery, attempt, outcome)
            status, content_type, text = outcome
            if status is not None and 200 <= status < 300:
                if on_response is not None:
                    await on_response(status, content_type, text)
                return

    async def _attempt(
        self, target: Target, params: Params, auth_token: str, method: str, context: dict[str, Any]
    ) -> tuple[int | None, str, str]:
        url, body = target.url, urlencode(params)
        if method == "GET":
            url, body = _with_query(target.url, params), ""
        headers = {
            "X-Twilio-Signature": compute_signature(auth_token, url, params if method == "POST" else ()),
            "I-Twilio-Idempotency-Token": context["idempotency"],
            "User-Agent": "TwilioProxy/1.1",
        }
        if method == "POST":
            headers["Content-Type"] = "application/x-www-form-urlencoded; charset=utf-8"
        try:
            timeout = aiohttp.ClientTimeout(total=target.timeout_s)
            session = self._client()
            data = body.encode("utf-8") if body else None
            async with session.request(method, url, data=data, headers=headers, timeout=timeout) as reply:
                return reply.status, reply.headers.get("Content-Type", ""), await reply.text()
        except (aiohttp.ClientError, TimeoutError, ValueError) as error:
            return None, "", f"{type(error).__name__}: {error}"

    def _remember(
        self,
        target: Target,
        params: Params,
        context: dict[str, Any],
        delivery: int,
        attempt: int,
        outcome: tuple[int | None, str, str],
    ) -> None:
        status, _, text = outcome
        fields = dict(params)
        entry = {
            "kind": context["kind"],
            "url": target.url,
            "message_sid": fields.get("MessageSid"),
            "message_status": fields.get("MessageStatus") or fields.get("SmsStatus"),
            "delivery": delivery,
            "attempt": attempt,
            "response_status": status,
            "error": text if status is None else None,
            "at": time.monotonic(),
        }
        self.log.append(entry)
        if context["record"] is not None:
            context["record"].append(entry)

    def _client(self) -> aiohttp.ClientSession:
        if self._session is None or self._session.closed:
            # One pooled session for every webhook; no cookies, they would leak between receivers.
            self._session = aiohttp.ClientSession(cookie_jar=aiohttp.DummyCookieJar())
        return self._session

    async def close(self) -> None:
        """Cancel webhooks still in flight and close the HTTP session."""
        for task in list(self._tasks):
            task.cancel()
        if self._tasks:
            await asyncio.gather(*self._tasks, return_exceptions=True)
        if self._session is not None:
            await self._session.close()


def _with_query(url: str, params: Params) -> str:
    parts = urlsplit(url)
    query = "&".join(filter(None, [parts.query, urlencode(params)]))
    return urlunsplit(parts._replace(query=query))
