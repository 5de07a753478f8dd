"""The sender wizard on the API: recommendations, saved plans and provisioning — one tenant at a time."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from messaging.api.recommendations import RecommendationSerializer
from messaging.catalogue.selectors import current_catalogue
from messaging.domain.recommend import RecommendationRequest, recommend
from tenants.services.api_keys import api_key_create
from tests.messaging.api.helpers import acceptance_body, call, go_live_in

pytestmark = pytest.mark.django_db

URL = "/api/v1/senders/recommendations"
PLANS = "/api/v1/sender-plans"


def ranked(country: dict) -> list[tuple[str, list[str]]]:
    return [(option["sender_type"], [w["code"] for w in option["warnings"]]) for option in country["options"]]


def test_the_acceptance_case_gets_a_justified_recommendation_with_warnings(client_a, api_key_a):
    # when
    response = call(client_a, api_key_a, "post", URL, acceptance_body())
    # then: exactly what the domain gives for the same request, UK read as GB
    assert response.status_code == 200
    today = timezone.localdate()
    expected = recommend(
        RecommendationRequest(
            use_case="otp",
            two_way=False,
            countries=("US", "GB"),
            daily_volume=50_000,
            peak_messages=2_000,
            peak_window_seconds=600,
            today=today,
            go_live=today + timedelta(days=14),
        ),
        current_catalogue(),
    ).to_dict()
    body = response.json()
    assert body == expected
    # and the figures and choices themselves
    assert (body["needed_mps"], body["headroom_percent"], body["peak_text"]) == (4, 20, "2,000 messages in 10 min")
    assert body["request"]["countries"] == ["US", "GB"]
    us, gb = body["countries"]
    assert (us["country"], us["recommended"], gb["country"], gb["recommended"]) == (
        "US",
        "a2p_10dlc",
        "GB",
        "alphanumeric_unregistered",
    )
    # campaign vetting (10–15 business days) and toll-free verification (10–15, was 5–7) are at risk in 2 weeks
    assert ranked(us) == [
        ("a2p_10dlc", ["tendlc_trust_score", "tendlc_tmobile_daily_cap", "lead_time_at_risk"]),
        ("short_code", ["short_code_lead_time", "lead_time_at_risk"]),
        ("toll_free", ["toll_free_verification", "peak_exceeds_throughput", "lead_time_at_risk"]),
    ]
    assert ranked(gb) == [
        ("alphanumeric_unregistered", ["alphanumeric_no_replies"]),
        ("long_code", []),
        ("short_code", ["short_code_lead_time", "lead_time_at_risk"]),
    ]
    assert [w["code"] for w in body["warnings"]] == [
        "not_ready_by_go_live",
        "set_validity_period",
        "verification_product",
    ]
    assert (body["ready_by_go_live"], us["ready_by_go_live"], gb["ready_by_go_live"]) == (False, False, True)
    top = us["options"][0]
    assert (top["mps_per_sender"], top["throughput_mps"], top["meets_peak"], top["lead_time"]["status"]) == (
        12,
        12,
        True,
        "at_risk",
    )
    assert top["reasons"][1] == "One sender gives 12 MPS, enough for the 4 MPS needed at peak."
    assert [e["sender_type"] for e in gb["excluded"]] == [
        "a2p_10dlc",
        "toll_free",
        "alphanumeric_registered",
        "international_long_code",
    ]


def test_the_documented_response_is_exactly_what_the_endpoint_returns(client_a, api_key_a):
    body = call(client_a, api_key_a, "post", URL, acceptance_body()).json()
    assert RecommendationSerializer(body).data == body


def test_a_required_mps_instead_of_the_peak(client_a, api_key_a):
    payload = {**acceptance_body(), "peak_messages": None, "peak_window_seconds": None, "required_mps": "25"}
    body = call(client_a, api_key_a, "post", URL, {**payload, "countries": ["GB"]}).json()
    assert (body["needed_mps"], body["peak_text"], body["request"]["required_mps"]) == (30, "25 MPS required", "25")
    assert [o["sender_type"] for o in body["countries"][0]["options"]] == [
        "long_code",
        "alphanumeric_unregistered",
        "short_code",
    ]


@pytest.mark.parametrize(
    ("changes", "status", "field", "message"),
    [
        # what the document says: 400
        ({"countries": ["US", "USA"]}, 400, "countries.1", "'USA' is not a two-letter ISO 3166-1 country code"),
        ({"countries": []}, 400, "countries", "must list at least one country"),
        ({"countries": ["GB", "GB"]}, 400, "countries", "GB is listed twice"),
        ({"use_case": "marketing"}, 400, "use_case", "must be one of conversational, transactional, promotional, otp"),
        ({"priority": "speed"}, 400, "priority", "must be one of cost, deliverability, balanced"),
        (
            {"tendlc_tier": "platinum"},
            400,
            "tendlc_tier",
            "must be one of high, medium, low, low_volume_mixed, sole_proprietor",
        ),
        ({"daily_volume": "lots"}, 400, "daily_volume", "A valid integer is required."),
        ({"daily_volume": 0}, 400, "daily_volume", "must be between 1 and 100,000,000"),
        ({"two_way": "yes"}, 400, "two_way", "Must be a valid boolean."),
        ({"required_mps": 2.5}, 400, "required_mps", 'must be a whole number or a decimal string such as "4.50"'),
        (
            {"go_live": "next week"},
            400,
            "go_live",
            "Date has wrong format. Use one of these formats instead: YYYY-MM-DD.",
        ),
        # rules that tie values together, which a schema cannot state: 422
        ({"peak_messages": 60_000}, 422, "peak_messages", "cannot exceed daily_volume (50,000)"),
        (
            {"required_mps": "5"},
            422,
            "required_mps",
            "give either the peak (peak_messages and peak_window_seconds) or required_mps",
        ),
        ({"peak_window_seconds": None}, 422, "peak_window_seconds", "is required with peak_messages"),
        ({"countries": ["UK", "GB"]}, 422, "countries", "GB is listed twice"),
    ],
)
def test_bad_input_is_a_problem_naming_the_field(client_a, api_key_a, changes, status, field, message):
    response = call(client_a, api_key_a, "post", URL, {**acceptance_body(), **changes})
    assert response.status_code == status
    assert response["Content-Type"] == "application/problem+json"
    assert [(e["field"], e["message"]) for e in response.json()["errors"]] == [(field, message)]


def test_a_go_live_in_the_past_is_refused(client_a, api_key_a):
    response = call(client_a, api_key_a, "post", URL, {**acceptance_body(), "go_live": go_live_in(-1)})
    problem = response.json()
    assert (response.status_code, problem["code"], problem["status"]) == (422, "unprocessable", 422)
    assert problem["errors"] == [
        {"field": "go_live", "message": f"cannot be before today ({timezone.localdate().isoformat()})"}
    ]


def test_a_read_only_key_gets_advice_but_cannot_save_a_plan(client_a, tenant_a):
    _, key = api_key_create(tenant=tenant_a, name="reader", scopes=["messages:read"])
    assert call(client_a, key, "post", URL, acceptance_body()).status_code == 200
    assert call(client_a, key, "post", PLANS, acceptance_body()).status_code == 403
    assert call(client_a, key, "get", PLANS).json()["results"] == []


def test_a_key_without_read_scope_gets_no_advice(client_a, tenant_a):
    _, key = api_key_create(tenant=tenant_a, name="sender", scopes=["messages:send"])
    assert call(client_a, key, "post", URL, acceptance_body()).status_code == 403


def test_passcodes_in_3_days_say_first_that_no_sender_is_ready(client_a, api_key_a):
    # given: US one-time passcodes at 20 MPS, live in 3 days
    payload = {
        "use_case": "otp",
        "two_way": False,
        "countries": ["US"],
        "daily_volume": 10_000,
        "required_mps": "20",
        "go_live": go_live_in(3),
    }
    # when
    body = call(client_a, api_key_a, "post", URL, payload).json()
    # then: the answer leads with it, says what to do meanwhile and the fastest path
    (us,) = body["countries"]
    assert (body["ready_by_go_live"], us["ready_by_go_live"], us["fastest"]) == (False, False, "a2p_10dlc")
    assert [w["code"] for w in body["warnings"]] == [
        "not_ready_by_go_live",
        "set_validity_period",
        "verification_product",
    ]
    assert body["warnings"][0]["text"].startswith(f"No sender is ready by go-live ({go_live_in(3)}, in 3 days)")
    assert [line.split(":")[0] for line in body["meanwhile"]] == [
        "Until then, send from a sender you already have that is approved for this traffic (an approved A2P 10DLC "
        "campaign, a verified toll-free number or a live short code), if you have one.",
        "Send the passcodes with Twilio Verify meanwhile",
        "Start the fastest registration today",
        "Or move go-live to " + us["fastest_ready_on"] + " or later.",
    ]
    assert [(o["sender_type"], o["lead_time"]["status"]) for o in us["options"]] == [
        ("short_code", "too_late"),
        ("toll_free", "too_late"),
        ("a2p_10dlc", "too_late"),
    ]
    assert RecommendationSerializer(body).data == body


def test_a_flash_sale_marks_the_slow_senders_unsuitable_for_the_peak(client_a, api_key_a):
    # given: a US flash sale of 1,000,000 messages in one hour, 90 days out
    payload = {
        "use_case": "promotional",
        "two_way": False,
        "countries": ["US"],
        "daily_volume": 1_000_000,
        "peak_messages": 1_000_000,
        "peak_window_seconds": 3_600,
        "go_live": go_live_in(90),
    }
    # when
    body = call(client_a, api_key_a, "post", URL, payload).json()
    # then: the short code, the only sender whose peak fits the 10 h queue; the others unsuitable, with the reason
    (us,) = body["countries"]
    assert (body["needed_mps"], body["ready_by_go_live"], body["window_seconds"], us["recommended"]) == (
        334,
        True,
        36_000,
        "short_code",
    )
    assert [(o["sender_type"], o["score"], o["suitable_for_peak"]) for o in us["options"]] == [
        ("short_code", -13, True),
        ("toll_free", -25, False),
        ("a2p_10dlc", -44, False),
    ]
    assert us["options"][1]["unsuitable_reason"] == (
        "At 3 MPS the peak takes 92 h 35 min 34 s: its last segments would wait 91 h 35 min 34 s, longer than the "
        "10 h (36,000 s) a sender queues segments: the rest are refused (21611, or 30001 through a Messaging "
        "Service). Unsuitable for this peak."
    )
    assert "Carrier fees: Yes." in us["options"][0]["fee_lines"]
    assert RecommendationSerializer(body).data == body
