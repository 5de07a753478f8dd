from datetime import date
from decimal import Decimal

import pytest

from messaging.domain.catalogue import (
    ALPHANUMERIC_REGISTERED,
    ALPHANUMERIC_UNREGISTERED,
    DEFAULT_CATALOGUE,
    INTERNATIONAL_LONG_CODE,
    LONG_CODE,
    MESSAGING_SERVICE,
    SHORT_CODE,
    TEN_DLC,
    TOLL_FREE,
    AlphanumericSupport,
    Catalogue,
    CatalogueError,
    CountryRule,
    LeadTime,
    RegistrationRoute,
    UnknownSenderType,
    UnknownTrustTier,
)

SENDER_KINDS = {"long_code", "a2p_10dlc", "toll_free", "short_code", "alphanumeric", "messaging_service"}


def test_sender_types_in_the_order_of_the_sender_matrix():
    assert [t.code for t in DEFAULT_CATALOGUE.sender_types] == [
        SHORT_CODE,
        TEN_DLC,
        TOLL_FREE,
        ALPHANUMERIC_UNREGISTERED,
        ALPHANUMERIC_REGISTERED,
        INTERNATIONAL_LONG_CODE,
        LONG_CODE,
        MESSAGING_SERVICE,
    ]


def test_every_sender_type_maps_to_a_sender_kind():
    assert {t.kind for t in DEFAULT_CATALOGUE.sender_types} == SENDER_KINDS


@pytest.mark.parametrize(
    ("code", "two_way", "voice", "route", "delivery_receipts", "local", "vetted", "scales"),
    [
        (SHORT_CODE, True, False, RegistrationRoute.APPLICATION_FORM, "Country dependent", True, True, False),
        (TEN_DLC, True, True, RegistrationRoute.API, "Carrier", True, True, False),
        (TOLL_FREE, True, True, RegistrationRoute.API_AND_FORM, "Handset (US/CA)", True, True, False),
        (ALPHANUMERIC_UNREGISTERED, False, False, RegistrationRoute.NONE, "Country dependent", True, False, False),
        (
            ALPHANUMERIC_REGISTERED,
            False,
            False,
            RegistrationRoute.APPLICATION_FORM,
            "Country dependent",
            True,
            True,
            False,
        ),
        (INTERNATIONAL_LONG_CODE, True, False, RegistrationRoute.API, "Country dependent", False, False, True),
        (LONG_CODE, True, True, RegistrationRoute.API, "Country dependent", True, False, True),
    ],
)
def test_sender_matrix_facts(code, two_way, voice, route, delivery_receipts, local, vetted, scales):
    facts = DEFAULT_CATALOGUE.sender_type(code)
    assert (
        facts.two_way,
        facts.voice,
        facts.registration_route,
        facts.delivery_receipts,
        facts.sender_is_local,
        facts.vetted,
        facts.scales_with_senders,
    ) == (two_way, voice, route, delivery_receipts, local, vetted, scales)


@pytest.mark.parametrize(
    ("code", "recurring", "carrier"),
    [
        (SHORT_CODE, True, True),
        (TEN_DLC, True, True),
        (TOLL_FREE, None, True),  # "depends on throughput"
        (ALPHANUMERIC_UNREGISTERED, False, False),
        (ALPHANUMERIC_REGISTERED, True, False),
        (INTERNATIONAL_LONG_CODE, False, False),
        (LONG_CODE, None, None),  # not in the sender matrix
        (MESSAGING_SERVICE, None, None),
    ],
)
def test_fees_say_whether_they_exist(code, recurring, carrier):
    fees = DEFAULT_CATALOGUE.sender_type(code).fees
    assert (fees.recurring, fees.carrier) == (recurring, carrier)
    # then: no source gives a single recurring or carrier amount, so none is made up
    assert (fees.recurring_usd, fees.carrier_usd) == (None, None)


def test_only_the_fees_twilio_lists_have_amounts_with_the_date_read():
    with_amounts = [t.code for t in DEFAULT_CATALOGUE.sender_types if t.fees.one_time_usd is not None]
    fees = DEFAULT_CATALOGUE.sender_type(TEN_DLC).fees
    assert with_amounts == [TEN_DLC]
    assert (fees.one_time_usd, fees.read_on, fees.source) == (
        Decimal("59.00"),
        date(2026, 12, 1),
        "https://support.twilio.com/hc/en-us/articles/11587910480155",
    )
    assert fees.one_time_text == (
        "Brand registration $4, secondary vetting $40 (Standard brands), campaign vetting $15 for each campaign and "
        "each resubmission: $59 for a Standard brand with one campaign"
    )
    assert (
        fees.recurring_text
        == "Campaign fee of $1.50–$10 a month by use case; $2 a month for a Sole Proprietor campaign"
    )
    assert "Starter" not in fees.recurring_text


@pytest.mark.parametrize(
    ("type_code", "country", "tier", "mps"),
    [
        (SHORT_CODE, "US", None, 100),
        (SHORT_CODE, "CA", None, 100),
        (SHORT_CODE, "GB", None, 100),
        (SHORT_CODE, "BR", None, None),  # country dependent; no source gives Brazil's
        (SHORT_CODE, None, None, None),
        (LONG_CODE, "CA", None, 1),
        (LONG_CODE, "GB", None, 10),
        (LONG_CODE, "DE", None, 10),
        (LONG_CODE, None, None, 10),
        (TOLL_FREE, "US", None, 3),
        (TOLL_FREE, "CA", None, 3),
        (ALPHANUMERIC_UNREGISTERED, "GB", None, 10),
        (ALPHANUMERIC_REGISTERED, "AE", None, 10),
        (INTERNATIONAL_LONG_CODE, "BR", None, 10),
        (INTERNATIONAL_LONG_CODE, "MX", None, 10),
        (TEN_DLC, "US", None, 12),  # the default tier: Trust Score 1–49
        (TEN_DLC, "US", "low", 12),
        (TEN_DLC, "US", "medium", 120),
        (TEN_DLC, "US", "high", 225),
        (TEN_DLC, "US", "sole_proprietor", 1),
        (TEN_DLC, "US", "low_volume_mixed", 3),  # 3.75, kept as whole MPS
        (MESSAGING_SERVICE, "US", None, None),
        (SHORT_CODE, "ZZ", None, None),  # a country without a rule falls back to the type
    ],
)
def test_mps_for(type_code, country, tier, mps):
    assert DEFAULT_CATALOGUE.mps_for(type_code, country, tier) == mps


@pytest.mark.parametrize(
    ("code", "label", "total", "per_carrier", "tmobile_cap"),
    [
        ("high", "Trust Score 75–100", 225, {"AT&T": 75, "T-Mobile": 75, "Verizon": 75}, 200_000),
        # the lower tiers' caps were empty: 2,000 a day, Twilio's default, until Twilio confirms another figure
        ("medium", "Trust Score 50–74", 120, {"AT&T": 40, "T-Mobile": 40, "Verizon": 40}, 2_000),
        ("low", "Trust Score 1–49", 12, {"AT&T": 4, "T-Mobile": 4, "Verizon": 4}, 2_000),
        ("low_volume_mixed", "Low-Volume Standard brand, Low Volume Mixed campaign", 3, {}, 2_000),
        ("sole_proprietor", "Sole Proprietor", 1, {}, 1_000),
    ],
)
def test_tendlc_tiers(code, label, total, per_carrier, tmobile_cap):
    tier = DEFAULT_CATALOGUE.tendlc_tier(code)
    assert (tier.label, tier.total_mps, dict(tier.per_carrier_mps), tier.tmobile_daily_cap) == (
        label,
        total,
        per_carrier,
        tmobile_cap,
    )


def test_tier_codes_highest_first_and_default_is_the_lowest_standard_tier():
    assert DEFAULT_CATALOGUE.tendlc_tier_codes() == ("high", "medium", "low", "low_volume_mixed", "sole_proprietor")
    assert DEFAULT_CATALOGUE.tendlc_tier().code == "low"


@pytest.mark.parametrize(
    ("type_code", "country", "lead_time"),
    [
        # Twilio's pages read on 2026-12-01 (they were 6–10 weeks, 5–7 business days and "minutes")
        (SHORT_CODE, "US", LeadTime(56, 84, text="8–12 weeks")),
        (SHORT_CODE, "BR", None),  # Twilio's Brazilian pages give no time
        (SHORT_CODE, "DE", None),
        (SHORT_CODE, "CA", LeadTime(84, 112, text="12–16 weeks")),
        (SHORT_CODE, "GB", LeadTime(84, 112, text="12–16 weeks")),
        (TOLL_FREE, "US", LeadTime(10, 15, business_days=True, text="10–15 business days")),
        (TEN_DLC, "US", LeadTime(10, 15, business_days=True, text="10–15 business days")),
        (ALPHANUMERIC_UNREGISTERED, "GB", LeadTime(0, 0, text="minutes")),
        (ALPHANUMERIC_REGISTERED, "AE", None),  # country specific
        (INTERNATIONAL_LONG_CODE, "BR", LeadTime(0, 0, text="instant")),
        (LONG_CODE, "DE", LeadTime(0, 0, text="instant")),
    ],
)
def test_lead_time_for(type_code, country, lead_time):
    assert DEFAULT_CATALOGUE.lead_time_for(type_code, country) == lead_time


@pytest.mark.parametrize(
    ("country", "alphanumeric", "long_code_local", "two_way", "offered"),
    [
        ("US", AlphanumericSupport.UNSUPPORTED, True, True, (SHORT_CODE, TEN_DLC, TOLL_FREE)),
        ("CA", AlphanumericSupport.UNSUPPORTED, True, True, (SHORT_CODE, TOLL_FREE, LONG_CODE)),
        ("GB", AlphanumericSupport.SUPPORTED, True, True, (SHORT_CODE, ALPHANUMERIC_UNREGISTERED, LONG_CODE)),
        ("BR", AlphanumericSupport.UNSUPPORTED, False, True, (SHORT_CODE, INTERNATIONAL_LONG_CODE)),
        ("DE", AlphanumericSupport.SUPPORTED, True, True, (SHORT_CODE, ALPHANUMERIC_UNREGISTERED, LONG_CODE)),
        ("FR", AlphanumericSupport.SUPPORTED, False, True, (SHORT_CODE, ALPHANUMERIC_UNREGISTERED)),
        ("AU", AlphanumericSupport.PRE_REGISTRATION, True, True, (ALPHANUMERIC_REGISTERED, LONG_CODE)),
        ("MX", AlphanumericSupport.UNSUPPORTED, False, True, (SHORT_CODE, INTERNATIONAL_LONG_CODE)),
        ("IN", AlphanumericSupport.PRE_REGISTRATION, False, False, (ALPHANUMERIC_REGISTERED, INTERNATIONAL_LONG_CODE)),
        ("AE", AlphanumericSupport.PRE_REGISTRATION, False, False, (ALPHANUMERIC_REGISTERED,)),
    ],
)
def test_country_rules(country, alphanumeric, long_code_local, two_way, offered):
    rule = DEFAULT_CATALOGUE.country(country)
    assert (rule.alphanumeric, rule.long_code_local, rule.two_way_supported, rule.offered) == (
        alphanumeric,
        long_code_local,
        two_way,
        offered,
    )


@pytest.mark.parametrize("rule", DEFAULT_CATALOGUE.countries, ids=lambda rule: rule.country)
def test_country_rules_agree_with_their_alphanumeric_support(rule):
    offered = set(rule.offered)
    expected = {
        AlphanumericSupport.SUPPORTED: {ALPHANUMERIC_UNREGISTERED},
        AlphanumericSupport.PRE_REGISTRATION: {ALPHANUMERIC_REGISTERED},
        AlphanumericSupport.UNSUPPORTED: set(),
    }[rule.alphanumeric]
    assert offered & {ALPHANUMERIC_UNREGISTERED, ALPHANUMERIC_REGISTERED} == expected
    assert rule.long_code_local == bool(offered & {LONG_CODE, TEN_DLC})
    assert rule.sources


def test_unknown_country_has_no_rule():
    assert DEFAULT_CATALOGUE.country("ZZ") is None


def test_alphanumeric_countries_feed_the_pool_chooser():
    assert DEFAULT_CATALOGUE.alphanumeric_countries() == frozenset({"GB", "DE", "FR", "AU", "IN", "AE"})


@pytest.mark.parametrize(
    ("type_code", "country", "expected"),
    [
        (TEN_DLC, "US", (True, "")),
        (TEN_DLC, "GB", (False, "A2P 10DLC senders send only to the United States.")),
        (TOLL_FREE, "BR", (False, "Toll-free senders send only to Canada and the United States.")),
        (ALPHANUMERIC_UNREGISTERED, "US", (False, "Alphanumeric sender IDs are not supported in the United States.")),
        (ALPHANUMERIC_UNREGISTERED, "MX", (False, "Alphanumeric sender IDs are not supported in Mexico.")),
        (
            ALPHANUMERIC_UNREGISTERED,
            "AE",
            (False, "The United Arab Emirates delivers only pre-registered alphanumeric sender IDs."),
        ),
        (
            ALPHANUMERIC_REGISTERED,
            "GB",
            (False, "The United Kingdom needs no alphanumeric pre-registration: an unregistered sender ID is used."),
        ),
        (
            LONG_CODE,
            "US",
            (False, "US local numbers send application-to-person messages only as registered A2P 10DLC senders."),
        ),
        (LONG_CODE, "BR", (False, "Twilio offers no Brazilian numbers for application-to-person SMS.")),
        (INTERNATIONAL_LONG_CODE, "GB", (False, "UK carriers block numeric sender IDs from outside the UK.")),
        (SHORT_CODE, "DE", (True, "")),
        (SHORT_CODE, "MX", (True, "")),
        (SHORT_CODE, "AE", (False, "Short code senders are not offered for the United Arab Emirates.")),
        (
            LONG_CODE,
            "FR",
            (
                False,
                "French numbers are not in the catalogue for application-to-person SMS: other "
                "providers allow them only for person-to-person messages; ask Twilio.",
            ),
        ),
        (SHORT_CODE, "ZZ", (False, "The catalogue has no rules for ZZ.")),
    ],
)
def test_offering(type_code, country, expected):
    assert DEFAULT_CATALOGUE.offering(type_code, country) == expected


def test_unknown_sender_type_and_tier():
    with pytest.raises(UnknownSenderType, match="no sender type 'carrier_pigeon'"):
        DEFAULT_CATALOGUE.sender_type("carrier_pigeon")
    with pytest.raises(
        UnknownTrustTier, match="no A2P 10DLC tier 'gold'; tiers: high, medium, low, low_volume_mixed, sole_proprietor"
    ):
        DEFAULT_CATALOGUE.mps_for(TEN_DLC, "US", "gold")


def test_catalogue_refuses_duplicate_codes():
    types = DEFAULT_CATALOGUE.sender_types
    with pytest.raises(CatalogueError, match="duplicate sender type: short_code"):
        Catalogue(types + types[:1], DEFAULT_CATALOGUE.countries, DEFAULT_CATALOGUE.tendlc_tiers)


def test_catalogue_refuses_a_country_naming_an_unknown_type():
    rule = CountryRule("FR", "France", ("pager",), AlphanumericSupport.SUPPORTED, False)
    with pytest.raises(CatalogueError, match="FR names unknown sender types: pager"):
        Catalogue(DEFAULT_CATALOGUE.sender_types, (rule,), DEFAULT_CATALOGUE.tendlc_tiers)


def test_catalogue_refuses_an_unknown_default_tier():
    with pytest.raises(CatalogueError, match="default 10DLC tier gold is not a tier"):
        Catalogue(DEFAULT_CATALOGUE.sender_types, (), DEFAULT_CATALOGUE.tendlc_tiers, default_tendlc_tier="gold")


def test_a_staff_edited_catalogue_changes_the_answers():
    # given: ISV staff raised Brazil's short code to a known MPS
    brazil = DEFAULT_CATALOGUE.country("BR")
    edited = CountryRule(
        brazil.country,
        brazil.name,
        brazil.offered,
        brazil.alphanumeric,
        brazil.long_code_local,
        mps_overrides={SHORT_CODE: 100},
    )
    catalogue = Catalogue(DEFAULT_CATALOGUE.sender_types, (edited,), DEFAULT_CATALOGUE.tendlc_tiers)
    # then
    assert catalogue.mps_for(SHORT_CODE, "BR") == 100
    assert DEFAULT_CATALOGUE.mps_for(SHORT_CODE, "BR") is None


@pytest.mark.parametrize(
    ("type_code", "country", "transactional", "mps"),
    [
        (SHORT_CODE, "BR", True, 150),  # passcodes and critical alerts on a Brazilian short code
        (SHORT_CODE, "BR", False, None),  # Twilio gives no marketing figure
        (SHORT_CODE, "US", True, 100),
        (LONG_CODE, "GB", True, 10),
    ],
)
def test_transactional_mps_where_the_country_sets_one(type_code, country, transactional, mps):
    assert DEFAULT_CATALOGUE.mps_for(type_code, country, transactional=transactional) == mps


@pytest.mark.parametrize(
    ("country", "marketing_rules", "filtered", "shares"),
    [
        ("US", (), {}, {"T-Mobile": 40}),
        ("CA", (), {LONG_CODE}, {}),
        (
            "BR",
            (
                "Marketing messages only between 9 am and 10 pm, unless the recipient agreed to other hours.",
                "At most 7 marketing messages per recipient a week, unless the recipient agreed to more.",
            ),
            set(),
            {},
        ),
        ("GB", (), set(), {}),
    ],
)
def test_country_marketing_rules_filtering_and_carrier_shares(country, marketing_rules, filtered, shares):
    rule = DEFAULT_CATALOGUE.country(country)
    assert (rule.marketing_rules, set(rule.carrier_filtering), dict(rule.carrier_share_percent)) == (
        marketing_rules,
        set(filtered),
        shares,
    )


def test_every_fact_read_from_twilio_cites_the_page_and_the_date():
    rules = [*DEFAULT_CATALOGUE.countries, *DEFAULT_CATALOGUE.tendlc_tiers]
    sources = [source for item in [*DEFAULT_CATALOGUE.sender_types, *rules] for source in item.sources]
    twilio = [s for s in sources if "twilio.com" in s and "(" in s]
    assert twilio
    assert all("read 2026-12-01" in s for s in twilio)
    india = DEFAULT_CATALOGUE.country("IN")
    assert india.notes[0].startswith("Twilio's two sources disagree.")
    assert "The article is the current one" in india.notes[0]
