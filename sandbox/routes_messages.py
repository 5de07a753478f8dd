"""`/2010-04-01/Accounts/{AccountSid}/Messages`: create, list, fetch, cancel, redact and delete messages.

Deviation from Twilio: `Status=canceled` also cancels a message that is still `queued` or `accepted` in the
sandbox (Twilio only cancels `scheduled` ones, and the sandbox has no scheduling); a message that has started
leaving answers 400 / 20009. DELETE of a message still in flight answers 400 / 20009 too, as on Twilio.
"""

from __future__ import annotations

from datetime import UTC, datetime

from aiohttp import web

from sandbox.errors import ApiError
from sandbox.lifecycle import FINAL_STATUSES
from sandbox.outbound import SendRequest, create_message
from sandbox.render import message_json
from sandbox.runtime import Sandbox
from sandbox.state import Account, Message
from sandbox.web_common import api, boolean, form, json_response, page_2010, text, values

MESSAGE_PATH = "/2010-04-01/Accounts/{account_sid:[^/.]+}/Messages/{sid:[^/.]+}.json"


@api()
async def create(sandbox: Sandbox, request: web.Request, account: Account) -> web.Response:
    """Send a message (201 with the Message resource)."""
    params = await form(request)
    send = SendRequest(
        to=text(params, "To").strip(),
        from_=text(params, "From").strip(),
        messaging_service_sid=text(params, "MessagingServiceSid").strip(),
        body=text(params, "Body"),
        media_urls=values(params, "MediaUrl"),
        status_callback=text(params, "StatusCallback"),
        validity_period=text(params, "ValidityPeriod").strip(),
        smart_encoded=boolean(params, "SmartEncoded"),
    )
    message = create_message(sandbox.simulation, account, send)
    return json_response(message_json(message), status=201)


@api()
async def list_messages(sandbox: Sandbox, request: web.Request, account: Account) -> web.Response:
    """The account's messages, newest first; filters To, From, DateSent, DateSent<, DateSent>."""
    query = request.query
    wanted_to, wanted_from = query.get("To"), query.get("From")
    date_filters = [(op, query[name]) for name, op in _DATE_FILTERS.items() if name in query]
    items = [
        message
        for message in reversed(sandbox.store.account_messages.get(account.sid, []))
        if (not wanted_to or message.to == wanted_to)
        and (not wanted_from or message.from_ == wanted_from)
        and all(_date_matches(message, op, day) for op, day in date_filters)
    ]
    return json_response(page_2010(request, "messages", items, message_json))


_DATE_FILTERS = {"DateSent": "=", "DateSent<": "<", "DateSent>": ">"}


def _date_matches(message: Message, op: str, day: str) -> bool:
    if message.date_sent is None:
        return False
    sent = datetime.fromtimestamp(message.date_sent, UTC).strftime("%Y-%m-%d")
    wanted = day[:10]
    return {"=": sent == wanted, "<": sent <= wanted, ">": sent >= wanted}[op]


def _message(sandbox: Sandbox, request: web.Request, account: Account) -> Message:
    message = sandbox.store.messages.get(request.match_info["sid"])
    if message is None or message.account_sid != account.sid:
        raise ApiError(20404)
    return message


@api()
async def fetch(sandbox: Sandbox, request: web.Request, account: Account) -> web.Response:
    """One message, with its current status."""
    return json_response(message_json(_message(sandbox, request, account)))


@api()
async def update(sandbox: Sandbox, request: web.Request, account: Account) -> web.Response:
    """`Status=canceled` cancels a waiting message; `Body=` (empty) redacts the body."""
    message = _message(sandbox, request, account)
    params = await form(request)
    status = text(params, "Status")
    if status and status != "canceled":
        raise ApiError(20001, "Status can only be updated to 'canceled'")
    if status == "canceled" and not sandbox.simulation.cancel(message):
        raise ApiError(20009)
    if "Body" in params:
        if text(params, "Body"):
            raise ApiError(20001, "Body can only be updated to an empty string (redaction)")
        message.body = ""
    return json_response(message_json(message))


@api()
async def delete(sandbox: Sandbox, request: web.Request, account: Account) -> web.Response:
    """Delete a message that has reached a final status (204)."""
    message = _message(sandbox, request, account)
    if message.status not in FINAL_STATUSES:
        raise ApiError(20009, "Cannot delete message because it is still in flight")
    sandbox.store.messages.pop(message.sid, None)
    account_messages = sandbox.store.account_messages.get(account.sid, [])
    if message in account_messages:
        account_messages.remove(message)
    return web.Response(status=204)


def add_routes(app: web.Application) -> None:
    """Register the Messages routes."""
    collection = "/2010-04-01/Accounts/{account_sid:[^/.]+}/Messages.json"
    app.router.add_post(collection, create)
    app.router.add_get(collection, list_messages)
    app.router.add_get(MESSAGE_PATH, fetch)
    app.router.add_post(MESSAGE_PATH, update)
    app.router.add_delete(MESSAGE_PATH, delete)
