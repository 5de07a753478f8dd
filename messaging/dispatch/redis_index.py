"""The engine's index in Redis: lanes, holds, buckets and leased semaphores (see `messaging.dispatch`).

Everything here is an index PostgreSQL can rebuild: a lost write costs at most a delay until the sweeper puts it
back, never a message.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

import redis
from django.conf import settings

from messaging.dispatch import keys, scripts

logger = logging.getLogger(__name__)


@functools.cache
def client() -> redis.Redis:
    """The process's Redis client (a thread-safe connection pool)."""
    return redis.Redis.from_url(settings.DISPATCH_REDIS_URL, socket_timeout=5, socket_connect_timeout=2)


@functools.cache
def _script(source: str):
    return client().register_script(source)


def _ms(moment: datetime) -> int:
    return int(moment.timestamp() * 1000)


@dataclass(frozen=True)
class Entry:
    """A message in a lane: where it is, what it costs, when it is due."""

    schema: str
    sender_id: int
    message_id: int
    segments: int
    lane: str  # "priority" or "bulk"
    due: datetime
    interval_us: int  # the sender's pace: microseconds per segment


def push(entries: Iterable[Entry]) -> int:
    """Put messages in their lanes (an entry already there keeps its place); returns how many were given."""
    pipe = client().pipeline(transaction=False)
    script = _script(scripts.PUSH)
    count = 0
    for entry in entries:
        name = keys.lane_name(entry.schema, entry.sender_id)
        lane = keys.lane_keys(name)
        script(
            keys=[lane["priority"], lane["bulk"], lane["meta"], keys.READY],
            args=[
                keys.member(entry.message_id, entry.segments),
                _ms(entry.due),
                name,
                entry.interval_us,
                entry.lane,
            ],
            client=pipe,
        )
        count += 1
    if count:
        pipe.execute()
    return count


def remove(*, schema: str, sender_id: int, message_id: int, segments: int) -> None:
    """Take a message out of its sender's lanes (a cancel); nothing happens when it is not there."""
    lane = keys.lane_keys(keys.lane_name(schema, sender_id))
    entry = keys.member(message_id, segments)
    pipe = client().pipeline(transaction=False)
    pipe.zrem(lane["priority"], entry)
    pipe.zrem(lane["bulk"], entry)
    pipe.execute()


@dataclass(frozen=True)
class Taken:
    """What TAKE answered: the message id taken, or how long until the lane may send (None when it is empty)."""

    message_id: int | None
    wait_ms: int | None


def take(lane_name: str, *, burst_us: int) -> Taken:
    """The lane's next due message if its tenant and sender are not held and its bucket admits it."""
    schema, _ = keys.split_lane(lane_name)
    lane = keys.lane_keys(lane_name)
    entry, wait = _script(scripts.TAKE)(
        keys=[lane["priority"], lane["bulk"], lane["tat"], lane["meta"], keys.READY, keys.tenant_hold(schema)],
        args=[lane_name, burst_us],
    )
    entry = entry.decode() if isinstance(entry, bytes) else entry
    if entry:
        return Taken(message_id=keys.message_id_of(entry), wait_ms=0)
    return Taken(message_id=None, wait_ms=None if int(wait) < 0 else int(wait))


def ready_lanes(*, limit: int) -> list[str]:
    """Lanes that may send now, the longest-waiting first."""
    now_ms = _server_ms()
    names = client().zrangebyscore(keys.READY, "-inf", now_ms, start=0, num=limit)
    return [name.decode() for name in names]


def next_ready_in_ms() -> int | None:
    """Milliseconds until the next lane may send (0 when one may now), None when no lane has work."""
    first = client().zrange(keys.READY, 0, 0, withscores=True)
    if not first:
        return None
    return max(0, int(first[0][1]) - _server_ms())


def _server_ms() -> int:
    seconds, microseconds = client().time()
    return seconds * 1000 + microseconds // 1000


def hold_tenant(schema: str, held: bool) -> None:
    """Hold (or release) every lane of a tenant: nothing of a suspended or closed tenant leaves."""
    if held:
        client().set(keys.tenant_hold(schema), "1")
    else:
        client().delete(keys.tenant_hold(schema))


def hold_sender(schema: str, sender_id: int, held: bool, *, interval_us: int | None = None) -> None:
    """Hold (or release) one sender's lanes (a paused sender); also refreshes its pace when given."""
    meta = keys.lane_keys(keys.lane_name(schema, sender_id))["meta"]
    fields = {"hold": "1" if held else "0"}
    if interval_us is not None:
        fields["interval"] = str(interval_us)
    client().hset(meta, mapping=fields)


def acquire(set_key: str, holder: str, *, limit: int, lease_ms: int) -> bool:
    """Take one place of a leased semaphore; places of holders that died come back when their lease runs out."""
    return bool(_script(scripts.ACQUIRE)(keys=[set_key], args=[holder, limit, lease_ms]))


def release(set_key: str, holder: str) -> None:
    client().zrem(set_key, holder)


def live(set_key: str) -> int:
    """How many holders of a leased semaphore are alive."""
    return int(_script(scripts.LIVE)(keys=[set_key]))


def index_whole() -> bool:
    """False once Redis lost its data (restart without persistence, flush, failover): the sweeper rebuilds."""
    return bool(client().exists(keys.EPOCH))


def mark_index_whole() -> None:
    client().set(keys.EPOCH, "1")
