"""Whether a sender is ready by go-live, per country and in all; if not, what to do meanwhile and the fastest path."""

from __future__ import annotations

from dataclasses import dataclass

from messaging.domain.catalogue import ALPHANUMERIC_REGISTERED, SHORT_CODE, TEN_DLC, TOLL_FREE
from messaging.domain.recommend.plan import Plan
from messaging.domain.recommend.request import UseCase
from messaging.domain.recommend.results import CountryRecommendation, LeadTimeStatus, SenderOption, SenderWarning
from messaging.domain.recommend.warnings import NOT_READY_BY_GO_LIVE, VERIFY_DOCS

# Senders a tenant may hold already, registered or verified, that can carry the traffic until a new one is ready.
_ALREADY_HELD = {
    TEN_DLC: "an approved A2P 10DLC campaign",
    TOLL_FREE: "a verified toll-free number",
    SHORT_CODE: "a live short code",
    ALPHANUMERIC_REGISTERED: "a registered alphanumeric sender ID",
}


@dataclass(frozen=True, slots=True)
class CountryReadiness:
    """One country: ready by go-live, and the option that can be ready soonest with its date."""

    ready_by_go_live: bool
    fastest: SenderOption | None


def country_readiness(options: tuple[SenderOption, ...]) -> CountryReadiness:
    """Ready when an option that can send the peak fits its lead time; the fastest of those that can, else of all.

    Of options ready the same day, one that meets the peak comes first, then the higher throughput, then the rank.
    """
    usable = [o for o in options if o.suitable_for_peak is not False]
    ready = any(o.lead_time.status == LeadTimeStatus.FITS for o in usable)
    dated = [o for o in usable or options if o.lead_time.ready_on is not None]
    fastest = min(dated, key=_soonest) if dated else None
    return CountryReadiness(ready, fastest)


def _soonest(option: SenderOption) -> tuple:
    return (option.lead_time.ready_on, option.meets_peak is not True, -(option.throughput_mps or 0), option.rank)


def not_ready_warning(plan: Plan, countries: tuple[CountryRecommendation, ...]) -> SenderWarning | None:
    """The first warning when a requested country has no sender ready by go-live; None when every one has."""
    late = [c for c in countries if not c.ready_by_go_live]
    if not late:
        return None
    request = plan.request
    names = _join([c.name for c in late])
    paths = "; ".join(_path(c) for c in late)
    return SenderWarning(
        NOT_READY_BY_GO_LIVE,
        f"No sender is ready by go-live ({request.go_live.isoformat()}, in {plan.go_live_in_days} days) for {names}. "
        f"Fastest: {paths}. See what to do meanwhile.",
    )


def meanwhile(plan: Plan, countries: tuple[CountryRecommendation, ...]) -> tuple[str, ...]:
    """What to do until a sender is ready, the fastest path last; empty when every country is ready."""
    late = [c for c in countries if not c.ready_by_go_live]
    if not late:
        return ()
    held = [_ALREADY_HELD[code] for code in _ALREADY_HELD if any(code in _types(c) for c in late)]
    lines = []
    if held:
        lines.append(
            f"Until then, send from a sender you already have that is approved for this traffic ({_join(held, 'or')}),"
            " if you have one."
        )
    if plan.request.use_case == UseCase.OTP:
        lines.append(
            "Send the passcodes with Twilio Verify meanwhile: it uses senders Twilio has registered, so it works "
            f"from day one ({VERIFY_DOCS})."
        )
    dates = [c.fastest_ready_on for c in late if c.fastest_ready_on is not None]
    startable = [c for c in late if c.fastest is not None]
    if startable:
        lines.append("Start the fastest registration today: " + "; ".join(_path(c) for c in startable) + ".")
    if dates:
        lines.append(f"Or move go-live to {max(dates).isoformat()} or later.")
    return tuple(lines)


def _types(country: CountryRecommendation) -> set[str]:
    return {option.sender_type for option in country.options}


def _path(country: CountryRecommendation) -> str:
    if not country.options:
        return f"{country.name}: no sender type fits, see its warnings"
    fastest = next((o for o in country.options if o.sender_type == country.fastest), None)
    if fastest is None or country.fastest_ready_on is None:
        return f"{country.name}: no sender has a known lead time, ask Twilio"
    text = f"{country.name}: {fastest.label} ({fastest.lead_time.text}, ready by about {country.fastest_ready_on})"
    if fastest.meets_peak is False:
        text += f", {fastest.throughput_mps:,} of the {fastest.needed_mps:,} MPS needed"
        meets = [o for o in country.options if o.meets_peak and o.lead_time.ready_on is not None]
        if meets:
            best = min(meets, key=_soonest)
            text += f"; {best.label} meets the peak ({best.lead_time.text}, about {best.lead_time.ready_on})"
    return text


def _join(items: list[str], word: str = "and") -> str:
    if len(items) <= 1:
        return "".join(items)
    return f"{', '.join(items[:-1])} {word} {items[-1]}"
