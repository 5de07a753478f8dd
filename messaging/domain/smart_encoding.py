"""Twilio Smart Encoding: the Unicode lookalikes Twilio swaps for GSM-7 text before it picks an encoding.

The table follows Twilio's "List of characters replaced by Smart Encoding"
(https://www.twilio.com/docs/messaging/services/smart-encoding-char-list) as its published segment calculator
applies it (reference/twilio.md §5). Replacement is per Unicode scalar, before graphemes are formed.

Where the published behaviour looks odd it is kept on purpose, because this table exists to predict what Twilio
sends and bills: most Unicode spaces become *two* spaces, TAB becomes seven, ‹ becomes ">" and › becomes "<".
‗ (U+2017, double low line) becomes "_", as in the calculator's current map (TwilioDevEd/message-segment-calculator
at 3643032, read 2026-12-01; earlier versions sent "'"). Characters absent from Twilio's list are left alone even
when a lookalike exists: fullwidth lowercase letters (U+FF41-U+FF5A), the fullwidth grave accent (U+FF40), and
ZWNJ/ZWJ (U+200C/U+200D), which emoji sequences and several scripts need.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Final

_FULLWIDTH_OFFSET: Final = 0xFEE0  # U+FF01..U+FF5E sit exactly this far above ASCII U+0021..U+007E

# Fullwidth forms of ASCII that Twilio lists: punctuation, digits, capitals, brackets; not U+FF40..U+FF5A.
_FULLWIDTH_CODE_POINTS: Final = (*range(0xFF01, 0xFF40), *range(0xFF5B, 0xFF5F))

# Latin small capitals, mapped to their capital; Twilio lists none for Q and X.
_SMALL_CAPITALS: Final = {
    "A": "\u1d00",
    "B": "\u0299",
    "C": "\u1d04",
    "D": "\u1d05",
    "E": "\u1d07",
    "F": "\ua730",
    "G": "\u0262",
    "H": "\u029c",
    "I": "\u026a",
    "J": "\u1d0a",
    "K": "\u1d0b",
    "L": "\u029f",
    "M": "\u1d0d",
    "N": "\u0274",
    "O": "\u1d0f",
    "P": "\u1d18",
    "R": "\u0280",
    "S": "\ua731",
    "T": "\u1d1b",
    "U": "\u1d1c",
    "V": "\u1d20",
    "W": "\u1d21",
    "Y": "\u028f",
    "Z": "\u1d22",
}

# (replacement, the characters replaced by it). Fullwidth forms are added from the range above.
_REPLACEMENT_GROUPS: Final[tuple[tuple[str, str], ...]] = (
    # Guillemets, curly and low-9 double quotes, double primes, quote ornaments, CJK double primes.
    ('"', "\u00ab\u00bb\u201c\u201d\u201e\u201f\u02ba\u02ee\u275d\u275e\u301d\u301e"),
    # Curly single quotes, modifier-letter apostrophes and primes, acute and grave accents, vertical commas.
    ("'", "\u2018\u2019\u201b\u02b9\u02bb\u02bc\u02bd\u02c8\u02ca\u02cb\u00b4\u0060\u275b\u275c\ufe10\ufe11"),
    ("'", "\u0313\u0314"),  # combining commas above
    (",", "\u201a\u0326\u3001\ufe50\ufe51\uff64"),  # single low-9 quote, comma below, ideographic commas
    ("-", "\u2010\u2013\u2014\u2015\u2043\u2022\u23bc\u23bd\ufe63"),  # hyphen, dashes, bullets, scan lines
    ("_", "\u0332\u2017"),  # combining low line, double low line
    ("/", "\u00f7\u2044\u2215\u29f8\u0337\u0338"),  # division sign and slashes
    ("\\", "\u29f5\u29f9\u20e5\ufe68"),  # reverse solidus lookalikes
    ("|", "\u2223\u23b8\u23b9\u23d0\u239c\u239f\u20d2\u20d3"),  # divides, box and bracket-extension lines
    ("1/4", "\u00bc"),
    ("1/2", "\u00bd"),
    ("3/4", "\u00be"),
    ("...", "\u2026"),
    ("!", "\u01c3\ufe15\ufe57"),
    ("!!", "\u203c"),
    ("?", "\ufe16\ufe56"),
    ("#", "\ufe5f"),
    ("$", "\ufe69"),
    ("%", "\ufe6a"),
    ("&", "\ufe60"),
    ("@", "\ufe6b"),
    ("(", "\u2768\u276a\u27ee\u2985\ufe59"),
    (")", "\u2769\u276b\u27ef\u2986\ufe5a"),
    ("{", "\u2774\ufe5b"),
    ("}", "\u2775\ufe5c"),
    ("<", "\ufe64\u203a"),  # › becomes "<" in Twilio's published list
    (">", "\ufe65\u2039"),  # ‹ becomes ">" in Twilio's published list
    ("=", "\u0347\ua78a\ufe66"),
    ("+", "\u02d6\ufe62"),
    (".", "\u3002\ufe52\uff61"),  # ideographic and small full stops
    (":", "\u02d0\u02f8\u2982\ua789\ufe13"),
    (";", "\u204f\ufe14\ufe54"),
    ("^", "\u02c6\u0302\u1dcd"),  # circumflex lookalikes
    ("~", "\u02dc\u02f7\u0303\u0330\u0334\u223c"),  # tilde lookalikes
    # Asterisk operators and the dingbat asterisks.
    ("*", "\u204e\u2217\u229b\u2722\u2723\u2724\u2725\u2731\u2732\u2733\u273a\u273b\u273c\u273d"),
    ("*", "\u2743\u2749\u274a\u274b\u29c6\ufe61"),
    # NBSP, the typographic spaces and the space-like C1 controls: Twilio sends two spaces for each.
    ("  ", "\u00a0\u2000\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u202f\u205f\u3000"),
    ("  ", "\u0080\u008d\u0090\u009b\u009f"),
    (" ", "\u2001\u2028\u2029"),  # em quad and the line/paragraph separators: one space
    ("       ", "\t"),  # TAB: seven spaces
    # Invisible characters dropped: zero-width space, word joiner, BOM, and C0 controls with no glyph.
    ("", "\u200b\u2060\ufeff"),
    ("", "\u0000\u0003\u0004\u0010\u0011\u0012\u0013\u0014\u0017\u0019"),
)


def _build_map() -> dict[str, str]:
    table = {chr(code_point): chr(code_point - _FULLWIDTH_OFFSET) for code_point in _FULLWIDTH_CODE_POINTS}
    table.update({small_capital: capital for capital, small_capital in _SMALL_CAPITALS.items()})
    for replacement, characters in _REPLACEMENT_GROUPS:
        table.update(dict.fromkeys(characters, replacement))
    return table


SMART_ENCODING_MAP: Final[Mapping[str, str]] = MappingProxyType(_build_map())


def apply_smart_encoding(body: str) -> str:
    """Return `body` with every listed Unicode scalar replaced as Twilio's Smart Encoding does."""
    return "".join(SMART_ENCODING_MAP.get(scalar, scalar) for scalar in body)


def smart_encoding_replacements(body: str) -> tuple[tuple[str, str], ...]:
    """Return the distinct (original, replacement) pairs Smart Encoding applies to `body`, first seen first."""
    pairs = {scalar: SMART_ENCODING_MAP[scalar] for scalar in body if scalar in SMART_ENCODING_MAP}
    return tuple(pairs.items())
