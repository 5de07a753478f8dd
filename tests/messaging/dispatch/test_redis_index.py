"""The engine's Redis index against a real Redis: lanes by due time, priority before bulk, the segment bucket as the
pure GCRA says, holds, and leased semaphores."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta

from messaging.dispatch import keys, redis_index
from messaging.dispatch.redis_index import Entry

LANE = "t_test.7"


def entry(message_id: int, *, segments: int = 1, lane: str = "priority", due: datetime | None = None, interval=1000):
    return Entry("t_test", 7, message_id, segments, lane, due or datetime.now(UTC) - timedelta(seconds=1), interval)


def test_priority_leaves_before_bulk_and_an_empty_lane_leaves_the_ready_set(dispatch_index):
    redis_index.push([entry(1, lane="bulk"), entry(2), entry(3, lane="bulk"), entry(4)])
    taken = [redis_index.take(LANE, burst_us=10_000_000).message_id for _ in range(5)]
    assert taken == [2, 4, 1, 3, None]
    assert redis_index.ready_lanes(limit=10) == []
    assert redis_index.next_ready_in_ms() is None


def test_a_message_not_yet_due_waits_and_says_how_long(dispatch_index):
    redis_index.push([entry(1, due=datetime.now(UTC) + timedelta(seconds=5))])
    taken = redis_index.take(LANE, burst_us=0)
    assert taken.message_id is None
    assert 4_000 < taken.wait_ms <= 5_000
    assert redis_index.ready_lanes(limit=10) == []  # rescheduled for when it is due
    assert 4_000 < redis_index.next_ready_in_ms() <= 5_000


def test_the_bucket_paces_segments_at_the_senders_rate(dispatch_index):
    # 10 segments a second, no burst: a 3-segment message, then the next waits its 300 ms
    redis_index.push([entry(1, segments=3, interval=100_000), entry(2, interval=100_000)])
    first = redis_index.take(LANE, burst_us=0)
    second = redis_index.take(LANE, burst_us=0)
    assert (first.message_id, second.message_id) == (1, None)
    assert 250 <= second.wait_ms <= 300
    time.sleep(second.wait_ms / 1000)
    assert redis_index.take(LANE, burst_us=0).message_id == 2


def test_an_entry_pushed_twice_keeps_its_place(dispatch_index):
    redis_index.push([entry(1), entry(2)])
    redis_index.push([entry(1, due=datetime.now(UTC) + timedelta(hours=1))])
    assert [redis_index.take(LANE, burst_us=10**9).message_id for _ in range(2)] == [1, 2]


def test_a_held_tenant_or_sender_sends_nothing_until_released(dispatch_index):
    redis_index.push([entry(1)])
    redis_index.hold_tenant("t_test", True)
    assert redis_index.take(LANE, burst_us=0) == redis_index.Taken(None, 1000)
    redis_index.hold_tenant("t_test", False)
    redis_index.hold_sender("t_test", 7, True)
    assert redis_index.take(LANE, burst_us=0).message_id is None
    redis_index.hold_sender("t_test", 7, False)
    assert redis_index.take(LANE, burst_us=0).message_id == 1


def test_a_canceled_message_is_removed_from_its_lane(dispatch_index):
    redis_index.push([entry(1, segments=2), entry(2)])
    redis_index.remove(schema="t_test", sender_id=7, message_id=1, segments=2)
    assert redis_index.take(LANE, burst_us=10**9).message_id == 2


def test_a_leased_semaphore_gives_places_back_when_a_holder_dies(dispatch_index):
    key = keys.tenant_inflight("t_test")
    assert [redis_index.acquire(key, f"h{n}", limit=2, lease_ms=200) for n in range(3)] == [True, True, False]
    assert redis_index.live(key) == 2
    redis_index.release(key, "h0")
    assert redis_index.acquire(key, "h3", limit=2, lease_ms=200) is True
    time.sleep(0.25)  # h1 and h3 die without releasing
    assert redis_index.live(key) == 0
    assert redis_index.acquire(key, "h4", limit=2, lease_ms=200) is True


def test_the_index_knows_when_redis_lost_it(dispatch_index):
    assert redis_index.index_whole() is False
    redis_index.mark_index_whole()
    assert redis_index.index_whole() is True
