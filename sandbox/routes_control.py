"""The sandbox's own control API under `/sandbox/api/`, and `/sandbox/inbound` (a handset sends a message).

JSON in, JSON out, no authentication: the sandbox is a local development and test tool that binds to 127.0.0.1
by default. Times named `*_at` and `segment_times` are `time.monotonic()` seconds of the sandbox process;
`GET /sandbox/api/health` returns the current value as `now`, so they can be compared.
"""

from __future__ import annotations

import json
import time
from typing import Any

from aiohttp import web

from sandbox.errors import ApiError
from sandbox.inbound import InboundRefused, receive
from sandbox.runtime import Sandbox
from sandbox.senders import override_sender, provision_sender
from sandbox.state import Handset, Message, Sender
from sandbox.web_common import SANDBOX_KEY, json_response


def _sandbox(request: web.Request) -> Sandbox:
    return request.app[SANDBOX_KEY]


def _problem(status: int, message: str, code: int | None = None) -> web.Response:
    return json_response({"error": message, "code": code}, status=status)


async def _body(request: web.Request) -> dict[str, Any]:
    """The request body as a dict, whether JSON or a form; {} when empty."""
    if request.content_type == "application/json":
        raw = await request.read()
        data = json.loads(raw) if raw.strip() else {}
        if not isinstance(data, dict):
            raise ValueError("the JSON body must be an object")
        return data
    posted = await request.post()
    return {key: posted.getall(key) if len(posted.getall(key)) > 1 else posted[key] for key in posted}


def message_detail(message: Message) -> dict[str, Any]:
    """A message with the sandbox's internal timing (monotonic seconds)."""
    return {
        "sid": message.sid,
        "account_sid": message.account_sid,
        "direction": message.direction,
        "from": message.from_,
        "to": message.to,
        "body": message.body,
        "media_urls": list(message.media_urls),
        "status": message.status,
        "num_segments": message.num_segments,
        "encoding": message.encoding,
        "messaging_service_sid": message.messaging_service_sid,
        "error_code": message.error_code,
        "validity_period": message.validity_period,
        "created_at": message.created_at,
        "segment_times": list(message.segment_times),
        "sent_at": message.time_of("sent"),
        "delivered_at": message.time_of("delivered"),
        "history": [{"status": status, "at": at} for status, at in message.history],
        "callbacks": list(message.callbacks),
    }


def sender_detail(sender: Sender) -> dict[str, Any]:
    """A sender with its queue."""
    lane = sender.lane
    return {
        "sid": sender.sid,
        "account_sid": sender.account_sid,
        "address": sender.address,
        "kind": sender.kind,
        "mps": sender.mps,
        "sms_url": sender.sms_url,
        "sms_method": sender.sms_method,
        "service_sid": sender.service_sid,
        "queued_messages": len(lane.queue) if lane else 0,
        "backlog_segments": lane.backlog_segments if lane else 0,
    }


def handset_detail(handset: Handset) -> dict[str, Any]:
    """A handset's inbox (arrival order), what it sent, and everything addressed to it with its status."""
    return {
        "number": handset.number,
        "inbox": [message_detail(m) for m in handset.inbox],
        "sent": [message_detail(m) for m in handset.outgoing],
        "addressed": [message_detail(m) for m in handset.addressed],
    }


async def health(request: web.Request) -> web.Response:
    """Liveness plus a few counts (`requests_in_flight`: API requests of this generation) and the monotonic clock."""
    sandbox = _sandbox(request)
    store = sandbox.store
    return json_response(
        {
            "status": "ok",
            "now": time.monotonic(),
            "uptime_s": round(time.time() - sandbox.started_at, 3),
            "account_sid": store.main.sid,
            "accounts": len(store.accounts),
            "senders": len(store.senders),
            "messages": len(store.messages),
            "requests_in_flight": sum(sandbox.in_flight.values()),
        }
    )


async def get_config(request: web.Request) -> web.Response:
    """The live configuration."""
    return json_response(_sandbox(request).config.as_json())


async def set_config(request: web.Request) -> web.Response:
    """Change settings (partial JSON object); 400 on unknown names or bad values."""
    sandbox = _sandbox(request)
    try:
        sandbox.config.update(await _body(request))
    except (TypeError, ValueError) as error:
        return _problem(400, str(error))
    return json_response(sandbox.config.as_json())


async def reset(request: web.Request) -> web.Response:
    """Forget all state; `{"seed": N}` reseeds, `{"keep_config": true}` keeps the live settings."""
    sandbox = _sandbox(request)
    try:
        body = await _body(request)
        seed = int(body["seed"]) if body.get("seed") is not None else None
    except (TypeError, ValueError) as error:
        return _problem(400, str(error))
    await sandbox.reset(seed=seed, keep_config=bool(body.get("keep_config")))
    return json_response({"status": "reset", "account_sid": sandbox.store.main.sid})


async def list_accounts(request: web.Request) -> web.Response:
    """Every account with its token (this is a local tool: demos need the tokens)."""
    accounts = _sandbox(request).store.accounts.values()
    keys = ("sid", "auth_token", "friendly_name", "owner_account_sid", "status")
    return json_response({"accounts": [{key: getattr(a, key) for key in keys} for a in accounts]})


async def list_senders(request: web.Request) -> web.Response:
    """Every sender; `?account_sid=` filters."""
    wanted = request.query.get("account_sid")
    senders = [s for s in _sandbox(request).store.senders.values() if not wanted or s.account_sid == wanted]
    return json_response({"senders": [sender_detail(s) for s in senders]})


async def create_sender(request: web.Request) -> web.Response:
    """Provision a sender: address, account_sid (default main), kind, mps, sms_url, sms_method, service_sid."""
    sandbox = _sandbox(request)
    try:
        body = await _body(request)
        account = sandbox.store.accounts.get(body.get("account_sid") or sandbox.store.main.sid)
        if account is None:
            return _problem(404, "no such account")
        mps = float(body["mps"]) if body.get("mps") is not None else None
        sender = provision_sender(
            sandbox.simulation,
            account,
            str(body.get("address", "")).strip(),
            kind=body.get("kind"),
            mps=mps,
            sms_url=body.get("sms_url", ""),
            sms_method=body.get("sms_method", "POST"),
        )
        _join_service(sandbox, sender, body.get("service_sid"))
    except ApiError as error:
        return _problem(error.status, error.message, error.code)
    except (TypeError, ValueError) as error:
        return _problem(400, str(error))
    return json_response(sender_detail(sender), status=201)


def _join_service(sandbox: Sandbox, sender: Sender, service_sid: str | None) -> None:
    if not service_sid:
        return
    service = sandbox.store.services.get(service_sid)
    if service is None or service.account_sid != sender.account_sid:
        raise ApiError(21701)
    sender.service_sid = service.sid
    service.pool.append(sender.address)
    service.pool_sids[sender.address] = sender.sid


async def update_sender(request: web.Request) -> web.Response:
    """Override a sender's kind, mps, sms_url or sms_method."""
    sandbox = _sandbox(request)
    sender = sandbox.store.senders.get(request.match_info["address"])
    if sender is None:
        return _problem(404, "no such sender")
    try:
        body = await _body(request)
        mps = float(body["mps"]) if body.get("mps") is not None else None
        override_sender(sender, kind=body.get("kind"), mps=mps)
        sender.sms_url = body.get("sms_url", sender.sms_url)
        sender.sms_method = str(body.get("sms_method", sender.sms_method)).upper()
    except ApiError as error:
        return _problem(error.status, error.message, error.code)
    except (TypeError, ValueError) as error:
        return _problem(400, str(error))
    return json_response(sender_detail(sender))


async def list_messages(request: web.Request) -> web.Response:
    """Messages with internal timing, oldest first; filters account_sid, to, from, status, direction."""
    query = request.query
    filters = {name: query[name] for name in ("account_sid", "to", "from", "status", "direction") if name in query}
    details = (message_detail(m) for m in _sandbox(request).store.messages.values())
    selected = [d for d in details if all(d[name] == value for name, value in filters.items())]
    return json_response({"messages": selected})


async def list_arrivals(request: web.Request) -> web.Response:
    """When each outbound message reached the Messages API and its segments, by sender, oldest first: compact
    enough for tens of thousands of messages. Filter: account_sid. `now` is the same clock."""
    account_sid = request.query.get("account_sid")
    senders: dict[str, list[list[float]]] = {}
    for message in _sandbox(request).store.messages.values():
        if message.direction == "inbound" or (account_sid and message.account_sid != account_sid):
            continue
        senders.setdefault(message.from_, []).append([message.created_at, message.num_segments])
    for arrivals in senders.values():
        arrivals.sort()
    return json_response({"now": time.monotonic(), "senders": senders})


async def get_message(request: web.Request) -> web.Response:
    """One message with internal timing and its callback attempts."""
    message = _sandbox(request).store.messages.get(request.match_info["sid"])
    if message is None:
        return _problem(404, "no such message")
    return json_response(message_detail(message))


async def list_handsets(request: web.Request) -> web.Response:
    """Every handset the sandbox has seen."""
    handsets = _sandbox(request).store.handsets.values()
    return json_response({"handsets": [handset_detail(h) for h in handsets]})


async def get_handset(request: web.Request) -> web.Response:
    """One handset (an unknown number is an empty handset)."""
    store = _sandbox(request).store
    number = request.match_info["number"]
    handset = store.handsets.get(number) or Handset(number)
    return json_response(handset_detail(handset))


async def list_callbacks(request: web.Request) -> web.Response:
    """Recent webhook attempts (newest last); filters message_sid and kind (status | inbound)."""
    query = request.query
    entries = [
        entry
        for entry in _sandbox(request).simulation.poster.log
        if all(entry.get(name) == query[name] for name in ("message_sid", "kind") if name in query)
    ]
    return json_response({"callbacks": entries})


async def list_opt_outs(request: web.Request) -> web.Response:
    """Who opted out of what: scope is a sender address or a Messaging Service SID."""
    opt_outs = sorted(_sandbox(request).store.opt_outs)
    return json_response({"opt_outs": [{"scope": scope, "handset": handset} for scope, handset in opt_outs]})


async def inbound(request: web.Request) -> web.Response:
    """A handset sends a message: From (handset), To (sender), Body, optional MediaUrl (form or JSON)."""
    sandbox = _sandbox(request)
    try:
        body = await _body(request)
        media = body.get("MediaUrl") or ()
        message = receive(
            sandbox.simulation,
            from_=str(body.get("From", "")).strip(),
            to=str(body.get("To", "")).strip(),
            body=str(body.get("Body", "")),
            media_urls=tuple([media] if isinstance(media, str) else media),
        )
    except InboundRefused as error:
        return _problem(404 if "no sender" in str(error) else 409, str(error))
    except ValueError as error:
        return _problem(400, str(error))
    if "text/html" in request.headers.get("Accept", ""):  # the page's plain form: back to the page
        raise web.HTTPSeeOther(f"/sandbox/?handset={message.from_}")
    return json_response(message_detail(message), status=201)


def add_routes(app: web.Application) -> None:
    """Register the control API and the inbound endpoint."""
    router = app.router
    router.add_get("/sandbox/api/health", health)
    router.add_get("/sandbox/api/config", get_config)
    router.add_post("/sandbox/api/config", set_config)
    router.add_post("/sandbox/api/reset", reset)
    router.add_get("/sandbox/api/accounts", list_accounts)
    router.add_get("/sandbox/api/senders", list_senders)
    router.add_post("/sandbox/api/senders", create_sender)
    router.add_post("/sandbox/api/senders/{address}", update_sender)
    router.add_patch("/sandbox/api/senders/{address}", update_sender)
    router.add_get("/sandbox/api/messages", list_messages)
    router.add_get("/sandbox/api/messages/{sid}", get_message)
    router.add_get("/sandbox/api/arrivals", list_arrivals)
    router.add_get("/sandbox/api/handsets", list_handsets)
    router.add_get("/sandbox/api/handsets/{number}", get_handset)
    router.add_get("/sandbox/api/callbacks", list_callbacks)
    router.add_get("/sandbox/api/opt-outs", list_opt_outs)
    router.add_post("/sandbox/inbound", inbound)
