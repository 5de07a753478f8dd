"""Per-sender queues drained at the sender's MPS, counted in segments.

Each sender has one FIFO lane. Its drain task lets one segment leave every 1/MPS seconds, measured from the
moment the previous segment actually left, so no one-second window ever holds more than MPS segments, even when
a multi-segment message is split across windows or the MPS changes mid-queue. The lane holds
`queue_hours` (10 h) of segments at its MPS, or less for a message whose ValidityPeriod is shorter: a message
that could not leave before it expires is refused up front (21611, or 30001 for Messaging Service sends).
The drain task exists only while the lane has work.
"""

from __future__ import annotations

import asyncio
import time
from collections import deque
from typing import Protocol

from sandbox.state import Message, Sender

MAX_NAP_S = 0.25


class DispatchHooks(Protocol):
    """What the lane tells the simulation about a message leaving the queue."""

    def may_dispatch(self, message: Message) -> bool:
        """False when the message must fail instead of leaving (expired, account suspended)."""

    def first_segment_left(self, message: Message) -> None:
        """The message started leaving: status `sending`."""

    def last_segment_left(self, message: Message) -> None:
        """Every segment has left: the carrier has it."""


def pacing_segments(message: Message) -> int:
    """Segments a message costs in the queue; an MMS or a media-only message costs one."""
    return max(1, message.num_segments)


class SenderLane:
    """The queue of one sender and the task that drains it."""

    def __init__(self, sender: Sender, hooks: DispatchHooks, queue_hours: float) -> None:
        self.sender = sender
        self.hooks = hooks
        self.queue_hours = queue_hours
        self.queue: deque[Message] = deque()
        self.backlog_segments = 0  # segments waiting, including those of a message partly sent
        self.last_emit = float("-inf")
        self.task: asyncio.Task[None] | None = None

    def capacity(self, validity_period: float) -> float:
        """Segments the lane may hold for a message valid `validity_period` seconds."""
        return self.sender.mps * min(self.queue_hours * 3600, validity_period)

    def can_accept(self, message: Message) -> bool:
        """True when the message would leave before its validity runs out (and within the 10 h queue)."""
        return self.backlog_segments + pacing_segments(message) <= self.capacity(message.validity_period)

    def enqueue(self, message: Message) -> None:
        """Append a message and make sure the drain task runs."""
        self.queue.append(message)
        self.backlog_segments += pacing_segments(message)
        if self.task is None or self.task.done():
            self.task = asyncio.get_running_loop().create_task(self._drain())

    def remove(self, message: Message) -> bool:
        """Take a message that has not started leaving out of the queue (cancel, expiry)."""
        try:
            self.queue.remove(message)
        except ValueError:
            return False
        self.backlog_segments -= pacing_segments(message)
        return True

    def stop(self) -> None:
        """Cancel the drain task (sandbox reset or shutdown)."""
        if self.task is not None:
            self.task.cancel()

    async def _drain(self) -> None:
        # The head stays in the queue until its first segment's slot comes, so it can still be canceled or
        # expire while it waits; only then is it taken out and its segments sent one slot after another.
        while self.queue:
            await self._wait_for_slot()
            if not self.queue:
                break
            message = self.queue.popleft()
            segments = pacing_segments(message)
            if not self.hooks.may_dispatch(message):
                self.backlog_segments -= segments
                continue
            for index in range(segments):
                if index:
                    await self._wait_for_slot()
                self._emit(message)
                if index == 0:
                    self.hooks.first_segment_left(message)
            self.hooks.last_segment_left(message)

    def _emit(self, message: Message) -> None:
        self.last_emit = time.monotonic()
        message.segment_times.append(self.last_emit)
        self.backlog_segments -= 1

    async def _wait_for_slot(self) -> None:
        # The MPS is re-read after every nap (at most 250 ms), so an override takes effect promptly.
        while True:
            due = self.last_emit + 1.0 / self.sender.mps
            now = time.monotonic()
            if now >= due:
                return
            await asyncio.sleep(min(due - now, MAX_NAP_S))
