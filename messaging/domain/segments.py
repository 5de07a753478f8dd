"""SMS segment calculator: encoding, size and segment split of a body, as Twilio's published calculator reports.

Facts and test vectors are in reference/twilio.md §5 (TwilioDevEd/message-segment-calculator). The body is split
into extended grapheme clusters, with "\\r\\n" counted as two characters. If every grapheme is one GSM-7
character the message is GSM-7 (7 bits a character, 14 for the escaped extension characters), otherwise UCS-2
(16 bits per UTF-16 code unit). A segment holds 1120 bits; a concatenated message spends 48 of them on the user
data header of every segment. Graphemes and escape pairs never straddle two segments, except a grapheme too long
for any segment, which is split between its scalars.

`characters` is the length that counts against 160/153 or 70/67, as the calculator reports it: in a GSM-7 body each
extension character (form feed and ^ { } \\ [ ~ ] | €) counts 2, in a UCS-2 body every grapheme counts 1.

An empty body is refused (SegmentsInputError naming `body`), as Twilio refuses a message without one (error 21602).
The live counter under a compose box asks with `allow_empty=True` and gets 0 segments while nothing is typed yet.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Final, Literal

import regex

from messaging.domain.errors import DomainInputError
from messaging.domain.smart_encoding import apply_smart_encoding, smart_encoding_replacements

__all__ = [
    "GSM7",
    "MAX_BODY_CHARACTERS",
    "UCS2",
    "Encoding",
    "SegmentReport",
    "SegmentsInputError",
    "apply_smart_encoding",
    "count_segments",
    "non_gsm_characters",
]

Encoding = Literal["GSM-7", "UCS-2"]
GSM7: Final = "GSM-7"
UCS2: Final = "UCS-2"

MAX_BODY_CHARACTERS: Final = 1600  # Twilio rejects longer bodies with error 21617
SEGMENT_BITS: Final = 1120  # 140 octets
USER_DATA_HEADER_BITS: Final = 48  # 6 octets, on every segment of a concatenated message
CONCATENATED_PAYLOAD_BITS: Final = SEGMENT_BITS - USER_DATA_HEADER_BITS
GSM7_SEPTET_BITS: Final = 7
UCS2_CODE_UNIT_BITS: Final = 16

GSM7_BASIC_CHARACTERS: Final = frozenset(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
# Sent as ESC + character, so each costs two septets in a GSM-7 message (but one code unit in UCS-2).
GSM7_EXTENSION_CHARACTERS: Final = frozenset("\f^{}\\[~]|€")
GSM7_CHARACTERS: Final = GSM7_BASIC_CHARACTERS | GSM7_EXTENSION_CHARACTERS


class SegmentsInputError(DomainInputError):
    """A body the segment calculator refuses; `field` names it."""


@dataclass(frozen=True, slots=True)
class SegmentReport:
    """What sending `body` costs: encoding, segments, sizes in bits, and what forced UCS-2 or was replaced."""

    body: str  # the body actually sent: after Smart Encoding when it is enabled
    smart_encoding: bool
    encoding: Encoding
    segments: int
    characters: int  # GSM-7: septets (an extension character counts 2); UCS-2: graphemes ("\r\n" counts 2)
    unicode_scalars: int
    code_units: int  # GSM-7 septets (escapes count two) or UTF-16 code units
    message_bits: int  # payload only
    total_bits: int  # payload plus the user data headers
    segment_texts: tuple[str, ...]
    non_gsm_characters: tuple[str, ...]  # distinct graphemes that force UCS-2, first seen first
    replacements: tuple[tuple[str, str], ...]  # what Smart Encoding applies (or would, when disabled)
    graphemes: int  # extended grapheme clusters, "\r\n" counting as two

    @property
    def exceeds_max_body(self) -> bool:
        """True when the body has more characters (graphemes) than Twilio accepts in one message (1600)."""
        return self.graphemes > MAX_BODY_CHARACTERS

    def to_dict(self) -> dict[str, Any]:
        """The report as plain JSON values: the shape of the API's answer and of the compose boxes' live counter."""
        replacement_of = dict(self.replacements)
        return {
            "encoding": self.encoding,
            "segments": self.segments,
            "characters": self.characters,
            "code_units": self.code_units,
            "message_bits": self.message_bits,
            "total_bits": self.total_bits,
            "body_sent": self.body,
            "smart_encoding": self.smart_encoding,
            "exceeds_max_body": self.exceeds_max_body,
            "segment_texts": list(self.segment_texts),
            "forcing_ucs2": [{"character": c, "replacement": replacement_of.get(c)} for c in self.non_gsm_characters],
            "replacements": [list(pair) for pair in self.replacements],
        }


def count_segments(body: str, *, smart_encoding: bool = False, allow_empty: bool = False) -> SegmentReport:
    """Encoding, segments and sizes of `body` (Smart Encoding first when enabled); "" is refused unless allowed."""
    if not body and not allow_empty:
        raise SegmentsInputError("body", "must not be empty: Twilio refuses a message without a body (error 21602)")
    sent_body = apply_smart_encoding(body) if smart_encoding else body
    graphemes = _graphemes(sent_body)
    encoding = _encoding_of(graphemes)
    bits = [_grapheme_bits(grapheme, encoding) for grapheme in graphemes]
    message_bits = sum(bits)
    segment_texts = _pack_segments(graphemes, bits)
    code_units = message_bits // _unit_bits(encoding)
    return SegmentReport(
        body=sent_body,
        smart_encoding=smart_encoding,
        encoding=encoding,
        segments=len(segment_texts),
        characters=code_units if encoding == GSM7 else len(graphemes),
        unicode_scalars=len(sent_body),
        code_units=code_units,
        message_bits=message_bits,
        total_bits=message_bits + _header_bits(len(segment_texts)),
        segment_texts=segment_texts,
        non_gsm_characters=_distinct_non_gsm(graphemes),
        replacements=smart_encoding_replacements(body),
        graphemes=len(graphemes),
    )


def non_gsm_characters(body: str) -> tuple[str, ...]:
    """Return the distinct graphemes of `body` that are not GSM-7 characters, in order of first appearance."""
    return _distinct_non_gsm(_graphemes(body))


def _graphemes(text: str) -> list[str]:
    # The calculator splits "\r\n" (one cluster in Unicode) into two characters; so do we, to agree with it.
    clusters = regex.findall(r"\X", text)
    return [character for cluster in clusters for character in _split_crlf(cluster)]


def _split_crlf(cluster: str) -> Sequence[str]:
    return ("\r", "\n") if cluster == "\r\n" else (cluster,)


def _is_gsm7(grapheme: str) -> bool:
    return grapheme in GSM7_CHARACTERS


def _distinct_non_gsm(graphemes: Sequence[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(grapheme for grapheme in graphemes if not _is_gsm7(grapheme)))


def _encoding_of(graphemes: Sequence[str]) -> Encoding:
    return GSM7 if all(_is_gsm7(grapheme) for grapheme in graphemes) else UCS2


def _unit_bits(encoding: Encoding) -> int:
    return GSM7_SEPTET_BITS if encoding == GSM7 else UCS2_CODE_UNIT_BITS


def _grapheme_bits(grapheme: str, encoding: Encoding) -> int:
    if encoding == GSM7:
        septets = 2 if grapheme in GSM7_EXTENSION_CHARACTERS else 1
        return septets * GSM7_SEPTET_BITS
    return _utf16_code_units(grapheme) * UCS2_CODE_UNIT_BITS


def _utf16_code_units(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def _header_bits(segment_count: int) -> int:
    return USER_DATA_HEADER_BITS * segment_count if segment_count > 1 else 0


def _pack_segments(graphemes: Sequence[str], bits: Sequence[int]) -> tuple[str, ...]:
    if not graphemes:
        return ()
    if sum(bits) <= SEGMENT_BITS:
        return ("".join(graphemes),)
    return _pack_concatenated(*_fit_oversized(graphemes, bits))


def _pack_concatenated(pieces: Sequence[str], bits: Sequence[int]) -> tuple[str, ...]:
    # Greedy: each segment takes whole pieces until the next one would overflow its payload.
    segments: list[str] = []
    current, used = "", 0
    for piece, piece_bits in zip(pieces, bits, strict=True):
        if current and used + piece_bits > CONCATENATED_PAYLOAD_BITS:
            segments.append(current)
            current, used = "", 0
        current, used = current + piece, used + piece_bits
    segments.append(current)
    return tuple(segments)


def _fit_oversized(graphemes: Sequence[str], bits: Sequence[int]) -> tuple[list[str], list[int]]:
    # A grapheme longer than a whole segment payload (67+ UTF-16 units, e.g. stacked combining marks) cannot stay
    # in one segment; the network splits it between scalars, so it is packed scalar by scalar.
    pieces: list[str] = []
    piece_bits: list[int] = []
    for grapheme, grapheme_bits in zip(graphemes, bits, strict=True):
        if grapheme_bits <= CONCATENATED_PAYLOAD_BITS:
            pieces.append(grapheme)
            piece_bits.append(grapheme_bits)
        else:  # only possible in UCS-2: a GSM-7 grapheme is at most 14 bits
            pieces.extend(grapheme)
            piece_bits.extend(_utf16_code_units(scalar) * UCS2_CODE_UNIT_BITS for scalar in grapheme)
    return pieces, piece_bits
