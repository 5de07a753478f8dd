"""recommend(): per requested country, exclude the sender types that cannot serve, score and rank the rest."""

from __future__ import annotations

from dataclasses import replace

from messaging.domain.catalogue import DEFAULT_CATALOGUE, MESSAGING_SERVICE, Catalogue, CountryRule, SenderTypeFacts
from messaging.domain.recommend.fees import fee_lines
from messaging.domain.recommend.plan import HEADROOM_PERCENT, Plan, plan_for
from messaging.domain.recommend.readiness import country_readiness, meanwhile, not_ready_warning
from messaging.domain.recommend.request import RecommendationRequest
from messaging.domain.recommend.results import (
    CountryRecommendation,
    Exclusion,
    Recommendation,
    SenderOption,
    SenderWarning,
)
from messaging.domain.recommend.scoring import score_sender_type
from messaging.domain.recommend.warnings import (
    COUNTRY_NOT_IN_CATALOGUE,
    country_warnings,
    global_warnings,
    type_warnings,
)
from messaging.domain.throughput import format_duration


def recommend(request: RecommendationRequest, catalogue: Catalogue = DEFAULT_CATALOGUE) -> Recommendation:
    """Per requested country, the sender types ranked for the request, with reasons, throughput and warnings."""
    plan = plan_for(request, catalogue)
    countries = tuple(_country(plan, code) for code in request.countries)
    not_ready = not_ready_warning(plan, countries)
    return Recommendation(
        request=request,
        needed_mps=plan.needed,
        headroom_percent=HEADROOM_PERCENT,
        peak_text=_peak_text(request),
        daily_segments=plan.daily_segments,
        go_live_in_days=plan.go_live_in_days,
        tendlc_tier=plan.tier.code,
        countries=countries,
        warnings=((not_ready,) if not_ready else ()) + global_warnings(request),
        notes=_global_notes(request, countries),
        ready_by_go_live=not_ready is None,
        meanwhile=meanwhile(plan, countries),
        window_seconds=plan.window_seconds,
    )


def _country(plan: Plan, code: str) -> CountryRecommendation:
    rule = plan.catalogue.country(code)
    if rule is None:
        warning = SenderWarning(
            COUNTRY_NOT_IN_CATALOGUE,
            f"No country rules for {code}: check Twilio's guidelines for {code} "
            f"(https://www.twilio.com/en-us/guidelines/{code.lower()}/sms) and ask ISV staff to add the country.",
        )
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
    # An option that cannot send the peak at all ranks after every one that can, whatever its score.
    ordered = sorted(candidates, key=lambda pair: (pair[1].suitable_for_peak is False, -pair[1].score, pair[0]))
    options = tuple(replace(option, rank=rank) for rank, (_, option) in enumerate(ordered, start=1))
    readiness = country_readiness(options)
    fastest = readiness.fastest
    return CountryRecommendation(
        country=rule.country,
        name=rule.name,
        recommended=options[0].sender_type if options else None,
        options=options,
        excluded=tuple(excluded),
        warnings=country_warnings(plan, rule, options),
        notes=rule.notes,
        ready_by_go_live=readiness.ready_by_go_live,
        fastest=fastest.sender_type if fastest else None,
        fastest_ready_on=fastest.lead_time.ready_on if fastest else None,
    )


def _exclusion(plan: Plan, facts: SenderTypeFacts, rule: CountryRule) -> str:
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


def _option(plan: Plan, facts: SenderTypeFacts, rule: CountryRule) -> SenderOption:
    score = score_sender_type(plan, facts, rule)
    return SenderOption(
        rank=0,
        sender_type=facts.code,
        label=facts.label,
        kind=facts.kind,
        score=score.points,
        reasons=score.reasons,
        mps_per_sender=score.mps_per_sender,
        senders_needed=score.senders_needed,
        throughput_mps=score.throughput_mps,
        needed_mps=plan.needed,
        meets_peak=score.meets_peak,
        peak_drain_seconds=score.peak_drain_seconds,
        lead_time=score.lead_time,
        fees=facts.fees,
        registration_steps=facts.registration_steps + rule.extra_steps.get(facts.code, ()),
        warnings=(*type_warnings(plan, facts, rule), *score.warnings),
        two_way=facts.two_way and facts.sender_is_local,
        voice=facts.voice,
        delivery_receipts=facts.delivery_receipts,
        suitable_for_peak=score.suitable_for_peak,
        unsuitable_reason=score.unsuitable_reason,
        fee_lines=fee_lines(facts.fees),
    )


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
