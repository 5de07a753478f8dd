"""The points a sender type scores for a request, each with its reason, and the lead-time check."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Final

from messaging.domain.catalogue import (
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
    LEAD_TIME_AT_RISK,
    LEAD_TIME_UNKNOWN,
    PEAK_EXCEEDS_THROUGHPUT,
    THROUGHPUT_UNKNOWN,
)
from messaging.domain.throughput import DEFAULT_QUEUE_HORIZON_SECONDS, format_duration

POINTS_LOCAL: Final = 20
POINTS_MEETS_PEAK: Final = 20
POINTS_MEETS_PEAK_POOLED: Final = 10
POINTS_MISSES_PEAK: Final = -30
POINTS_USE_CASE_FIT: Final = 10
POINTS_PRIORITY: Final = 10
POINTS_PRIORITY_BALANCED: Final = 5

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


def score_sender_type(plan: Plan, facts: SenderTypeFacts, rule: CountryRule) -> Score:
    """The points of one sender type towards one country, each with its reason in plain words."""
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
    )


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
