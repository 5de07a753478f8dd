"""Messaging v1 `Services` and their `PhoneNumbers` (the sender pool).

As on Twilio, these paths carry no account SID: they act on the authenticated account, so a subaccount's
services are reached with the subaccount's own credentials (twilio-python#785).
"""

from __future__ import annotations

import time

from aiohttp import web

from sandbox.errors import ApiError
from sandbox.render import service_json, service_number_json
from sandbox.runtime import Sandbox
from sandbox.state import Account, Service
from sandbox.web_common import api, boolean, form, json_response, page_v1, text

_SETTINGS = {
    "FriendlyName": "friendly_name",
    "InboundRequestUrl": "inbound_request_url",
    "InboundMethod": "inbound_method",
    "StatusCallback": "status_callback",
}
_FLAGS = {
    "StickySender": "sticky_sender",
    "SmartEncoding": "smart_encoding",
    "UseInboundWebhookOnNumber": "use_inbound_webhook_on_number",
}


def _apply(service: Service, params: dict) -> None:
    for name, attribute in _SETTINGS.items():
        if name in params:
            setattr(service, attribute, text(params, name))
    for name, attribute in _FLAGS.items():
        if name in params:
            setattr(service, attribute, boolean(params, name))
    if "ValidityPeriod" in params:
        period = text(params, "ValidityPeriod")
        if not period.isdigit() or not 1 <= int(period) <= 36000:
            raise ApiError(21624)
        service.validity_period = int(period)
    service.inbound_method = (service.inbound_method or "POST").upper()
    service.date_updated = time.time()


def _service(sandbox: Sandbox, request: web.Request, account: Account) -> Service:
    service = sandbox.store.services.get(request.match_info["service_sid"])
    if service is None or service.account_sid != account.sid:
        raise ApiError(20404)
    return service


def _base(sandbox: Sandbox) -> str:
    return sandbox.config.resolved_public_url()


@api(account_in_path=False)
async def create_service(sandbox: Sandbox, request: web.Request, account: Account) -> web.Response:
    """Create a Messaging Service (201)."""
    params = await form(request)
    if not text(params, "FriendlyName"):
        raise ApiError(20001, "FriendlyName is required")
    service = Service(sid=sandbox.store.new_sid("MG"), account_sid=account.sid, friendly_name="")
    _apply(service, params)
    sandbox.store.services[service.sid] = service
    return json_response(service_json(service, _base(sandbox)), status=201)


@api(account_in_path=False)
async def list_services(sandbox: Sandbox, request: web.Request, account: Account) -> web.Response:
    """The authenticated account's services."""
    items = [s for s in sandbox.store.services.values() if s.account_sid == account.sid]
    return json_response(page_v1(request, "services", items, lambda s: service_json(s, _base(sandbox))))


@api(account_in_path=False)
async def fetch_service(sandbox: Sandbox, request: web.Request, account: Account) -> web.Response:
    """One service."""
    return json_response(service_json(_service(sandbox, request, account), _base(sandbox)))


@api(account_in_path=False)
async def update_service(sandbox: Sandbox, request: web.Request, account: Account) -> web.Response:
    """Change a service's settings."""
    service = _service(sandbox, request, account)
    _apply(service, await form(request))
    return json_response(service_json(service, _base(sandbox)))


@api(account_in_path=False)
async def delete_service(sandbox: Sandbox, request: web.Request, account: Account) -> web.Response:
    """Delete a service; its senders leave the pool (204)."""
    service = _service(sandbox, request, account)
    for address in service.pool:
        sender = sandbox.store.senders.get(address)
        if sender is not None:
            sender.service_sid = None
    del sandbox.store.services[service.sid]
    return web.Response(status=204)


@api(account_in_path=False)
async def add_number(sandbox: Sandbox, request: web.Request, account: Account) -> web.Response:
    """Add one of the account's phone numbers (PhoneNumberSid) to the pool (201)."""
    service = _service(sandbox, request, account)
    sid = text(await form(request), "PhoneNumberSid")
    sender = next((s for s in sandbox.store.senders_of(account.sid) if s.sid == sid), None)
    if sender is None:
        raise ApiError(20404, f"The PhoneNumberSid {sid!r} was not found on this account")
    if sender.service_sid is not None:
        raise ApiError(21710)
    sender.service_sid = service.sid
    sender.date_updated = time.time()
    service.pool.append(sender.address)
    service.pool_sids[sender.address] = sender.sid
    return json_response(service_number_json(service, sender, _base(sandbox)), status=201)


@api(account_in_path=False)
async def list_numbers(sandbox: Sandbox, request: web.Request, account: Account) -> web.Response:
    """The pool's phone numbers."""
    service = _service(sandbox, request, account)
    senders = [sandbox.store.senders[a] for a in service.pool if a in sandbox.store.senders]
    render = lambda sender: service_number_json(service, sender, _base(sandbox))  # noqa: E731
    return json_response(page_v1(request, "phone_numbers", senders, render))


@api(account_in_path=False)
async def remove_number(sandbox: Sandbox, request: web.Request, account: Account) -> web.Response:
    """Take a number out of the pool (204)."""
    service = _service(sandbox, request, account)
    sid = request.match_info["number_sid"]
    address = next((a for a, pn in service.pool_sids.items() if pn == sid), None)
    if address is None:
        raise ApiError(20404)
    service.pool.remove(address)
    del service.pool_sids[address]
    sender = sandbox.store.senders.get(address)
    if sender is not None:
        sender.service_sid = None
    return web.Response(status=204)


def add_routes(app: web.Application) -> None:
    """Register the Messaging v1 routes."""
    service_path = "/v1/Services/{service_sid}"
    app.router.add_post("/v1/Services", create_service)
    app.router.add_get("/v1/Services", list_services)
    app.router.add_get(service_path, fetch_service)
    app.router.add_post(service_path, update_service)
    app.router.add_delete(service_path, delete_service)
    app.router.add_post(f"{service_path}/PhoneNumbers", add_number)
    app.router.add_get(f"{service_path}/PhoneNumbers", list_numbers)
    app.router.add_delete(f"{service_path}/PhoneNumbers/{{number_sid}}", remove_number)
