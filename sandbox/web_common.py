"""HTTP plumbing shared by the Twilio-shaped routes: Basic auth, the concurrency limit, JSON and paging.

Authentication is HTTP Basic with an account SID and its auth token. A parent account may act on its
subaccounts' 2010 paths with its own credentials; a subaccount may act only on itself. Status rules, chosen to
follow Twilio's error catalogue:

- a closed account no longer authenticates, and its paths answer 401 / 20003 ("Authenticate");
- a suspended account (or a suspended subaccount reached through its parent) answers 403 / 20403 to everything
  except the parent reading and updating the subaccount's Account resource, so the parent can reactivate it.

Each account may have `concurrency_limit` API requests in flight; one more gets 429 / 20429 without being
processed, and every answer carries the `Twilio-Concurrent-Requests` header.

A request belongs to the generation (see `runtime.Sandbox.reset`) it was authenticated in. One still in flight when
a reset happens answers 401 / 20003 without being processed: the account it authenticated as is gone, even when
the reseeded generation has an account with the same SID and token. Nor does it count towards the new
generation's concurrency limit.
"""

from __future__ import annotations

import asyncio
import base64
import binascii
import hmac
import json
from collections.abc import Awaitable, Callable
from typing import Any
from urllib.parse import urlencode

from aiohttp import web

from sandbox.errors import ApiError
from sandbox.runtime import Sandbox
from sandbox.state import Account

SANDBOX_KEY = web.AppKey("sandbox", Sandbox)
Handler = Callable[[Sandbox, web.Request, Account], Awaitable[web.Response]]
_credential_cache: dict[str, tuple[str, str] | None] = {}


def json_response(data: Any, status: int = 200) -> web.Response:
    """A JSON response (compact, UTF-8)."""
    body = json.dumps(data, separators=(",", ":"), ensure_ascii=False).encode("utf-8")
    return web.Response(body=body, status=status, content_type="application/json")


def error_response(error: ApiError) -> web.Response:
    """Twilio's error body with its HTTP status."""
    response = json_response(error.body(), status=error.status)
    if error.status == 401:
        response.headers["WWW-Authenticate"] = 'Basic realm="Twilio API"'
    return response


def basic_credentials(header: str) -> tuple[str, str] | None:
    """(username, password) from an `Authorization: Basic ...` header, memoised (clients reuse one header)."""
    if header in _credential_cache:
        return _credential_cache[header]
    credentials = None
    scheme, _, encoded = header.partition(" ")
    if scheme.lower() == "basic":
        try:
            username, separator, password = base64.b64decode(encoded).decode("utf-8").partition(":")
            credentials = (username, password) if separator else None
        except (binascii.Error, UnicodeDecodeError):
            credentials = None
    if len(_credential_cache) > 1024:
        _credential_cache.clear()
    _credential_cache[header] = credentials
    return credentials


def authenticate(sandbox: Sandbox, request: web.Request) -> Account:
    """The account whose credentials the request carries; ApiError 20003 otherwise."""
    credentials = basic_credentials(request.headers.get("Authorization", ""))
    if credentials is None:
        raise ApiError(20003)
    account = sandbox.store.accounts.get(credentials[0])
    if account is None or account.status == "closed":
        raise ApiError(20003)
    if not hmac.compare_digest(account.auth_token.encode(), credentials[1].encode()):
        raise ApiError(20003)
    return account


def resolve_account(sandbox: Sandbox, principal: Account, path_sid: str | None, allow_inactive: bool) -> Account:
    """The account a request acts on: the path's (self or own subaccount) or the principal's."""
    target = principal
    if path_sid is not None and path_sid != principal.sid:
        target = sandbox.store.accounts.get(path_sid)  # type: ignore[assignment]
        if target is None:
            raise ApiError(20404 if principal.is_main else 20003)
        if target.owner_account_sid != principal.sid:
            raise ApiError(20003)
    if allow_inactive and target is not principal:
        return target  # the parent may read and reactivate a suspended or closed subaccount
    if target.status == "closed":
        raise ApiError(20003)
    if target.status == "suspended" or principal.status == "suspended":
        raise ApiError(20403)
    return target


def api(*, account_in_path: bool = True, allow_inactive: bool = False) -> Callable[[Handler], Any]:
    """Wrap a handler with auth, the per-account concurrency limit, the artificial delay and error bodies."""

    def wrap(handler: Handler) -> Callable[[web.Request], Awaitable[web.Response]]:
        async def endpoint(request: web.Request) -> web.Response:
            sandbox = request.app[SANDBOX_KEY]
            try:
                principal = authenticate(sandbox, request)
                path_sid = request.match_info.get("account_sid") if account_in_path else None
                account = resolve_account(sandbox, principal, path_sid, allow_inactive)
            except ApiError as error:
                return error_response(error)
            return await _limited(sandbox, request, account, handler)

        return endpoint

    return wrap


async def _limited(sandbox: Sandbox, request: web.Request, account: Account, handler: Handler) -> web.Response:
    # The generation this request was authenticated in: its store and its in-flight counts.
    store, in_flight = sandbox.store, sandbox.in_flight
    current = in_flight.get(account.sid, 0) + 1
    if current > sandbox.config.concurrency_limit:
        response = error_response(ApiError(20429))
        response.headers["Twilio-Concurrent-Requests"] = str(current)
        return response
    in_flight[account.sid] = current
    try:
        if sandbox.config.request_delay_ms:
            await asyncio.sleep(sandbox.config.request_delay_ms / 1000)
        if request.method == "POST":
            await request.post()  # read (and cache) the form now, so the handler runs without waiting after the check
        if sandbox.store is not store:
            raise ApiError(20003)  # a reset forgot the account while the request was in flight
        response = await handler(sandbox, request, account)
    except ApiError as error:
        response = error_response(error)
    finally:
        in_flight[account.sid] = max(0, in_flight.get(account.sid, 1) - 1)
    response.headers["Twilio-Concurrent-Requests"] = str(current)
    return response


async def form(request: web.Request) -> dict[str, Any]:
    """The request's parameters: the form body for POST, the query string otherwise (repeated keys as lists)."""
    source = await request.post() if request.method == "POST" else request.query
    data: dict[str, Any] = {}
    for key in source:
        values = source.getall(key)
        data[key] = [str(value) for value in values] if len(values) > 1 else str(values[0])
    return data


def text(params: dict[str, Any], name: str, default: str = "") -> str:
    """A single-valued parameter (the last one when repeated)."""
    value = params.get(name, default)
    return value[-1] if isinstance(value, list) else value


def values(params: dict[str, Any], name: str) -> tuple[str, ...]:
    """Every value of a repeatable parameter."""
    value = params.get(name)
    if value is None:
        return ()
    return tuple(value) if isinstance(value, list) else (value,)


def boolean(params: dict[str, Any], name: str, default: bool = False) -> bool:
    """A Twilio boolean parameter ("true"/"false", case-insensitive)."""
    value = text(params, name)
    return default if not value else value.lower() in {"true", "1", "yes"}


def page_2010(request: web.Request, key: str, items: list[Any], render: Callable[[Any], Any]) -> dict[str, Any]:
    """API 2010 paging envelope (`page`, `page_size`, `*_page_uri`, relative URIs) over `items`."""
    page_size, page = _paging(request)
    start = page * page_size
    chunk = items[start : start + page_size]
    filters = {name: value for name, value in request.query.items() if name not in {"Page", "PageSize", "PageToken"}}

    def uri(number: int) -> str:
        return f"{request.path}?{urlencode({**filters, 'PageSize': page_size, 'Page': number})}"

    return {
        key: [render(item) for item in chunk],
        "end": start + max(len(chunk) - 1, 0),
        "first_page_uri": uri(0),
        "next_page_uri": uri(page + 1) if start + page_size < len(items) else None,
        "page": page,
        "page_size": page_size,
        "previous_page_uri": uri(page - 1) if page > 0 else None,
        "start": start,
        "uri": uri(page),
    }


def page_v1(request: web.Request, key: str, items: list[Any], render: Callable[[Any], Any]) -> dict[str, Any]:
    """Paging envelope of the v1/v2 domains (`meta` with absolute URLs) over `items`."""
    page_size, page = _paging(request)
    start = page * page_size
    base = f"{request.url.origin()}{request.path}"

    def url(number: int) -> str:
        return f"{base}?PageSize={page_size}&Page={number}"

    return {
        key: [render(item) for item in items[start : start + page_size]],
        "meta": {
            "first_page_url": url(0),
            "key": key,
            "next_page_url": url(page + 1) if start + page_size < len(items) else None,
            "page": page,
            "page_size": page_size,
            "previous_page_url": url(page - 1) if page > 0 else None,
            "url": url(page),
        },
    }


def _paging(request: web.Request) -> tuple[int, int]:
    try:
        page_size = min(max(int(request.query.get("PageSize", "50")), 1), 1000)
        page = max(int(request.query.get("Page", "0")), 0)
    except ValueError as error:
        raise ApiError(20001, "PageSize and Page must be integers") from error
    return page_size, page
