"""The worker loop: threads take due messages from the lanes and send them, within each tenant's fair share.

A drain is bounded (a time budget far below the broker's redelivery timeouts, reference/engine.md §1): it runs
`DISPATCH_THREADS` loops, each taking the next lane that may send, holding a place in its tenant's in-flight
semaphore while it sends one message. When work remains at the end, the drain task enqueues itself again; beat's tick
wakes a drain whenever a lane is due, so a lost wake-up only costs a second.
"""

from __future__ import annotations

import logging
import math
import os
import socket
import threading
import time
import uuid
from collections import Counter
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.db import connection
from django_tenants.utils import schema_context

from messaging.dispatch import keys, redis_index, sending

logger = logging.getLogger(__name__)

CANDIDATE_LANES = 64
IDLE_SLEEP_SECONDS = 0.05
INFLIGHT_LEASE_MS = 60_000  # longer than a Twilio request may take; a dead worker's place comes back after it


@dataclass
class DrainReport:
    outcomes: Counter = field(default_factory=Counter)

    @property
    def sent(self) -> int:
        return sum(self.outcomes.values())


def _holder() -> str:
    return f"{socket.gethostname()}:{os.getpid()}:{threading.get_ident()}:{uuid.uuid4().hex[:8]}"


def drain(*, budget_seconds: float, threads: int, on_outcome: Callable[[str], None] | None = None) -> DrainReport:
    """Send what is due for at most `budget_seconds`, with `threads` sends in flight; stops early when idle."""
    deadline = time.monotonic() + budget_seconds
    report = DrainReport()
    lock = threading.Lock()

    def record(outcome: str) -> None:
        with lock:
            report.outcomes[outcome] += 1
        if on_outcome is not None:
            on_outcome(outcome)

    with ThreadPoolExecutor(max_workers=threads, thread_name_prefix="dispatch") as pool:
        for future in [pool.submit(_loop, deadline, threads, record) for _ in range(threads)]:
            future.result()
    return report


def _loop(deadline: float, threads: int, record: Callable[[str], None]) -> None:
    try:
        while time.monotonic() < deadline:
            picked = _pick_lane(threads)
            if picked is None:
                wait_ms = redis_index.next_ready_in_ms()
                if wait_ms is None:
                    return  # no lane has work: this loop is done
                time.sleep(min(max(wait_ms, 1) / 1000, IDLE_SLEEP_SECONDS, max(0.0, deadline - time.monotonic())))
                continue
            lane, holder = picked
            schema, _ = keys.split_lane(lane)
            try:
                taken = redis_index.take(lane, burst_us=_burst_us(lane))
                if taken.message_id is not None:
                    with schema_context(schema):
                        record(sending.process(schema, taken.message_id))
            except Exception:  # one message's trouble must not stop the loop; the sweeper resolves it
                logger.exception("dispatch: sending from lane %s failed", lane)
            finally:
                redis_index.release(keys.tenant_inflight(schema), holder)
    finally:
        connection.close()  # this thread's own connection


def _burst_us(lane: str) -> int:
    interval = redis_index.client().hget(keys.lane_keys(lane)["meta"], "interval")
    return max(0, settings.DISPATCH_BURST_SEGMENTS - 1) * int(interval or 0)


def _pick_lane(threads: int) -> tuple[str, str] | None:
    """A lane that may send now whose tenant has a place in flight for it; the place is held until released."""
    lanes = redis_index.ready_lanes(limit=CANDIDATE_LANES)
    if not lanes:
        return None
    tenants = {keys.split_lane(lane)[0] for lane in lanes}
    others_waiting = len(tenants) > 1
    total_slots = max(threads, redis_index.live(keys.DRAINERS) * threads)
    holder = _holder()
    for lane in lanes:
        schema, _ = keys.split_lane(lane)
        limit = _inflight_limit(schema, total_slots, others_waiting)
        if redis_index.acquire(keys.tenant_inflight(schema), holder, limit=limit, lease_ms=INFLIGHT_LEASE_MS):
            return lane, holder
    return None


def _inflight_limit(schema: str, total_slots: int, others_waiting: bool) -> int:
    """The tenant's Twilio concurrency, and while other tenants wait, no more than its share of the workers."""
    limit = settings.DISPATCH_SUBACCOUNT_CONCURRENCY
    if others_waiting:
        share = _dispatch_share(schema)
        limit = min(limit, max(1, math.floor(share * total_slots)))
    return limit


def _dispatch_share(schema: str) -> Decimal:
    return sending.sending_tenant(schema).dispatch_share


# --- waking the engine ----------------------------------------------------------------------------------------


def wake() -> bool:
    """Start a drain unless enough are at work or one is on its way; True when one was sent."""
    from messaging.tasks import dispatch_drain

    if not settings.DISPATCH_AUTOSTART:
        return False
    index = redis_index.client()
    if redis_index.live(keys.DRAINERS) >= settings.DISPATCH_DRAINERS:
        return False
    if not index.set(keys.WAKE_PENDING, "1", nx=True, px=1000):
        return False
    dispatch_drain.apply_async(queue=settings.DISPATCH_QUEUE, expires=30)
    return True


def run_drain_task() -> DrainReport | None:
    """The body of the drain task: hold a drainer's place, drain, and ask for another drain if work remains."""
    holder = _holder()
    redis_index.client().delete(keys.WAKE_PENDING)
    lease_ms = int((settings.DISPATCH_DRAIN_SECONDS + 60) * 1000)
    if not redis_index.acquire(keys.DRAINERS, holder, limit=settings.DISPATCH_DRAINERS, lease_ms=lease_ms):
        return None
    try:
        report = drain(budget_seconds=settings.DISPATCH_DRAIN_SECONDS, threads=settings.DISPATCH_THREADS)
    finally:
        redis_index.release(keys.DRAINERS, holder)
    more = redis_index.next_ready_in_ms()
    if more is not None and more < 1000:
        wake()
    logger.info("dispatch drain: %s", dict(report.outcomes))
    return report
