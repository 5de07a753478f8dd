"""The pre-send check: one service that gathers what the rules need and returns every finding.

The messaging app calls `message_check` when a message is created and again just before it leaves, and
`messages_check` for many recipients of one message at once (a campaign's preflight and fan-out): the register,
consent and Lookup are read per chunk of numbers, not per recipient.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime

from django.db import connection
from django.db.models import Max

from compliance.domain import rules
from compliance.domain.rules import Category, Context, Prospect, Verdict
from compliance.domain.windows import Hours, Window
from compliance.models import ComplianceSettings, Consent, NumberLookup, Suppression
from compliance.rulebook.selectors import current_jurisdictions
from compliance.services.numbers import place_of
from compliance.services.register import TENANT_SCOPE
from compliance.services.settings import exempt, settings_cached
from tenants.models import Tenant

JURISDICTIONS_CACHE_SECONDS = 30.0
CHUNK = 5_000


@dataclass(frozen=True)
class Outbound:
    """A message as the messaging app knows it, before or just as it leaves."""

    to: str
    category: str
    body: str
    segments: int
    sender_kind: str
    sender_registration: str
    scopes: tuple[str, ...] = ()  # `sender:<address>`, `pool:<id>`; `tenant` always applies
    alphanumeric_countries: frozenset[str] = frozenset()
    contact_zone: str = ""
    first_marketing: bool = False
    recent_marketing: tuple[datetime, ...] = ()
    unsendable_reason: str = ""


@dataclass(frozen=True)
class Records:
    """What the register, consent and Lookup say of one number."""

    opted_out_at: datetime | None = None
    has_marketing_consent: bool = False
    line_type: str = ""


def message_check(*, tenant: Tenant, outbound: Outbound, now: datetime) -> Verdict:
    """Every finding for one message to one number, and when it may leave (None: blocked)."""
    scopes = (TENANT_SCOPE, *outbound.scopes)
    opted = Suppression.objects.filter(number=outbound.to, scope__in=scopes).aggregate(at=Max("opted_out_at"))["at"]
    consent = outbound.category == Category.MARKETING and _consented([outbound.to]) == {outbound.to}
    records = Records(opted, consent, _line_types([outbound.to]).get(outbound.to, ""))
    return rules.verdict(*_prospect_and_context(tenant, outbound, records, now))


def messages_check(
    *, tenant: Tenant, outbound: Outbound, recipients: Iterable[Recipient], now: datetime
) -> Iterator[tuple[Recipient, Verdict]]:
    """The verdict of the same message to each recipient, reading the records a chunk of numbers at a time."""
    chunk: list[Recipient] = []
    for recipient in recipients:
        chunk.append(recipient)
        if len(chunk) == CHUNK:
            yield from _chunk_check(tenant, outbound, chunk, now)
            chunk = []
    if chunk:
        yield from _chunk_check(tenant, outbound, chunk, now)


@dataclass(frozen=True)
class Recipient:
    to: str
    contact_zone: str = ""
    first_marketing: bool = False
    recent_marketing: tuple[datetime, ...] = ()
    unsendable_reason: str = ""
    key: object = None  # the caller's own reference (a contact id, a row number)


def _chunk_check(tenant: Tenant, outbound: Outbound, chunk: Sequence[Recipient], now: datetime):
    numbers = [r.to for r in chunk]
    scopes = [TENANT_SCOPE, *outbound.scopes]
    opted = dict(
        Suppression.objects.filter(number__in=numbers, scope__in=scopes)
        .values("number")
        .annotate(at=Max("opted_out_at"))
        .values_list("number", "at")
    )
    consented = _consented(numbers) if outbound.category == Category.MARKETING else set()
    lines = _line_types(numbers)
    for recipient in chunk:
        records = Records(opted.get(recipient.to), recipient.to in consented, lines.get(recipient.to, ""))
        one = replace(
            outbound,
            to=recipient.to,
            contact_zone=recipient.contact_zone,
            first_marketing=recipient.first_marketing,
            recent_marketing=recipient.recent_marketing,
            unsendable_reason=recipient.unsendable_reason,
        )
        yield recipient, rules.verdict(*_prospect_and_context(tenant, one, records, now))


def _consented(numbers: Sequence[str]) -> set[str]:
    return set(
        Consent.objects.filter(number__in=numbers, purpose=Consent.Purpose.MARKETING, revoked_at__isnull=True)
        .order_by()
        .values_list("number", flat=True)
        .distinct()
    )


def _line_types(numbers: Sequence[str]) -> dict[str, str]:
    rows = NumberLookup.objects.filter(number__in=numbers).values_list("number", "valid", "line_type")
    return {number: (line or "unknown") if valid else "invalid" for number, valid, line in rows}


def _prospect_and_context(tenant: Tenant, o: Outbound, records: Records, now: datetime) -> tuple[Prospect, Context]:
    settings = settings_cached(connection.schema_name, tenant=tenant)
    place = place_of(o.to, contact_zone=o.contact_zone, tenant_zone=tenant.time_zone)
    prospect = Prospect(
        to=o.to,
        country=place.country,
        region=place.region,
        zones=place.zones,
        category=Category(o.category),
        body=o.body,
        segments=o.segments,
        sender_kind=o.sender_kind,
        sender_registration=o.sender_registration,
        alphanumeric_countries=o.alphanumeric_countries,
        now=now,
        first_marketing=o.first_marketing,
        recent_marketing=o.recent_marketing,
        unsendable_reason=o.unsendable_reason,
    )
    context = Context(
        opted_out_at=records.opted_out_at,
        has_marketing_consent=records.has_marketing_consent,
        enabled_countries=frozenset(settings.enabled_countries),
        tenant_hours=tenant_hours(settings),
        exempt_categories=exempt(settings),
        jurisdictions=jurisdictions_cached(),
        max_segments=settings.max_segments,
        line_type=records.line_type,
        shortener_advice=f"use a link on {tenant.link_domain}" if tenant.link_domain else "use a domain you own",
    )
    return prospect, context


def tenant_hours(settings: ComplianceSettings) -> Hours | None:
    """The tenant's window as Hours, None when the tenant turned its quiet hours off."""
    if not settings.quiet_hours_enabled:
        return None
    return Hours((Window(settings.window_start, settings.window_end),))


@dataclass
class _Cached:
    at: float = 0.0
    value: tuple = field(default_factory=tuple)


_jurisdictions = _Cached()
_jurisdictions_lock = threading.Lock()


def jurisdictions_cached() -> tuple:
    """The staff-kept hours by country and state, read at most every 30 seconds per process."""
    now = time.monotonic()
    with _jurisdictions_lock:
        if _jurisdictions.at and now - _jurisdictions.at < JURISDICTIONS_CACHE_SECONDS:
            return _jurisdictions.value
    value = current_jurisdictions()
    with _jurisdictions_lock:
        _jurisdictions.at, _jurisdictions.value = now, value
    return value


def jurisdictions_forget() -> None:
    with _jurisdictions_lock:
        _jurisdictions.at = 0.0


@dataclass
class Summary:
    """Counts over many verdicts: per rule and severity, with a few sample numbers each."""

    recipients: int = 0
    blocked: int = 0
    deferred: int = 0
    warned: int = 0
    clean: int = 0
    by_rule: dict[tuple[str, str], int] = field(default_factory=dict)
    samples: dict[tuple[str, str], list[str]] = field(default_factory=dict)
    messages: dict[tuple[str, str], str] = field(default_factory=dict)
    last_deferral: datetime | None = None

    def add(self, to: str, verdict: Verdict, *, samples: int = 5) -> None:
        self.recipients += 1
        if verdict.blocked:
            self.blocked += 1
        elif verdict.deferred:
            self.deferred += 1
            self.last_deferral = max(filter(None, [self.last_deferral, verdict.send_at]))
        elif verdict.findings:
            self.warned += 1
        else:
            self.clean += 1
        for finding in verdict.findings:
            key = (finding.rule, finding.severity.value)
            self.by_rule[key] = self.by_rule.get(key, 0) + 1
            self.messages.setdefault(key, finding.message)
            sample = self.samples.setdefault(key, [])
            if len(sample) < samples:
                sample.append(to)


def summarize(verdicts: Iterable[tuple[Recipient, Verdict]]) -> Summary:
    summary = Summary()
    for recipient, verdict in verdicts:
        summary.add(recipient.to, verdict)
    return summary
