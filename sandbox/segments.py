"""Segment counting for the sandbox: the platform's pure calculator (`messaging.domain.segments`), memoised.

Pacing and billing are per segment, so every outbound body is counted once when the message is created. Bodies
repeat a lot (campaigns, benchmarks), hence the cache.
"""

from __future__ import annotations

from functools import lru_cache

from messaging.domain.segments import count_segments


@lru_cache(maxsize=4096)
def segment_count(body: str, smart_encoding: bool = False) -> tuple[int, str]:
    """(segments, encoding) of an SMS body; an empty body (media only) is 0 segments."""
    report = count_segments(body, smart_encoding=smart_encoding, allow_empty=True)
    return report.segments, report.encoding
