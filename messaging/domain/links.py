"""Tracked links, pure: the URLs of a body, and the short codes that stand for them per recipient.

A code is `link id · recipient ref · variant · MAC`, every part of fixed width, so it needs no row per recipient and
every short link of a domain has the same length (a body's segment count does not depend on who receives it):

    link id     LINK_WIDTH base62 digits   the TrackedLink row (one per distinct URL per owner)
    recipient   REF_WIDTH base62 digits    who got it: a message id, or whatever the owner counts recipients by
    variant     1 character                "0" for none, else the variant's one-character label (A, B, ...)
    MAC         MAC_WIDTH base62 digits    HMAC-SHA256 of the tenant id and the parts before, keyed by a secret

The MAC binds the code to its tenant: a code is valid on one tenant only, cannot be altered (another recipient,
another link) and cannot be guessed (1 in 62^6 ≈ 5.7·10^10 per try).
"""

from __future__ import annotations

import hashlib
import hmac
import re
from dataclasses import dataclass

ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
_DIGIT = {character: value for value, character in enumerate(ALPHABET)}
LINK_WIDTH = 5  # 916,132,832 links per tenant
REF_WIDTH = 7  # 3,521,614,606,208 recipients per tenant
MAC_WIDTH = 6
CODE_LENGTH = LINK_WIDTH + REF_WIDTH + 1 + MAC_WIDTH  # 19
MAX_LINK_ID = 62**LINK_WIDTH - 1
MAX_REF = 62**REF_WIDTH - 1
NO_VARIANT = "0"
# What a preview shows in place of a code: the same length and characters as a real one, and never valid (link 0).
PLACEHOLDER_CODE = "0" * CODE_LENGTH
MAX_URL_LENGTH = 2048

# http(s) URLs up to whitespace or characters that end a URL in prose; trailing punctuation is trimmed below.
_URL = re.compile(r"https?://[^\s\x00-\x1f\x7f<>\"'`{}|\\^]+", re.IGNORECASE)
_TRAILING = ".,;:!?"
_CLOSERS = {")": "(", "]": "["}


class LinkCodeError(ValueError):
    """A value that cannot be put in a code (an id beyond its width, a variant label of more than one character)."""


@dataclass(frozen=True)
class UrlSpan:
    """A URL found in a body, with where it is: body[start:end] == url."""

    url: str
    start: int
    end: int


@dataclass(frozen=True)
class LinkCode:
    """The parts of a verified code."""

    link_id: int
    recipient_ref: int
    variant: str


def find_urls(body: str, *, skip_prefixes: tuple[str, ...] = ()) -> list[UrlSpan]:
    """The http(s) URLs of a body in order, trailing punctuation left out; URLs that start with one of
    `skip_prefixes` (short links already), hold a template tag (`{{`), or are longer than MAX_URL_LENGTH are not."""
    found = []
    for match in _URL.finditer(body):
        url = _trimmed(match.group())
        end = match.start() + len(url)
        if _host_of(url) == "" or len(url) > MAX_URL_LENGTH:
            continue
        if body[end : end + 2] in ("{{", "{%") or any(url.lower().startswith(p.lower()) for p in skip_prefixes):
            continue
        found.append(UrlSpan(url=url, start=match.start(), end=end))
    return found


def _trimmed(url: str) -> str:
    while url:
        last = url[-1]
        if last in _TRAILING or (last in _CLOSERS and url.count(_CLOSERS[last]) < url.count(last)):
            url = url[:-1]
            continue
        break
    return url


def _host_of(url: str) -> str:
    rest = url.split("://", 1)[1]
    return re.split(r"[/?#]", rest, maxsplit=1)[0].rsplit("@", 1)[-1]


_PAIRS = tuple(high + low for high in ALPHABET for low in ALPHABET)  # two digits at a time: half the divisions


def base62_fixed(value: int, width: int) -> str:
    """`value` in base62, left-padded with "0" to `width`; LinkCodeError if it is negative or does not fit."""
    if value < 0 or value >= 62**width:
        raise LinkCodeError(f"{value} does not fit in {width} base62 digits")
    digits = []
    for _ in range(width // 2):
        value, pair = divmod(value, 3844)
        digits.append(_PAIRS[pair])
    if width % 2:
        digits.append(ALPHABET[value])
    return "".join(reversed(digits))


def base62_decode(text: str) -> int:
    """The value of base62 digits; ValueError on a character outside the alphabet."""
    value = 0
    for character in text:
        value = value * 62 + _DIGIT[character]
    return value


def variant_char(variant: str) -> str:
    """The code's variant character: "0" for no variant, else the label itself (one letter or digit 1-9)."""
    if variant == "":
        return NO_VARIANT
    if len(variant) != 1 or variant not in _DIGIT or variant == NO_VARIANT:
        raise LinkCodeError(f"variant {variant!r} must be one letter or a digit 1-9")
    return variant


class CodeSigner:
    """Makes and verifies codes of one tenant with one key; `sign` is cheap enough for a million recipients."""

    def __init__(self, *, key: bytes, tenant_id: int) -> None:
        self._base = hmac.new(key, f"{tenant_id}:".encode(), hashlib.sha256)

    def _mac(self, payload: str) -> str:
        mac = self._base.copy()
        mac.update(payload.encode("ascii"))
        return base62_fixed(int.from_bytes(mac.digest()[:8], "big") % 62**MAC_WIDTH, MAC_WIDTH)

    def prefix(self, link_id: int) -> str:
        """The first part of every code of a link (checked once, reused per recipient)."""
        if link_id < 1:
            raise LinkCodeError(f"link id {link_id} must be at least 1")
        return base62_fixed(link_id, LINK_WIDTH)

    def sign(self, *, link_id: int, recipient_ref: int, variant: str = "") -> str:
        """The code of a link for one recipient and variant."""
        return self.sign_parts(self.prefix(link_id), self.recipient(recipient_ref, variant))

    @staticmethod
    def recipient(recipient_ref: int, variant: str = "") -> str:
        """The middle of every code of one recipient and variant (made once per body, whatever its links)."""
        return base62_fixed(recipient_ref, REF_WIDTH) + variant_char(variant)

    def sign_parts(self, prefix: str, recipient: str) -> str:
        payload = prefix + recipient
        return payload + self._mac(payload)

    def verify(self, code: str) -> LinkCode | None:
        """The parts of a code this signer made, or None for anything else (any length, any characters)."""
        if len(code) != CODE_LENGTH or not all(character in _DIGIT for character in code):
            return None
        payload, presented = code[:-MAC_WIDTH], code[-MAC_WIDTH:]
        if not hmac.compare_digest(self._mac(payload), presented):
            return None
        link_id = base62_decode(payload[:LINK_WIDTH])
        variant = payload[-1]
        if link_id < 1:
            return None
        return LinkCode(
            link_id=link_id,
            recipient_ref=base62_decode(payload[LINK_WIDTH:-1]),
            variant="" if variant == NO_VARIANT else variant,
        )


@dataclass(frozen=True)
class BodyTemplate:
    """A body cut at its tracked URLs: chunks[0] link chunks[1] link ... chunks[-1], one link id per gap."""

    chunks: tuple[str, ...]
    link_ids: tuple[int, ...]

    def render(self, base: str, codes: list[str]) -> str:
        parts = [self.chunks[0]]
        for code, chunk in zip(codes, self.chunks[1:], strict=True):
            parts.append(base)
            parts.append(code)
            parts.append(chunk)
        return "".join(parts)


def body_template(body: str, spans: list[UrlSpan], link_id_of: dict[str, int]) -> BodyTemplate:
    """Cut `body` at `spans`; each span's URL is replaced by the link id `link_id_of` gives it."""
    chunks, cursor = [], 0
    for span in spans:
        chunks.append(body[cursor : span.start])
        cursor = span.end
    chunks.append(body[cursor:])
    return BodyTemplate(chunks=tuple(chunks), link_ids=tuple(link_id_of[span.url] for span in spans))
