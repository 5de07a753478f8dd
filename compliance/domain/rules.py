"""The pre-send rules (pure): every check a message passes at enqueue and again just before it leaves.

Each rule has an id, a severity and a plain-words message; `evaluate` returns every finding, never only the first.
Block: the message must not be sent. Defer: it waits for the moment the finding names, and is never dropped.
Warn: it is sent, and the warning is kept with it. The facts and their sources are in reference/compliance.md; each
rule's docstring names its own. Facts the caller knows (the recipient, the sender, the clock) come in a `Prospect`;
what the tenant's records say (opt-outs, consent, settings, Lookup) comes in a `Context`.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from enum import StrEnum
from functools import lru_cache
from typing import Final

from compliance.domain import registration
from compliance.domain.windows import Hours, frequency_next, next_allowed, zone


class Severity(StrEnum):
    BLOCK = "block"
    DEFER = "defer"
    WARN = "warn"


class Category(StrEnum):
    """What a message is for; marketing is the strictest."""

    MARKETING = "marketing"
    TRANSACTIONAL = "transactional"
    PASSCODE = "passcode"
    KEYWORD_REPLY = "keyword_reply"  # the answer to HELP, START or a tenant's own keyword
    OPT_OUT_CONFIRMATION = "opt_out_confirmation"  # the one message after an opt-out


SENDABLE_CATEGORIES: Final = (Category.MARKETING, Category.TRANSACTIONAL, Category.PASSCODE)
REPLY_CATEGORIES: Final = frozenset({Category.KEYWORD_REPLY, Category.OPT_OUT_CONFIRMATION})
MAX_BODY_CHARACTERS: Final = 1600
CONFIRMATION_WINDOW: Final = timedelta(minutes=5)
NORTH_AMERICA: Final = frozenset({"US", "CA"})


@dataclass(frozen=True)
class Finding:
    rule: str
    severity: Severity
    message: str
    field: str | None = None
    until: datetime | None = None  # a deferral: the first moment the rule allows

    def as_dict(self) -> dict[str, str | None]:
        return {
            "rule": self.rule,
            "severity": self.severity.value,
            "message": self.message,
            "field": self.field,
            "until": self.until.isoformat() if self.until else None,
        }


@dataclass(frozen=True)
class JurisdictionHours:
    """Hours (and an optional cap) that a law or Twilio's guidelines set for one country or state."""

    rule: str
    place: str  # "Florida (US)", for the message
    country: str
    region: str  # a state or province code, or "" for the whole country
    hours: Hours | None
    marketing_only: bool = True
    cap: int = 0  # at most this many marketing messages in `cap_period`; 0 = none
    cap_period: timedelta = timedelta(hours=24)
    cap_rule: str = ""
    source: str = ""


@dataclass(frozen=True)
class Prospect:
    """One message as it would leave: what the caller knows of it."""

    to: str
    country: str
    region: str
    zones: tuple[str, ...]
    category: Category
    body: str
    segments: int
    sender_kind: str
    sender_registration: str
    alphanumeric_countries: frozenset[str]
    now: datetime
    first_marketing: bool = False  # no marketing message has gone to this number yet
    recent_marketing: tuple[datetime, ...] = ()  # marketing messages to this number, newest last
    unsendable_reason: str = ""  # the tenant marked the recipient's contact unsendable, and why


@dataclass(frozen=True)
class Context:
    """What the tenant's records and settings say about the recipient."""

    opted_out_at: datetime | None = None  # set when an opt-out covers this message's scope
    has_marketing_consent: bool = False
    enabled_countries: frozenset[str] = NORTH_AMERICA
    tenant_hours: Hours | None = None
    exempt_categories: frozenset[Category] = frozenset()
    jurisdictions: tuple[JurisdictionHours, ...] = ()
    max_segments: int = 10
    line_type: str = ""  # from Lookup: mobile, landline, invalid, ...
    shortener_advice: str = "use a domain you own"


Check = Callable[[Prospect, Context], list[Finding]]


@dataclass(frozen=True)
class Rule:
    id: str
    severity: Severity
    title: str
    check: Check = field(repr=False)

    @property
    def source(self) -> str:
        return (self.check.__doc__ or "").strip()


# --- opt-outs and consent --------------------------------------------------------------------------------------


def opted_out(p: Prospect, c: Context) -> list[Finding]:
    """An opt-out in the tenant's register covers this recipient for this sender: nothing but the one confirmation
    goes. Twilio blocks only the sender or Messaging Service the STOP reached (errors 21610, support article 223134027),
    so the platform keeps its own list (reference/compliance.md OPT-01)."""
    if c.opted_out_at is None or p.category == Category.OPT_OUT_CONFIRMATION:
        return []
    when = f"{c.opted_out_at:%Y-%m-%d %H:%M} UTC"
    return [_block("OPT-01", f"{p.to} opted out on {when}; nothing more may be sent", "to")]


def late_confirmation(p: Prospect, c: Context) -> list[Finding]:
    """After an opt-out, one confirmation text, sent within five minutes: 47 CFR 64.1200(a)(12), in force 4 April
    2024 (FR 2024-04587), presumed lawful within five minutes (reference/compliance.md OPT-03)."""
    if p.category != Category.OPT_OUT_CONFIRMATION or c.opted_out_at is None:
        return []
    if p.now - c.opted_out_at <= CONFIRMATION_WINDOW:
        return []
    return [_block("OPT-03", "the opt-out confirmation may leave only within five minutes of the opt-out", "to")]


def marketing_consent(p: Prospect, c: Context) -> list[Finding]:
    """Marketing needs the recipient's consent on record: prior express written consent in the US (FCC 2012 PEWC
    rule), PECR in the UK, CASL in Canada, the Spam Act in Australia (reference/compliance.md CONS-01..03)."""
    if p.category != Category.MARKETING or c.has_marketing_consent:
        return []
    return [_block("CONS-01", f"no marketing consent is recorded for {p.to}", "to")]


# --- where and from what ----------------------------------------------------------------------------------------


def country_enabled(p: Prospect, c: Context) -> list[Finding]:
    """The tenant sends only to the countries it enabled, as Twilio's geo permissions do (error 21408)."""
    if p.country in c.enabled_countries:
        return []
    enabled = ", ".join(sorted(c.enabled_countries)) or "none"
    return [_block("GEO-01", f"{p.country or 'this'} is not a country the tenant sends to (enabled: {enabled})", "to")]


def sender_registered(p: Prospect, c: Context) -> list[Finding]:
    """US and Canadian carriers take A2P 10DLC only on an approved campaign (30034, blocked since 1 September 2023)
    and toll-free only once verified (30032, since 31 January 2024); a short code sends once provisioned (support
    articles 4410588996123 and 14910496447771; error pages 30034 and 30032)."""
    verdict = registration.sending_verdict(p.sender_kind, p.sender_registration)
    if verdict.allowed:
        return []
    if p.sender_kind != registration.SHORT_CODE and p.country not in NORTH_AMERICA:
        return []
    return [_block("SEND-01", f"the sender cannot send to {p.country} numbers: {verdict.reason}", "sender")]


def alphanumeric_destination(p: Prospect, c: Context) -> list[Finding]:
    """Alphanumeric sender IDs are not supported in the US or Canada, and only where the catalogue says so elsewhere
    (twilio.com/docs/glossary/what-alphanumeric-sender-id; the sender catalogue's country list)."""
    if p.sender_kind != "alphanumeric":
        return []
    if p.country in NORTH_AMERICA or p.country not in p.alphanumeric_countries:
        return [_block("SEND-04", f"an alphanumeric sender ID cannot send to {p.country} numbers", "sender")]
    return []


_ASKS_FOR_REPLY: Final = re.compile(r"\b(?:reply|respond|text back|txt)\b", re.IGNORECASE)


def alphanumeric_two_way(p: Prospect, c: Context) -> list[Finding]:
    """An alphanumeric sender ID is one-way: recipients cannot answer it, not even STOP, so a body that asks for a
    reply misleads them (Twilio's alphanumeric sender ID guide: 'one-way messaging only')."""
    if p.sender_kind != "alphanumeric" or not _ASKS_FOR_REPLY.search(p.body):
        return []
    return [_warn("SEND-05", "the body asks for a reply, but nobody can reply to an alphanumeric sender", "body")]


# --- when -------------------------------------------------------------------------------------------------------


def tenant_hours(p: Prospect, c: Context) -> list[Finding]:
    """The tenant's own window (08:00–21:00 in the recipient's time unless set), for every message but replies
    and the categories the tenant exempts; the US telephone-solicitation hours of 47 CFR 64.1200(c)(1) are the
    default's model (reference/compliance.md TIME-01)."""
    if c.tenant_hours is None or p.category in REPLY_CATEGORIES or p.category in c.exempt_categories:
        return []
    return _hours_finding("TIME-00", "the tenant's sending hours", c.tenant_hours, p)


def jurisdiction_hours(p: Prospect, c: Context) -> list[Finding]:
    """Hours a country or state sets: the US 08:00–21:00, Florida, Oklahoma and Maryland 08:00–20:00, Canada,
    France, Brazil, India (reference/compliance.md §2, TIME-01..06); each row names its own source."""
    findings: list[Finding] = []
    for rule in _applicable(p, c):
        if rule.hours is not None:
            findings += _hours_finding(rule.rule, f"{rule.place} sending hours", rule.hours, p)
    return findings


def frequency_caps(p: Prospect, c: Context) -> list[Finding]:
    """Florida, Oklahoma and Maryland allow at most 3 marketing messages on one subject in 24 hours; Brazil 7 a
    week (reference/compliance.md FREQ-01, FREQ-02); every marketing message counts, the strictest reading."""
    findings: list[Finding] = []
    for rule in _applicable(p, c):
        if rule.cap and p.category == Category.MARKETING:
            until = frequency_next(p.recent_marketing, limit=rule.cap, period=rule.cap_period, now=p.now)
            if until is not None:
                hours = int(rule.cap_period.total_seconds() // 3600)
                message = f"{rule.place} allows {rule.cap} marketing messages in {hours} h"
                findings.append(_defer(rule.cap_rule or rule.rule, message, until))
    return findings


def _applicable(p: Prospect, c: Context) -> list[JurisdictionHours]:
    exempt = p.category in REPLY_CATEGORIES
    return [
        rule
        for rule in c.jurisdictions
        if rule.country == p.country
        and rule.region in ("", p.region)
        and not exempt
        and (p.category == Category.MARKETING or not rule.marketing_only)
    ]


def _hours_finding(rule: str, what: str, hours: Hours, p: Prospect) -> list[Finding]:
    zones = [zone(name) for name in p.zones] or [zone("UTC")]
    until = next_allowed(hours, zones, p.now)
    if until == p.now:
        return []
    if until is None:
        return [_block(rule, f"{what} allow no time in the coming week", None)]
    local = until.astimezone(zones[0])
    zones_named = ", ".join(p.zones) or "UTC"
    message = (
        f"outside {what} in the recipient's time ({zones_named}); it leaves at {local:%H:%M} local, {local:%a %d %b}"
    )
    return [_defer(rule, message, until)]


# --- what -------------------------------------------------------------------------------------------------------


def body_length(p: Prospect, c: Context) -> list[Finding]:
    """Twilio takes at most 1,600 characters in a body (error 21617)."""
    if len(p.body) <= MAX_BODY_CHARACTERS:
        return []
    return [_block("CONT-04", f"the body is {len(p.body):,} characters; at most {MAX_BODY_CHARACTERS:,}", "body")]


def segment_limit(p: Prospect, c: Context) -> list[Finding]:
    """The tenant's own ceiling on segments per message; Twilio recommends 10 or fewer (support article
    360033806753)."""
    if p.segments <= c.max_segments:
        return []
    return [_warn("CONT-05", f"{p.segments} segments, more than the tenant's limit of {c.max_segments}", "body")]


PUBLIC_SHORTENERS: Final = frozenset({
    "bit.ly", "bitly.com", "tinyurl.com", "t.co", "goo.gl", "ow.ly", "is.gd", "buff.ly", "rebrand.ly", "cutt.ly",
    "shorturl.at", "rb.gy", "t.ly", "tiny.cc", "bl.ink", "short.io", "s.id", "v.gd", "lnkd.in",
})  # fmt: skip
_URL_HOST: Final = re.compile(r"(?:https?://)?(?:www\.)?([a-z0-9-]+(?:\.[a-z0-9-]+)+)(?=[/\s?#]|$)", re.IGNORECASE)


@lru_cache(maxsize=256)  # a campaign checks one body for every recipient
def _shorteners_in(body: str) -> list[str]:
    return sorted({h.lower() for h in _URL_HOST.findall(body)} & PUBLIC_SHORTENERS)


def url_shortener(p: Prospect, c: Context) -> list[Finding]:
    """Carriers filter links on shared public shorteners such as bit.ly with no recourse; use a domain you own
    (support article 1260804572090; India bans them, twilio.com/en-us/guidelines/in/sms)."""
    hosts = _shorteners_in(p.body)
    if not hosts:
        return []
    listed = ", ".join(hosts)
    return [_warn("CONT-02", f"{listed} is a public link shortener that carriers filter; {c.shortener_advice}", "body")]


_OPT_OUT_LANGUAGE: Final = re.compile(
    r"\b(?:stop|unsubscribe|opt[\s-]?out|arr[eê]t|alto|abmelden|sair)\b", re.IGNORECASE
)


def opt_out_language(p: Prospect, c: Context) -> list[Finding]:
    """The first marketing message to a recipient says how to opt out ('Reply STOP to opt out'); CTIA and Twilio
    (support article 1260803966670), and every commercial message in Canada, Australia, the UK and the EU
    (reference/compliance.md CONT-03)."""
    if p.category != Category.MARKETING or not p.first_marketing or _OPT_OUT_LANGUAGE.search(p.body):
        return []
    message = "the first marketing message to a recipient must say how to opt out, e.g. 'Reply STOP to opt out'"
    return [_block("CONT-03", message, "body")]


SHAFT_TERMS: Final = (
    r"sex\w*", r"porn\w*", r"xxx", r"nude\w*", r"escort\w*", r"hate", r"alcohol\w*", r"beer", r"wine", r"vodka",
    r"whiske?y", r"liquor", r"firearms?", r"guns?", r"ammo", r"ammunition", r"rifles?", r"tobacco", r"cigar\w*",
    r"vap(?:e|es|ing)", r"nicotine", r"cannabis", r"marijuana", r"weed", r"cbd", r"thc",
)  # fmt: skip
_SHAFT: Final = re.compile(r"\b(?:" + "|".join(SHAFT_TERMS) + r")\b", re.IGNORECASE)


def shaft_content(p: Prospect, c: Context) -> list[Finding]:
    """Sex, hate, alcohol, firearms and tobacco (SHAFT) and cannabis are refused by toll-free review (30441) and
    filtered by US carriers without an age-gated campaign (support article 360045004974; errors 30441, 30888)."""
    words = sorted({m.group(0).lower() for m in _SHAFT.finditer(p.body)})
    if not words:
        return []
    listed = ", ".join(words)
    return [_warn("CONT-01", f"'{listed}' reads as restricted (SHAFT) content that carriers filter", "body")]


# --- the number -------------------------------------------------------------------------------------------------

UNSENDABLE_LINES: Final = frozenset({"landline", "invalid", "pager", "premium", "sharedCost", "uan", "voicemail"})
DOUBTFUL_LINES: Final = frozenset({"nonFixedVoip", "tollFree", "unknown"})


def line_type(p: Prospect, c: Context) -> list[Finding]:
    """Lookup's line type: landlines and invalid numbers take no texts (21635, 21614); non-fixed VoIP is linked to
    bots; the rest is unverified (Lookup v2 line type intelligence; reference/compliance.md NUM-02)."""
    if c.line_type in UNSENDABLE_LINES:
        return [_block("NUM-02", f"Lookup says {p.to} is {_line_label(c.line_type)}, which cannot take texts", "to")]
    if c.line_type in DOUBTFUL_LINES:
        return [_warn("NUM-03", f"Lookup says {p.to} is {_line_label(c.line_type)}; texts may not arrive", "to")]
    return []


def contact_unsendable(p: Prospect, c: Context) -> list[Finding]:
    """The tenant (or a Lookup) marked the recipient's contact unsendable; the reason stands until it is lifted."""
    if not p.unsendable_reason:
        return []
    return [_block("NUM-04", f"the contact {p.to} is marked unsendable: {p.unsendable_reason}", "to")]


def _line_label(kind: str) -> str:
    return {"invalid": "not a valid number", "landline": "a landline"}.get(kind, f"a {kind} line")


# --- the rule book -----------------------------------------------------------------------------------------------

RULES: Final[tuple[Rule, ...]] = (
    Rule("OPT-01", Severity.BLOCK, "Opted out", opted_out),
    Rule("OPT-03", Severity.BLOCK, "One confirmation within five minutes of an opt-out", late_confirmation),
    Rule("CONS-01", Severity.BLOCK, "Marketing needs consent", marketing_consent),
    Rule("GEO-01", Severity.BLOCK, "Destination country enabled", country_enabled),
    Rule("SEND-01", Severity.BLOCK, "Sender registered for the destination", sender_registered),
    Rule("SEND-04", Severity.BLOCK, "Alphanumeric sender allowed for the destination", alphanumeric_destination),
    Rule("SEND-05", Severity.WARN, "Alphanumeric senders are one-way", alphanumeric_two_way),
    Rule("TIME-00", Severity.DEFER, "The tenant's sending hours", tenant_hours),
    Rule("TIME", Severity.DEFER, "Country and state sending hours", jurisdiction_hours),
    Rule("FREQ", Severity.DEFER, "Marketing frequency caps", frequency_caps),
    Rule("CONT-04", Severity.BLOCK, "At most 1,600 characters", body_length),
    Rule("CONT-05", Severity.WARN, "The tenant's segment limit", segment_limit),
    Rule("CONT-02", Severity.WARN, "Public link shorteners", url_shortener),
    Rule("CONT-03", Severity.BLOCK, "Opt-out language in the first marketing message", opt_out_language),
    Rule("CONT-01", Severity.WARN, "Restricted (SHAFT) content", shaft_content),
    Rule("NUM-02", Severity.BLOCK, "Numbers that cannot take texts", line_type),
    Rule("NUM-04", Severity.BLOCK, "Contacts marked unsendable", contact_unsendable),
)
TIME_RULES: Final = frozenset({"TIME-00", "TIME", "FREQ"})


def evaluate(p: Prospect, c: Context, rules: Sequence[Rule] = RULES) -> list[Finding]:
    """Every finding of every rule, in the rule book's order."""
    return [finding for rule in rules for finding in rule.check(p, c)]


@dataclass(frozen=True)
class Verdict:
    findings: tuple[Finding, ...]
    send_at: datetime | None  # when it may leave: now, a later minute, or None when blocked

    @property
    def blocked(self) -> bool:
        return self.send_at is None

    @property
    def deferred(self) -> bool:
        return self.send_at is not None and any(f.severity == Severity.DEFER for f in self.findings)

    def of(self, severity: Severity) -> tuple[Finding, ...]:
        return tuple(f for f in self.findings if f.severity == severity)


def verdict(p: Prospect, c: Context, *, rounds: int = 6) -> Verdict:
    """The findings and the first moment every rule allows: a deferral is checked again at the moment it names (the
    hours of one rule may end where another's cap lifts) until the time rules agree."""
    findings = evaluate(p, c)
    if any(f.severity == Severity.BLOCK for f in findings):
        return Verdict(tuple(findings), None)
    moment, prospect = p.now, p
    for _ in range(rounds):
        defers = [f for f in evaluate(prospect, c, _time_rules()) if f.severity == Severity.DEFER]
        if not defers:
            return Verdict(tuple(findings), moment)
        moment = max(f.until for f in defers if f.until is not None)
        prospect = replace(prospect, now=moment)
    return Verdict(tuple(findings), moment)  # checked again when it is due


def _time_rules() -> tuple[Rule, ...]:
    return tuple(rule for rule in RULES if rule.id in TIME_RULES)


def rule_book() -> list[dict[str, str]]:
    """The rules for people: id, severity, title and source."""
    return [{"id": r.id, "severity": r.severity.value, "title": r.title, "source": r.source} for r in RULES]


def _block(rule: str, message: str, field_name: str | None) -> Finding:
    return Finding(rule, Severity.BLOCK, message, field_name)


def _warn(rule: str, message: str, field_name: str | None) -> Finding:
    return Finding(rule, Severity.WARN, message, field_name)


def _defer(rule: str, message: str, until: datetime) -> Finding:
    return Finding(rule, Severity.DEFER, message, None, until)
