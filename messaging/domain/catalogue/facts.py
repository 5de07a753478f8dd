"""The default catalogue's facts: sender types, A2P 10DLC trust tiers and country rules, with their sources.

Sources, newest first; a newer one wins where they disagree:

- Twilio's own pages, read on 2026-12-01 and cited next to each fact they changed (help and support articles,
  twilio.com/docs, and the per-country SMS and short-code guidelines at twilio.com/en-us/guidelines/<cc>/...).
  Where a figure could not be confirmed on a Twilio page the conservative one is kept and the source says so.
- reference/twilio.md §4 and §6: default MPS per sender and destination (US/CA long code 1, toll-free 3, any number
  or alphanumeric ID elsewhere 10, short code 100 in US/CA/GB), the 10DLC Trust Score tiers (225/120/12 MPS, 75/40/4
  per carrier), T-Mobile's daily brand cap (up to 200,000 segments), Sole Proprietor and Low-Volume Standard limits,
  30032/30034, and who handles STOP on short codes.
- seeds/isv-messaging-architecture.txt: the sender matrix (volume, registration route, voice, delivery receipts,
  provisioning time, recurring and carrier fees) and the decision flow. Its "3-180 MPS by Trust Score" for 10DLC
  is older than twilio.md's tiers and is not used; its lead times (10DLC in minutes, toll-free in 5-7 business days,
  short codes in 6-10 weeks) are older than Twilio's pages and are not used either.
- seeds/architecting-for-deliverability.txt: long-code baseline, UK numbers at 10 MPS, throughput raised on request.

Amounts in USD are set only where a Twilio page lists them (with `Fees.read_on` and `Fees.source`); elsewhere
`recurring`/`carrier` say only whether a fee exists.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Final

from messaging.domain.catalogue.types import (
    ALPHANUMERIC_REGISTERED,
    ALPHANUMERIC_UNREGISTERED,
    INTERNATIONAL_LONG_CODE,
    LONG_CODE,
    MESSAGING_SERVICE,
    SHORT_CODE,
    SOURCE_TWILIO_MPS,
    TEN_DLC,
    TOLL_FREE,
    AlphanumericSupport,
    Catalogue,
    CountryRule,
    Fees,
    LeadTime,
    RegistrationRoute,
    SenderTypeFacts,
    TenDlcTier,
)

SOURCE_TWILIO_OPT_OUT: Final = "reference/twilio.md §4"
SOURCE_SENDER_MATRIX: Final = "seeds/isv-messaging-architecture.txt (sender matrix)"
SOURCE_DECISION_FLOW: Final = "seeds/isv-messaging-architecture.txt (sender decision flow)"
SOURCE_DELIVERABILITY: Final = "seeds/architecting-for-deliverability.txt (throughput)"


READ_ON: Final = date(2026, 12, 1)  # when the Twilio pages cited below were read
_READ: Final = "read 2026-12-01"

SOURCE_10DLC_FEES: Final = "https://support.twilio.com/hc/en-us/articles/11587910480155"
SOURCE_10DLC_DELAYS: Final = (
    f"{SOURCE_10DLC_FEES} (A2P 10DLC Campaign Vetting FAQ: campaigns are vetted by hand by a third party; Twilio's "
    f"notice warns of delays of several weeks; {_READ}). Twilio gives no fixed figure: 10–15 business days is the "
    "planning figure kept here"
)
SOURCE_TMOBILE_CAPS: Final = (
    "https://support.twilio.com/hc/en-us/articles/1260804800549 (T-Mobile daily message limits: a cap per brand by "
    f"Trust Score, 200,000 for the top scores and Russell 3000 companies, 2,000 a day by default; {_READ})"
)
SOURCE_STARTER_GONE: Final = (
    "https://support.twilio.com/hc/en-us/articles/1260804800549 (notice: new Starter brands are no longer "
    "registered; Low-Volume Standard brands for fewer than 6,000 messages a day; Sole Proprietor brands replace "
    f"Starter; {_READ})"
)
SOURCE_US_SHORT_CODE_TIME: Final = (
    "https://support.twilio.com/hc/en-us/articles/223182268 (US short codes take the standard provisioning time of "
    "8 to 12 weeks from payment) and https://support.twilio.com/hc/en-us/articles/223134647 (Twilio's review "
    f"1–2 weeks, then the carriers 6–10 weeks on average, sometimes longer); {_READ}"
)
SOURCE_TOLL_FREE_TIME: Final = (
    "https://www.twilio.com/docs/messaging/compliance/toll-free/api-onboarding (since 31 January 2024 a toll-free "
    f"number cannot send until verification is approved; {_READ}). Twilio's current review time could not be "
    "confirmed on its own pages: the 5–7 business days of the 2021 guide is not confirmed, so the longer 2–3 weeks "
    "that pages quoting Twilio's help text give is kept as the conservative figure"
)
SOURCE_SHORT_CODE_FIRST: Final = (
    "https://www.twilio.com/docs/messaging/api/services-shortcode-resource (with a short code in a Messaging Service "
    f"Twilio always prioritises delivery with the short code when possible; {_READ})"
)
SOURCE_ALPHANUMERIC_OPT_OUT: Final = (
    "https://support.twilio.com/hc/en-us/articles/223181348 (alphanumeric sender IDs: one-way, with opt-in and "
    f"opt-out requirements; {_READ})"
)
SOURCE_TMOBILE_SHARE: Final = (
    "Assumption, not a Twilio figure: T-Mobile reported 139.9 million connections to Verizon's 146.1 million at the "
    "end of Q3 2025 (http://www.seemyphone.com/news/130658.html, read 2026-12-01), about a third of US "
    "subscriptions; 40 % is assumed to leave room. A recipient list's real share varies: check it with Lookup"
)


def _guideline(country: str, page: str = "sms") -> str:
    return f"https://www.twilio.com/en-us/guidelines/{country.lower()}/{page}"


def _read(url: str, what: str) -> str:
    return f"{url} ({what}; {_READ})"


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
        lead_time=LeadTime(56, 84, text="8–12 weeks"),  # Twilio's review, then the carriers' (US)
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
        sources=(
            SOURCE_US_SHORT_CODE_TIME,
            SOURCE_SENDER_MATRIX,
            SOURCE_TWILIO_MPS,
            SOURCE_TWILIO_OPT_OUT,
            SOURCE_DELIVERABILITY,
        ),
    ),
    SenderTypeFacts(
        code=TEN_DLC,
        label="A2P 10DLC",
        kind="a2p_10dlc",
        default_mps=None,
        mps_text="12–225 MPS in total by Trust Score for Standard brands, split across AT&T, T-Mobile and Verizon; "
        "3.75 for a Low Volume Mixed campaign; 1 for a Sole Proprietor; set per brand and campaign, not per number",
        volume_limit_text="T-Mobile caps the segments a brand sends to its subscribers a day: 200,000 for Trust "
        "Scores 75–100, 2,000 by default, 1,000 for a Sole Proprietor; Low-Volume Standard brands send fewer than "
        "6,000 a day",
        daily_volume_limit=None,
        registration_route=RegistrationRoute.API,
        registration_text="API: brand and campaign registration",
        two_way=True,
        voice=True,
        voice_text="Voice",
        delivery_receipts="Carrier",
        lead_time=LeadTime(10, 15, business_days=True, text="10–15 business days"),  # campaigns vetted by hand
        fees=Fees(
            recurring=True,
            recurring_text="Campaign fee of $1.50–$10 a month by use case; $2 a month for a Sole Proprietor campaign",
            carrier=True,
            carrier_text="Carrier fees on every segment, passed on by Twilio",
            one_time_text="Brand registration $4, secondary vetting $40 (Standard brands), campaign vetting $15 for "
            "each campaign and each resubmission: $59 for a Standard brand with one campaign",
            one_time_usd=Decimal("59.00"),
            read_on=READ_ON,
            source=SOURCE_10DLC_FEES,
        ),
        sender_is_local=True,
        vetted=True,
        scales_with_senders=False,
        throughput_note="Throughput follows the brand's Trust Score and the campaign's use case; more numbers add "
        "none.",
        registration_steps=(
            "Register the brand through the API: Standard, Low-Volume Standard (fewer than 6,000 segments a day) or "
            "Sole Proprietor (no tax ID); Starter brands are no longer registered.",
            "Register a campaign with its use case: campaigns are vetted by hand, so allow 10–15 business days, and "
            "more when the vetting queue is long.",
            "Attach the numbers to the approved campaign: messages from an unregistered number fail with 30034.",
        ),
        countries=frozenset({"US"}),
        sources=(
            SOURCE_10DLC_DELAYS,
            _read(
                SOURCE_10DLC_FEES,
                "fees: brand $4, secondary vetting $40, campaign vetting $15, campaign $1.50–$10 "
                "a month, Sole Proprietor campaign $2 a month",
            ),
            SOURCE_STARTER_GONE,
            SOURCE_TMOBILE_CAPS,
            SOURCE_TWILIO_MPS,
            SOURCE_SENDER_MATRIX,
        ),
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
        lead_time=LeadTime(10, 15, business_days=True, text="10–15 business days"),  # not confirmed: conservative
        fees=Fees(None, "Depends on throughput", True, "Yes"),
        sender_is_local=True,
        vetted=True,
        scales_with_senders=False,
        throughput_note="Several toll-free numbers for one use case are not allowed; ask for more MPS with "
        "verification.",
        registration_steps=(
            "Buy a toll-free number (instant).",
            "Submit toll-free verification (application form).",
            "Send once verified: since 31 January 2024 an unverified toll-free number cannot send (30032).",
        ),
        countries=frozenset({"US", "CA"}),
        sources=(SOURCE_TOLL_FREE_TIME, SOURCE_TWILIO_MPS, SOURCE_SENDER_MATRIX),
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
        registration_steps=(
            "Set the alphanumeric sender ID on the Messaging Service or as From; no registration.",
            "Tell recipients in each message how to opt out without replying (a link, or a number that takes STOP): "
            "they cannot reply to the ID.",
        ),
        sources=(SOURCE_ALPHANUMERIC_OPT_OUT, SOURCE_SENDER_MATRIX, SOURCE_TWILIO_MPS),
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
            "Tell recipients in each message how to opt out without replying (a link, or a number that takes STOP): "
            "they cannot reply to the ID.",
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
        throughput_note="Add senders to the pool; Twilio picks one per message, the short code first when the pool "
        "has one.",
        registration_steps=(
            "Create a Messaging Service and add the chosen senders to its pool: Twilio then picks the sender for "
            "each message, and scheduling, link shortening and Advanced Opt-Out become available.",
        ),
        sources=(SOURCE_SHORT_CODE_FIRST, "reference/twilio.md §1.1", SOURCE_TWILIO_OPT_OUT),
    ),
)

_CAP_NOT_CONFIRMED = (
    "T-Mobile's cap for this tier could not be read on Twilio's page: 2,000 segments a day, the default Twilio "
    "states, is kept as the conservative figure (other providers publish 40,000 for scores around 50–74 and 10,000 "
    "for 25–49); staff can raise it once Twilio confirms it."
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
        sources=(SOURCE_TWILIO_MPS, SOURCE_TMOBILE_CAPS),
    ),
    TenDlcTier(
        code="medium",
        label="Trust Score 50–74",
        trust_score_min=50,
        trust_score_max=74,
        total_mps=120,
        per_carrier_mps={"AT&T": 40, "T-Mobile": 40, "Verizon": 40},
        tmobile_daily_cap=2_000,
        notes=(_CAP_NOT_CONFIRMED,),
        sources=(SOURCE_TWILIO_MPS, SOURCE_TMOBILE_CAPS),
    ),
    TenDlcTier(
        code="low",
        label="Trust Score 1–49",
        trust_score_min=1,
        trust_score_max=49,
        total_mps=12,
        per_carrier_mps={"AT&T": 4, "T-Mobile": 4, "Verizon": 4},
        tmobile_daily_cap=2_000,
        notes=(_CAP_NOT_CONFIRMED,),
        sources=(SOURCE_TWILIO_MPS, SOURCE_TMOBILE_CAPS),
    ),
    TenDlcTier(
        code="low_volume_mixed",
        label="Low-Volume Standard brand, Low Volume Mixed campaign",
        trust_score_min=None,
        trust_score_max=None,
        total_mps=3,  # 3.75 in total (1.25 per carrier), kept as whole MPS rounded down
        per_carrier_mps={},
        tmobile_daily_cap=2_000,
        notes=(
            "For brands with a tax ID that send fewer than 6,000 segments a day, several use cases in one campaign.",
            "3.75 MPS in total (75 segments a minute to AT&T); the catalogue keeps whole MPS, so 3.",
        ),
        sources=(
            SOURCE_STARTER_GONE,
            SOURCE_TMOBILE_CAPS,
            "Twilio's throughput article (help center, 'Message throughput (MPS) and Trust Scores for A2P 10DLC') "
            "as mirrored by its customers' help pages: Low Volume Mixed 3.75 MPS; Twilio's own page could not be "
            "read in full on 2026-12-01",
        ),
    ),
    TenDlcTier(
        code="sole_proprietor",
        label="Sole Proprietor",
        trust_score_min=None,
        trust_score_max=None,
        total_mps=1,
        per_carrier_mps={},
        tmobile_daily_cap=1_000,
        notes=(
            "One campaign and one number.",
            "For individuals in the US or Canada without a tax ID; it replaces the Starter brand.",
        ),
        sources=(
            SOURCE_TWILIO_MPS,
            SOURCE_STARTER_GONE,
            _read(
                "https://www.twilio.com/docs/messaging/compliance/a2p-10dlc/onboarding-isv-api-sole-prop-new",
                "Sole Proprietor brands only for customers in the US and Canada without a tax ID",
            ),
        ),
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
        notes=(
            "Short code applications sent from mid-December to early January wait for the carriers' annual "
            "provisioning freeze.",
        ),
        carrier_share_percent={"T-Mobile": 40},
        sources=(
            SOURCE_TWILIO_MPS,
            _guideline("US"),
            _read(_guideline("US", "short-code"), "annual provisioning freeze mid-December to early January"),
            SOURCE_TMOBILE_SHARE,
        ),
    ),
    CountryRule(
        country="CA",
        name="Canada",
        offered=(SHORT_CODE, TOLL_FREE, LONG_CODE),
        alphanumeric=AlphanumericSupport.UNSUPPORTED,
        long_code_local=True,
        mps_overrides={SHORT_CODE: 100, LONG_CODE: 1},
        lead_time_overrides={SHORT_CODE: LeadTime(84, 112, text="12–16 weeks")},
        carrier_filtering={
            LONG_CODE: "Canadian carriers filter application-to-person messages on long codes strictly; Twilio "
            "recommends short codes for them.",
        },
        notes=(
            "Canadian short codes provisioned before December 2016 default to 30 MPS.",
            "Short code applications sent from mid-October to early January wait for the Canadian carriers' annual "
            "provisioning freeze.",
        ),
        sources=(
            SOURCE_TWILIO_MPS,
            _read(_guideline("CA"), "carriers filter A2P messages on long codes strictly; short codes recommended"),
            _read(
                _guideline("CA", "short-code"),
                "12–16 weeks once everything is submitted; freeze mid-October to early January; the SMS guideline's "
                "older 8–12 weeks is not used",
            ),
        ),
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
        lead_time_overrides={SHORT_CODE: None},  # Twilio's Brazilian pages give no provisioning time
        transactional_mps_overrides={SHORT_CODE: 150},
        unavailable={LONG_CODE: "Twilio offers no Brazilian numbers for application-to-person SMS."},
        marketing_rules=(
            "Marketing messages only between 9 am and 10 pm, unless the recipient agreed to other hours.",
            "At most 7 marketing messages per recipient a week, unless the recipient agreed to more.",
        ),
        notes=(
            "Alphanumeric sender IDs are replaced by a short code or a local number.",
            "Short code applications sent from late November to mid-January wait for the carriers' annual "
            "provisioning freeze.",
            "Brazilian short codes have five digits and are free to the end user.",
            "A short code carries 150 MPS of passcodes and critical alerts; Twilio gives no figure for marketing.",
        ),
        sources=(
            SOURCE_DECISION_FLOW,
            _guideline("BR"),
            _read(_guideline("BR", "short-code"), "freeze late November to mid-January; no provisioning time given"),
            _read(
                "https://support.twilio.com/hc/en-us/articles/4425028701467",
                "Brazil short codes: transactional traffic 150 TPS; marketing 9 am–10 pm, at most 7 a week per user",
            ),
        ),
    ),
    CountryRule(
        country="DE",
        name="Germany",
        offered=(SHORT_CODE, ALPHANUMERIC_UNREGISTERED, LONG_CODE),
        alphanumeric=AlphanumericSupport.SUPPORTED,
        long_code_local=True,
        mps_overrides={LONG_CODE: 10},
        lead_time_overrides={SHORT_CODE: None},  # Twilio's German short-code page gives no provisioning time
        extra_steps={LONG_CODE: ("Provide proof of identity and a local address: German numbers require them.",)},
        notes=(
            "German short codes: a 3-month minimum term and 3 months' notice to return one; one without traffic "
            "for a while may be withdrawn. No sending-hour restrictions and no mandatory keywords.",
        ),
        sources=(
            SOURCE_TWILIO_MPS,
            SOURCE_DECISION_FLOW,
            _guideline("DE"),
            _read(_guideline("DE", "short-code"), "Twilio provisions German short codes; 3-month term and notice"),
            _read(
                "https://support.twilio.com/hc/en-us/articles/1260803518849",
                "Germany short code best practices: no hour restrictions, no mandatory keywords",
            ),
        ),
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
        offered=(ALPHANUMERIC_REGISTERED, INTERNATIONAL_LONG_CODE),
        alphanumeric=AlphanumericSupport.PRE_REGISTRATION,
        long_code_local=False,
        two_way_supported=False,
        unavailable={
            LONG_CODE: "Twilio offers no Indian numbers for SMS.",
            SHORT_CODE: "Twilio does not offer Indian short codes.",
        },
        extra_steps={
            ALPHANUMERIC_REGISTERED: (
                "Register the entity, the sender ID (header) and each message template on an Indian DLT portal first; "
                "then send Twilio the Entity ID and template IDs: only approved templates are delivered.",
            ),
        },
        marketing_rules=("Promotional messages only in the hours India permits, and only to recipients who opted in.",),
        notes=(
            "Twilio's two sources disagree. The SMS guidelines describe messages arriving over international routes "
            "from a random number, the sender ID not preserved; the pre-registration article registers "
            "alphanumeric sender IDs through the DLT portal. The article is the current one: its later revision adds "
            "the carriers' template allowlisting and how to add templates after setup. So a DLT-registered sender ID "
            "keeps the sender; unregistered traffic still arrives from a random number.",
            "Messages with shortened URLs are not allowed.",
        ),
        sources=(
            SOURCE_TWILIO_MPS,
            _read(_guideline("IN"), "two-way SMS not supported; sender ID not preserved on international routes"),
            _read(
                "https://support.twilio.com/hc/en-us/articles/21162166457755",
                "alphanumeric sender ID pre-registration in India through the DLT portal, with template allowlisting",
            ),
            _read(
                "https://www.twilio.com/docs/messaging/guides/sending-international-sms-guide",
                "India limits the times for sending promotional messages and requires opt-in",
            ),
        ),
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
    CountryRule(
        country="FR",
        name="France",
        offered=(SHORT_CODE, ALPHANUMERIC_UNREGISTERED),
        alphanumeric=AlphanumericSupport.SUPPORTED,
        long_code_local=False,
        lead_time_overrides={SHORT_CODE: None},  # Twilio's French short-code page gives no provisioning time
        unavailable={
            LONG_CODE: "French numbers are not in the catalogue for application-to-person SMS: other providers "
            "allow them only for person-to-person messages; ask Twilio.",
        },
        marketing_rules=(
            "Marketing messages only in the hours France permits (not at night, on Sundays or public holidays): "
            "check Twilio's guidelines for the exact hours.",
            "Marketing messages need the recipient's opt-in and must say how to opt out.",
        ),
        notes=(
            "French short codes: a 3-month minimum term and 3 months' notice to return one; one without traffic in "
            "France for 30 days is likely to be withdrawn.",
            "Twilio's table of sender types for France could not be read: unregistered alphanumeric IDs follow "
            "other providers' pages (no registration needed); confirm them on Twilio's French guidelines.",
        ),
        sources=(
            _read(_guideline("FR"), "two-way SMS supported"),
            _read(_guideline("FR", "short-code"), "Twilio provisions French short codes; 3-month term and notice"),
            _read(
                "https://www.twilio.com/docs/messaging/guides/sending-international-sms-guide",
                "France limits the times for sending promotional messages and requires opt-in",
            ),
        ),
    ),
    CountryRule(
        country="AU",
        name="Australia",
        offered=(ALPHANUMERIC_REGISTERED, LONG_CODE),
        alphanumeric=AlphanumericSupport.PRE_REGISTRATION,
        long_code_local=True,
        unavailable={
            SHORT_CODE: "Australian short codes are not in the catalogue: ask Twilio before planning on one.",
        },
        extra_steps={
            ALPHANUMERIC_REGISTERED: (
                "Register the sender ID through Twilio on the ACMA Sender ID Register: from 1 July 2026 messages "
                "from an unregistered ID are shown as 'Unverified'.",
            ),
        },
        notes=(
            "Dynamic (unregistered) alphanumeric sender IDs are not allowed in Australia since 13 July 2023.",
            "Twilio's table of sender types for Australia could not be read: local numbers get Twilio's default of "
            "10 MPS outside the US and Canada; confirm them on Twilio's Australian guidelines.",
        ),
        sources=(
            _read(_guideline("AU"), "two-way SMS supported"),
            _read(
                "https://support.twilio.com/hc/en-us/articles/13111723633691",
                "all alphanumeric sender IDs must be pre-registered from 13 July 2023",
            ),
            _read(
                "https://support.twilio.com/hc/en-us/articles/46266521342747",
                "ACMA Sender ID Register enforced from 1 July 2026; unregistered IDs overwritten as 'Unverified'",
            ),
        ),
    ),
)

DEFAULT_CATALOGUE: Final = Catalogue(sender_types=SENDER_TYPES, countries=COUNTRY_RULES, tendlc_tiers=TENDLC_TIERS)
