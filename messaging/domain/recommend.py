"""Sender recommendation: per destination country, the sender types that fit a workload, ranked and explained (pure).

The questions are those of the sender decision flow (seeds/isv-messaging-architecture.txt): use case, one-way or
two-way, countries, throughput, cost versus deliverability, provisioning urgency, plus voice. The facts come from a
`Catalogue` (messaging.domain.catalogue); today's date is an argument, never read from the clock.

1. Exclude, with the reason, what cannot serve the request: a type the country does not accept; any type for
   two-way where Twilio has no two-way SMS in the country; alphanumeric IDs for two-way (no replies); a sender from
   another country for two-way (its ID may be overwritten, so replies get lost); a type without voice when voice
   is wanted.
2. Throughput needed at peak, in segments per second with 20 % headroom, rounded up: peak messages ÷ window
   seconds × segments per message × 1.2, or a stated required MPS × 1.2. A type that falls short adds senders when
   more senders add throughput (long codes), else it misses the peak.
3. Score every remaining type, each point with its reason in plain words: local sender +20; meets the peak with one
   sender +20, with several +10, misses it −30 (unknown MPS: 0); a short code for one-time passcodes or other
   time-sensitive messages +10; a local number for conversations +10; a vetted (registered or verified) sender +10
   when deliverability comes first, +5 when balanced; no recurring and no carrier fees +10 when cost comes first,
   +5 when balanced; lead time against go-live: fits 0, unknown −10, at risk (only the shortest time fits) −40,
   too late −80.
4. Rank by score; ties keep the catalogue's order (that of the sender matrix). Warnings carry stable codes.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, fields, is_dataclass, replace
from datetime import date, datetime, timedelta
from decimal import Decimal, InvalidOperation
from enum import Enum, StrEnum
from fractions import Fraction
from typing import Any, Final, TypeVar

from messaging.domain.catalogue import (
    ALPHANUMERIC_REGISTERED,
    ALPHANUMERIC_UNREGISTERED,
    DEFAULT_CATALOGUE,
    LONG_CODE,
    LOW_VOLUME_STANDARD_MAX_DAILY_SEGMENTS,
    MESSAGING_SERVICE,
    SHORT_CODE,
    TEN_DLC,
    TOLL_FREE,
    Catalogue,
    CountryRule,
    Fees,
    SenderTypeFacts,
    TenDlcTier,
    UnknownTrustTier,
)
from messaging.domain.throughput import (
    DEFAULT_QUEUE_HORIZON_SECONDS,
    MAX_SEGMENTS_PER_MESSAGE,
    MAX_TOTAL_MPS,
    format_duration,
)

__all__ = [
    "HEADROOM_PERCENT",
    "CountryRecommendation",
    "Exclusion",
    "LeadTimeCheck",
    "LeadTimeStatus",
    "Priority",
    "Recommendation",
    "RecommendationInputError",
    "RecommendationRequest",
    "SenderOption",
    "SenderWarning",
    "UseCase",
    "business_days_between",
    "needed_mps",
    "recommend",
]

_E = TypeVar("_E", bound=StrEnum)

HEADROOM_PERCENT: Final = 20
MAX_DAILY_VOLUME: Final = 100_000_000
MAX_PEAK_WINDOW_SECONDS: Final = 86_400
MAX_COUNTRIES: Final = 50

# Warning codes: stable, for the API and the UI to key on.
ALPHANUMERIC_NO_REPLIES: Final = "alphanumeric_no_replies"
ALPHANUMERIC_PREREGISTRATION: Final = "alphanumeric_preregistration"
SHORT_CODE_LEAD_TIME: Final = "short_code_lead_time"
TOLL_FREE_VERIFICATION: Final = "toll_free_verification"
TENDLC_TRUST_SCORE: Final = "tendlc_trust_score"
TENDLC_TMOBILE_DAILY_CAP: Final = "tendlc_tmobile_daily_cap"
PREFER_LOCAL_TWO_WAY: Final = "prefer_local_two_way"
NON_LOCAL_SENDER_OVERWRITTEN: Final = "non_local_sender_overwritten"
PEAK_EXCEEDS_THROUGHPUT: Final = "peak_exceeds_throughput"
THROUGHPUT_UNKNOWN: Final = "throughput_unknown"
LEAD_TIME_AT_RISK: Final = "lead_time_at_risk"
LEAD_TIME_UNKNOWN: Final = "lead_time_unknown"
GO_LIVE_AT_RISK: Final = "go_live_at_risk"
NO_SUITABLE_SENDER: Final = "no_suitable_sender"
COUNTRY_NOT_IN_CATALOGUE: Final = "country_not_in_catalogue"
MULTI_SEGMENT_MESSAGES: Final = "multi_segment_messages"
SET_VALIDITY_PERIOD: Final = "set_validity_period"

POINTS_LOCAL: Final = 20
POINTS_MEETS_PEAK: Final = 20
POINTS_MEETS_PEAK_POOLED: Final = 10
POINTS_MISSES_PEAK: Final = -30
POINTS_USE_CASE_FIT: Final = 10
POINTS_PRIORITY: Final = 10
POINTS_PRIORITY_BALANCED: Final = 5


class UseCase(StrEnum):
    CONVERSATIONAL = "conversational"
    TRANSACTIONAL = "transactional"
    PROMOTIONAL = "promotional"
    OTP = "otp"


class Priority(StrEnum):
    COST = "cost"
    DELIVERABILITY = "deliverability"
    BALANCED = "balanced"


class LeadTimeStatus(StrEnum):
    FITS = "fits"
    AT_RISK = "at_risk"
    TOO_LATE = "too_late"
    UNKNOWN = "unknown"


LEAD_TIME_POINTS: Final = {
    LeadTimeStatus.FITS: 0,
    LeadTimeStatus.UNKNOWN: -10,
    LeadTimeStatus.AT_RISK: -40,
    LeadTimeStatus.TOO_LATE: -80,
}


class RecommendationInputError(ValueError):
    """An input the recommendation refuses; `field` names it, `status` and `code` let the API answer a 400 problem."""

    status = 400
    code = "validation_failed"

    def __init__(self, field: str, message: str):
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message


@dataclass(frozen=True, slots=True)
class RecommendationRequest:
    """What the wizard asks. Raises RecommendationInputError naming the first field out of range.

    Give the peak as `peak_messages` within `peak_window_seconds`, or as `required_mps` (segments per second, before
    headroom), not both. Country codes are upper-cased; `use_case` and `priority` may be their string values.
    `tendlc_tier` is a catalogue tier code, checked by `recommend`; None assumes the catalogue's default tier.
    """

    use_case: UseCase
    two_way: bool
    countries: tuple[str, ...]
    daily_volume: int
    today: date
    go_live: date
    peak_messages: int | None = None
    peak_window_seconds: int | None = None
    required_mps: Decimal | None = None
    segments_per_message: int = 1
    time_sensitive: bool = False
    priority: Priority = Priority.BALANCED
    voice: bool = False
    tendlc_tier: str | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "use_case", _choice("use_case", self.use_case, UseCase))
        _check_bool("two_way", self.two_way)
        object.__setattr__(self, "countries", _checked_countries(self.countries))
        _check_int("daily_volume", self.daily_volume, 1, MAX_DAILY_VOLUME)
        self._check_peak()
        _check_int("segments_per_message", self.segments_per_message, 1, MAX_SEGMENTS_PER_MESSAGE)
        _check_bool("time_sensitive", self.time_sensitive)
        object.__setattr__(self, "priority", _choice("priority", self.priority, Priority))
        _check_bool("voice", self.voice)
        _check_date("today", self.today)
        _check_date("go_live", self.go_live)
        if self.go_live < self.today:
            raise RecommendationInputError("go_live", f"cannot be before today ({self.today.isoformat()})")
        if self.tendlc_tier is not None and not isinstance(self.tendlc_tier, str):
            raise RecommendationInputError("tendlc_tier", "must be a tier code")

    def _check_peak(self) -> None:
        has_peak = self.peak_messages is not None or self.peak_window_seconds is not None
        if has_peak and self.required_mps is not None:
            raise RecommendationInputError(
                "required_mps", "give either the peak (peak_messages and peak_window_seconds) or required_mps"
            )
        if not has_peak:
            if self.required_mps is None:
                raise RecommendationInputError(
                    "peak_messages", "give the peak (peak_messages and peak_window_seconds) or required_mps"
                )
            object.__setattr__(self, "required_mps", _checked_mps(self.required_mps))
            return
        if self.peak_messages is None:
            raise RecommendationInputError("peak_messages", "is required with peak_window_seconds")
        if self.peak_window_seconds is None:
            raise RecommendationInputError("peak_window_seconds", "is required with peak_messages")
        _check_int("peak_messages", self.peak_messages, 1, MAX_DAILY_VOLUME)
        if self.peak_messages > self.daily_volume:
            raise RecommendationInputError("peak_messages", f"cannot exceed daily_volume ({self.daily_volume:,})")
        _check_int("peak_window_seconds", self.peak_window_seconds, 1, MAX_PEAK_WINDOW_SECONDS)


@dataclass(frozen=True, slots=True)
class SenderWarning:
    code: str
    text: str


@dataclass(frozen=True, slots=True)
class Exclusion:
    sender_type: str
    label: str
    reason: str


@dataclass(frozen=True, slots=True)
class LeadTimeCheck:
    """The type's lead time against go-live; `available` counts business days when the lead time does."""

    status: LeadTimeStatus
    min_days: int | None
    max_days: int | None
    business_days: bool
    available: int | None  # days (or business days) from today to go-live
    go_live_in_days: int
    text: str


@dataclass(frozen=True, slots=True)
class SenderOption:
    rank: int
    sender_type: str
    label: str
    kind: str  # the Sender.Kind of a sender of this type
    score: int
    reasons: tuple[str, ...]
    mps_per_sender: int | None
    senders_needed: int | None  # None: unknown MPS, or more senders of this type add no throughput
    throughput_mps: int | None  # of senders_needed senders (of one when the peak is missed)
    needed_mps: int
    meets_peak: bool | None  # None: the MPS is unknown
    peak_drain_seconds: int | None  # seconds to send the stated peak at throughput_mps
    lead_time: LeadTimeCheck
    fees: Fees
    registration_steps: tuple[str, ...]
    warnings: tuple[SenderWarning, ...]
    two_way: bool
    voice: bool
    delivery_receipts: str


@dataclass(frozen=True, slots=True)
class CountryRecommendation:
    country: str
    name: str
    recommended: str | None  # the first option's sender type
    options: tuple[SenderOption, ...]  # best first
    excluded: tuple[Exclusion, ...]  # in catalogue order
    warnings: tuple[SenderWarning, ...]
    notes: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Recommendation:
    request: RecommendationRequest
    needed_mps: int
    headroom_percent: int
    peak_text: str
    daily_segments: int
    go_live_in_days: int
    tendlc_tier: str
    countries: tuple[CountryRecommendation, ...]  # in the order of the request
    warnings: tuple[SenderWarning, ...]
    notes: tuple[str, ...]

    def country(self, code: str) -> CountryRecommendation:
        """The recommendation for one requested country; KeyError when it was not requested."""
        for item in self.countries:
            if item.country == code:
                return item
        raise KeyError(code)

    def to_dict(self) -> dict:
        """JSON-ready: enums as values, dates as ISO 8601, Decimals as strings, tuples as lists."""
        return _plain(self)


def needed_mps(request: RecommendationRequest, headroom_percent: int = HEADROOM_PERCENT) -> int:
    """Segments per second needed at peak with the headroom, rounded up (peak/window × segments × 1.2)."""
    if request.required_mps is not None:
        return _ceil(Fraction(request.required_mps) * (100 + headroom_percent) / 100)
    assert request.peak_messages is not None and request.peak_window_seconds is not None
    segments = request.peak_messages * request.segments_per_message
    return _ceil(Fraction(segments * (100 + headroom_percent), request.peak_window_seconds * 100))


def business_days_between(start: date, end: date) -> int:
    """Monday-to-Friday days after `start` up to and including `end`; 0 when `end` is not after `start`."""
    days = (end - start).days
    if days <= 0:
        return 0
    weeks, rest = divmod(days, 7)
    tail = sum(1 for offset in range(1, rest + 1) if (start + timedelta(days=offset)).weekday() < 5)
    return weeks * 5 + tail


def recommend(request: RecommendationRequest, catalogue: Catalogue = DEFAULT_CATALOGUE) -> Recommendation:
    """Per requested country, the sender types ranked for the request, with reasons, throughput and warnings."""
    plan = _Plan(
        request=request,
        catalogue=catalogue,
        tier=_tier(request, catalogue),
        needed=needed_mps(request),
        go_live_in_days=(request.go_live - request.today).days,
        daily_segments=request.daily_volume * request.segments_per_message,
    )
    countries = tuple(_country(plan, code) for code in request.countries)
    return Recommendation(
        request=request,
        needed_mps=plan.needed,
        headroom_percent=HEADROOM_PERCENT,
        peak_text=_peak_text(request),
        daily_segments=plan.daily_segments,
        go_live_in_days=plan.go_live_in_days,
        tendlc_tier=plan.tier.code,
        countries=countries,
        warnings=_global_warnings(request),
        notes=_global_notes(request, countries),
    )


@dataclass(frozen=True, slots=True)
class _Plan:
    request: RecommendationRequest
    catalogue: Catalogue
    tier: TenDlcTier
    needed: int
    go_live_in_days: int
    daily_segments: int


@dataclass(slots=True)
class _Scored:
    points: int = 0
    reasons: list[str] = field(default_factory=list)
    warnings: list[SenderWarning] = field(default_factory=list)

    def add(self, points: int, reason: str) -> None:
        self.points += points
        self.reasons.append(reason)

    def warn(self, code: str, text: str) -> None:
        self.warnings.append(SenderWarning(code, text))


def _tier(request: RecommendationRequest, catalogue: Catalogue) -> TenDlcTier:
    try:
        return catalogue.tendlc_tier(request.tendlc_tier)
    except UnknownTrustTier:
        raise RecommendationInputError(
            "tendlc_tier", f"must be one of {', '.join(catalogue.tendlc_tier_codes())}"
        ) from None


def _country(plan: _Plan, code: str) -> CountryRecommendation:
    rule = plan.catalogue.country(code)
    if rule is None:
        warning = SenderWarning(COUNTRY_NOT_IN_CATALOGUE, f"The catalogue has no rules for {code}: ask ISV staff.")
        return CountryRecommendation(code, code, None, (), (), (warning,), ())
    candidates: list[tuple[int, SenderOption]] = []
    excluded: list[Exclusion] = []
    for index, facts in enumerate(plan.catalogue.sender_types):
        if facts.code == MESSAGING_SERVICE:
            continue  # a pool of the senders below, not a sender of its own
        reason = _exclusion(plan, facts, rule)
        if reason:
            excluded.append(Exclusion(facts.code, facts.label, reason))
        else:
            candidates.append((index, _option(plan, facts, rule)))
    ordered = sorted(candidates, key=lambda pair: (-pair[1].score, pair[0]))
    options = tuple(replace(option, rank=rank) for rank, (_, option) in enumerate(ordered, start=1))
    return CountryRecommendation(
        country=rule.country,
        name=rule.name,
        recommended=options[0].sender_type if options else None,
        options=options,
        excluded=tuple(excluded),
        warnings=_country_warnings(plan, rule, options),
        notes=rule.notes,
    )


def _exclusion(plan: _Plan, facts: SenderTypeFacts, rule: CountryRule) -> str:
    offered, reason = plan.catalogue.offering(facts.code, rule.country)
    if not offered:
        return reason
    request = plan.request
    if request.two_way and not rule.two_way_supported:
        return f"Twilio does not support two-way SMS in {rule.name}."
    if request.two_way and not facts.two_way:
        return f"{facts.label} is one-way: recipients cannot reply to it."
    if request.two_way and not facts.sender_is_local:
        return (
            "Two-way messaging needs a local sender: a sender from another country may be overwritten, so replies "
            "would not reach it."
        )
    if request.voice and not facts.voice:
        return f"{facts.label} carries no voice calls."
    return ""


def _option(plan: _Plan, facts: SenderTypeFacts, rule: CountryRule) -> SenderOption:
    request, scored = plan.request, _Scored()
    _score_locality(scored, facts, rule)
    mps = plan.catalogue.mps_for(facts.code, rule.country, plan.tier.code)
    senders, throughput, meets = _throughput(plan, facts, mps)
    drain = _peak_drain_seconds(request, throughput)
    _score_throughput(scored, plan, facts, rule, mps, senders, meets, drain)
    _score_use_case(scored, request, facts)
    if facts.code == TEN_DLC and plan.daily_segments < LOW_VOLUME_STANDARD_MAX_DAILY_SEGMENTS:
        scored.add(
            0, f"Fewer than {LOW_VOLUME_STANDARD_MAX_DAILY_SEGMENTS:,} segments a day fit a Low-Volume Standard brand."
        )
    _score_priority(scored, request, facts)
    lead = _lead_time(plan, facts, rule)
    _score_lead_time(scored, facts, rule, lead)
    return SenderOption(
        rank=0,
        sender_type=facts.code,
        label=facts.label,
        kind=facts.kind,
        score=scored.points,
        reasons=tuple(scored.reasons),
        mps_per_sender=mps,
        senders_needed=senders,
        throughput_mps=throughput,
        needed_mps=plan.needed,
        meets_peak=meets,
        peak_drain_seconds=drain,
        lead_time=lead,
        fees=facts.fees,
        registration_steps=facts.registration_steps + rule.extra_steps.get(facts.code, ()),
        warnings=(*_type_warnings(plan, facts, rule), *scored.warnings),
        two_way=facts.two_way and facts.sender_is_local,
        voice=facts.voice,
        delivery_receipts=facts.delivery_receipts,
    )


def _throughput(plan: _Plan, facts: SenderTypeFacts, mps: int | None) -> tuple[int | None, int | None, bool | None]:
    """(senders needed, their MPS, meets the peak) for one type."""
    if mps is None:
        return None, None, None
    if mps >= plan.needed:
        return 1, mps, True
    if facts.scales_with_senders:
        senders = -(-plan.needed // mps)
        return senders, senders * mps, True
    return None, mps, False


def _peak_drain_seconds(request: RecommendationRequest, throughput: int | None) -> int | None:
    if request.peak_messages is None or not throughput:
        return None
    return -(-request.peak_messages * request.segments_per_message // throughput)


def _score_locality(scored: _Scored, facts: SenderTypeFacts, rule: CountryRule) -> None:
    if facts.sender_is_local:
        scored.add(POINTS_LOCAL, f"A local sender for {rule.name}: best for deliverability and for the recipient.")
    else:
        scored.add(0, f"Sends from a number outside {rule.name}.")


def _score_throughput(
    scored: _Scored,
    plan: _Plan,
    facts: SenderTypeFacts,
    rule: CountryRule,
    mps: int | None,
    senders: int | None,
    meets: bool | None,
    drain: int | None,
) -> None:
    needed = plan.needed
    if mps is None:
        scored.add(0, f"Throughput unknown: the MPS of this sender in {rule.name} is country dependent.")
        scored.warn(THROUGHPUT_UNKNOWN, f"The catalogue has no MPS for this sender in {rule.name}: ask Twilio.")
    elif senders == 1:
        scored.add(POINTS_MEETS_PEAK, f"One sender gives {mps:,} MPS, enough for the {needed:,} MPS needed at peak.")
    elif meets:
        scored.add(
            POINTS_MEETS_PEAK_POOLED,
            f"{senders:,} senders of {mps:,} MPS give {senders * mps:,} MPS for the {needed:,} MPS needed at peak; "
            "pool them in a Messaging Service.",
        )
    else:
        scored.add(POINTS_MISSES_PEAK, f"{mps:,} MPS is less than the {needed:,} MPS needed at peak.")
        scored.warn(PEAK_EXCEEDS_THROUGHPUT, _peak_warning(plan.request, mps, needed, drain, facts.throughput_note))


def _peak_warning(request: RecommendationRequest, mps: int, needed: int, drain: int | None, note: str) -> str:
    if drain is None or request.peak_window_seconds is None:
        return f"{mps:,} MPS is below the {needed:,} MPS needed. {note}"
    text = (
        f"At {mps:,} MPS the peak takes {format_duration(drain)}, longer than its "
        f"{format_duration(request.peak_window_seconds)} window"
    )
    if drain > DEFAULT_QUEUE_HORIZON_SECONDS:
        text += ", and segments queued for more than 10 h fail (21611, or 30001 through a Messaging Service)"
    return f"{text}. {note}"


def _score_use_case(scored: _Scored, request: RecommendationRequest, facts: SenderTypeFacts) -> None:
    if facts.code == SHORT_CODE and (request.use_case == UseCase.OTP or request.time_sensitive):
        scored.add(
            POINTS_USE_CASE_FIT,
            "A short code is normally the best sender for time-sensitive messages such as one-time passcodes.",
        )
    if request.use_case == UseCase.CONVERSATIONAL and facts.code in (LONG_CODE, TEN_DLC):
        scored.add(POINTS_USE_CASE_FIT, "A local number is preferred for conversations.")


def _score_priority(scored: _Scored, request: RecommendationRequest, facts: SenderTypeFacts) -> None:
    balanced = request.priority == Priority.BALANCED
    points = POINTS_PRIORITY_BALANCED if balanced else POINTS_PRIORITY
    if facts.vetted and request.priority in (Priority.DELIVERABILITY, Priority.BALANCED):
        scored.add(points, "Registered or verified with the carriers, which favours deliverability.")
    no_fees = facts.fees.recurring is False and facts.fees.carrier is False
    if no_fees and request.priority in (Priority.COST, Priority.BALANCED):
        scored.add(points, "No recurring or carrier fees on top of the message price.")


def _lead_time(plan: _Plan, facts: SenderTypeFacts, rule: CountryRule) -> LeadTimeCheck:
    lead = plan.catalogue.lead_time_for(facts.code, rule.country)
    days = plan.go_live_in_days
    if lead is None:
        return LeadTimeCheck(LeadTimeStatus.UNKNOWN, None, None, False, None, days, "country specific")
    request = plan.request
    available = business_days_between(request.today, request.go_live) if lead.business_days else days
    if lead.max_days <= available:
        status = LeadTimeStatus.FITS
    elif lead.min_days <= available:
        status = LeadTimeStatus.AT_RISK
    else:
        status = LeadTimeStatus.TOO_LATE
    return LeadTimeCheck(status, lead.min_days, lead.max_days, lead.business_days, available, days, lead.text)


def _score_lead_time(scored: _Scored, facts: SenderTypeFacts, rule: CountryRule, lead: LeadTimeCheck) -> None:
    points = LEAD_TIME_POINTS[lead.status]
    if lead.status == LeadTimeStatus.UNKNOWN:
        scored.add(points, "The lead time is country specific: confirm it before committing to the go-live date.")
        scored.warn(LEAD_TIME_UNKNOWN, f"The lead time of this sender in {rule.name} is not known: ask Twilio.")
        return
    unit = "business days" if lead.business_days else "days"
    before = f"the {lead.available:,} {unit} before go-live"
    if lead.status == LeadTimeStatus.FITS:
        scored.add(points, f"Lead time {lead.text}: ready within {before}.")
    else:
        fit = f"may take longer than {before}" if lead.status == LeadTimeStatus.AT_RISK else f"longer than {before}"
        scored.add(points, f"Lead time {lead.text}: {fit}.")
        scored.warn(
            LEAD_TIME_AT_RISK,
            f"{facts.label} needs {lead.text} before it sends; go-live is in {lead.go_live_in_days} days.",
        )


def _type_warnings(plan: _Plan, facts: SenderTypeFacts, rule: CountryRule) -> list[SenderWarning]:
    """The warnings that always come with a sender type, whatever the request."""
    warnings: list[SenderWarning] = []
    code = facts.code
    if code == SHORT_CODE:
        lead = plan.catalogue.lead_time_for(code, rule.country)
        takes = lead.text if lead else "weeks"
        warnings.append(
            SenderWarning(SHORT_CODE_LEAD_TIME, f"A short code takes {takes} to provision: apply well before go-live.")
        )
    if code == TOLL_FREE:
        lead = plan.catalogue.lead_time_for(code, rule.country)
        takes = f" ({lead.text})" if lead else ""
        warnings.append(
            SenderWarning(
                TOLL_FREE_VERIFICATION,
                f"A toll-free number sends only once toll-free verification is approved{takes}; messages from an "
                "unverified number fail with 30032.",
            )
        )
    if code == TEN_DLC:
        warnings.extend(_tendlc_warnings(plan))
    if code in (ALPHANUMERIC_UNREGISTERED, ALPHANUMERIC_REGISTERED):
        warnings.append(
            SenderWarning(
                ALPHANUMERIC_NO_REPLIES,
                "Recipients cannot reply to an alphanumeric sender ID: keep it for one-way messages.",
            )
        )
    if code == ALPHANUMERIC_REGISTERED:
        warnings.append(
            SenderWarning(
                ALPHANUMERIC_PREREGISTRATION,
                f"Only pre-registered alphanumeric sender IDs reach {rule.name}: register the ID before go-live.",
            )
        )
    if not facts.sender_is_local:
        warnings.append(
            SenderWarning(
                NON_LOCAL_SENDER_OVERWRITTEN,
                f"A sender from outside {rule.name} may be overwritten with a local sender such as a shared short "
                "code, which can change: keep only one-way messages on it.",
            )
        )
    return warnings


def _tendlc_warnings(plan: _Plan) -> list[SenderWarning]:
    tier, request = plan.tier, plan.request
    text = f"A2P 10DLC throughput depends on the brand's Trust Score: {tier.label} gives {tier.total_mps:,} MPS"
    split = set(tier.per_carrier_mps.values())
    if len(split) == 1:
        text += f" in total, {split.pop():,} per carrier ({', '.join(tier.per_carrier_mps)})"
    text += "."
    if request.tendlc_tier is None:
        text += " No Trust Score was given, so this tier is assumed."
    if request.use_case == UseCase.PROMOTIONAL:
        text += " Marketing and mixed campaigns get lower throughput."
    text += " Messages fail with 30034 until the campaign is approved."
    warnings = [SenderWarning(TENDLC_TRUST_SCORE, text)]
    cap = tier.tmobile_daily_cap
    if cap is not None and plan.daily_segments > cap:
        warnings.append(
            SenderWarning(
                TENDLC_TMOBILE_DAILY_CAP,
                f"T-Mobile takes at most {cap:,} segments a day from the brand ({tier.label}), fewer than the "
                f"{plan.daily_segments:,} planned; the rest fail with 30027 until the next day.",
            )
        )
    return warnings


def _country_warnings(plan: _Plan, rule: CountryRule, options: tuple[SenderOption, ...]) -> tuple[SenderWarning, ...]:
    warnings: list[SenderWarning] = []
    request, catalogue = plan.request, plan.catalogue
    non_local_offered = any(not catalogue.sender_type(code).sender_is_local for code in rule.offered)
    if request.two_way and rule.two_way_supported and non_local_offered:
        warnings.append(
            SenderWarning(
                PREFER_LOCAL_TWO_WAY,
                f"Two-way messaging needs a sender local to {rule.name}: replies to a sender from another country can "
                "be lost when its ID is overwritten.",
            )
        )
    if not options:
        warnings.append(SenderWarning(NO_SUITABLE_SENDER, f"No sender type fits this request for {rule.name}."))
    elif all(o.lead_time.status in (LeadTimeStatus.AT_RISK, LeadTimeStatus.TOO_LATE) for o in options):
        warnings.append(
            SenderWarning(
                GO_LIVE_AT_RISK,
                f"No sender for {rule.name} is sure to be ready by {request.go_live.isoformat()}: move the go-live "
                "date or start registration now.",
            )
        )
    return tuple(warnings)


def _global_warnings(request: RecommendationRequest) -> tuple[SenderWarning, ...]:
    warnings: list[SenderWarning] = []
    if request.segments_per_message > 1:
        warnings.append(
            SenderWarning(
                MULTI_SEGMENT_MESSAGES,
                f"Each message is {request.segments_per_message} segments: throughput and price count segments, so "
                "a shorter body sends faster and costs less.",
            )
        )
    if request.use_case == UseCase.OTP or request.time_sensitive:
        warnings.append(
            SenderWarning(
                SET_VALIDITY_PERIOD,
                "Set a ValidityPeriod on time-sensitive messages: one still queued when it expires is not sent "
                "(error 30036) instead of arriving late; the default is 36,000 s (10 h).",
            )
        )
    return tuple(warnings)


def _global_notes(request: RecommendationRequest, countries: tuple[CountryRecommendation, ...]) -> tuple[str, ...]:
    pooled = any(c.options and (c.options[0].senders_needed or 1) > 1 for c in countries)
    if len(request.countries) > 1 or pooled:
        return (
            "Put the chosen senders in one Messaging Service: Twilio picks a sender from the pool for each message, "
            "one in the recipient's country first.",
        )
    return ()


def _peak_text(request: RecommendationRequest) -> str:
    if request.required_mps is not None:
        return f"{request.required_mps} MPS required"
    assert request.peak_messages is not None and request.peak_window_seconds is not None
    text = f"{request.peak_messages:,} messages in {format_duration(request.peak_window_seconds)}"
    if request.segments_per_message > 1:
        text += f" of {request.segments_per_message} segments each"
    return text


def _ceil(value: Fraction) -> int:
    return -(-value.numerator // value.denominator)


def _choice(name: str, value: object, enum: type[_E]) -> _E:
    try:
        return enum(value)
    except ValueError:
        raise RecommendationInputError(name, f"must be one of {', '.join(m.value for m in enum)}") from None


def _check_bool(name: str, value: object) -> None:
    if not isinstance(value, bool):
        raise RecommendationInputError(name, "must be true or false")


def _check_int(name: str, value: object, low: int, high: int) -> None:
    if isinstance(value, bool) or not isinstance(value, int):
        raise RecommendationInputError(name, "must be a whole number")
    if not low <= value <= high:
        raise RecommendationInputError(name, f"must be between {low:,} and {high:,}")


def _check_date(name: str, value: object) -> None:
    if isinstance(value, datetime) or not isinstance(value, date):
        raise RecommendationInputError(name, "must be a date")


def _checked_mps(value: object) -> Decimal:
    if isinstance(value, bool) or not isinstance(value, (int, float, Decimal)):
        raise RecommendationInputError("required_mps", "must be a number")
    try:
        mps = Decimal(str(value)) if isinstance(value, float) else Decimal(value)
    except InvalidOperation:
        raise RecommendationInputError("required_mps", "must be a number") from None
    if not mps.is_finite() or not 0 < mps <= MAX_TOTAL_MPS:
        raise RecommendationInputError("required_mps", f"must be more than 0 and at most {MAX_TOTAL_MPS:,}")
    return mps


def _checked_countries(value: object) -> tuple[str, ...]:
    if isinstance(value, str) or not isinstance(value, (tuple, list)) or not value:
        raise RecommendationInputError("countries", "must list at least one country")
    if len(value) > MAX_COUNTRIES:
        raise RecommendationInputError("countries", f"must list at most {MAX_COUNTRIES} countries")
    codes: list[str] = []
    for item in value:
        code = item.strip().upper() if isinstance(item, str) else ""
        if code == "UK":
            raise RecommendationInputError("countries", "UK is not an ISO 3166-1 code: use GB for the United Kingdom")
        if len(code) != 2 or not (code.isascii() and code.isalpha()):
            raise RecommendationInputError("countries", f"{item!r} is not a two-letter ISO 3166-1 country code")
        if code in codes:
            raise RecommendationInputError("countries", f"{code} is listed twice")
        codes.append(code)
    return tuple(codes)


def _plain(value: Any) -> Any:
    if is_dataclass(value) and not isinstance(value, type):
        return {f.name: _plain(getattr(value, f.name)) for f in fields(value)}
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, Mapping):
        return {str(key): _plain(item) for key, item in value.items()}
    if isinstance(value, (frozenset, set)):
        return sorted(_plain(item) for item in value)
    if isinstance(value, (tuple, list)):
        return [_plain(item) for item in value]
    return value
