"""The sandbox's in-memory world: accounts, senders, Messaging Services, messages, handsets and opt-outs.

Nothing here does I/O or knows about time passing; `lifecycle` moves messages along and `app` answers HTTP.
Times are kept twice: wall-clock epoch seconds for Twilio's RFC 2822 dates, and `time.monotonic()` seconds for
the internal timing the control API exposes (pacing is asserted on those).
"""

from __future__ import annotations

import random
import time
from dataclasses import dataclass, field
from typing import Any

MAIN_ACCOUNT_NAME = "Sandbox main account"


@dataclass(slots=True, eq=False)
class Account:
    """A Twilio account: the main one (its own owner) or a subaccount of it."""

    sid: str
    auth_token: str
    friendly_name: str
    owner_account_sid: str
    status: str = "active"  # active | suspended | closed
    date_created: float = field(default_factory=time.time)
    date_updated: float = field(default_factory=time.time)

    @property
    def is_main(self) -> bool:
        """True for the main (parent) account."""
        return self.owner_account_sid == self.sid


@dataclass(slots=True, eq=False)
class Sender:
    """Something an account sends from: a phone number, a short code or an alphanumeric sender ID."""

    sid: str
    account_sid: str
    address: str
    kind: str  # long_code | toll_free | short_code | alphanumeric
    mps: float  # segments per second
    sms_url: str = ""
    sms_method: str = "POST"
    friendly_name: str = ""
    service_sid: str | None = None
    date_created: float = field(default_factory=time.time)
    date_updated: float = field(default_factory=time.time)
    lane: Any = None  # the pacing lane draining this sender's queue, attached by the simulation


@dataclass(slots=True, eq=False)
class Service:
    """A Messaging Service: a sender pool with its own inbound URL, status callback and validity period."""

    sid: str
    account_sid: str
    friendly_name: str
    inbound_request_url: str = ""
    inbound_method: str = "POST"
    status_callback: str = ""
    sticky_sender: bool = True
    smart_encoding: bool = True
    validity_period: int = 36000
    use_inbound_webhook_on_number: bool = False
    pool: list[str] = field(default_factory=list)  # sender addresses, in the order they were added
    pool_sids: dict[str, str] = field(default_factory=dict)  # sender address -> its PN sid in this service
    sticky: dict[str, str] = field(default_factory=dict)  # handset -> sender address it last got
    date_created: float = field(default_factory=time.time)
    date_updated: float = field(default_factory=time.time)


@dataclass(slots=True, eq=False)
class Message:
    """An SMS/MMS in either direction, with Twilio's fields and the sandbox's internal timing."""

    sid: str
    account_sid: str
    to: str
    from_: str | None
    body: str
    direction: str  # outbound-api | outbound-reply | inbound
    status: str
    num_segments: int = 0
    encoding: str = "GSM-7"
    media_urls: tuple[str, ...] = ()
    messaging_service_sid: str | None = None
    status_callback: str = ""
    validity_period: int = 36000
    error_code: int | None = None
    error_message: str | None = None
    price: str | None = None
    date_created: float = field(default_factory=time.time)
    date_updated: float = field(default_factory=time.time)
    date_sent: float | None = None
    created_at: float = field(default_factory=time.monotonic)
    history: list[tuple[str, float]] = field(default_factory=list)  # (status, monotonic time)
    segment_times: list[float] = field(default_factory=list)  # monotonic time each segment left the queue
    callbacks: list[dict[str, Any]] = field(default_factory=list)  # attempts at posting its status callbacks

    def set_status(self, status: str) -> None:
        """Move to `status` and remember when (monotonic), for the control API."""
        self.status = status
        self.date_updated = time.time()
        self.history.append((status, time.monotonic()))

    def time_of(self, status: str) -> float | None:
        """Monotonic time the message reached `status`, or None."""
        return next((at for name, at in self.history if name == status), None)


@dataclass(slots=True, eq=False)
class Handset:
    """A simulated phone: what it received (in arrival order) and what it sent."""

    number: str
    inbox: list[Message] = field(default_factory=list)  # delivered to it, in arrival order
    outgoing: list[Message] = field(default_factory=list)  # sent by it (inbound to a sender)
    addressed: list[Message] = field(default_factory=list)  # every outbound addressed to it, any status
    delivery_turn: int = 0  # how many of its messages took a scripted delivery delay (`delivery_delays_ms`)


class Store:
    """All sandbox state, with the indexes the API needs; SIDs and tokens come from the seeded RNG."""

    def __init__(self, rng: random.Random, account_sid: str, auth_token: str) -> None:
        self.rng = rng
        self.accounts: dict[str, Account] = {}
        self.senders: dict[str, Sender] = {}  # address -> sender
        self.services: dict[str, Service] = {}
        self.messages: dict[str, Message] = {}
        self.account_messages: dict[str, list[Message]] = {}
        self.handsets: dict[str, Handset] = {}
        self.opt_outs: set[tuple[str, str]] = set()  # (sender address or MG sid, handset number)
        self.used_sids: set[str] = set()
        self.main = self.add_account(Account(account_sid, auth_token, MAIN_ACCOUNT_NAME, owner_account_sid=account_sid))

    def new_sid(self, prefix: str) -> str:
        """A Twilio-shaped SID: two-letter prefix + 32 lowercase hex digits, never one already in use."""
        sid = f"{prefix}{self.rng.getrandbits(128):032x}"
        while sid in self.used_sids:  # only after a restore from --state-dir with the same seed
            sid = f"{prefix}{self.rng.getrandbits(128):032x}"
        self.used_sids.add(sid)
        return sid

    def new_token(self) -> str:
        """A 32-hex-digit auth token."""
        return f"{self.rng.getrandbits(128):032x}"

    def add_account(self, account: Account) -> Account:
        """Register an account."""
        self.accounts[account.sid] = account
        self.account_messages.setdefault(account.sid, [])
        return account

    def add_message(self, message: Message) -> Message:
        """Register a message under its account (and with its handset when it is outbound)."""
        self.messages[message.sid] = message
        self.account_messages.setdefault(message.account_sid, []).append(message)
        if message.direction != "inbound":
            self.handset(message.to).addressed.append(message)
        return message

    def handset(self, number: str) -> Handset:
        """The handset with this number, created on first use."""
        handset = self.handsets.get(number)
        if handset is None:
            handset = self.handsets[number] = Handset(number)
        return handset

    def senders_of(self, account_sid: str) -> list[Sender]:
        """The account's senders, in provisioning order."""
        return [sender for sender in self.senders.values() if sender.account_sid == account_sid]

    def is_opted_out(self, sender: Sender | None, service_sid: str | None, handset: str) -> bool:
        """True when `handset` opted out of the sender or of the Messaging Service it sends through."""
        scopes = {service_sid, sender.address if sender else None, sender.service_sid if sender else None}
        return any((scope, handset) in self.opt_outs for scope in scopes if scope)
