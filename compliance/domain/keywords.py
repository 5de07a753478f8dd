"""Opt-out, opt-in and help keywords, and replies that read as a request to stop (pure).

Twilio matches a keyword only when it is the whole message: one word, any case, with the surrounding white space
and punctuation ignored ("sToP", " Stop. " match; "Stop please" does not) — reference/twilio.md §4 and support
article 31560110671259. Since the FCC's 2025 revocation rule (47 CFR 64.1200(a)(10), in force 11 April 2025) a
revocation by any reasonable means counts, so `reads_as_revocation` flags other wording a reasonable person would
read as "stop texting me", for a person to review.
"""

from __future__ import annotations

import re
import string
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Final


class KeywordKind(StrEnum):
    OPT_OUT = "opt_out"
    OPT_IN = "opt_in"
    HELP = "help"


# Twilio's defaults; REVOKE and OPTOUT since 14 May 2025 (twilio.com/en-us/blog/update-to-fcc-s-sms-opt-out-keywords).
DEFAULTS: Final[dict[KeywordKind, tuple[str, ...]]] = {
    KeywordKind.OPT_OUT: ("STOP", "STOPALL", "UNSUBSCRIBE", "CANCEL", "END", "QUIT", "REVOKE", "OPTOUT"),
    KeywordKind.OPT_IN: ("START", "YES", "UNSTOP"),
    KeywordKind.HELP: ("HELP", "INFO"),
}
# Advanced Opt-Out lets every default go but these three (support article 360034798533).
REQUIRED: Final = frozenset({"STOP", "START", "HELP"})
DEFAULT_LANGUAGE: Final = "en"
MAX_KEYWORD_LENGTH: Final = 20
_EDGE: Final = string.whitespace + string.punctuation + "¡¿«»“”‘’…。！？"


@dataclass(frozen=True)
class Keyword:
    word: str
    kind: KeywordKind
    language: str = DEFAULT_LANGUAGE
    default: bool = False


@dataclass(frozen=True)
class KeywordSet:
    """The keywords a tenant answers: Twilio's defaults less those it removed, plus its own."""

    keywords: tuple[Keyword, ...] = field(default_factory=tuple)

    def find(self, word: str) -> Keyword | None:
        return next((k for k in self.keywords if k.word == word), None)

    def of_kind(self, kind: KeywordKind) -> tuple[Keyword, ...]:
        return tuple(k for k in self.keywords if k.kind == kind)


class KeywordError(ValueError):
    """A keyword that cannot be added or removed; the message says why."""


def default_keywords() -> tuple[Keyword, ...]:
    return tuple(Keyword(word, kind, DEFAULT_LANGUAGE, True) for kind, words in DEFAULTS.items() for word in words)


def keyword_set(*, removed: Iterable[str] = (), added: Iterable[Keyword] = ()) -> KeywordSet:
    """The defaults without `removed` (never STOP, START or HELP), then the tenant's own keywords."""
    gone = {word.upper() for word in removed} - REQUIRED
    chosen = [k for k in default_keywords() if k.word not in gone]
    taken = {k.word for k in chosen}
    for keyword in added:
        if keyword.word not in taken:
            chosen.append(keyword)
            taken.add(keyword.word)
    return KeywordSet(tuple(chosen))


def normalize(body: str) -> str:
    """The message as Twilio compares it: surrounding space and punctuation gone, upper case, accents kept."""
    return unicodedata.normalize("NFC", body).strip(_EDGE).upper()


def clean_keyword(raw: str) -> str:
    """A keyword as stored: one word of letters or digits, upper case; KeywordError otherwise."""
    word = normalize(raw)
    if not word:
        raise KeywordError("a keyword needs at least one letter")
    if any(ch.isspace() for ch in word):
        raise KeywordError(f"'{raw.strip()}' has a space: a keyword is one word, as Twilio matches it")
    if not all(ch.isalnum() for ch in word):
        raise KeywordError(f"'{raw.strip()}' may hold only letters and digits")
    if len(word) > MAX_KEYWORD_LENGTH:
        raise KeywordError(f"a keyword has at most {MAX_KEYWORD_LENGTH} characters")
    return word


def match(body: str, keywords: KeywordSet) -> Keyword | None:
    """The keyword a message is, when the whole message is one; else None."""
    word = normalize(body)
    if not word or any(ch.isspace() for ch in word):
        return None
    return keywords.find(word)


# Wording that reads as "stop texting me" in the languages tenants add keywords for. A phrase must stand as words;
# a reply with one of these is queued for a person, never acted on as a keyword.
_REVOCATION_PHRASES: Final = (
    r"stop",
    r"unsubscribe",
    r"opt(?:[\s-]*)out",
    r"remove me",
    r"take me off",
    r"(?:do not|don'?t|dont) (?:text|message|msg|contact|send)",
    r"no more (?:texts?|messages?|msgs?|sms)",
    r"leave me alone",
    r"cancel(?: my)? (?:subscription|texts?|messages?)",
    r"quit (?:texting|messaging|sending)",
    r"revoke",
    r"wrong number",
    r"(?:para|alto|basta|cancelar|no (?:me )?(?:env[ií]e|escrib)\w*)",
    r"(?:arr[eê]te[rz]?|arret|d[ée]sabonne\w*|d[ée]sinscri\w*)",
    r"(?:abmelden|abbestellen|keine (?:sms|nachrichten) mehr)",
    r"(?:parar|pare|sair|descadastrar)",
)
_REVOCATION: Final = re.compile(r"\b(?:" + "|".join(_REVOCATION_PHRASES) + r")\b", re.IGNORECASE)
# 47 CFR 64.1200(a)(10): these words revoke consent per se, whatever the tenant's keyword list says.
PER_SE: Final = frozenset({"STOP", "QUIT", "END", "REVOKE", "OPT OUT", "OPTOUT", "CANCEL", "UNSUBSCRIBE"})
_NEGATED: Final = re.compile(r"\b(?:don'?t|do not|never|can'?t|won'?t)\s+stop\b", re.IGNORECASE)


def reads_as_revocation(body: str) -> bool:
    """Whether a message that is not a keyword reads as a request to stop messages (for a person to review)."""
    text = unicodedata.normalize("NFC", body)
    if not text.strip() or _NEGATED.search(text):
        return False
    if " ".join(normalize(text).split()) in PER_SE:
        return True
    return _REVOCATION.search(text) is not None
