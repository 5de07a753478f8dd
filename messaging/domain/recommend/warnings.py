"""Warning codes, and the warnings that come with a sender type, a country or the whole request."""

from __future__ import annotations

from typing import Final

from messaging.domain.catalogue import (
    ALPHANUMERIC_REGISTERED,
    ALPHANUMERIC_UNREGISTERED,
    LONG_CODE,
    SHORT_CODE,
    TEN_DLC,
    TOLL_FREE,
    CountryRule,
    SenderTypeFacts,
)
from messaging.domain.recommend.plan import Plan
from messaging.domain.recommend.request import RecommendationRequest, UseCase
from messaging.domain.recommend.results import LeadTimeStatus, SenderOption, SenderWarning

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
PEAK_OUTLASTS_WINDOW: Final = "peak_outlasts_window"
NO_SENDER_FOR_PEAK: Final = "no_sender_for_peak"
CARRIER_FILTERING: Final = "carrier_filtering"
MARKETING_RULES: Final = "marketing_rules"
ALPHANUMERIC_OR_LONG_CODE_POOL: Final = "alphanumeric_or_long_code_pool"
NOT_READY_BY_GO_LIVE: Final = "not_ready_by_go_live"
VERIFICATION_PRODUCT: Final = "verification_product"

TMOBILE: Final = "T-Mobile"
VERIFY_DOCS: Final = "https://www.twilio.com/docs/verify/api"
# Twilio Verify sends passcodes from a sender pool Twilio manages (short codes, long codes, toll-free numbers,
# alphanumeric IDs) and handles their registration, A2P 10DLC included (twilio.com/es-mx/blog/
# migrar-desde-mensajeria-programable-a-verify, read 2026-12-01).
VERIFY_TEXT: Final = (
    "Twilio Verify is an alternative for passcodes: it sends from senders Twilio registers and manages (A2P 10DLC "
    f"included), so no sender registration of your own is needed, and it checks the codes too ({VERIFY_DOCS})."
)


def type_warnings(plan: Plan, facts: SenderTypeFacts, rule: CountryRule) -> list[SenderWarning]:
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


def tmobile_daily_segments(plan: Plan) -> int:
    """Segments a day bound for T-Mobile subscribers: the US rule's assumed share, or all of them without one."""
    rule = plan.catalogue.country("US")
    share = rule.carrier_share_percent.get(TMOBILE) if rule is not None else None
    if share is None:
        return plan.daily_segments
    return -(-plan.daily_segments * share // 100)


def _tmobile_share_text(plan: Plan) -> str:
    rule = plan.catalogue.country("US")
    share = rule.carrier_share_percent.get(TMOBILE) if rule is not None else None
    if share is None:
        return f"the {plan.daily_segments:,} planned (the catalogue assumes no T-Mobile share, so all of them)"
    return (
        f"the {tmobile_daily_segments(plan):,} of the {plan.daily_segments:,} planned that go to T-Mobile "
        f"subscribers (assuming {share} % of recipients are on T-Mobile: check your list with Lookup)"
    )


def _tendlc_warnings(plan: Plan) -> list[SenderWarning]:
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
    if cap is not None and tmobile_daily_segments(plan) > cap:
        warnings.append(
            SenderWarning(
                TENDLC_TMOBILE_DAILY_CAP,
                f"T-Mobile takes at most {cap:,} segments a day from the brand ({tier.label}), fewer than "
                f"{_tmobile_share_text(plan)}; the rest fail with 30027 until the next day.",
            )
        )
    return warnings


def country_warnings(plan: Plan, rule: CountryRule, options: tuple[SenderOption, ...]) -> tuple[SenderWarning, ...]:
    """The warnings about a country as a whole: two-way senders, no sender fits, none ready by go-live."""
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
    if options and all(o.suitable_for_peak is False for o in options):
        warnings.append(
            SenderWarning(
                NO_SENDER_FOR_PEAK,
                f"No sender for {rule.name} can send this peak before its segments are refused or expire: spread the "
                "peak over a longer window, or ask Twilio for more throughput.",
            )
        )
    if request.use_case == UseCase.PROMOTIONAL and rule.marketing_rules:
        warnings.append(SenderWarning(MARKETING_RULES, f"Marketing in {rule.name}: " + " ".join(rule.marketing_rules)))
    weighing = _alphanumeric_or_pool(plan, rule, options)
    if weighing:
        warnings.append(SenderWarning(ALPHANUMERIC_OR_LONG_CODE_POOL, weighing))
    return tuple(warnings)


def _alphanumeric_or_pool(plan: Plan, rule: CountryRule, options: tuple[SenderOption, ...]) -> str:
    """For one-way bulk where unregistered IDs work: an alphanumeric ID with more MPS, or a pool of long codes."""
    by_type = {option.sender_type: option for option in options}
    alpha, pool = by_type.get(ALPHANUMERIC_UNREGISTERED), by_type.get(LONG_CODE)
    if plan.request.two_way or alpha is None or pool is None or alpha.meets_peak is not False:
        return ""
    first = "The long code pool" if pool.rank < alpha.rank else "The alphanumeric sender ID"
    return (
        f"One-way bulk to {rule.name}: an alphanumeric sender ID shows your name, but it sends "
        f"{alpha.mps_per_sender:,} MPS of the {plan.needed:,} needed until Twilio Support raises it on request; a "
        f"pool of {pool.senders_needed:,} long codes gives {pool.throughput_mps:,} MPS at once, but recipients see a "
        f"number. {first} ranks first here; if the name matters more, ask for the increase well before go-live. "
        "Recipients cannot reply to an alphanumeric ID, so each message must say how to opt out another way: a link, "
        "or a number that takes STOP."
    )


def global_warnings(request: RecommendationRequest) -> tuple[SenderWarning, ...]:
    """The warnings about the whole request: multi-segment messages, validity periods, Twilio Verify for passcodes."""
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
    if request.use_case == UseCase.OTP:
        warnings.append(SenderWarning(VERIFICATION_PRODUCT, VERIFY_TEXT))
    return tuple(warnings)
