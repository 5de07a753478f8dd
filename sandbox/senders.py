"""Provisioning senders and changing account status: the operations both the REST API and the control API use."""

from __future__ import annotations

import time

from sandbox import numbers
from sandbox.errors import ApiError
from sandbox.lifecycle import Simulation
from sandbox.state import Account, Sender

SID_PREFIX = {"long_code": "PN", "toll_free": "PN", "short_code": "SC", "alphanumeric": "AI"}
ACCOUNT_STATUSES = frozenset({"active", "suspended", "closed"})


def provision_sender(
    simulation: Simulation,
    account: Account,
    address: str,
    *,
    kind: str | None = None,
    mps: float | None = None,
    sms_url: str = "",
    sms_method: str = "POST",
    friendly_name: str = "",
) -> Sender:
    """Give `account` a sender; kind and MPS are inferred from the address unless given. Raises ApiError."""
    try:
        profile = numbers.sender_profile(address)
    except ValueError as error:
        raise ApiError(21421, str(error)) from error
    if address in simulation.store.senders:
        raise ApiError(21422)
    if kind is not None and kind not in numbers.SENDER_MPS:
        raise ApiError(20001, f"kind must be one of {sorted(numbers.SENDER_MPS)}")
    if mps is not None and mps <= 0:
        raise ApiError(20001, "mps must be positive")
    sender = Sender(
        sid=simulation.store.new_sid(SID_PREFIX[kind or profile.kind]),
        account_sid=account.sid,
        address=address,
        kind=kind or profile.kind,
        mps=float(mps if mps is not None else _default_mps(profile, kind)),
        sms_url=sms_url,
        sms_method=sms_method.upper() or "POST",
        friendly_name=friendly_name or _friendly(address),
    )
    simulation.store.senders[address] = sender
    return sender


def override_sender(sender: Sender, *, kind: str | None = None, mps: float | None = None) -> Sender:
    """Change a sender's kind or MPS (the lane picks the new MPS up at its next segment)."""
    if kind is not None:
        if kind not in numbers.SENDER_MPS:
            raise ApiError(20001, f"kind must be one of {sorted(numbers.SENDER_MPS)}")
        sender.kind = kind
    if mps is not None:
        if mps <= 0:
            raise ApiError(20001, "mps must be positive")
        sender.mps = float(mps)
    sender.date_updated = time.time()
    return sender


def release_sender(simulation: Simulation, sender: Sender) -> None:
    """Take a sender away from its account; what was still queued on it fails."""
    store = simulation.store
    store.senders.pop(sender.address, None)
    for service in store.services.values():
        if sender.address in service.pool:
            service.pool.remove(sender.address)
            service.pool_sids.pop(sender.address, None)
    lane = sender.lane
    if lane is not None:
        lane.stop()
        while lane.queue:
            simulation.fail(lane.queue.popleft(), 30001)
        lane.backlog_segments = 0


def set_account_status(simulation: Simulation, account: Account, status: str) -> Account:
    """Suspend, reactivate or close a subaccount; closing is final and releases its senders."""
    if status not in ACCOUNT_STATUSES:
        raise ApiError(20001, f"Status must be one of {sorted(ACCOUNT_STATUSES)}")
    if account.status == "closed" and status != "closed":
        raise ApiError(21479)
    if account.is_main and status != "active":
        raise ApiError(20001, "the main account cannot be suspended or closed in the sandbox")
    account.status = status
    account.date_updated = time.time()
    if status != "active":
        _fail_waiting(simulation, account)
    if status == "closed":
        for sender in simulation.store.senders_of(account.sid):
            release_sender(simulation, sender)
    return account


def _fail_waiting(simulation: Simulation, account: Account) -> None:
    # Twilio fails what it had not sent yet when an account is suspended (30002); so does the sandbox, at once.
    for message in simulation.store.account_messages.get(account.sid, []):
        if message.status == "accepted":
            simulation.fail(message, 30002)
        elif message.status == "queued":
            sender = simulation.store.senders.get(message.from_ or "")
            if sender is not None and sender.lane is not None and sender.lane.remove(message):
                simulation.fail(message, 30002)


def _default_mps(profile: numbers.SenderProfile, kind: str | None) -> float:
    return profile.mps if kind in {None, profile.kind} else numbers.SENDER_MPS[kind]


def _friendly(address: str) -> str:
    if address.startswith("+1") and len(address) == 12:
        return numbers.national_format(address)
    return address
