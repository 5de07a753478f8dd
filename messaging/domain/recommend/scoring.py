"""The points a sender type scores for a request, each with its reason; its fitness for the peak; its lead time."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Final

from messaging.domain.catalogue import (
    ALPHANUMERIC_REGISTERED,
    ALPHANUMERIC_UNREGISTERED,
    LONG_CODE,
    LOW_VOLUME_STANDARD_MAX_DAILY_SEGMENTS,
    SHORT_CODE,
    TEN_DLC,
    CountryRule,
    SenderTypeFacts,
)
from messaging.domain.recommend.plan import Plan
from messaging.domain.recommend.request import Priority, RecommendationRequest, UseCase
from messaging.domain.recommend.results import LeadTimeCheck, LeadTimeStatus, SenderWarning
from messaging.domain.recommend.warnings import (
    CARRIER_FILTERING,
    LEAD_TIME_AT_RISK,
    LEAD_TIME_UNKNOWN,
    PEAK_EXCEEDS_THROUGHPUT,
    PEAK_OUTLASTS_WINDOW,
    THROUGHPUT_UNKNOWN,
    tmobile_daily_segments,
)
from messaging.domain.throughput import format_duration

POINTS_LOCAL: Final = 20
POINTS_MEETS_PEAK: Final = 20
POINTS_MEETS_PEAK_POOLED: Final = 10
# Missing the peak costs 10 points, plus up to 40 more in proportion to the shortfall: 3 MPS of 334 needed costs 50,
# 100 MPS of 334 costs 38, 10 of 12 costs 17.
POINTS_MISSES_PEAK_BASE: Final = -10
POINTS_MISSES_PEAK_SHORTFALL: Final = -40
# An alphanumeric sender ID that falls short needs only a request to Twilio Support, which raises its 10 MPS.
POINTS_NEEDS_INCREASE: Final = -5
POINTS_USE_CASE_FIT: Final = 10
POINTS_PRIORITY: Final = 10
POINTS_PRIORITY_BALANCED: Final = 5
POINTS_CARRIER_FEES_COST_FIRST: Final = -5
POINTS_CARRIER_FILTERING: Final = -10
POINTS_TMOBILE_CAP: Final = -20

LEAD_TIME_POINTS: Final = {
    LeadTimeStatus.FITS: 0,
    LeadTimeStatus.UNKNOWN: -10,
    LeadTimeStatus.AT_RISK: -40,
    LeadTimeStatus.TOO_LATE: -80,
}


@dataclass(frozen=True, slots=True)
class Score:
    """A sender type's points, their reasons and warnings, and the throughput and lead time (as in SenderOption)."""

    points: int
    reasons: tuple[str, ...]
    warnings: tuple[SenderWarning, ...]
    mps_per_sender: int | None
    senders_needed: int | None
    throughput_mps: int | None
    meets_peak: bool | None
    peak_drain_seconds: int | None
    lead_time: LeadTimeCheck
    suitable_for_peak: bool | None
    unsuitable_reason: str


def score_sender_type(plan: Plan, facts: SenderTypeFacts, rule: CountryRule) -> Score:
    """The points of one sender type towards one country, each with its reason in plain words."""
    request, scored = plan.request, _Scored()
    _score_locality(scored, facts, rule)
    mps = plan.catalogue.mps_for(facts.code, rule.country, plan.tier.code, transactional=plan.transactional)
    senders, throughput, meets = _throughput(plan, facts, mps)
    drain = _peak_drain_seconds(request, throughput)
    _score_throughput(scored, plan, facts, rule, mps, senders, meets, drain)
    unsuitable = _unsuitable_reason(plan, throughput, drain)
    if unsuitable:
        scored.warn(PEAK_OUTLASTS_WINDOW, unsuitable)
    _score_use_case(scored, request, facts)
    _score_daily_volume(scored, plan, facts)
    _score_priority(scored, request, facts)
    _score_filtering(scored, facts, rule)
    lead = _lead_time(plan, facts, rule)
    _score_lead_time(scored, facts, rule, lead)
    return Score(
        points=scored.points,
        reasons=tuple(scored.reasons),
        warnings=tuple(scored.warnings),
        mps_per_sender=mps,
        senders_needed=senders,
        throughput_mps=throughput,
        meets_peak=meets,
        peak_drain_seconds=drain,
        lead_time=lead,
        suitable_for_peak=None if drain is None else not unsuitable,
        unsuitable_reason=unsuitable,
    )


def add_business_days(start: date, days: int) -> date:
    """The date `days` Monday-to-Friday days after `start` (weekends skipped); `start` itself for 0."""
    day = start
    while days > 0:
        day += timedelta(days=1)
        days -= day.weekday() < 5
    return day


def business_days_between(start: date, end: date) -> int:
    """Monday-to-Friday days after `start` up to and including `end`; 0 when `end` is not after `start`."""
    days = (end - start).days
    if days <= 0:
        return 0
    weeks, rest = divmod(days, 7)
    tail = sum(1 for offset in range(1, rest + 1) if (start + timedelta(days=offset)).weekday() < 5)
    return weeks * 5 + tail


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


def _throughput(plan: Plan, facts: SenderTypeFacts, mps: int | None) -> tuple[int | None, int | None, bool | None]:
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
    plan: Plan,
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
        short = needed - mps
        percent = _round_half_up(100 * short, needed)
        missed = f"{mps:,} MPS is {percent} % short of the {needed:,} MPS needed at peak"
        if facts.code in (ALPHANUMERIC_UNREGISTERED, ALPHANUMERIC_REGISTERED):
            scored.add(POINTS_NEEDS_INCREASE, f"{missed}: ask Twilio Support to raise it before go-live.")
        else:
            points = POINTS_MISSES_PEAK_BASE + _round_half_up(POINTS_MISSES_PEAK_SHORTFALL * short, needed)
            scored.add(points, f"{missed}.")
        scored.warn(PEAK_EXCEEDS_THROUGHPUT, _peak_warning(plan.request, mps, needed, drain, facts.throughput_note))


def _round_half_up(numerator: int, denominator: int) -> int:
    """numerator / denominator to the nearest whole number, halves away from zero."""
    sign = -1 if numerator < 0 else 1
    return sign * ((2 * abs(numerator) + denominator) // (2 * denominator))


def _peak_warning(request: RecommendationRequest, mps: int, needed: int, drain: int | None, note: str) -> str:
    if drain is None or request.peak_window_seconds is None:
        return f"{mps:,} MPS is below the {needed:,} MPS needed. {note}"
    return (
        f"At {mps:,} MPS the peak takes {format_duration(drain)}, longer than its "
        f"{format_duration(request.peak_window_seconds)} window. {note}"
    )


def _unsuitable_reason(plan: Plan, throughput: int | None, drain: int | None) -> str:
    """Why this throughput cannot send the peak at all: its last segments would wait past the queue or validity.

    The peak arrives evenly over its window, so the last segment waits the drain time less the window.
    """
    window = plan.request.peak_window_seconds
    if drain is None or window is None or drain - window <= plan.window_seconds:
        return ""
    took = (
        f"At {throughput:,} MPS the peak takes {format_duration(drain)}: its last segments would wait "
        f"{format_duration(drain - window)}"
    )
    if plan.window_is_validity:
        return (
            f"{took}, longer than the messages' validity period of {format_duration(plan.window_seconds)}, and "
            "expire unsent (30036). Unsuitable for this peak."
        )
    return (
        f"{took}, longer than the 10 h (36,000 s) a sender queues segments: the rest are refused (21611, or 30001 "
        "through a Messaging Service). Unsuitable for this peak."
    )


def _score_use_case(scored: _Scored, request: RecommendationRequest, facts: SenderTypeFacts) -> None:
    if facts.code == SHORT_CODE and (request.use_case == UseCase.OTP or request.time_sensitive):
        scored.add(
            POINTS_USE_CASE_FIT,
            "A short code is normally the best sender for time-sensitive messages such as one-time passcodes.",
        )
    if request.use_case == UseCase.CONVERSATIONAL and facts.code in (LONG_CODE, TEN_DLC):
        scored.add(POINTS_USE_CASE_FIT, "A local number is preferred for conversations.")


def _score_daily_volume(scored: _Scored, plan: Plan, facts: SenderTypeFacts) -> None:
    if facts.code != TEN_DLC:
        return
    if plan.daily_segments < LOW_VOLUME_STANDARD_MAX_DAILY_SEGMENTS:
        scored.add(
            0, f"Fewer than {LOW_VOLUME_STANDARD_MAX_DAILY_SEGMENTS:,} segments a day fit a Low-Volume Standard brand."
        )
    cap, to_tmobile = plan.tier.tmobile_daily_cap, tmobile_daily_segments(plan)
    if cap is not None and to_tmobile > cap:
        scored.add(
            POINTS_TMOBILE_CAP,
            f"T-Mobile takes at most {cap:,} segments a day from the brand, fewer than the {to_tmobile:,} bound for "
            "its subscribers.",
        )


def _score_priority(scored: _Scored, request: RecommendationRequest, facts: SenderTypeFacts) -> None:
    balanced = request.priority == Priority.BALANCED
    points = POINTS_PRIORITY_BALANCED if balanced else POINTS_PRIORITY
    if facts.vetted and request.priority in (Priority.DELIVERABILITY, Priority.BALANCED):
        scored.add(points, "Registered or verified with the carriers, which favours deliverability.")
    no_fees = facts.fees.recurring is False and facts.fees.carrier is False
    if no_fees and request.priority in (Priority.COST, Priority.BALANCED):
        scored.add(points, "No recurring or carrier fees on top of the message price.")
    if facts.fees.carrier:
        cost_first = request.priority == Priority.COST
        scored.add(
            POINTS_CARRIER_FEES_COST_FIRST if cost_first else 0,
            "Carrier fees are charged on every segment on top of Twilio's message price.",
        )


def _score_filtering(scored: _Scored, facts: SenderTypeFacts, rule: CountryRule) -> None:
    filtering = rule.carrier_filtering.get(facts.code)
    if filtering:
        scored.add(POINTS_CARRIER_FILTERING, f"Carrier filtering: {filtering}")
        scored.warn(CARRIER_FILTERING, filtering)


def _lead_time(plan: Plan, facts: SenderTypeFacts, rule: CountryRule) -> LeadTimeCheck:
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
    if lead.business_days:
        ready_on = add_business_days(request.today, lead.max_days)
    else:
        ready_on = request.today + timedelta(days=lead.max_days)
    return LeadTimeCheck(status, lead.min_days, lead.max_days, lead.business_days, available, days, lead.text, ready_on)


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
