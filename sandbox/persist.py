"""Optional persistence (`--state-dir`): accounts, senders, Messaging Services and opt-outs survive a restart.

The platform stores subaccount SIDs and tokens in its database, so a sandbox restarted under `make run` must still
know them. Messages, queues and handsets are not kept: they are the in-flight part of the simulation. The snapshot
is rewritten (atomically) at most once a second, only when it changed.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import os
from pathlib import Path
from typing import Any

from sandbox.runtime import Sandbox
from sandbox.state import Account, Sender, Service, Store

SNAPSHOT_NAME = "sandbox-state.json"
logger = logging.getLogger("sandbox")

_ACCOUNT_FIELDS = ("sid", "auth_token", "friendly_name", "owner_account_sid", "status", "date_created")
_SENDER_FIELDS = ("sid", "account_sid", "address", "kind", "mps", "sms_url", "sms_method", "friendly_name")
_SERVICE_FIELDS = (
    "sid", "account_sid", "friendly_name", "inbound_request_url", "inbound_method", "status_callback",
    "sticky_sender", "smart_encoding", "validity_period", "use_inbound_webhook_on_number", "pool", "pool_sids",
    "date_created",
)  # fmt: skip


def snapshot(store: Store) -> dict[str, Any]:
    """The durable part of the state as JSON-ready data."""
    return {
        "accounts": [_pick(a, _ACCOUNT_FIELDS) for a in store.accounts.values() if not a.is_main],
        "senders": [_pick(s, (*_SENDER_FIELDS, "service_sid")) for s in store.senders.values()],
        "services": [_pick(s, _SERVICE_FIELDS) for s in store.services.values()],
        "opt_outs": sorted(store.opt_outs),
    }


def restore(store: Store, data: dict[str, Any]) -> None:
    """Load a snapshot into a fresh store."""
    for fields in data.get("accounts", []):
        store.add_account(Account(**fields))
    for fields in data.get("senders", []):
        store.senders[fields["address"]] = Sender(**fields)
    for fields in data.get("services", []):
        store.services[fields["sid"]] = Service(**fields)
    store.opt_outs = {(scope, handset) for scope, handset in data.get("opt_outs", [])}
    store.used_sids.update(store.accounts, store.services, (s.sid for s in store.senders.values()))


def _pick(item: object, fields: tuple[str, ...]) -> dict[str, Any]:
    return {name: getattr(item, name) for name in fields}


def load(sandbox: Sandbox, state_dir: str) -> None:
    """Restore the snapshot in `state_dir`, if there is a readable one."""
    path = Path(state_dir) / SNAPSHOT_NAME
    if not path.exists():
        return
    try:
        restore(sandbox.store, json.loads(path.read_text()))
    except (OSError, ValueError, TypeError) as error:
        logger.warning("ignoring unreadable sandbox state %s: %s", path, error)


def save(sandbox: Sandbox, state_dir: str, previous: str = "") -> str:
    """Write the snapshot if it changed since `previous`; returns what is on disk now."""
    text = json.dumps(snapshot(sandbox.store), indent=1, sort_keys=True)
    if text != previous:
        directory = Path(state_dir)
        directory.mkdir(parents=True, exist_ok=True)
        temporary = directory / (SNAPSHOT_NAME + ".tmp")
        temporary.write_text(text)
        os.replace(temporary, directory / SNAPSHOT_NAME)
    return text


async def keep_saved(sandbox: Sandbox, state_dir: str, interval_s: float = 1.0) -> None:
    """Save every `interval_s` while running, and once more when cancelled."""
    written = ""
    try:
        while True:
            await asyncio.sleep(interval_s)
            written = save(sandbox, state_dir, written)
    finally:
        with contextlib.suppress(OSError):
            save(sandbox, state_dir, written)
