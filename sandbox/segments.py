"""Segment counting for the sandbox: the project's calculator, memoised, with a small stand-in if it is missing.

Pacing and billing are per segment, so every outbound body is counted once when the message is created. Bodies
repeat a lot (campaigns, benchmarks), hence the cache.
"""

from __future__ import annotations

from functools import lru_cache

try:
    from messaging.domain.segments import count_segments as _count_segments
except ImportError:  # pragma: no cover - the sandbox can also run from a checkout without the domain package
    _count_segments = None

# GSM-7 basic and extension characters, for the stand-in counter only.
_GSM7 = frozenset(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà\f^{}\\[~]|€"
)


@lru_cache(maxsize=4096)
def segment_count(body: str, smart_encoding: bool = False) -> tuple[int, str]:
    """(segments, encoding) of an SMS body; an empty body is 0 segments."""
    if _count_segments is not None:
        report = _count_segments(body, smart_encoding=smart_encoding)
        return report.segments, report.encoding
    return _fallback_count(body)


def _fallback_count(body: str) -> tuple[int, str]:
    # GSM-7 160/153 characters, UCS-2 70/67 code units; ignores escapes and grapheme boundaries.
    if not body:
        return 0, "GSM-7"
    if all(character in _GSM7 for character in body):
        size, single, multi, encoding = len(body), 160, 153, "GSM-7"
    else:
        size, single, multi, encoding = len(body.encode("utf-16-le")) // 2, 70, 67, "UCS-2"
    return (1 if size <= single else -(-size // multi)), encoding
