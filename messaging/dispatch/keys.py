"""The engine's Redis key names. A lane is named `<schema>.<sender id>`; every key of one lane shares a hash tag so
its script touches one slot of a cluster (the lane index and the semaphores live elsewhere: reference/engine.md §2)."""

from __future__ import annotations

from typing import Final

PREFIX: Final = "sb:dispatch"
READY: Final = f"{PREFIX}:ready"  # sorted set: lane name → ms when the lane may next send
DRAINERS: Final = f"{PREFIX}:drainers"  # sorted set: running drain → lease expiry (ms)
WAKE_PENDING: Final = f"{PREFIX}:wake"  # set while a wake-up is on its way to a worker
EPOCH: Final = f"{PREFIX}:epoch"  # present while the index is whole; missing after Redis lost data


def lane_name(schema: str, sender_id: int) -> str:
    return f"{schema}.{sender_id}"


def split_lane(name: str) -> tuple[str, int]:
    """The schema and sender id of a lane name."""
    schema, _, sender = name.rpartition(".")
    return schema, int(sender)


def lane_keys(name: str) -> dict[str, str]:
    """The keys of one lane: priority and bulk queues, the segment bucket, the lane's settings."""
    tag = f"{PREFIX}:{{{name}}}"
    return {"priority": f"{tag}:priority", "bulk": f"{tag}:bulk", "tat": f"{tag}:tat", "meta": f"{tag}:meta"}


def tenant_hold(schema: str) -> str:
    """Present while the tenant is suspended or closed: none of its lanes send."""
    return f"{PREFIX}:hold:{schema}"


def tenant_inflight(schema: str) -> str:
    """Sorted set of the tenant's requests in flight at Twilio → lease expiry (ms)."""
    return f"{PREFIX}:inflight:{schema}"


def member(message_id: int, segments: int) -> str:
    """A lane entry: the message id and its cost in segments (at least 1, so an MMS without text costs one)."""
    return f"{message_id}:{max(1, segments)}"


def message_id_of(entry: str) -> int:
    return int(entry.partition(":")[0])
