"""`/2010-04-01/Accounts`: create, list, fetch and update (suspend, reactivate, close) subaccounts."""

from __future__ import annotations

from datetime import UTC, datetime

from aiohttp import web

from sandbox.errors import ApiError
from sandbox.render import account_json
from sandbox.runtime import Sandbox
from sandbox.senders import set_account_status
from sandbox.state import Account
from sandbox.web_common import api, form, json_response, page_2010, text


@api(account_in_path=False)
async def create_account(sandbox: Sandbox, request: web.Request, principal: Account) -> web.Response:
    """Create a subaccount of the main account (a subaccount cannot have subaccounts)."""
    if not principal.is_main:
        raise ApiError(20003)
    params = await form(request)
    store = sandbox.store
    account = Account(
        sid=store.new_sid("AC"),
        auth_token=store.new_token(),
        friendly_name=text(params, "FriendlyName") or "SubAccount Created at " + _now_label(),
        owner_account_sid=principal.sid,
    )
    store.add_account(account)
    return json_response(account_json(account), status=201)


@api(account_in_path=False, allow_inactive=True)
async def list_accounts(sandbox: Sandbox, request: web.Request, principal: Account) -> web.Response:
    """The principal and, for the main account, its subaccounts; filters FriendlyName and Status."""
    accounts = [a for a in sandbox.store.accounts.values() if principal.sid in {a.sid, a.owner_account_sid}]
    name, status = request.query.get("FriendlyName"), request.query.get("Status")
    accounts = [a for a in accounts if (not name or a.friendly_name == name) and (not status or a.status == status)]
    return json_response(page_2010(request, "accounts", accounts, account_json))


@api(allow_inactive=True)
async def fetch_account(sandbox: Sandbox, request: web.Request, account: Account) -> web.Response:
    """One account."""
    return json_response(account_json(account))


@api(allow_inactive=True)
async def update_account(sandbox: Sandbox, request: web.Request, account: Account) -> web.Response:
    """Rename, or change Status to suspended | active | closed (closed is final)."""
    params = await form(request)
    if "Status" in params:
        set_account_status(sandbox.simulation, account, text(params, "Status"))
    if "FriendlyName" in params:
        account.friendly_name = text(params, "FriendlyName")
    return json_response(account_json(account))


def _now_label() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%d %H:%M:%S")


def add_routes(app: web.Application) -> None:
    """Register the Accounts routes."""
    app.router.add_post("/2010-04-01/Accounts.json", create_account)
    app.router.add_get("/2010-04-01/Accounts.json", list_accounts)
    app.router.add_get("/2010-04-01/Accounts/{account_sid:[^/.]+}.json", fetch_account)
    app.router.add_post("/2010-04-01/Accounts/{account_sid:[^/.]+}.json", update_account)
