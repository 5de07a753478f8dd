"""The calculators as services: the pure throughput maths, its refusals as the app's validation errors."""

from __future__ import annotations

from typing import Any

from messaging.domain import throughput
from messaging.errors import MessagingValidationError


def throughput_calculate(**values: Any) -> throughput.ThroughputResult:
    """Drain time, queue overflow, MPS and API concurrency for a send (see `messaging.domain.throughput`)."""
    try:
        return throughput.calculate_throughput(throughput.ThroughputInput(**values))
    except throughput.ThroughputInputError as exc:
        raise MessagingValidationError(exc.message, field=exc.field) from exc
