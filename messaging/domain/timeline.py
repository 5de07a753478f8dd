"""A message's timeline in numbers (pure): how long after the message was created, and after the step before, each
step came; the legs people ask about (how long until it left, until it arrived); durations in words.

Times come from more than one process (the worker records Twilio's answer, the web process a callback), so a step
may carry a time a few milliseconds before the one listed ahead of it: durations keep their sign.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Final


@dataclass(frozen=True)
class Step:
    since_start: timedelta
    since_previous: timedelta


def latencies(start: datetime, times: Sequence[datetime]) -> list[Step]:
    """For each of `times`, in the order given: the time since `start`, and since the time before it (the first
    one's previous time is `start`)."""
    steps = []
    previous = start
    for moment in times:
        steps.append(Step(since_start=moment - start, since_previous=moment - previous))
        previous = moment
    return steps


# The legs of a message's life worth a line of their own, by the names of its time fields.
LEGS: Final = (
    ("created", "accepted"),
    ("created", "sent"),
    ("sent", "delivered"),
    ("delivered", "read"),
    ("created", "failed"),
    ("created", "canceled"),
)


@dataclass(frozen=True)
class Leg:
    start: str
    end: str
    duration: timedelta


def legs(times: Mapping[str, datetime | None]) -> list[Leg]:
    """The legs of LEGS whose two ends are both in `times` (and not None), in LEGS order."""
    found = []
    for start, end in LEGS:
        began, ended = times.get(start), times.get(end)
        if began is not None and ended is not None:
            found.append(Leg(start=start, end=end, duration=ended - began))
    return found


def describe_duration(duration: timedelta) -> str:
    """A duration as a person reads it: "350 ms", "4.2 s", "3 min 5 s", "2 h 10 min", "3 d 4 h"; negative ones
    with a leading minus sign. Shorter units are cut, never rounded up into the longer ones."""
    if duration < timedelta(0):
        return "-" + describe_duration(-duration)
    milliseconds = duration // timedelta(milliseconds=1)
    if milliseconds < 1_000:
        return f"{milliseconds} ms"
    if milliseconds < 60_000:
        return f"{milliseconds // 100 / 10:.1f} s"
    seconds = milliseconds // 1_000
    if seconds < 3_600:
        return f"{seconds // 60} min {seconds % 60} s"
    if seconds < 86_400:
        return f"{seconds // 3_600} h {seconds % 3_600 // 60} min"
    return f"{seconds // 86_400} d {seconds % 86_400 // 3_600} h"
