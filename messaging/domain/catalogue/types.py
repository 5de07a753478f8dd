"""The catalogue's shapes: sender-type codes, sender-type facts, country rules, 10DLC tiers and the `Catalogue`."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from enum import StrEnum
from typing import Final

# The codes of the three sender types that register with the carriers are the registration rules' own.
from compliance.domain.registration import SHORT_CODE as SHORT_CODE
from compliance.domain.registration import TEN_DLC as TEN_DLC
from compliance.domain.registration import TOLL_FREE as TOLL_FREE

# Sender type codes. A type that is exactly one Sender.Kind uses the kind's value (short_code, a2p_10dlc, toll_free,
# long_code, messaging_service); both alphanumeric types are Kind "alphanumeric", and the international long code is
# Kind "long_code" like the local one.
LONG_CODE: Final = "long_code"
INTERNATIONAL_LONG_CODE: Final = "international_long_code"
ALPHANUMERIC_UNREGISTERED: Final = "alphanumeric_unregistered"
ALPHANUMERIC_REGISTERED: Final = "alphanumeric_registered"
MESSAGING_SERVICE: Final = "messaging_service"

LOW_VOLUME_STANDARD_MAX_DAILY_SEGMENTS: Final = 6_000  # a Low-Volume Standard 10DLC brand sends fewer a day

# The source of every tier's figures unless the tier names others; the facts cite it too.
SOURCE_TWILIO_MPS: Final = "reference/twilio.md §6"


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
    """Fees beyond the number and message prices: whether they exist (None: unknown), in words, and in USD.

    `read_on` and `source` say when and where the amounts were read; amounts nobody has read stay None.
    """

    recurring: bool | None
    recurring_text: str
    carrier: bool | None
    carrier_text: str
    recurring_usd: Decimal | None = None
    carrier_usd: Decimal | None = None
    one_time_text: str = ""
    one_time_usd: Decimal | None = None
    read_on: date | None = None
    source: str = ""


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
    # type code: MPS for passcodes and transactional messages where the country sets it apart from marketing
    transactional_mps_overrides: Mapping[str, int] = field(default_factory=dict)
    marketing_rules: tuple[str, ...] = ()  # when and how often marketing messages may be sent
    carrier_filtering: Mapping[str, str] = field(default_factory=dict)  # type code: how carriers filter it
    carrier_share_percent: Mapping[str, int] = field(default_factory=dict)  # carrier: assumed share of recipients


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
            named |= {*rule.extra_steps, *rule.transactional_mps_overrides, *rule.carrier_filtering}
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

    def mps_for(
        self, type_code: str, country: str | None = None, tier: str | None = None, *, transactional: bool = False
    ) -> int | None:
        """Default MPS of one sender of this type towards `country` (10DLC by trust tier); None when unknown.

        `transactional` asks for the rate of passcodes and transactional messages where the country has its own.
        """
        facts = self.sender_type(type_code)
        if type_code == TEN_DLC:
            return self.tendlc_tier(tier).total_mps
        rule = self.country(country) if country else None
        if rule is not None and transactional and type_code in rule.transactional_mps_overrides:
            return rule.transactional_mps_overrides[type_code]
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
