"""Sender plans on the API: saved, listed, read, provisioned; another tenant sees none of them."""

from __future__ import annotations

from tenants.models import AuditEvent
from tests.messaging.api.helpers import acceptance_body, call

PLANS = "/api/v1/sender-plans"


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
    listed = call(client_a, api_key_a, "get", PLANS).json()["results"]
    assert [(p["id"], p["name"], p["recommended"]) for p in listed] == [
        (plan["id"], "Passcodes", {"US": "a2p_10dlc", "GB": "alphanumeric_unregistered"})
    ]
    assert call(client_a, api_key_a, "get", f"{PLANS}/{plan['id']}").json() == plan
    other = call(client_b, api_key_b, "get", PLANS).json()["results"]
    assert [(p["name"], p["recommended"]) for p in other] == [
        ("One-time passcodes to DE", {"DE": "alphanumeric_unregistered"})
    ]


def test_another_tenants_key_cannot_read_or_provision_a_plan(client_a, client_b, api_key_a, api_key_b, fake_gateway):
    # given a plan in tenant A only
    plan = call(client_a, api_key_a, "post", PLANS, acceptance_body()).json()
    # then tenant B's key finds nothing under its id
    assert call(client_b, api_key_b, "get", f"{PLANS}/{plan['id']}").status_code == 404
    assert call(client_b, api_key_b, "post", f"{PLANS}/{plan['id']}/provision").status_code == 404
    assert call(client_b, api_key_b, "get", PLANS).json()["results"] == []
    assert fake_gateway.calls_of("provision_number") == []
    assert call(client_a, api_key_a, "get", f"{PLANS}/{plan['id']}").json()["status"] == "draft"


def test_a_bad_plan_is_refused_and_nothing_is_saved(client_a, api_key_a):
    response = call(client_a, api_key_a, "post", PLANS, {**acceptance_body(), "countries": ["US", "GB", "UK"]})
    assert response.status_code == 422  # UK is GB: a rule, not the document, refuses it
    assert response.json()["errors"] == [{"field": "countries", "message": "GB is listed twice"}]
    assert call(client_a, api_key_a, "get", PLANS).json()["results"] == []


def test_provisioning_a_plan_through_the_api(
    client_a, api_key_a, tenant_a, fake_gateway, django_capture_on_commit_callbacks
):
    # given
    plan = call(client_a, api_key_a, "post", PLANS, acceptance_body()).json()
    url = f"{PLANS}/{plan['id']}/provision"
    # when
    with django_capture_on_commit_callbacks(execute=True):
        response = call(client_a, api_key_a, "post", url, {"area_codes": {"US": "212"}, "alphanumeric_id": "ACME"})
    # then the run is accepted at once, and the plan shows it done once its task ran
    assert (response.status_code, response.json()["status"], response.json()["provisioning_log"]) == (
        202,
        "provisioning",
        [],
    )
    body = call(client_a, api_key_a, "get", url.removesuffix("/provision")).json()
    assert body["status"] == "provisioned"
    assert [(e["country"], e["sender_type"], e["outcome"]) for e in body["provisioning_log"]] == [
        ("US", "a2p_10dlc", "done"),
        ("GB", "alphanumeric_unregistered", "done"),
    ]
    assert [call["area_code"] for call in fake_gateway.calls_of("provision_number")] == ["212"]
    senders = call(client_a, api_key_a, "get", "/api/v1/senders").json()["results"]
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
