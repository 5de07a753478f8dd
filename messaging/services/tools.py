"""The calculators as services: the pure segment and throughput maths, their refusals as the app's validation errors."""

from __future__ import annotations

from typing import Any

from messaging.domain import segments, throughput
from messaging.errors import MessagingValidationError


def throughput_calculate(**values: Any) -> throughput.ThroughputResult:
    """Drain time, queue overflow, MPS and API concurrency for a send (see `messaging.domain.throughput`)."""
    try:
        return throughput.calculate_throughput(throughput.ThroughputInput(**values))
    except throughput.ThroughputInputError as exc:
        raise MessagingValidationError(exc.message, field=exc.field) from exc


def segments_count(*, body: str, smart_encoding: bool = False) -> segments.SegmentReport:
    """Encoding and segments of a body as Twilio bills it; an empty body is refused, naming `body`."""
    try:
        return segments.count_segments(body, smart_encoding=smart_encoding)
    except segments.SegmentsInputError as exc:
        raise MessagingValidationError(exc.message, field=exc.field) from exc
