"""The default catalogue's facts: sender types, A2P 10DLC trust tiers and country rules, with their sources.

Sources, newest first; a newer one wins where they disagree:

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
"""

from __future__ import annotations

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


def _guideline(country: str, page: str = "sms") -> str:
    return f"https://www.twilio.com/en-us/guidelines/{country.lower()}/{page}"


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
