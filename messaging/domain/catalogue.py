"""Sender catalogue: facts about sender types, destination countries and US A2P 10DLC trust tiers (pure).

`DEFAULT_CATALOGUE` seeds the catalogue that ISV staff edit; `Catalogue` answers the lookups the sender
recommendation (`messaging.domain.recommend`) and the provisioning code need. Sources, newest first; a newer one
wins where they disagree:

- reference/twilio.md §4 and §6: default MPS per sender and destination (US/CA long code 1, toll-free 3, any number
  or alphanumeric ID elsewhere 10, short code 100 in US/CA/GB), the 10DLC Trust Score tiers (225/120/12 MPS, 75/40/4
  per carrier), T-Mobile's daily brand cap (up to 200,000 segments), Sole Proprietor and Low-Volume Standard limits,
  30032/30034, and who handles STOP on short codes.
- seeds/isv-messaging-architecture.txt: the sender matrix (volume, registration route, voice, delivery receipts,
  provisioning time, recurring and carrier fees) and the decision flow. Its "3-180 MPS by Trust Score" for 10DLC
  is older than twilio.md's tiers and is not used.
- seeds/architecting-for-deliverability.txt: long-code baseline, UK numbers at 10 MPS, throughput raised on request.
- Twilio's per-country SMS and short-code guidelines (twilio.com/en-us/guidelines/<cc>/sms, /short-code) for which
  sender types each country accepts, alphanumeric support and country lead times.

No source gives fee amounts, so every amount in USD is None; `recurring`/`carrier` say only whether a fee exists.
A lead time in business days counts Monday to Friday; `None` means the time is country specific or unknown.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum
from typing import Final

from compliance.domain.registration import SHORT_CODE, TEN_DLC, TOLL_FREE

__all__ = [
    "ALPHANUMERIC_REGISTERED",
    "ALPHANUMERIC_UNREGISTERED",
    "DEFAULT_CATALOGUE",
    "INTERNATIONAL_LONG_CODE",
    "LONG_CODE",
    "LOW_VOLUME_STANDARD_MAX_DAILY_SEGMENTS",
    "MESSAGING_SERVICE",
    "SHORT_CODE",
    "TEN_DLC",
    "TOLL_FREE",
    "AlphanumericSupport",
    "Catalogue",
    "CatalogueError",
    "CountryRule",
    "Fees",
    "LeadTime",
    "RegistrationRoute",
    "SenderTypeFacts",
    "TenDlcTier",
    "UnknownSenderType",
    "UnknownTrustTier",
]

# Sender type codes. A type that is exactly one Sender.Kind uses the kind's value (short_code, a2p_10dlc, toll_free,
# long_code, messaging_service); both alphanumeric types are Kind "alphanumeric", and the international long code is
# Kind "long_code" like the local one.
LONG_CODE: Final = "long_code"
INTERNATIONAL_LONG_CODE: Final = "international_long_code"
ALPHANUMERIC_UNREGISTERED: Final = "alphanumeric_unregistered"
ALPHANUMERIC_REGISTERED: Final = "alphanumeric_registered"
MESSAGING_SERVICE: Final = "messaging_service"

LOW_VOLUME_STANDARD_MAX_DAILY_SEGMENTS: Final = 6_000  # a Low-Volume Standard 10DLC brand sends fewer a day

SOURCE_TWILIO_MPS: Final = "reference/twilio.md §6"
SOURCE_TWILIO_OPT_OUT: Final = "reference/twilio.md §4"
SOURCE_SENDER_MATRIX: Final = "seeds/isv-messaging-architecture.txt (sender matrix)"
SOURCE_DECISION_FLOW: Final = "seeds/isv-messaging-architecture.txt (sender decision flow)"
SOURCE_DELIVERABILITY: Final = "seeds/architecting-for-deliverability.txt (throughput)"


def _guideline(country: str, page: str = "sms") -> str:
    return f"https://www.twilio.com/en-us/guidelines/{country.lower()}/{page}"


class CatalogueError(ValueError):
    """The catalogue contradicts itself (a duplicate code, or a country naming an unknown sender type)."""


class UnknownSenderType(LookupError):
    """No sender type has this code."""


class UnknownTrustTier(LookupError):
    """No A2P 10DLC trust tier has this code."""


class AlphanumericSupport(StrEnum):
    SUPPORTED = "supported"  # unregistered (dynamic) alphanumeric IDs are delivered as sent
    PRE_REGISTRATION = "pre_registration"  # only pre-registered IDs are delivered
    UNSUPPORTED = "unsupported"  # carriers reject or overwrite alphanumeric IDs


class RegistrationRoute(StrEnum):
    NONE = "none"
    API = "api"
    APPLICATION_FORM = "application_form"
    API_AND_FORM = "api_and_form"  # API, plus an application form for verification


@dataclass(frozen=True, slots=True)
class LeadTime:
    """How long before a sender can send: `min_days`–`max_days`, calendar days unless `business_days`."""

    min_days: int
    max_days: int
    business_days: bool = False
    text: str = ""


@dataclass(frozen=True, slots=True)
class Fees:
    """Fees beyond the number and message prices: whether they exist (None: unknown), in words, and in USD."""

    recurring: bool | None
    recurring_text: str
    carrier: bool | None
    carrier_text: str
    recurring_usd: Decimal | None = None
    carrier_usd: Decimal | None = None


@dataclass(frozen=True, slots=True)
class SenderTypeFacts:
    """What one sender type is like wherever it sends; a CountryRule overrides MPS and lead time per country."""

    code: str
    label: str
    kind: str  # the Sender.Kind a provisioned sender of this type gets
    default_mps: int | None  # segments per second of one sender; None: country dependent or tier based
    mps_text: str
    volume_limit_text: str
    daily_volume_limit: int | None  # segments a day, None: unlimited or depends on the tier
    registration_route: RegistrationRoute
    registration_text: str
    two_way: bool
    voice: bool
    voice_text: str
    delivery_receipts: str
    lead_time: LeadTime | None  # None: country specific
    fees: Fees
    sender_is_local: bool  # a sender of the destination country (False: sends from another country)
    vetted: bool  # registered or verified with the carriers before it sends
    scales_with_senders: bool  # more senders of this type add throughput
    throughput_note: str
    registration_steps: tuple[str, ...]
    countries: frozenset[str] | None = None  # the only destinations it may send to; None: any
    sources: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class TenDlcTier:
    """US A2P 10DLC throughput of a brand and campaign by Trust Score; T-Mobile caps segments per brand a day."""

    code: str
    label: str
    trust_score_min: int | None
    trust_score_max: int | None
    total_mps: int
    per_carrier_mps: Mapping[str, int]  # AT&T, T-Mobile, Verizon; empty when the source gives no split
    tmobile_daily_cap: int | None  # None: the source gives no figure for this tier
    notes: tuple[str, ...] = ()
    sources: tuple[str, ...] = (SOURCE_TWILIO_MPS,)


@dataclass(frozen=True, slots=True)
class CountryRule:
    """Which sender types reach a destination country, and where the country differs from the type's defaults."""

    country: str  # ISO 3166-1 alpha-2
    name: str
    offered: tuple[str, ...]  # sender type codes that may send to this country
    alphanumeric: AlphanumericSupport
    long_code_local: bool  # local numbers may send application-to-person messages
    two_way_supported: bool = True
    mps_overrides: Mapping[str, int | None] = field(default_factory=dict)
    lead_time_overrides: Mapping[str, LeadTime | None] = field(default_factory=dict)
    unavailable: Mapping[str, str] = field(default_factory=dict)  # type code: why it is not offered here
    extra_steps: Mapping[str, tuple[str, ...]] = field(default_factory=dict)  # type code: country steps
    notes: tuple[str, ...] = ()
    sources: tuple[str, ...] = ()


@dataclass(frozen=True)
class Catalogue:
    """Sender types (in the order of the sender matrix), country rules and 10DLC tiers, with their lookups."""

    sender_types: tuple[SenderTypeFacts, ...]
    countries: tuple[CountryRule, ...]
    tendlc_tiers: tuple[TenDlcTier, ...]
    default_tendlc_tier: str = "low"  # the tier assumed when the brand's Trust Score is not known

    def __post_init__(self) -> None:
        _unique("sender type", [t.code for t in self.sender_types])
        _unique("country", [c.country for c in self.countries])
        _unique("10DLC tier", [t.code for t in self.tendlc_tiers])
        codes = {t.code for t in self.sender_types}
        for rule in self.countries:
            named = {*rule.offered, *rule.mps_overrides, *rule.lead_time_overrides, *rule.unavailable}
            named |= set(rule.extra_steps)
            if named - codes:
                raise CatalogueError(f"{rule.country} names unknown sender types: {', '.join(sorted(named - codes))}")
        if self.default_tendlc_tier not in {t.code for t in self.tendlc_tiers}:
            raise CatalogueError(f"default 10DLC tier {self.default_tendlc_tier} is not a tier")

    def sender_type(self, code: str) -> SenderTypeFacts:
        """The facts of a sender type; UnknownSenderType for an unknown code."""
        for facts in self.sender_types:
            if facts.code == code:
                return facts
        raise UnknownSenderType(f"no sender type {code!r}")

    def country(self, country: str) -> CountryRule | None:
        """The rule for an ISO 3166-1 alpha-2 country, None when the catalogue has none."""
        return next((rule for rule in self.countries if rule.country == country), None)

    def tendlc_tier(self, code: str | None = None) -> TenDlcTier:
        """A 10DLC tier by code (the default tier for None); UnknownTrustTier for an unknown code."""
        wanted = code or self.default_tendlc_tier
        for tier in self.tendlc_tiers:
            if tier.code == wanted:
                return tier
        raise UnknownTrustTier(f"no A2P 10DLC tier {wanted!r}; tiers: {', '.join(self.tendlc_tier_codes())}")

    def tendlc_tier_codes(self) -> tuple[str, ...]:
        """The tier codes, highest throughput first."""
        return tuple(tier.code for tier in self.tendlc_tiers)

    def mps_for(self, type_code: str, country: str | None = None, tier: str | None = None) -> int | None:
        """Default MPS of one sender of this type towards `country`; 10DLC by trust tier; None when unknown."""
        facts = self.sender_type(type_code)
        if type_code == TEN_DLC:
            return self.tendlc_tier(tier).total_mps
        rule = self.country(country) if country else None
        if rule is not None and type_code in rule.mps_overrides:
            return rule.mps_overrides[type_code]
        return facts.default_mps

    def lead_time_for(self, type_code: str, country: str | None = None) -> LeadTime | None:
        """Provisioning and registration time of this type for `country`; None when country specific."""
        facts = self.sender_type(type_code)
        rule = self.country(country) if country else None
        if rule is not None and type_code in rule.lead_time_overrides:
            return rule.lead_time_overrides[type_code]
        return facts.lead_time

    def offering(self, type_code: str, country: str) -> tuple[bool, str]:
        """Whether this type may send to `country`, and if not, why in plain words."""
        facts = self.sender_type(type_code)
        rule = self.country(country)
        if rule is None:
            return False, f"The catalogue has no rules for {country}."
        if facts.countries is not None and country not in facts.countries:
            return False, f"{facts.label} senders send only to {_names(self, facts.countries)}."
        if type_code in rule.offered:
            return True, ""
        if type_code in rule.unavailable:
            return False, rule.unavailable[type_code]
        if type_code in (ALPHANUMERIC_UNREGISTERED, ALPHANUMERIC_REGISTERED):
            return False, _alphanumeric_reason(type_code, rule)
        return False, f"{facts.label} senders are not offered for {rule.name}."

    def alphanumeric_countries(self) -> frozenset[str]:
        """Countries where an alphanumeric sender ID may send (supported, or pre-registered)."""
        return frozenset(
            rule.country for rule in self.countries if rule.alphanumeric != AlphanumericSupport.UNSUPPORTED
        )


def _unique(what: str, codes: list[str]) -> None:
    duplicates = sorted({code for code in codes if codes.count(code) > 1})
    if duplicates:
        raise CatalogueError(f"duplicate {what}: {', '.join(duplicates)}")


def _names(catalogue: Catalogue, countries: frozenset[str]) -> str:
    rules = [catalogue.country(code) for code in sorted(countries)]
    return " and ".join(rule.name if rule else code for rule, code in zip(rules, sorted(countries), strict=True))


def _alphanumeric_reason(type_code: str, rule: CountryRule) -> str:
    if rule.alphanumeric == AlphanumericSupport.UNSUPPORTED:
        return f"Alphanumeric sender IDs are not supported in {rule.name}."
    if type_code == ALPHANUMERIC_REGISTERED:
        return _sentence(f"{rule.name} needs no alphanumeric pre-registration: an unregistered sender ID is used.")
    return _sentence(f"{rule.name} delivers only pre-registered alphanumeric sender IDs.")


def _sentence(text: str) -> str:
    return text[:1].upper() + text[1:]


_INSTANT = LeadTime(0, 0, text="instant")
_MINUTES = LeadTime(0, 0, text="minutes")

SENDER_TYPES: Final = (
    SenderTypeFacts(
        code=SHORT_CODE,
        label="Short code",
        kind="short_code",
        default_mps=None,
        mps_text="Country dependent: 100 MPS by default in US, CA and GB (30 for CA and GB short codes provisioned "
        "before December 2016)",
        volume_limit_text="Unlimited",
        daily_volume_limit=None,
        registration_route=RegistrationRoute.APPLICATION_FORM,
        registration_text="Application form",
        two_way=True,
        voice=False,
        voice_text="No voice",
        delivery_receipts="Country dependent",
        lead_time=LeadTime(42, 70, text="6–10 weeks"),
        fees=Fees(True, "Yes: country-specific pricing", True, "Yes"),
        sender_is_local=True,
        vetted=True,
        scales_with_senders=False,
        throughput_note="Twilio raises a short code's throughput on request.",
        registration_steps=(
            "Submit the short code application form with the use case.",
            "Wait for the carriers to provision the short code.",
            "Put the short code in a Messaging Service with Advanced Opt-Out: Twilio does not handle STOP and HELP "
            "for a standalone short code.",
        ),
        sources=(SOURCE_SENDER_MATRIX, SOURCE_TWILIO_MPS, SOURCE_TWILIO_OPT_OUT, SOURCE_DELIVERABILITY),
    ),
    SenderTypeFacts(
        code=TEN_DLC,
        label="A2P 10DLC",
        kind="a2p_10dlc",
        default_mps=None,
        mps_text="12–225 MPS in total by Trust Score, split across AT&T, T-Mobile and Verizon; set per brand and "
        "campaign, not per number",
        volume_limit_text="T-Mobile caps segments per brand a day: 1,000 for a Sole Proprietor, up to 200,000 for "
        "top Trust Scores; Low-Volume Standard brands send fewer than 6,000 a day",
        daily_volume_limit=None,
        registration_route=RegistrationRoute.API,
        registration_text="API: brand and campaign registration",
        two_way=True,
        voice=True,
        voice_text="Voice",
        delivery_receipts="Carrier",
        lead_time=_MINUTES,
        fees=Fees(True, "Registration and campaign fees (different for Starter and Standard brands)", True, "Yes"),
        sender_is_local=True,
        vetted=True,
        scales_with_senders=False,
        throughput_note="Throughput follows the brand's Trust Score and the campaign's use case; more numbers add "
        "none.",
        registration_steps=(
            "Register the brand through the API.",
            "Register a campaign with its use case.",
            "Attach the numbers to the approved campaign: messages from an unregistered number fail with 30034.",
        ),
        countries=frozenset({"US"}),
        sources=(SOURCE_TWILIO_MPS, SOURCE_SENDER_MATRIX),
    ),
    SenderTypeFacts(
        code=TOLL_FREE,
        label="Toll-free",
        kind="toll_free",
        default_mps=3,
        mps_text="3 MPS to US and CA; more only with verification or approval",
        volume_limit_text="Unlimited",
        daily_volume_limit=None,
        registration_route=RegistrationRoute.API_AND_FORM,
        registration_text="API; verification needs an application form",
        two_way=True,
        voice=True,
        voice_text="Voice",
        delivery_receipts="Handset (US/CA)",
        lead_time=LeadTime(5, 7, business_days=True, text="5–7 business days"),
        fees=Fees(None, "Depends on throughput", True, "Yes"),
        sender_is_local=True,
        vetted=True,
        scales_with_senders=False,
        throughput_note="Several toll-free numbers for one use case are not allowed; ask for more MPS with "
        "verification.",
        registration_steps=(
            "Buy a toll-free number (instant).",
            "Submit toll-free verification (application form).",
            "Send once verified: messages from an unverified toll-free number fail with 30032.",
        ),
        countries=frozenset({"US", "CA"}),
        sources=(SOURCE_TWILIO_MPS, SOURCE_SENDER_MATRIX),
    ),
    SenderTypeFacts(
        code=ALPHANUMERIC_UNREGISTERED,
        label="Alphanumeric sender ID (unregistered)",
        kind="alphanumeric",
        default_mps=10,
        mps_text="10 MPS by default; more through Twilio Support",
        volume_limit_text="Unlimited",
        daily_volume_limit=None,
        registration_route=RegistrationRoute.NONE,
        registration_text="None",
        two_way=False,
        voice=False,
        voice_text="No voice",
        delivery_receipts="Country dependent",
        lead_time=_MINUTES,
        fees=Fees(False, "No", False, "No"),
        sender_is_local=True,
        vetted=False,
        scales_with_senders=False,
        throughput_note="Twilio Support raises an alphanumeric sender ID above 10 MPS.",
        registration_steps=("Set the alphanumeric sender ID on the Messaging Service or as From; no registration.",),
        sources=(SOURCE_SENDER_MATRIX, SOURCE_TWILIO_MPS),
    ),
    SenderTypeFacts(
        code=ALPHANUMERIC_REGISTERED,
        label="Alphanumeric sender ID (pre-registered)",
        kind="alphanumeric",
        default_mps=10,
        mps_text="10 MPS by default; more through Twilio Support",
        volume_limit_text="Unlimited",
        daily_volume_limit=None,
        registration_route=RegistrationRoute.APPLICATION_FORM,
        registration_text="Application",
        two_way=False,
        voice=False,
        voice_text="No voice",
        delivery_receipts="Country dependent",
        lead_time=None,
        fees=Fees(True, "Yes: country specific", False, "No"),
        sender_is_local=True,
        vetted=True,
        scales_with_senders=False,
        throughput_note="Twilio Support raises an alphanumeric sender ID above 10 MPS.",
        registration_steps=(
            "Submit the country's alphanumeric sender ID pre-registration application.",
            "Wait for approval before sending; the time is country specific.",
        ),
        sources=(SOURCE_SENDER_MATRIX, SOURCE_TWILIO_MPS, SOURCE_DECISION_FLOW),
    ),
    SenderTypeFacts(
        code=INTERNATIONAL_LONG_CODE,
        label="Long code sending internationally",
        kind="long_code",
        default_mps=10,
        mps_text="10 MPS to countries other than the number's own",
        volume_limit_text="Unlimited",
        daily_volume_limit=None,
        registration_route=RegistrationRoute.API,
        registration_text="API",
        two_way=True,
        voice=False,
        voice_text="Voice only within the number's own country",
        delivery_receipts="Country dependent",
        lead_time=_INSTANT,
        fees=Fees(False, "No", False, "No"),
        sender_is_local=False,
        vetted=False,
        scales_with_senders=True,
        throughput_note="Each further number adds its MPS.",
        registration_steps=("Use a number from another country, or buy one (instant).",),
        sources=(SOURCE_SENDER_MATRIX, SOURCE_TWILIO_MPS, SOURCE_DECISION_FLOW),
    ),
    SenderTypeFacts(
        code=LONG_CODE,
        label="Local long code",
        kind="long_code",
        default_mps=10,
        mps_text="1 MPS to US and CA; 10 MPS elsewhere (for example a UK number)",
        volume_limit_text="Unlimited",
        daily_volume_limit=None,
        registration_route=RegistrationRoute.API,
        registration_text="API; some countries need a regulatory bundle first",
        two_way=True,
        voice=True,
        voice_text="Voice",
        delivery_receipts="Country dependent",
        lead_time=_INSTANT,
        fees=Fees(None, "Not given by the sources", None, "Not given by the sources"),
        sender_is_local=True,
        vetted=False,
        scales_with_senders=True,
        throughput_note="Each further number adds its MPS.",
        registration_steps=("Buy a local number in the destination country (instant).",),
        sources=(SOURCE_TWILIO_MPS, SOURCE_DELIVERABILITY, SOURCE_DECISION_FLOW),
    ),
    SenderTypeFacts(
        code=MESSAGING_SERVICE,
        label="Messaging Service pool",
        kind="messaging_service",
        default_mps=None,
        mps_text="The sum of its senders' MPS",
        volume_limit_text="Those of its senders",
        daily_volume_limit=None,
        registration_route=RegistrationRoute.API,
        registration_text="API",
        two_way=True,
        voice=False,
        voice_text="Those of its senders",
        delivery_receipts="Those of its senders",
        lead_time=_MINUTES,
        fees=Fees(None, "Not given by the sources", None, "Not given by the sources"),
        sender_is_local=True,
        vetted=False,
        scales_with_senders=True,
        throughput_note="Add senders to the pool; Twilio picks one per message.",
        registration_steps=(
            "Create a Messaging Service and add the chosen senders to its pool: Twilio then picks the sender for "
            "each message, and scheduling, link shortening and Advanced Opt-Out become available.",
        ),
        sources=("reference/twilio.md §1.1", SOURCE_TWILIO_OPT_OUT),
    ),
)

TENDLC_TIERS: Final = (
    TenDlcTier(
        code="high",
        label="Trust Score 75–100",
        trust_score_min=75,
        trust_score_max=100,
        total_mps=225,
        per_carrier_mps={"AT&T": 75, "T-Mobile": 75, "Verizon": 75},
        tmobile_daily_cap=200_000,
    ),
    TenDlcTier(
        code="medium",
        label="Trust Score 50–74",
        trust_score_min=50,
        trust_score_max=74,
        total_mps=120,
        per_carrier_mps={"AT&T": 40, "T-Mobile": 40, "Verizon": 40},
        tmobile_daily_cap=None,
    ),
    TenDlcTier(
        code="low",
        label="Trust Score 1–49",
        trust_score_min=1,
        trust_score_max=49,
        total_mps=12,
        per_carrier_mps={"AT&T": 4, "T-Mobile": 4, "Verizon": 4},
        tmobile_daily_cap=None,
    ),
    TenDlcTier(
        code="sole_proprietor",
        label="Sole Proprietor",
        trust_score_min=None,
        trust_score_max=None,
        total_mps=1,
        per_carrier_mps={},
        tmobile_daily_cap=1_000,
        notes=("One campaign and one number.",),
    ),
)

COUNTRY_RULES: Final = (
    CountryRule(
        country="US",
        name="the United States",
        offered=(SHORT_CODE, TEN_DLC, TOLL_FREE),
        alphanumeric=AlphanumericSupport.UNSUPPORTED,
        long_code_local=True,
        mps_overrides={SHORT_CODE: 100},
        unavailable={
            LONG_CODE: "US local numbers send application-to-person messages only as registered A2P 10DLC senders.",
            INTERNATIONAL_LONG_CODE: "US carriers do not accept long codes from other countries.",
        },
        sources=(SOURCE_TWILIO_MPS, _guideline("US")),
    ),
    CountryRule(
        country="CA",
        name="Canada",
        offered=(SHORT_CODE, TOLL_FREE, LONG_CODE),
        alphanumeric=AlphanumericSupport.UNSUPPORTED,
        long_code_local=True,
        mps_overrides={SHORT_CODE: 100, LONG_CODE: 1},
        notes=("Canadian short codes provisioned before December 2016 default to 30 MPS.",),
        sources=(SOURCE_TWILIO_MPS, _guideline("CA")),
    ),
    CountryRule(
        country="GB",
        name="the United Kingdom",
        offered=(SHORT_CODE, ALPHANUMERIC_UNREGISTERED, LONG_CODE),
        alphanumeric=AlphanumericSupport.SUPPORTED,
        long_code_local=True,
        mps_overrides={SHORT_CODE: 100, LONG_CODE: 10},
        lead_time_overrides={SHORT_CODE: LeadTime(84, 112, text="12–16 weeks")},
        unavailable={INTERNATIONAL_LONG_CODE: "UK carriers block numeric sender IDs from outside the UK."},
        notes=(
            "UK short codes provisioned before December 2016 default to 30 MPS.",
            "Short code applications sent from mid-December to early January wait for the carriers' annual "
            "provisioning freeze.",
            "An alphanumeric sender ID protected in the MEF Sender ID registry needs a letter of authorisation "
            "before Twilio sends with it.",
        ),
        sources=(SOURCE_TWILIO_MPS, SOURCE_DELIVERABILITY, _guideline("GB"), _guideline("GB", "short-code")),
    ),
    CountryRule(
        country="BR",
        name="Brazil",
        offered=(SHORT_CODE, INTERNATIONAL_LONG_CODE),
        alphanumeric=AlphanumericSupport.UNSUPPORTED,
        long_code_local=False,
        unavailable={LONG_CODE: "Twilio offers no Brazilian numbers for application-to-person SMS."},
        notes=(
            "Alphanumeric sender IDs are replaced by a short code or a local number.",
            "Short code applications sent from late November to mid-January wait for the carriers' annual "
            "provisioning freeze.",
            "Brazilian short codes have five digits and are free to the end user.",
        ),
        sources=(SOURCE_DECISION_FLOW, _guideline("BR"), _guideline("BR", "short-code")),
    ),
    CountryRule(
        country="DE",
        name="Germany",
        offered=(ALPHANUMERIC_UNREGISTERED, LONG_CODE),
        alphanumeric=AlphanumericSupport.SUPPORTED,
        long_code_local=True,
        mps_overrides={LONG_CODE: 10},
        extra_steps={LONG_CODE: ("Provide proof of identity and a local address: German numbers require them.",)},
        sources=(SOURCE_TWILIO_MPS, SOURCE_DECISION_FLOW, _guideline("DE")),
    ),
    CountryRule(
        country="MX",
        name="Mexico",
        offered=(SHORT_CODE, INTERNATIONAL_LONG_CODE),
        alphanumeric=AlphanumericSupport.UNSUPPORTED,
        long_code_local=False,
        unavailable={
            LONG_CODE: "Mexican numbers may carry only two-way person-to-person messages; application-to-person "
            "messages go from a US or Canadian long code.",
        },
        notes=("Numbers are dialled +52 and the 10-digit subscriber number, without a 1.",),
        sources=(SOURCE_TWILIO_MPS, _guideline("MX")),
    ),
    CountryRule(
        country="IN",
        name="India",
        offered=(INTERNATIONAL_LONG_CODE,),
        alphanumeric=AlphanumericSupport.UNSUPPORTED,
        long_code_local=False,
        two_way_supported=False,
        unavailable={
            LONG_CODE: "Twilio offers no Indian numbers for SMS.",
            SHORT_CODE: "Twilio does not offer Indian short codes.",
        },
        notes=(
            "Messages reach Indian recipients over international routes from a random short number: the sender ID "
            "is not preserved.",
            "Messages with shortened URLs are not allowed.",
        ),
        sources=(SOURCE_TWILIO_MPS, _guideline("IN")),
    ),
    CountryRule(
        country="AE",
        name="the United Arab Emirates",
        offered=(ALPHANUMERIC_REGISTERED,),
        alphanumeric=AlphanumericSupport.PRE_REGISTRATION,
        long_code_local=False,
        two_way_supported=False,
        unavailable={INTERNATIONAL_LONG_CODE: "UAE carriers accept messages only from registered sender IDs."},
        sources=(SOURCE_TWILIO_MPS, _guideline("AE")),
    ),
)

DEFAULT_CATALOGUE: Final = Catalogue(sender_types=SENDER_TYPES, countries=COUNTRY_RULES, tendlc_tiers=TENDLC_TIERS)
