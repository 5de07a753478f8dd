"""`IncomingPhoneNumbers` (API 2010) and Lookup v2 `PhoneNumbers`.

Creating an IncomingPhoneNumber with `PhoneNumber` takes that number (any valid E.164 number nobody holds); with
`AreaCode` the sandbox allocates a free +1 number in that area code from its seeded RNG.
"""

from __future__ import annotations

import time

from aiohttp import web

from sandbox import numbers
from sandbox.errors import ApiError
from sandbox.render import lookup_json, phone_number_json
from sandbox.runtime import Sandbox
from sandbox.senders import provision_sender, release_sender
from sandbox.state import Account, Sender
from sandbox.web_common import api, form, json_response, page_2010, text

COLLECTION = "/2010-04-01/Accounts/{account_sid:[^/.]+}/IncomingPhoneNumbers.json"
INSTANCE = "/2010-04-01/Accounts/{account_sid:[^/.]+}/IncomingPhoneNumbers/{sid:[^/.]+}.json"


def _phone_numbers(sandbox: Sandbox, account: Account) -> list[Sender]:
    return [s for s in sandbox.store.senders_of(account.sid) if s.kind in {"long_code", "toll_free"}]


@api()
async def list_numbers(sandbox: Sandbox, request: web.Request, account: Account) -> web.Response:
    """The account's phone numbers; filter PhoneNumber."""
    wanted = request.query.get("PhoneNumber")
    items = [s for s in _phone_numbers(sandbox, account) if not wanted or s.address == wanted]
    return json_response(page_2010(request, "incoming_phone_numbers", items, phone_number_json))


@api()
async def create_number(sandbox: Sandbox, request: web.Request, account: Account) -> web.Response:
    """Buy a number: PhoneNumber or AreaCode, with optional SmsUrl, SmsMethod, FriendlyName."""
    params = await form(request)
    address, area_code = text(params, "PhoneNumber").strip(), text(params, "AreaCode").strip()
    if not address and not area_code:
        raise ApiError(21421, "A PhoneNumber or AreaCode is required")
    if not address:
        try:
            address = numbers.allocate_number(area_code, set(sandbox.store.senders), sandbox.store.rng)
        except ValueError as error:
            raise ApiError(21422, str(error)) from error
    if not numbers.is_e164(address) or numbers.validation_errors(address):
        raise ApiError(21421)
    sender = provision_sender(
        sandbox.simulation,
        account,
        address,
        sms_url=text(params, "SmsUrl"),
        sms_method=text(params, "SmsMethod") or "POST",
        friendly_name=text(params, "FriendlyName"),
    )
    return json_response(phone_number_json(sender), status=201)


def _number(sandbox: Sandbox, request: web.Request, account: Account) -> Sender:
    sid = request.match_info["sid"]
    for sender in _phone_numbers(sandbox, account):
        if sender.sid == sid:
            return sender
    raise ApiError(20404)


@api()
async def fetch_number(sandbox: Sandbox, request: web.Request, account: Account) -> web.Response:
    """One phone number."""
    return json_response(phone_number_json(_number(sandbox, request, account)))


@api()
async def update_number(sandbox: Sandbox, request: web.Request, account: Account) -> web.Response:
    """Change SmsUrl, SmsMethod or FriendlyName."""
    sender = _number(sandbox, request, account)
    params = await form(request)
    if "SmsUrl" in params:
        sender.sms_url = text(params, "SmsUrl")
    if "SmsMethod" in params:
        sender.sms_method = (text(params, "SmsMethod") or "POST").upper()
    if "FriendlyName" in params:
        sender.friendly_name = text(params, "FriendlyName")
    sender.date_updated = time.time()
    return json_response(phone_number_json(sender))


@api()
async def delete_number(sandbox: Sandbox, request: web.Request, account: Account) -> web.Response:
    """Release a phone number (204)."""
    release_sender(sandbox.simulation, _number(sandbox, request, account))
    return web.Response(status=204)


@api(account_in_path=False)
async def lookup(sandbox: Sandbox, request: web.Request, account: Account) -> web.Response:
    """Lookup v2: validation always, `line_type_intelligence` when asked for in Fields."""
    number = request.match_info["number"].strip()
    if number.isdigit() and len(number) == 10:
        number = "+1" + number  # national format defaults to North America, as on Twilio
    fields = {field.strip() for field in request.query.get("Fields", "").split(",") if field.strip()}
    config = sandbox.config
    return json_response(lookup_json(number, fields, config.line_type_ranges, config.resolved_public_url()))


def add_routes(app: web.Application) -> None:
    """Register the IncomingPhoneNumbers and Lookup routes."""
    app.router.add_get(COLLECTION, list_numbers)
    app.router.add_post(COLLECTION, create_number)
    app.router.add_get(INSTANCE, fetch_number)
    app.router.add_post(INSTANCE, update_number)
    app.router.add_delete(INSTANCE, delete_number)
    app.router.add_get("/v2/PhoneNumbers/{number}", lookup)
