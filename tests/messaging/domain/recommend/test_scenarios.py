"""Realistic questions, answered as a Twilio solutions engineer would: ranking, fitness for the peak, warnings."""

from datetime import date, timedelta

import pytest

from messaging.domain.recommend import Priority, RecommendationRequest, UseCase, recommend
from tests.messaging.domain.recommend.helpers import TODAY

US_OTP_IN_3_DAYS = {
    "use_case": UseCase.OTP,
    "two_way": False,
    "countries": ("US",),
    "daily_volume": 10_000,
    "required_mps": 20,
    "today": TODAY,
    "go_live": TODAY + timedelta(days=3),
}
US_FLASH_SALE = {
    "use_case": UseCase.PROMOTIONAL,
    "two_way": False,
    "countries": ("US",),
    "daily_volume": 1_000_000,
    "peak_messages": 1_000_000,
    "peak_window_seconds": 3_600,
    "today": TODAY,
    "go_live": TODAY + timedelta(days=90),
}


def answer(result) -> dict:
    """Per country: its warnings, then per option type, score, meets the peak, suitable for it, lead time, warnings."""
    return {
        c.country: (
            tuple(w.code for w in c.warnings),
            [
                (
                    o.sender_type,
                    o.score,
                    o.meets_peak,
                    o.suitable_for_peak,
                    o.lead_time.status.value,
                    tuple(w.code for w in o.warnings),
                )
                for o in c.options
            ],
        )
        for c in result.countries
    }


SCENARIOS = [
    pytest.param(
        US_OTP_IN_3_DAYS,
        (False, ("not_ready_by_go_live", "set_validity_period", "verification_product")),
        {
            "US": (
                ("go_live_at_risk",),
                [
                    ("short_code", -25, True, None, "too_late", ("short_code_lead_time", "lead_time_at_risk")),
                    (
                        "toll_free",
                        -100,
                        False,
                        None,
                        "too_late",
                        ("toll_free_verification", "peak_exceeds_throughput", "lead_time_at_risk"),
                    ),
                    (
                        "a2p_10dlc",
                        -105,
                        False,
                        None,
                        "too_late",
                        (
                            "tendlc_trust_score",
                            "tendlc_tmobile_daily_cap",
                            "peak_exceeds_throughput",
                            "lead_time_at_risk",
                        ),
                    ),
                ],
            )
        },
        id="US passcodes at 20 MPS in 3 days: nothing is ready, said first",
    ),
    pytest.param(
        US_FLASH_SALE,
        (True, ()),
        {
            "US": (
                (),
                [
                    ("short_code", -13, False, True, "fits", ("short_code_lead_time", "peak_exceeds_throughput")),
                    (
                        "toll_free",
                        -25,
                        False,
                        False,
                        "fits",
                        ("toll_free_verification", "peak_exceeds_throughput", "peak_outlasts_window"),
                    ),
                    (
                        "a2p_10dlc",
                        -44,
                        False,
                        False,
                        "fits",
                        (
                            "tendlc_trust_score",
                            "tendlc_tmobile_daily_cap",
                            "peak_exceeds_throughput",
                            "peak_outlasts_window",
                        ),
                    ),
                ],
            )
        },
        id="US flash sale of 1,000,000 in an hour: the short code, the others unsuitable",
    ),
    pytest.param(
        {
            "use_case": UseCase.TRANSACTIONAL,
            "two_way": True,
            "countries": ("US",),
            "daily_volume": 2_000,
            "peak_messages": 300,
            "peak_window_seconds": 3_600,
            "priority": Priority.DELIVERABILITY,
            "today": TODAY,
            "go_live": TODAY + timedelta(days=30),
        },
        (True, ()),
        {
            "US": (
                (),
                [
                    # 800 a day to T-Mobile: under the cap, so no cap warning; a tie broken by the sender matrix
                    ("a2p_10dlc", 50, True, True, "fits", ("tendlc_trust_score",)),
                    ("toll_free", 50, True, True, "fits", ("toll_free_verification",)),
                    ("short_code", -30, True, True, "too_late", ("short_code_lead_time", "lead_time_at_risk")),
                ],
            )
        },
        id="US healthcare reminders, 2,000 a day, two-way",
    ),
    pytest.param(
        {
            "use_case": UseCase.PROMOTIONAL,
            "two_way": False,
            "countries": ("GB",),
            "daily_volume": 200_000,
            "peak_messages": 100_000,
            "peak_window_seconds": 3_600,
            "today": TODAY,
            "go_live": TODAY + timedelta(days=30),
        },
        (True, ()),
        {
            "GB": (
                ("alphanumeric_or_long_code_pool",),
                [
                    ("long_code", 30, True, True, "fits", ()),
                    (
                        "alphanumeric_unregistered",
                        20,
                        False,
                        True,
                        "fits",
                        ("alphanumeric_no_replies", "peak_exceeds_throughput"),
                    ),
                    ("short_code", -35, True, True, "too_late", ("short_code_lead_time", "lead_time_at_risk")),
                ],
            )
        },
        id="GB marketing, 200,000 a day, 100,000 in an hour: a long code pool against an alphanumeric ID",
    ),
    pytest.param(
        {
            "use_case": UseCase.CONVERSATIONAL,
            "two_way": True,
            "countries": ("CA",),
            "daily_volume": 1_000,
            "peak_messages": 100,
            "peak_window_seconds": 600,
            "today": TODAY,
            "go_live": TODAY + timedelta(days=30),
        },
        (True, ()),
        {
            "CA": (
                (),
                [
                    ("toll_free", 45, True, True, "fits", ("toll_free_verification",)),
                    ("long_code", 40, True, True, "fits", ("carrier_filtering",)),
                    ("short_code", -35, True, True, "too_late", ("short_code_lead_time", "lead_time_at_risk")),
                ],
            )
        },
        id="Canada two-way support: long codes filtered, the short code 12–16 weeks away",
    ),
    pytest.param(
        {
            "use_case": UseCase.OTP,
            "two_way": False,
            "countries": ("IN",),
            "daily_volume": 50_000,
            "peak_messages": 2_000,
            "peak_window_seconds": 600,
            "today": TODAY,
            "go_live": TODAY + timedelta(days=30),
        },
        (True, ("set_validity_period", "verification_product")),
        {
            "IN": (
                (),
                [
                    (
                        "alphanumeric_registered",
                        35,
                        True,
                        True,
                        "unknown",
                        ("alphanumeric_no_replies", "alphanumeric_preregistration", "lead_time_unknown"),
                    ),
                    ("international_long_code", 25, True, True, "fits", ("non_local_sender_overwritten",)),
                ],
            )
        },
        id="India passcodes: a DLT-registered sender ID first",
    ),
    pytest.param(
        {
            "use_case": UseCase.PROMOTIONAL,
            "two_way": False,
            "countries": ("BR",),
            "daily_volume": 300_000,
            "peak_messages": 300_000,
            "peak_window_seconds": 4 * 3_600,
            "today": TODAY,
            "go_live": TODAY + timedelta(days=120),
        },
        (True, ()),
        {
            "BR": (
                ("marketing_rules",),
                [
                    # Twilio gives a Brazilian short code's MPS for transactional traffic only
                    (
                        "short_code",
                        15,
                        None,
                        None,
                        "unknown",
                        ("short_code_lead_time", "throughput_unknown", "lead_time_unknown"),
                    ),
                    ("international_long_code", 15, True, True, "fits", ("non_local_sender_overwritten",)),
                ],
            )
        },
        id="Brazil marketing, 300,000 in 4 hours: permitted hours and a weekly cap",
    ),
]


@pytest.mark.parametrize(("fields", "expected_top", "expected_countries"), SCENARIOS)
def test_scenarios(fields, expected_top, expected_countries):
    result = recommend(RecommendationRequest(**fields))
    assert (result.ready_by_go_live, tuple(w.code for w in result.warnings)) == expected_top
    assert answer(result) == expected_countries


def test_five_countries_of_notifications_in_ten_minutes():
    # given: 20,000 notifications to the US, the UK, Germany, France and Australia within 10 minutes
    fields = {
        "use_case": UseCase.TRANSACTIONAL,
        "two_way": False,
        "countries": ("US", "GB", "DE", "FR", "AU"),
        "daily_volume": 20_000,
        "peak_messages": 20_000,
        "peak_window_seconds": 600,
        "today": TODAY,
        "go_live": TODAY + timedelta(days=30),
    }
    # when
    result = recommend(RecommendationRequest(**fields))
    # then
    assert (result.needed_mps, result.ready_by_go_live, result.warnings) == (40, True, ())
    assert [(c.country, c.recommended) for c in result.countries] == [
        ("US", "toll_free"),
        ("GB", "long_code"),
        ("DE", "long_code"),
        ("FR", "alphanumeric_unregistered"),
        ("AU", "long_code"),
    ]
    ranking = {c.country: [(o.sender_type, o.score) for o in c.options] for c in result.countries}
    assert ranking == {
        "US": [("toll_free", -22), ("a2p_10dlc", -33), ("short_code", -35)],
        "GB": [("long_code", 30), ("alphanumeric_unregistered", 20), ("short_code", -35)],
        "DE": [("long_code", 30), ("alphanumeric_unregistered", 20), ("short_code", 15)],
        "FR": [("alphanumeric_unregistered", 20), ("short_code", 15)],
        "AU": [("long_code", 30), ("alphanumeric_registered", 10)],
    }
    assert {c.country: tuple(w.code for w in c.warnings) for c in result.countries} == {
        "US": (),
        "GB": ("alphanumeric_or_long_code_pool",),
        "DE": ("alphanumeric_or_long_code_pool",),
        "FR": (),
        "AU": (),
    }
    assert result.notes == (
        "Put the chosen senders in one Messaging Service: Twilio picks a sender from the pool for each message, one "
        "in the recipient's country first.",
    )


def test_passcodes_in_3_days_say_what_to_do_meanwhile_and_the_fastest_path():
    result = recommend(RecommendationRequest(**US_OTP_IN_3_DAYS))
    us = result.country("US")
    assert (us.ready_by_go_live, us.fastest, us.fastest_ready_on) == (False, "a2p_10dlc", date(2026, 12, 14))
    assert result.warnings[0].text == (
        "No sender is ready by go-live (2026-11-26, in 3 days) for the United States. Fastest: the United States: "
        "A2P 10DLC (10–15 business days, ready by about 2026-12-14), 12 of the 24 MPS needed; Short code meets the "
        "peak (8–12 weeks, about 2027-02-15). See what to do meanwhile."
    )
    assert result.meanwhile == (
        "Until then, send from a sender you already have that is approved for this traffic (an approved A2P 10DLC "
        "campaign, a verified toll-free number or a live short code), if you have one.",
        "Send the passcodes with Twilio Verify meanwhile: it uses senders Twilio has registered, so it works from "
        "day one (https://www.twilio.com/docs/verify/api).",
        "Start the fastest registration today: the United States: A2P 10DLC (10–15 business days, ready by about "
        "2026-12-14), 12 of the 24 MPS needed; Short code meets the peak (8–12 weeks, about 2027-02-15).",
        "Or move go-live to 2026-12-14 or later.",
    )
    assert result.warnings[2].text.startswith("Twilio Verify is an alternative for passcodes")


def test_the_flash_sale_marks_slow_senders_unsuitable_with_the_reason():
    us = recommend(RecommendationRequest(**US_FLASH_SALE)).country("US")
    short_code, toll_free, tendlc = us.options
    assert (us.recommended, short_code.peak_drain_seconds, short_code.unsuitable_reason) == ("short_code", 10_000, "")
    assert short_code.reasons[1] == "100 MPS is 70 % short of the 334 MPS needed at peak."
    assert toll_free.reasons[1] == "3 MPS is 99 % short of the 334 MPS needed at peak."
    assert toll_free.unsuitable_reason == (
        "At 3 MPS the peak takes 92 h 35 min 34 s: its last segments would wait 91 h 35 min 34 s, longer than the "
        "10 h (36,000 s) a sender queues segments: the rest are refused (21611, or 30001 through a Messaging "
        "Service). Unsuitable for this peak."
    )
    assert tendlc.unsuitable_reason.startswith("At 12 MPS the peak takes 23 h 8 min 54 s")
    # T-Mobile's share of a million a day is far over the cap of a brand of unknown Trust Score
    assert (
        "T-Mobile takes at most 2,000 segments a day from the brand, fewer than the 400,000 bound for its subscribers."
        in tendlc.reasons
    )


def test_the_alphanumeric_or_pool_weighing_explains_the_choice_and_the_opt_out():
    fields = {**US_FLASH_SALE, "countries": ("GB",), "daily_volume": 200_000, "peak_messages": 100_000}
    gb = recommend(RecommendationRequest(**fields)).country("GB")
    assert gb.warnings[0].text == (
        "One-way bulk to the United Kingdom: an alphanumeric sender ID shows your name, but it sends 10 MPS of the 34 "
        "needed until Twilio Support raises it on request; a pool of 4 long codes gives 40 MPS at once, but "
        "recipients see a number. The long code pool ranks first here; if the name matters more, ask for the "
        "increase well before go-live. Recipients cannot reply to an alphanumeric ID, so each message must say how "
        "to opt out another way: a link, or a number that takes STOP."
    )
    alpha = gb.options[1]
    assert alpha.reasons[1] == (
        "10 MPS is 71 % short of the 34 MPS needed at peak: ask Twilio Support to raise it before go-live."
    )


def test_brazil_marketing_rules_are_named():
    fields = {**US_FLASH_SALE, "countries": ("BR",), "peak_window_seconds": 4 * 3_600}
    brazil = recommend(RecommendationRequest(**fields)).country("BR")
    assert brazil.warnings[0].text == (
        "Marketing in Brazil: Marketing messages only between 9 am and 10 pm, unless the recipient agreed to other "
        "hours. At most 7 marketing messages per recipient a week, unless the recipient agreed to more."
    )


def test_a_country_without_rules_is_never_silent():
    result = recommend(RecommendationRequest(**{**US_FLASH_SALE, "countries": ("NZ",)}))
    (warning,) = result.country("NZ").warnings
    assert (warning.code, warning.text) == (
        "country_not_in_catalogue",
        "No country rules for NZ: check Twilio's guidelines for NZ (https://www.twilio.com/en-us/guidelines/nz/sms) "
        "and ask ISV staff to add the country.",
    )
    assert (result.ready_by_go_live, result.warnings[0].text) == (
        False,
        "No sender is ready by go-live (2027-02-21, in 90 days) for NZ. Fastest: NZ: no sender type fits, see its "
        "warnings. See what to do meanwhile.",
    )
