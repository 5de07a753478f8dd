from datetime import timedelta
from decimal import Decimal

import pytest

from messaging.domain.catalogue import DEFAULT_CATALOGUE, Catalogue
from messaging.domain.recommend import Priority, RecommendationRequest, UseCase, recommend
from tests.messaging.domain.recommend.helpers import (
    ACCEPTANCE,
    AT_RISK,
    FITS,
    TODAY,
    TOO_LATE,
    UNKNOWN,
    request,
)


def ranked(country) -> list[tuple]:
    """Per option: type, MPS of one sender, senders needed, their MPS, meets the peak, lead time, warning codes."""
    return [
        (
            o.sender_type,
            o.mps_per_sender,
            o.senders_needed,
            o.throughput_mps,
            o.meets_peak,
            o.lead_time.status,
            tuple(w.code for w in o.warnings),
        )
        for o in country.options
    ]


# One-way passcodes in 2 weeks where no local number sends: a long code from another country fits, and the short
# code (its MPS unknown) cannot be ready in time (Mexico: the short code's default lead time of 8–12 weeks).
FOREIGN_LONG_CODE_OR_LATE_SHORT_CODE = [
    ("international_long_code", 10, 1, 10, True, FITS, ("non_local_sender_overwritten",)),
    (
        "short_code",
        None,
        None,
        None,
        None,
        TOO_LATE,
        ("short_code_lead_time", "throughput_unknown", "lead_time_at_risk"),
    ),
]

# Falcon Flights' time-sensitive disruption alerts in the US: 30,000 in 5 minutes, deliverability first.
DISRUPTION_ALERTS = {
    **ACCEPTANCE,
    "use_case": UseCase.TRANSACTIONAL,
    "time_sensitive": True,
    "countries": ("US",),
    "daily_volume": 150_000,
    "peak_messages": 30_000,
    "peak_window_seconds": 300,
    "priority": Priority.DELIVERABILITY,
    "go_live": TODAY + timedelta(days=90),
}

CASES = [
    pytest.param(
        ACCEPTANCE,
        {
            # 10DLC campaigns take 10–15 business days to vet (was minutes), toll-free verification 10–15 (was 5–7):
            # with 10 business days to go-live both are at risk; T-Mobile's 2,000 a day is below the 50,000
            "US": [
                (
                    "a2p_10dlc",
                    12,
                    1,
                    12,
                    True,
                    AT_RISK,
                    ("tendlc_trust_score", "tendlc_tmobile_daily_cap", "lead_time_at_risk"),
                ),
                ("short_code", 100, 1, 100, True, TOO_LATE, ("short_code_lead_time", "lead_time_at_risk")),
                (
                    "toll_free",
                    3,
                    None,
                    3,
                    False,
                    AT_RISK,
                    ("toll_free_verification", "peak_exceeds_throughput", "lead_time_at_risk"),
                ),
            ],
            "GB": [
                ("alphanumeric_unregistered", 10, 1, 10, True, FITS, ("alphanumeric_no_replies",)),
                ("long_code", 10, 1, 10, True, FITS, ()),
                ("short_code", 100, 1, 100, True, TOO_LATE, ("short_code_lead_time", "lead_time_at_risk")),
            ],
        },
        {"US": ("go_live_at_risk",), "GB": ()},
        id="acceptance: OTP to US and GB, 2,000 in 10 min, live in 2 weeks",
    ),
    pytest.param(
        {
            **ACCEPTANCE,
            "use_case": UseCase.TRANSACTIONAL,
            "countries": ("US",),
            "daily_volume": 20_000,
            "peak_messages": 3_000,
            "priority": Priority.DELIVERABILITY,
            "go_live": TODAY + timedelta(days=60),
        },
        {
            "US": [
                ("a2p_10dlc", 12, 1, 12, True, FITS, ("tendlc_trust_score", "tendlc_tmobile_daily_cap")),
                ("short_code", 100, 1, 100, True, AT_RISK, ("short_code_lead_time", "lead_time_at_risk")),
                ("toll_free", 3, None, 3, False, FITS, ("toll_free_verification", "peak_exceeds_throughput")),
            ],
        },
        {"US": ()},
        id="Falcon Flights: order status updates in the US, deliverability first",
    ),
    pytest.param(
        DISRUPTION_ALERTS,
        {
            # toll-free misses the peak by more (-49 against -46) but 10DLC loses 20 to T-Mobile's daily cap: 60,000
            # of the 150,000 a day go to T-Mobile, and the low tier takes 2,000
            "US": [
                ("short_code", 100, None, 100, False, FITS, ("short_code_lead_time", "peak_exceeds_throughput")),
                ("toll_free", 3, None, 3, False, FITS, ("toll_free_verification", "peak_exceeds_throughput")),
                (
                    "a2p_10dlc",
                    12,
                    None,
                    12,
                    False,
                    FITS,
                    ("tendlc_trust_score", "tendlc_tmobile_daily_cap", "peak_exceeds_throughput"),
                ),
            ],
        },
        {"US": ()},
        id="Falcon Flights: time-sensitive disruption alerts, unknown Trust Score",
    ),
    pytest.param(
        {**DISRUPTION_ALERTS, "tendlc_tier": "high"},
        {
            "US": [
                ("a2p_10dlc", 225, 1, 225, True, FITS, ("tendlc_trust_score",)),
                ("short_code", 100, None, 100, False, FITS, ("short_code_lead_time", "peak_exceeds_throughput")),
                ("toll_free", 3, None, 3, False, FITS, ("toll_free_verification", "peak_exceeds_throughput")),
            ],
        },
        {"US": ()},
        id="Falcon Flights: the same alerts with a Trust Score of 75-100",
    ),
    pytest.param(
        {
            **ACCEPTANCE,
            "use_case": UseCase.CONVERSATIONAL,
            "two_way": True,
            "countries": ("BR",),
            "daily_volume": 5_000,
            "peak_messages": 300,
            "go_live": TODAY + timedelta(days=90),
        },
        # Twilio's Brazilian pages give no short code lead time (was the 6–10 weeks of the sender matrix)
        {
            "BR": [
                (
                    "short_code",
                    None,
                    None,
                    None,
                    None,
                    UNKNOWN,
                    ("short_code_lead_time", "throughput_unknown", "lead_time_unknown"),
                )
            ]
        },
        {"BR": ("prefer_local_two_way",)},
        id="Brazil: conversational, two-way",
    ),
    pytest.param(
        {**ACCEPTANCE, "countries": ("BR",)},
        {
            "BR": [
                # passcodes get a Brazilian short code's 150 MPS for transactional traffic; its lead time is unknown
                ("short_code", 150, 1, 150, True, UNKNOWN, ("short_code_lead_time", "lead_time_unknown")),
                ("international_long_code", 10, 1, 10, True, FITS, ("non_local_sender_overwritten",)),
            ]
        },
        {"BR": ()},
        id="Brazil: one-way passcodes in 2 weeks",
    ),
    pytest.param(
        {**ACCEPTANCE, "use_case": UseCase.CONVERSATIONAL, "two_way": True, "countries": ("GB",)},
        {
            "GB": [
                ("long_code", 10, 1, 10, True, FITS, ()),
                ("short_code", 100, 1, 100, True, TOO_LATE, ("short_code_lead_time", "lead_time_at_risk")),
            ],
        },
        {"GB": ()},
        id="UK two-way: no alphanumeric",
    ),
    pytest.param(
        {**ACCEPTANCE, "countries": ("MX",)},
        {"MX": FOREIGN_LONG_CODE_OR_LATE_SHORT_CODE},
        {"MX": ()},
        id="Mexico: alphanumeric unsupported",
    ),
    pytest.param(
        {**ACCEPTANCE, "countries": ("AE",)},
        {
            "AE": [
                (
                    "alphanumeric_registered",
                    10,
                    1,
                    10,
                    True,
                    UNKNOWN,
                    ("alphanumeric_no_replies", "alphanumeric_preregistration", "lead_time_unknown"),
                ),
            ],
        },
        {"AE": ()},
        id="UAE: alphanumeric only pre-registered",
    ),
    pytest.param(
        {**ACCEPTANCE, "use_case": UseCase.CONVERSATIONAL, "two_way": True, "countries": ("IN",)},
        {"IN": []},
        {"IN": ("no_suitable_sender",)},
        id="India: no two-way SMS",
    ),
    pytest.param(
        {**ACCEPTANCE, "countries": ("CA",)},
        {
            "CA": [
                ("long_code", 1, 4, 4, True, FITS, ("carrier_filtering",)),
                ("short_code", 100, 1, 100, True, TOO_LATE, ("short_code_lead_time", "lead_time_at_risk")),
                (
                    "toll_free",
                    3,
                    None,
                    3,
                    False,
                    AT_RISK,
                    ("toll_free_verification", "peak_exceeds_throughput", "lead_time_at_risk"),
                ),
            ],
        },
        {"CA": ()},
        id="Canada: four 1-MPS long codes pooled",
    ),
    pytest.param(
        {
            **ACCEPTANCE,
            "use_case": UseCase.TRANSACTIONAL,
            "countries": ("US",),
            "daily_volume": 5_000,
            "peak_messages": 60,
            "peak_window_seconds": 60,
            "tendlc_tier": "sole_proprietor",
        },
        {
            "US": [
                ("toll_free", 3, 1, 3, True, AT_RISK, ("toll_free_verification", "lead_time_at_risk")),
                ("short_code", 100, 1, 100, True, TOO_LATE, ("short_code_lead_time", "lead_time_at_risk")),
                (
                    "a2p_10dlc",
                    1,
                    None,
                    1,
                    False,
                    AT_RISK,
                    ("tendlc_trust_score", "tendlc_tmobile_daily_cap", "peak_exceeds_throughput", "lead_time_at_risk"),
                ),
            ],
        },
        {"US": ("go_live_at_risk",)},
        id="US Sole Proprietor brand: 1 MPS and 1,000 a day to T-Mobile",
    ),
    pytest.param(
        {
            **ACCEPTANCE,
            "use_case": UseCase.CONVERSATIONAL,
            "two_way": True,
            "voice": True,
            "countries": ("US",),
            "daily_volume": 2_000,
            "peak_messages": 100,
            "peak_window_seconds": 60,
            "go_live": TODAY + timedelta(days=30),
        },
        {
            "US": [
                ("a2p_10dlc", 12, 1, 12, True, FITS, ("tendlc_trust_score",)),
                ("toll_free", 3, 1, 3, True, FITS, ("toll_free_verification",)),
            ],
        },
        {"US": ()},
        id="US conversations with voice: no short code",
    ),
    pytest.param(
        {
            **ACCEPTANCE,
            "use_case": UseCase.PROMOTIONAL,
            "countries": ("DE",),
            "peak_messages": None,
            "peak_window_seconds": None,
            "required_mps": Decimal("2.5"),
            "priority": Priority.COST,
            "go_live": TODAY + timedelta(days=30),
        },
        {
            "DE": [
                ("alphanumeric_unregistered", 10, 1, 10, True, FITS, ("alphanumeric_no_replies",)),
                ("long_code", 10, 1, 10, True, FITS, ()),
                # Twilio publishes German short-code guidelines: offered, its MPS and lead time unknown
                (
                    "short_code",
                    None,
                    None,
                    None,
                    None,
                    UNKNOWN,
                    ("short_code_lead_time", "throughput_unknown", "lead_time_unknown"),
                ),
            ],
        },
        {"DE": ()},
        id="Germany: promotions, cost first, 2.5 MPS required",
    ),
    pytest.param(
        {**ACCEPTANCE, "countries": ("NZ",)},
        {"NZ": []},
        {"NZ": ("country_not_in_catalogue",)},
        id="a country without a rule",
    ),
]


@pytest.mark.parametrize(("fields", "expected_options", "expected_country_warnings"), CASES)
def test_recommend_table(fields, expected_options, expected_country_warnings):
    result = recommend(RecommendationRequest(**fields))
    assert {c.country: ranked(c) for c in result.countries} == expected_options
    assert {c.country: tuple(w.code for w in c.warnings) for c in result.countries} == expected_country_warnings
    for country in result.countries:
        assert [o.rank for o in country.options] == list(range(1, len(country.options) + 1))
        assert country.recommended == (country.options[0].sender_type if country.options else None)
        scores = [o.score for o in country.options]
        assert scores == sorted(scores, reverse=True)


def test_two_way_excludes_alphanumeric_with_the_reason():
    gb = recommend(request(two_way=True, use_case=UseCase.CONVERSATIONAL, countries=("GB",))).country("GB")
    assert (
        "alphanumeric_unregistered",
        "Alphanumeric sender ID (unregistered) is one-way: recipients cannot reply to it.",
    ) in [(e.sender_type, e.reason) for e in gb.excluded]
    assert gb.options[0].reasons[2] == "A local number is preferred for conversations."


def test_two_way_excludes_senders_from_another_country():
    br = recommend(request(two_way=True, use_case=UseCase.CONVERSATIONAL, countries=("BR",))).country("BR")
    assert [(e.sender_type, e.reason) for e in br.excluded] == [
        ("a2p_10dlc", "A2P 10DLC senders send only to the United States."),
        ("toll_free", "Toll-free senders send only to Canada and the United States."),
        ("alphanumeric_unregistered", "Alphanumeric sender IDs are not supported in Brazil."),
        ("alphanumeric_registered", "Alphanumeric sender IDs are not supported in Brazil."),
        (
            "international_long_code",
            "Two-way messaging needs a local sender: a sender from another country may be overwritten, so replies "
            "would not reach it.",
        ),
        ("long_code", "Twilio offers no Brazilian numbers for application-to-person SMS."),
    ]
    # then: the only sender left has an unknown lead time in Brazil (it was too late at 6–10 weeks), so no
    # go_live_at_risk
    assert [w.code for w in br.warnings] == ["prefer_local_two_way"]


def test_voice_excludes_senders_without_voice():
    us = recommend(request(voice=True, countries=("US",))).country("US")
    assert [o.sender_type for o in us.options] == ["a2p_10dlc", "toll_free"]
    assert [(e.sender_type, e.reason) for e in us.excluded][:1] == [
        ("short_code", "Short code carries no voice calls.")
    ]


def test_india_two_way_excludes_everything():
    india = recommend(request(two_way=True, countries=("IN",))).country("IN")
    assert india.recommended is None
    assert ("international_long_code", "Twilio does not support two-way SMS in India.") in [
        (e.sender_type, e.reason) for e in india.excluded
    ]


def test_country_specific_steps_and_notes():
    result = recommend(request(countries=("DE", "GB")))
    long_code = next(o for o in result.country("DE").options if o.sender_type == "long_code")
    assert long_code.registration_steps == (
        "Buy a local number in the destination country (instant).",
        "Provide proof of identity and a local address: German numbers require them.",
    )
    assert result.country("GB").notes[0] == "UK short codes provisioned before December 2016 default to 30 MPS."


def test_an_edited_catalogue_is_used():
    # given: staff dropped toll-free from the US rule
    us = DEFAULT_CATALOGUE.country("US")
    rules = tuple(
        rule
        if rule.country != "US"
        else type(rule)(us.country, us.name, ("short_code", "a2p_10dlc"), us.alphanumeric, True)
        for rule in DEFAULT_CATALOGUE.countries
    )
    catalogue = Catalogue(DEFAULT_CATALOGUE.sender_types, rules, DEFAULT_CATALOGUE.tendlc_tiers)
    # when
    result = recommend(request(countries=("US",)), catalogue)
    # then
    assert [o.sender_type for o in result.country("US").options] == ["a2p_10dlc", "short_code"]
    assert ("toll_free", "Toll-free senders are not offered for the United States.") in [
        (e.sender_type, e.reason) for e in result.country("US").excluded
    ]
