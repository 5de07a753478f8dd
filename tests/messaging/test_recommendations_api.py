"""The sender wizard on the API: recommendations, saved plans and provisioning — one tenant at a time."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from messaging.api.recommendations import RecommendationSerializer
from messaging.catalogue.selectors import current_catalogue
from messaging.domain.recommend import RecommendationRequest, recommend
from tenants.models import AuditEvent
from tenants.services import api_key_create

pytestmark = pytest.mark.django_db

URL = "/api/v1/senders/recommendations"
PLANS = "/api/v1/sender-plans"


def call(client, key, method, url, payload=None):
    return getattr(client, method)(
        url, payload or {}, content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {key}"
    )


def go_live_in(days: int) -> str:
    return (timezone.localdate() + timedelta(days=days)).isoformat()


def acceptance_body() -> dict:
    """One-time passcodes to the US and the UK, one-way, 50,000 a day, 2,000 in 10 minutes at peak, live in 2 weeks."""
    return {
        "use_case": "otp",
        "two_way": False,
        "countries": ["US", "UK"],
        "daily_volume": 50_000,
        "peak_messages": 2_000,
        "peak_window_seconds": 600,
        "go_live": go_live_in(14),
    }


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
    assert ranked(us) == [
        ("a2p_10dlc", ["tendlc_trust_score"]),
        ("toll_free", ["toll_free_verification", "peak_exceeds_throughput"]),
        ("short_code", ["short_code_lead_time", "lead_time_at_risk"]),
    ]
    assert ranked(gb) == [
        ("alphanumeric_unregistered", ["alphanumeric_no_replies"]),
        ("long_code", []),
        ("short_code", ["short_code_lead_time", "lead_time_at_risk"]),
    ]
    assert [w["code"] for w in body["warnings"]] == ["set_validity_period"]
    top = us["options"][0]
    assert (top["mps_per_sender"], top["throughput_mps"], top["meets_peak"], top["lead_time"]["status"]) == (
        12,
        12,
        True,
        "fits",
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
    ("changes", "field", "message"),
    [
        ({"countries": ["US", "USA"]}, "countries", "'USA' is not a two-letter ISO 3166-1 country code"),
        ({"countries": []}, "countries", "must list at least one country"),
        ({"peak_messages": 60_000}, "peak_messages", "cannot exceed daily_volume (50,000)"),
        ({"use_case": "marketing"}, "use_case", "must be one of conversational, transactional, promotional, otp"),
        ({"priority": "speed"}, "priority", "must be one of cost, deliverability, balanced"),
        (
            {"required_mps": "5"},
            "required_mps",
            "give either the peak (peak_messages and peak_window_seconds) or required_mps",
        ),
        ({"peak_window_seconds": None}, "peak_window_seconds", "is required with peak_messages"),
        ({"tendlc_tier": "platinum"}, "tendlc_tier", "must be one of high, medium, low, sole_proprietor"),
        ({"daily_volume": "lots"}, "daily_volume", "A valid integer is required."),
        ({"go_live": "next week"}, "go_live", "Date has wrong format. Use one of these formats instead: YYYY-MM-DD."),
    ],
)
def test_bad_input_is_a_problem_naming_the_field(client_a, api_key_a, changes, field, message):
    response = call(client_a, api_key_a, "post", URL, {**acceptance_body(), **changes})
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    assert [(e["field"], e["message"]) for e in response.json()["errors"]] == [(field, message)]


def test_a_go_live_in_the_past_is_refused(client_a, api_key_a):
    response = call(client_a, api_key_a, "post", URL, {**acceptance_body(), "go_live": go_live_in(-1)})
    problem = response.json()
    assert (response.status_code, problem["code"], problem["status"]) == (400, "validation_failed", 400)
    assert problem["errors"] == [
        {"field": "go_live", "message": f"cannot be before today ({timezone.localdate().isoformat()})"}
    ]


def test_a_read_only_key_gets_advice_but_cannot_save_a_plan(client_a, tenant_a):
    _, key = api_key_create(tenant=tenant_a, name="reader", scopes=["messages:read"])
    assert call(client_a, key, "post", URL, acceptance_body()).status_code == 200
    assert call(client_a, key, "post", PLANS, acceptance_body()).status_code == 403
    assert call(client_a, key, "get", PLANS).json() == []


def test_a_key_without_read_scope_gets_no_advice(client_a, tenant_a):
    _, key = api_key_create(tenant=tenant_a, name="sender", scopes=["messages:send"])
    assert call(client_a, key, "post", URL, acceptance_body()).status_code == 403


def test_plans_are_saved_listed_and_invisible_to_another_tenant(client_a, client_b, api_key_a, api_key_b):
    # given a plan saved in each tenant
    created = call(client_a, api_key_a, "post", PLANS, {**acceptance_body(), "name": "Passcodes"})
    call(client_b, api_key_b, "post", PLANS, {**acceptance_body(), "countries": ["DE"]})
    # then
    assert created.status_code == 201
    plan = created.json()
    assert (plan["name"], plan["status"], plan["provisioning_log"], plan["provisioned_at"]) == (
        "Passcodes",
        "draft",
        [],
        None,
    )
    assert plan["created_by"] == f"api-key:{api_key_a.split('_')[1]}"
    assert plan["request"]["countries"] == ["US", "GB"]
    assert [c["recommended"] for c in plan["recommendation"]["countries"]] == ["a2p_10dlc", "alphanumeric_unregistered"]
    listed = call(client_a, api_key_a, "get", PLANS).json()
    assert [(p["id"], p["name"], p["recommended"]) for p in listed] == [
        (plan["id"], "Passcodes", {"US": "a2p_10dlc", "GB": "alphanumeric_unregistered"})
    ]
    assert call(client_a, api_key_a, "get", f"{PLANS}/{plan['id']}").json() == plan
    other = call(client_b, api_key_b, "get", PLANS).json()
    assert [(p["name"], p["recommended"]) for p in other] == [
        ("One-time passcodes to DE", {"DE": "alphanumeric_unregistered"})
    ]


def test_another_tenants_key_cannot_read_or_provision_a_plan(client_a, client_b, api_key_a, api_key_b, fake_gateway):
    # given a plan in tenant A only
    plan = call(client_a, api_key_a, "post", PLANS, acceptance_body()).json()
    # then tenant B's key finds nothing under its id
    assert call(client_b, api_key_b, "get", f"{PLANS}/{plan['id']}").status_code == 404
    assert call(client_b, api_key_b, "post", f"{PLANS}/{plan['id']}/provision").status_code == 404
    assert call(client_b, api_key_b, "get", PLANS).json() == []
    assert fake_gateway.calls_of("provision_number") == []


def test_a_bad_plan_is_refused_and_nothing_is_saved(client_a, api_key_a):
    response = call(client_a, api_key_a, "post", PLANS, {**acceptance_body(), "countries": ["US", "GB", "UK"]})
    assert response.status_code == 400
    assert response.json()["errors"] == [{"field": "countries", "message": "GB is listed twice"}]
    assert call(client_a, api_key_a, "get", PLANS).json() == []


def test_provisioning_a_plan_through_the_api(client_a, api_key_a, tenant_a, fake_gateway):
    # given
    plan = call(client_a, api_key_a, "post", PLANS, acceptance_body()).json()
    url = f"{PLANS}/{plan['id']}/provision"
    # when
    response = call(client_a, api_key_a, "post", url, {"area_codes": {"US": "212"}, "alphanumeric_id": "ACME"})
    # then
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "provisioned"
    assert [(e["country"], e["sender_type"], e["outcome"]) for e in body["provisioning_log"]] == [
        ("US", "a2p_10dlc", "done"),
        ("GB", "alphanumeric_unregistered", "done"),
    ]
    assert [call["area_code"] for call in fake_gateway.calls_of("provision_number")] == ["212"]
    senders = call(client_a, api_key_a, "get", "/api/v1/senders").json()
    assert sorted((s["kind"], s["country"], s["registration_state"]) for s in senders) == [
        ("a2p_10dlc", "US", "draft"),
        ("alphanumeric", "GB", ""),
    ]
    assert [s["address"] for s in senders if s["kind"] == "alphanumeric"] == ["ACME"]
    event = AuditEvent.objects.get(action="sender_plan.provisioned")
    assert (event.tenant_id, event.actor_label, event.details["done"]) == (
        tenant_a.pk,
        body["created_by"],
        ["US", "GB"],
    )
    # and a second run is refused
    again = call(client_a, api_key_a, "post", url)
    assert (again.status_code, again.json()["code"]) == (409, "plan_not_provisionable")
    assert len(fake_gateway.calls_of("provision_number")) == 1


def test_a_bad_area_code_is_refused_before_anything_is_bought(client_a, api_key_a, fake_gateway):
    plan = call(client_a, api_key_a, "post", PLANS, acceptance_body()).json()
    response = call(client_a, api_key_a, "post", f"{PLANS}/{plan['id']}/provision", {"area_codes": {"US": "844"}})
    assert response.status_code == 400
    assert response.json()["errors"] == [
        {"field": "area_codes.US", "message": "844 is a toll-free prefix, not a local area code"}
    ]
    assert fake_gateway.calls_of("provision_number") == []
    assert call(client_a, api_key_a, "get", f"{PLANS}/{plan['id']}").json()["status"] == "draft"
