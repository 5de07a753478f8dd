"""Every pre-send rule, one table each: what it finds, with which id, severity and words, and when it finds nothing."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, time, timedelta

import pytest

from compliance.domain import rules
from compliance.domain.hours import DEFAULT_JURISDICTIONS
from compliance.domain.rules import Category, Context, Finding, Prospect, Severity
from compliance.domain.windows import Hours, Window

NOW = datetime(2026, 12, 1, 17, 0, tzinfo=UTC)  # Tue 12:00 in New York, 09:00 in Los Angeles
BASE = Prospect(
    to="+12125550100", country="US", region="NY", zones=("America/New_York",), category=Category.TRANSACTIONAL,
    body="Your order shipped.", segments=1, sender_kind="long_code", sender_registration="",
    alphanumeric_countries=frozenset({"GB", "FR"}), now=NOW,
)  # fmt: skip
CONTEXT = Context(tenant_hours=Hours((Window(time(8), time(21)),)), jurisdictions=DEFAULT_JURISDICTIONS)
MARKETING = replace(BASE, category=Category.MARKETING, body="20% off today. Reply STOP to opt out")
CONSENTED = replace(CONTEXT, has_marketing_consent=True)


def findings(p: Prospect = BASE, c: Context = CONTEXT) -> list[tuple[str, str, str]]:
    return [(f.rule, f.severity.value, f.message) for f in rules.evaluate(p, c)]


def test_a_plain_transactional_message_in_hours_finds_nothing():
    assert findings() == []
    assert findings(MARKETING, CONSENTED) == []


# --- OPT-01, OPT-03 ----------------------------------------------------------------------------------------------

OPTED = replace(CONTEXT, opted_out_at=NOW - timedelta(minutes=2))


@pytest.mark.parametrize(
    ("category", "opted_out_ago", "expected"),
    [
        (Category.TRANSACTIONAL, 2, [("OPT-01", "block", "+12125550100 opted out on 2026-12-01 16:58 UTC; "
                                                         "nothing more may be sent")]),
        (Category.KEYWORD_REPLY, 2, [("OPT-01", "block", "+12125550100 opted out on 2026-12-01 16:58 UTC; "
                                                         "nothing more may be sent")]),
        (Category.OPT_OUT_CONFIRMATION, 2, []),
        (Category.OPT_OUT_CONFIRMATION, 5, []),
        (Category.OPT_OUT_CONFIRMATION, 6, [("OPT-03", "block", "the opt-out confirmation may leave only within five "
                                                                "minutes of the opt-out")]),
    ],
)  # fmt: skip
def test_an_opted_out_number_gets_only_its_confirmation_within_five_minutes(category, opted_out_ago, expected):
    context = replace(CONTEXT, opted_out_at=NOW - timedelta(minutes=opted_out_ago))
    assert findings(replace(BASE, category=category), context) == expected


def test_a_confirmation_to_a_number_not_opted_out_finds_nothing():
    assert findings(replace(BASE, category=Category.OPT_OUT_CONFIRMATION)) == []


# --- CONS-01 -------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("category", "consent", "expected"),
    [
        (Category.MARKETING, False, [("CONS-01", "block", "no marketing consent is recorded for +12125550100")]),
        (Category.MARKETING, True, []),
        (Category.TRANSACTIONAL, False, []),
        (Category.PASSCODE, False, []),
    ],
)
def test_marketing_needs_consent(category, consent, expected):
    prospect = replace(MARKETING, category=category)
    assert findings(prospect, replace(CONTEXT, has_marketing_consent=consent)) == expected


# --- GEO-01 --------------------------------------------------------------------------------------------------------


def test_a_country_the_tenant_has_not_enabled_is_blocked():
    french = replace(BASE, to="+33612345678", country="FR", region="", zones=("Europe/Paris",))
    assert findings(french) == [("GEO-01", "block", "FR is not a country the tenant sends to (enabled: CA, US)")]
    assert findings(french, replace(CONTEXT, enabled_countries=frozenset({"FR", "US"}))) == []


# --- SEND-01, SEND-04, SEND-05 -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "state", "country", "expected"),
    [
        ("a2p_10dlc", "approved", "US", []),
        ("a2p_10dlc", "submitted", "US", ["SEND-01"]),
        ("a2p_10dlc", "draft", "CA", ["SEND-01"]),
        ("a2p_10dlc", "draft", "GB", []),
        ("toll_free", "verified", "US", []),
        ("toll_free", "pending", "US", ["SEND-01"]),
        ("short_code", "applied", "GB", ["SEND-01"]),
        ("short_code", "provisioned", "US", []),
        ("long_code", "", "US", []),
    ],
)
def test_unregistered_senders_cannot_reach_north_america(kind, state, country, expected):
    prospect = replace(BASE, sender_kind=kind, sender_registration=state, country=country)
    context = replace(CONTEXT, enabled_countries=frozenset({"US", "CA", "GB"}))
    assert [rule for rule, _, _ in findings(prospect, context)] == expected


def test_the_registration_refusal_says_why():
    prospect = replace(BASE, sender_kind="toll_free", sender_registration="pending")
    assert findings(prospect) == [
        ("SEND-01", "block", "the sender cannot send to US numbers: toll-free numbers send only once toll-free "
                             "verification is approved (registration is pending)")
    ]  # fmt: skip


@pytest.mark.parametrize(
    ("country", "expected"),
    [
        ("US", [("SEND-04", "block", "an alphanumeric sender ID cannot send to US numbers")]),
        ("CA", [("SEND-04", "block", "an alphanumeric sender ID cannot send to CA numbers")]),
        ("DE", [("SEND-04", "block", "an alphanumeric sender ID cannot send to DE numbers")]),
        ("GB", []),
    ],
)
def test_alphanumeric_senders_only_where_supported(country, expected):
    prospect = replace(BASE, sender_kind="alphanumeric", country=country, zones=("Europe/London",))
    context = replace(CONTEXT, enabled_countries=frozenset({"US", "CA", "DE", "GB"}), tenant_hours=None)
    assert findings(prospect, context) == expected


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ("Reply YES to confirm", [("SEND-05", "warn", "the body asks for a reply, but nobody can reply to an "
                                                      "alphanumeric sender")]),
        ("Your code is 123456", []),
    ],
)  # fmt: skip
def test_alphanumeric_senders_are_one_way(body, expected):
    prospect = replace(BASE, sender_kind="alphanumeric", country="GB", zones=("Europe/London",), body=body)
    context = replace(CONTEXT, enabled_countries=frozenset({"GB"}))
    assert findings(prospect, context) == expected


# --- TIME-00, TIME-xx, FREQ-xx ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("now", "zones", "category", "exempt", "expected_until"),
    [
        (datetime(2026, 12, 1, 12, tzinfo=UTC), ("America/New_York",), Category.TRANSACTIONAL, (), "13:00"),
        (datetime(2026, 12, 1, 12, tzinfo=UTC), ("America/New_York",), Category.TRANSACTIONAL,
         (Category.TRANSACTIONAL,), None),
        (datetime(2026, 12, 1, 12, tzinfo=UTC), ("America/New_York",), Category.PASSCODE, (), "13:00"),
        (datetime(2026, 12, 1, 12, tzinfo=UTC), ("America/New_York",), Category.KEYWORD_REPLY, (), None),
        (datetime(2026, 12, 1, 12, tzinfo=UTC), ("America/New_York",), Category.OPT_OUT_CONFIRMATION, (), None),
        (datetime(2026, 12, 1, 13, 30, tzinfo=UTC), ("America/New_York", "America/Chicago"), Category.TRANSACTIONAL,
         (), "14:00"),
    ],
)  # fmt: skip
def test_the_tenants_window_defers_to_its_next_minute(now, zones, category, exempt, expected_until):
    prospect = replace(BASE, now=now, zones=zones, category=category)
    context = replace(CONTEXT, exempt_categories=frozenset(exempt), jurisdictions=())
    found = rules.evaluate(prospect, context)
    if expected_until is None:
        assert found == []
    else:
        assert [(f.rule, f.severity, f"{f.until:%H:%M}") for f in found] == [
            ("TIME-00", Severity.DEFER, expected_until)
        ]


def test_the_deferral_names_the_local_time():
    prospect = replace(BASE, now=datetime(2026, 12, 1, 12, tzinfo=UTC))
    assert findings(prospect, replace(CONTEXT, jurisdictions=())) == [
        ("TIME-00", "defer", "outside the tenant's sending hours in the recipient's time (America/New_York); it "
                             "leaves at 08:00 local, Tue 01 Dec")
    ]  # fmt: skip


@pytest.mark.parametrize(
    ("to", "country", "region", "zone", "utc_hour", "expected"),
    [
        # 20:30 local: inside the tenant's 08:00-21:00 and the US hours, outside Florida's, Oklahoma's, Maryland's
        ("+13055550100", "US", "FL", "America/New_York", 1, [("TIME-02", "13:00")]),
        ("+14055550100", "US", "OK", "America/Chicago", 2, [("TIME-02", "14:00")]),
        ("+14105550100", "US", "MD", "America/New_York", 1, [("TIME-02", "13:00")]),
        ("+12125550100", "US", "NY", "America/New_York", 1, []),
        # 21:15 local in Toronto on a Tuesday: Canada's weekday window runs to 21:30, the tenant's to 21:00
        ("+14165550100", "CA", "ON", "America/Toronto", 2, [("TIME-00", "13:00")]),
        # 08:30 in São Paulo: Brazil's window opens at 09:00
        ("+5511912345678", "BR", "", "America/Sao_Paulo", 11, [("TIME-05", "12:00")]),
        # 08:00 in New Delhi: India's window opens at 09:00
        ("+919812345678", "IN", "", "Asia/Kolkata", 2, [("TIME-06", "03:30")]),
    ],
)
def test_countries_and_states_set_their_own_marketing_hours(to, country, region, zone, utc_hour, expected):
    minute = 15 if country == "CA" else 30
    now = datetime(2026, 12, 2, utc_hour, minute, tzinfo=UTC)
    prospect = replace(MARKETING, to=to, country=country, region=region, zones=(zone,), now=now)
    context = replace(CONSENTED, enabled_countries=frozenset({country}))
    found = rules.evaluate(prospect, context)
    assert [(f.rule, f"{f.until:%H:%M}") for f in found] == expected


def test_state_hours_apply_to_marketing_only():
    now = datetime(2026, 12, 2, 1, 30, tzinfo=UTC)  # 20:30 in Miami
    florida = replace(BASE, to="+13055550100", region="FL", now=now)
    assert findings(florida) == []


def test_france_keeps_no_marketing_on_sundays():
    sunday = datetime(2026, 12, 6, 11, tzinfo=UTC)  # Sunday 12:00 in Paris
    prospect = replace(MARKETING, to="+33612345678", country="FR", region="", zones=("Europe/Paris",), now=sunday)
    found = rules.evaluate(prospect, replace(CONSENTED, enabled_countries=frozenset({"FR"})))
    assert [(f.rule, f.until) for f in found] == [("TIME-04", datetime(2026, 12, 7, 7, tzinfo=UTC))]


@pytest.mark.parametrize(
    ("region", "sent_hours_ago", "expected"),
    [
        ("FL", (1, 2, 3), [("FREQ-01", "Florida allows 3 marketing messages in 24 h", "2026-12-02 14:00")]),
        ("FL", (1, 2), []),
        ("FL", (1, 2, 25), []),
        ("NY", (1, 2, 3), []),
    ],
)
def test_florida_oklahoma_and_maryland_allow_three_marketing_messages_a_day(region, sent_hours_ago, expected):
    prospect = replace(
        MARKETING, region=region, recent_marketing=tuple(NOW - timedelta(hours=h) for h in sent_hours_ago)
    )
    found = [(f.rule, f.message, f"{f.until:%Y-%m-%d %H:%M}") for f in rules.evaluate(prospect, CONSENTED)]
    assert found == expected


def test_brazil_allows_seven_marketing_messages_a_week():
    now = datetime(2026, 12, 2, 15, tzinfo=UTC)  # 12:00 in São Paulo
    sent = tuple(now - timedelta(days=d) for d in (6, 5, 4, 3, 2, 1, 0.5))
    prospect = replace(MARKETING, to="+5511912345678", country="BR", region="", zones=("America/Sao_Paulo",),
                       now=now, recent_marketing=sent)  # fmt: skip
    found = rules.evaluate(prospect, replace(CONSENTED, enabled_countries=frozenset({"BR"})))
    assert [(f.rule, f.until) for f in found] == [("FREQ-02", now + timedelta(days=1))]


def test_a_deferral_is_checked_again_where_it_lands():
    # 20:30 in Miami with three marketing messages in the last hours: the cap lifts at 23:00, outside the state's
    # hours, so the message waits for 08:00 the next day
    now = datetime(2026, 12, 2, 1, 30, tzinfo=UTC)
    sent = tuple(now - timedelta(hours=h) for h in (22.5, 2, 1))
    prospect = replace(MARKETING, to="+13055550100", region="FL", now=now, recent_marketing=sent)
    verdict = rules.verdict(prospect, CONSENTED)
    assert (verdict.blocked, verdict.deferred) == (False, True)
    assert verdict.send_at == datetime(2026, 12, 2, 13, 0, tzinfo=UTC)


def test_a_verdict_with_a_block_has_no_send_time():
    verdict = rules.verdict(MARKETING, CONTEXT)
    assert (verdict.blocked, verdict.send_at, [f.rule for f in verdict.of(Severity.BLOCK)]) == (True, None, ["CONS-01"])


# --- content -----------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("body", "segments", "expected"),
    [
        ("x" * 1600, 11, [("CONT-05", "warn", "11 segments, more than the tenant's limit of 10")]),
        ("x" * 1601, 11, [("CONT-04", "block", "the body is 1,601 characters; at most 1,600"),
                          ("CONT-05", "warn", "11 segments, more than the tenant's limit of 10")]),
        ("See https://bit.ly/abc now", 1, [("CONT-02", "warn", "bit.ly is a public link shortener that carriers "
                                                               "filter; use a domain you own")]),
        ("See tinyurl.com/x or t.co/y", 1, [("CONT-02", "warn", "t.co, tinyurl.com is a public link shortener that "
                                                                "carriers filter; use a domain you own")]),
        ("See https://acme.example/x", 1, []),
        ("Craft beer tasting tonight", 1, [("CONT-01", "warn", "'beer' reads as restricted (SHAFT) content that "
                                                               "carriers filter")]),
        ("Vape and CBD sale", 1, [("CONT-01", "warn", "'cbd, vape' reads as restricted (SHAFT) content that "
                                                      "carriers filter")]),
        ("Your appointment is at 3pm", 1, []),
    ],
)  # fmt: skip
def test_content_rules(body, segments, expected):
    assert findings(replace(BASE, body=body, segments=segments)) == expected


@pytest.mark.parametrize(
    ("body", "first", "expected"),
    [
        ("20% off today", True, [("CONT-03", "block", "the first marketing message to a recipient must say how to opt "
                                                      "out, e.g. 'Reply STOP to opt out'")]),
        ("20% off today. Reply STOP to opt out", True, []),
        ("20% off today. Text STOP to unsubscribe", True, []),
        ("20% off today", False, []),
    ],
)  # fmt: skip
def test_the_first_marketing_message_says_how_to_opt_out(body, first, expected):
    assert findings(replace(MARKETING, body=body, first_marketing=first), CONSENTED) == expected


# --- NUM-02 --------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("line_type", "expected"),
    [
        ("mobile", []),
        ("", []),
        ("landline", [("NUM-02", "block", "Lookup says +12125550100 is a landline, which cannot take texts")]),
        ("invalid", [("NUM-02", "block", "Lookup says +12125550100 is not a valid number, which cannot take texts")]),
        ("pager", [("NUM-02", "block", "Lookup says +12125550100 is a pager line, which cannot take texts")]),
        ("nonFixedVoip", [("NUM-03", "warn", "Lookup says +12125550100 is a nonFixedVoip line; texts may not arrive")]),
    ],
)
def test_numbers_lookup_found_unable_to_take_texts(line_type, expected):
    assert findings(BASE, replace(CONTEXT, line_type=line_type)) == expected


def test_a_contact_marked_unsendable_is_blocked_with_its_reason():
    marked = replace(BASE, unsendable_reason="asked by phone never to be texted")
    assert findings(marked) == [
        ("NUM-04", "block", "the contact +12125550100 is marked unsendable: asked by phone never to be texted")
    ]


def test_every_finding_of_every_rule_is_returned_not_just_the_first():
    prospect = replace(
        MARKETING, body="Vape deals at bit.ly/x", first_marketing=True, country="FR", zones=("Europe/Paris",)
    )
    context = replace(CONTEXT, opted_out_at=NOW - timedelta(days=1), line_type="landline")
    assert [rule for rule, _, _ in findings(prospect, context)] == [
        "OPT-01", "CONS-01", "GEO-01", "CONT-02", "CONT-03", "CONT-01", "NUM-02"
    ]  # fmt: skip


def test_the_rule_book_names_every_rule_with_its_source():
    book = rules.rule_book()
    assert [r["id"] for r in book] == [
        "OPT-01", "OPT-03", "CONS-01", "GEO-01", "SEND-01", "SEND-04", "SEND-05", "TIME-00", "TIME", "FREQ",
        "CONT-04", "CONT-05", "CONT-02", "CONT-03", "CONT-01", "NUM-02", "NUM-04",
    ]  # fmt: skip
    assert all(r["source"] for r in book)
    assert "64.1200(a)(12)" in next(r["source"] for r in book if r["id"] == "OPT-03")


def test_findings_travel_as_plain_data():
    finding = Finding("TIME-00", Severity.DEFER, "later", None, datetime(2026, 12, 1, 13, tzinfo=UTC))
    assert finding.as_dict() == {
        "rule": "TIME-00", "severity": "defer", "message": "later", "field": None, "until": "2026-12-01T13:00:00+00:00"
    }  # fmt: skip
