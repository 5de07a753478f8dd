"""How messages move: accepted → queued → sending → sent → delivered | undelivered, or failed.

`Simulation` owns the timers, the sender lanes and the webhook poster of one sandbox generation; a reset closes it
and starts a fresh one, so nothing scheduled before a reset can touch the new state. Hop latencies are drawn from
the seeded RNG, which is why two messages to one handset can arrive in the opposite order to how they were sent;
`delivery_delays_ms` scripts the carrier's delay per handset instead, to make that happen every time.
Every change after the initial status is posted to the message's status callback URL.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from sandbox import numbers
from sandbox.callbacks import CallbackPoster
from sandbox.config import Range, SandboxConfig
from sandbox.errors import async_error_message
from sandbox.pacing import SenderLane, pacing_segments
from sandbox.segments import segment_count
from sandbox.state import Message, Sender, Service, Store

API_VERSION = "2010-04-01"
FINAL_STATUSES = frozenset({"delivered", "undelivered", "failed", "canceled", "received"})
# Sender kinds a Messaging Service prefers for a destination, best first.
POOL_PREFERENCE = {"short_code": 0, "toll_free": 1, "long_code": 2, "alphanumeric": 3}


class Simulation:
    """The moving parts of one sandbox generation: lanes, timers and callbacks over a `Store`."""

    def __init__(self, store: Store, config: SandboxConfig) -> None:
        self.store = store
        self.config = config
        self.rng = store.rng
        self.poster = CallbackPoster(config, store.rng)
        self.closed = False

    # --- scheduling -------------------------------------------------------------------------------------

    def later(self, delay_s: float, action: Callable[..., Any], *args: Any) -> None:
        """Run `action(*args)` after `delay_s` seconds, unless this generation has been closed by then."""
        asyncio.get_running_loop().call_later(delay_s, self._fire, action, args)

    def _fire(self, action: Callable[..., Any], args: tuple[Any, ...]) -> None:
        if not self.closed:
            action(*args)

    def draw(self, latency_ms: Range) -> float:
        """A latency in seconds, uniform within the configured millisecond range."""
        low, high = latency_ms
        return (low if high <= low else self.rng.uniform(low, high)) / 1000

    async def close(self) -> None:
        """Stop every lane, timer and webhook of this generation."""
        self.closed = True
        for sender in self.store.senders.values():
            if sender.lane is not None:
                sender.lane.stop()
        await self.poster.close()

    # --- submission ---------------------------------------------------------------------------------------

    def lane_for(self, sender: Sender) -> SenderLane:
        """The sender's lane, created on first use."""
        if sender.lane is None:
            sender.lane = SenderLane(sender, self, self.config.queue_hours)
        sender.lane.queue_hours = self.config.queue_hours
        return sender.lane

    def submit_queued(self, message: Message, sender: Sender) -> None:
        """Put a message that already passed the overflow check into its sender's lane."""
        self.lane_for(sender).enqueue(message)
        self._watch_validity(message)

    def submit_accepted(self, message: Message, service: Service) -> None:
        """A Messaging Service send: pick a sender from the pool after the accept latency."""
        self.later(self.draw(self.config.accept_latency_ms), self._assign_sender, message, service)
        self._watch_validity(message)

    def _assign_sender(self, message: Message, service: Service) -> None:
        if message.status != "accepted":
            return
        sender = self.pick_sender(service, message.to)
        if sender is None:
            self.fail(message, 21703)
            return
        message.from_ = sender.address
        message.num_segments, message.encoding = segment_count(message.body, service.smart_encoding)
        if message.media_urls:
            message.num_segments = 1
        if not self.lane_for(sender).can_accept(message):
            self.fail(message, 30001)  # a pool's queue overflow fails after creation instead of 21611
            return
        self.change(message, "queued")
        self.lane_for(sender).enqueue(message)

    def pick_sender(self, service: Service, to: str) -> Sender | None:
        """Twilio-like sender choice: sticky sender, then a kind suited to the destination, then least queued."""
        pool = [self.store.senders[address] for address in service.pool if address in self.store.senders]
        if not pool:
            return None
        sticky = service.sticky.get(to) if service.sticky_sender else None
        if sticky in service.pool and sticky in self.store.senders:
            return self.store.senders[sticky]
        domestic = numbers.country_of(to) in {"US", "CA"}
        usable = [s for s in pool if not (domestic and s.kind == "alphanumeric")] or pool
        chosen = min(usable, key=lambda s: (POOL_PREFERENCE[s.kind], _backlog(s), service.pool.index(s.address)))
        service.sticky[to] = chosen.address
        return chosen

    def cancel(self, message: Message) -> bool:
        """Cancel a message still waiting (accepted or queued); False once it has started leaving."""
        if message.status == "accepted":
            self.change(message, "canceled")
            return True
        sender = self.store.senders.get(message.from_ or "")
        if message.status != "queued" or sender is None or sender.lane is None:
            return False
        if not sender.lane.remove(message):
            return False
        self.change(message, "canceled")
        return True

    def _watch_validity(self, message: Message) -> None:
        if message.validity_period < 36000:
            self.later(message.validity_period, self._expire, message)

    def _expire(self, message: Message) -> None:
        if message.status == "accepted":
            self.fail(message, 30036)
            return
        sender = self.store.senders.get(message.from_ or "")
        if message.status == "queued" and sender is not None and sender.lane and sender.lane.remove(message):
            self.fail(message, 30036)

    # --- lane hooks ---------------------------------------------------------------------------------------

    def may_dispatch(self, message: Message) -> bool:
        """Called as a message reaches the head of its lane: fail it if it may no longer leave."""
        if self.closed or message.status != "queued":
            return False
        account = self.store.accounts.get(message.account_sid)
        if account is None or account.status != "active":
            self.fail(message, 30002)
            return False
        if time.monotonic() - message.created_at > message.validity_period:
            self.fail(message, 30036)
            return False
        return True

    def first_segment_left(self, message: Message) -> None:
        """The first segment left the queue: the carrier hand-off begins."""
        self.change(message, "sending")

    def last_segment_left(self, message: Message) -> None:
        """Every segment left: the carrier accepts it after the `sent` latency."""
        self.later(self.draw(self.config.sent_latency_ms), self._mark_sent, message)

    def _mark_sent(self, message: Message) -> None:
        message.date_sent = time.time()
        message.price = f"-{float(self.config.price_per_segment) * pacing_segments(message):.5f}"
        self.change(message, "sent")
        self.later(self.delivery_delay(message.to), self._finish, message)

    def delivery_delay(self, to: str) -> float:
        """Seconds from sent to the final status: the handset's next scripted delay when its number has some
        (`delivery_delays_ms`), else a latency drawn from `delivery_latency_ms`."""
        for prefix, delays in self.config.delivery_delays_ms.items():
            if to.startswith(prefix):
                handset = self.store.handset(to)
                delay = delays[handset.delivery_turn % len(delays)]
                handset.delivery_turn += 1
                return delay / 1000
        return self.draw(self.config.delivery_latency_ms)

    def _finish(self, message: Message) -> None:
        code = numbers.undelivered_code(message.to, self.config.undelivered_ranges, self.config.line_type_ranges)
        if code is not None:
            message.error_code, message.error_message = code, async_error_message(code)
            self.change(message, "undelivered")
            return
        self.change(message, "delivered")
        self.store.handset(message.to).inbox.append(message)

    # --- status changes and their callbacks ---------------------------------------------------------------

    def fail(self, message: Message, code: int) -> None:
        """Fail a message with an asynchronous error code (and tell its status callback)."""
        message.error_code, message.error_message = code, async_error_message(code)
        self.change(message, "failed")

    def change(self, message: Message, status: str) -> None:
        """Record a status change and post it to the status callback URL, if the message has one."""
        message.set_status(status)
        if message.status_callback and not self.closed:
            account = self.store.accounts.get(message.account_sid)
            if account is not None:
                params = status_callback_params(message)
                self.poster.post(
                    message.status_callback,
                    params,
                    auth_token=account.auth_token,
                    kind="status",
                    record=message.callbacks,
                )


def status_callback_params(message: Message) -> list[tuple[str, str]]:
    """The form fields of a status callback (reference/twilio.md §2.1)."""
    params = [
        ("SmsSid", message.sid),
        ("SmsStatus", message.status),
        ("MessageStatus", message.status),
        ("To", message.to),
        ("MessageSid", message.sid),
        ("AccountSid", message.account_sid),
        ("ApiVersion", API_VERSION),
    ]
    if message.from_:
        params.append(("From", message.from_))
    if message.messaging_service_sid:
        params.append(("MessagingServiceSid", message.messaging_service_sid))
    if message.status in {"failed", "undelivered"} and message.error_code is not None:
        params.append(("ErrorCode", str(message.error_code)))
    if message.status in {"delivered", "undelivered"}:
        # Carriers report minute precision and no zone; the sandbox's carrier reports UTC.
        params.append(("RawDlrDoneDate", datetime.now(UTC).strftime("%y%m%d%H%M")))
    return params


def _backlog(sender: Sender) -> int:
    return sender.lane.backlog_segments if sender.lane is not None else 0
