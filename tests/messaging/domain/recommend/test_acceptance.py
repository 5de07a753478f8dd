"""The acceptance case in full: passcodes to the US and the UK, 2,000 in 10 minutes, live in 2 weeks."""

from datetime import date

from messaging.domain.recommend import recommend
from tests.messaging.domain.recommend.helpers import TODAY, request


def test_acceptance_case_in_full():
    # when
    result = recommend(request())
    # then
    assert (result.needed_mps, result.headroom_percent, result.peak_text) == (4, 20, "2,000 messages in 10 min")
    assert (result.daily_segments, result.go_live_in_days, result.tendlc_tier) == (50_000, 14, "low")
    # no US sender fits in 2 weeks: the answer says so first, with what to do meanwhile and the fastest path
    assert [w.code for w in result.warnings] == ["not_ready_by_go_live", "set_validity_period", "verification_product"]
    assert result.warnings[0].text == (
        "No sender is ready by go-live (2026-12-07, in 14 days) for the United States. Fastest: the United States: "
        "A2P 10DLC (10–15 business days, ready by about 2026-12-14). See what to do meanwhile."
    )
    assert (result.ready_by_go_live, result.window_seconds) == (False, 36_000)
    assert result.meanwhile == (
        "Until then, send from a sender you already have that is approved for this traffic (an approved A2P 10DLC "
        "campaign, a verified toll-free number or a live short code), if you have one.",
        "Send the passcodes with Twilio Verify meanwhile: it uses senders Twilio has registered, so it works from "
        "day one (https://www.twilio.com/docs/verify/api).",
        "Start the fastest registration today: the United States: A2P 10DLC (10–15 business days, ready by about "
        "2026-12-14).",
        "Or move go-live to 2026-12-14 or later.",
    )
    assert result.notes == (
        "Put the chosen senders in one Messaging Service: Twilio picks a sender from the pool for each message, one "
        "in the recipient's country first.",
    )
    us, gb = result.country("US"), result.country("GB")
    assert (us.ready_by_go_live, us.fastest, us.fastest_ready_on) == (False, "a2p_10dlc", date(2026, 12, 14))
    assert (gb.ready_by_go_live, gb.fastest, gb.fastest_ready_on) == (True, "alphanumeric_unregistered", TODAY)
    # 10DLC: lead time at risk (-40) and T-Mobile's cap on the 20,000 a day bound for it (-20); toll-free misses the
    # 4 MPS peak by 25 %, -20 (it was a flat -30)
    assert [(o.sender_type, o.score) for o in us.options] == [
        ("a2p_10dlc", -15),
        ("short_code", -25),
        ("toll_free", -35),
    ]
    assert [(o.sender_type, o.score) for o in gb.options] == [
        ("alphanumeric_unregistered", 45),
        ("long_code", 40),
        ("short_code", -25),
    ]
    assert us.options[0].reasons == (
        "A local sender for the United States: best for deliverability and for the recipient.",
        "One sender gives 12 MPS, enough for the 4 MPS needed at peak.",
        "T-Mobile takes at most 2,000 segments a day from the brand, fewer than the 20,000 bound for its subscribers.",
        "Registered or verified with the carriers, which favours deliverability.",
        "Carrier fees are charged on every segment on top of Twilio's message price.",
        "Lead time 10–15 business days: may take longer than the 10 business days before go-live.",
    )
    assert us.options[0].fee_lines == (
        "One-time: Brand registration $4, secondary vetting $40 (Standard brands), campaign vetting $15 for each "
        "campaign and each resubmission: $59 for a Standard brand with one campaign (USD 59.00).",
        "Recurring: Campaign fee of $1.50–$10 a month by use case; $2 a month for a Sole Proprietor campaign.",
        "Carrier fees: on every segment, passed on by Twilio.",
        "Amounts as Twilio listed them on 2026-12-01 (https://support.twilio.com/hc/en-us/articles/11587910480155).",
    )
    assert us.options[0].warnings[1].text == (
        "T-Mobile takes at most 2,000 segments a day from the brand (Trust Score 1–49), fewer than the 20,000 of the "
        "50,000 planned that go to T-Mobile subscribers (assuming 40 % of recipients are on T-Mobile: check your list "
        "with Lookup); the rest fail with 30027 until the next day."
    )
    assert us.options[0].warnings[0].text == (
        "A2P 10DLC throughput depends on the brand's Trust Score: Trust Score 1–49 gives 12 MPS in total, 4 per "
        "carrier (AT&T, T-Mobile, Verizon). No Trust Score was given, so this tier is assumed. Messages fail with "
        "30034 until the campaign is approved."
    )
    assert us.options[0].registration_steps == (
        "Register the brand through the API: Standard, Low-Volume Standard (fewer than 6,000 segments a day) or Sole "
        "Proprietor (no tax ID); Starter brands are no longer registered.",
        "Register a campaign with its use case: campaigns are vetted by hand, so allow 10–15 business days, and more "
        "when the vetting queue is long.",
        "Attach the numbers to the approved campaign: messages from an unregistered number fail with 30034.",
    )
    toll_free = us.options[2]
    assert (toll_free.peak_drain_seconds, toll_free.lead_time.available, toll_free.lead_time.business_days) == (
        667,
        10,
        True,
    )
    assert toll_free.warnings[1].text == (
        "At 3 MPS the peak takes 11 min 7 s, longer than its 10 min window. Several toll-free numbers for one use case "
        "are not allowed; ask for more MPS with verification."
    )
    short_code = us.options[1]
    assert short_code.reasons[-1] == "Lead time 8–12 weeks: longer than the 14 days before go-live."
    assert [w.text for w in short_code.warnings] == [
        "A short code takes 8–12 weeks to provision: apply well before go-live.",
        "Short code needs 8–12 weeks before it sends; go-live is in 14 days.",
    ]
    assert gb.options[0].warnings[0].text == (
        "Recipients cannot reply to an alphanumeric sender ID: keep it for one-way messages."
    )
    assert gb.options[2].lead_time.text == "12–16 weeks"
    assert [(e.sender_type, e.reason) for e in us.excluded] == [
        ("alphanumeric_unregistered", "Alphanumeric sender IDs are not supported in the United States."),
        ("alphanumeric_registered", "Alphanumeric sender IDs are not supported in the United States."),
        ("international_long_code", "US carriers do not accept long codes from other countries."),
        ("long_code", "US local numbers send application-to-person messages only as registered A2P 10DLC senders."),
    ]
    assert [e.sender_type for e in gb.excluded] == [
        "a2p_10dlc",
        "toll_free",
        "alphanumeric_registered",
        "international_long_code",
    ]
