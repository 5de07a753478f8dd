"""Senders and pools on the API: listing, creating, registration moves, sync and buying — one tenant at a time."""

from __future__ import annotations

import pytest

from compliance.domain.registration import Mover
from messaging.models import Sender
from messaging.services.senders import sender_registration_move
from tenants.models import AuditEvent
from tests.factories import in_tenant
from tests.messaging.api.helpers import call

pytestmark = pytest.mark.django_db


def test_senders_are_created_listed_and_invisible_to_another_tenant(client_a, client_b, api_key_a, api_key_b):
    # given a sender in each tenant
    created = call(
        client_a, api_key_a, "post", "/api/v1/senders",
        {"kind": "a2p_10dlc", "address": "(415) 555-0100", "country": "US", "mps": "4.00", "label": "Alerts"},
    )  # fmt: skip
    call(
        client_b,
        api_key_b,
        "post",
        "/api/v1/senders",
        {"kind": "alphanumeric", "address": "GLOBEX", "country": "GB", "mps": "10"},
    )
    # then
    assert created.status_code == 201
    body = created.json()
    assert (body["address"], body["kind"], body["mps"], body["registration_state"], body["two_way"]) == (
        "+14155550100", "a2p_10dlc", "4.00", "draft", True,
    )  # fmt: skip
    listed = call(client_a, api_key_a, "get", "/api/v1/senders").json()["results"]
    assert [s["address"] for s in listed] == ["+14155550100"]
    other = call(client_b, api_key_b, "get", "/api/v1/senders").json()["results"]
    assert [(s["address"], s["two_way"]) for s in other] == [("GLOBEX", False)]


LONG_CODE = {"kind": "long_code", "address": "+14165550100", "country": "CA", "mps": "1"}


@pytest.mark.parametrize(
    ("changes", "status", "field", "message"),
    [
        ({"kind": "pager"}, 400, "kind", '"pager" is not a valid choice.'),
        ({"country": "us"}, 400, "country", "country must be an ISO 3166-1 alpha-2 code such as US"),
        ({"mps": "0"}, 400, "mps", "mps must be greater than 0"),
        ({"mps": 0}, 400, "mps", "mps must be greater than 0"),
        ({"mps": "1.005"}, 400, "mps", 'must be a whole number or a decimal string such as "4.50"'),
        ({"mps": 100_000}, 400, "mps", "must be at most 99,999.99"),
        ({"address": 4165550100}, 400, "address", "Not a valid string."),
        ({"kind": "short_code", "address": "1234"}, 422, "address", "a short code is 5 or 6 digits"),
        (
            {"address": "+14155550100", "country": "US"},
            422,
            "kind",
            "a US local number sends application-to-person messages only as A2P 10DLC: add it as a2p_10dlc and "
            "register its brand and campaign",
        ),
    ],
)
def test_bad_senders_get_a_problem_naming_the_field(client_a, api_key_a, changes, status, field, message):
    response = call(client_a, api_key_a, "post", "/api/v1/senders", {**LONG_CODE, **changes})
    assert response.status_code == status
    assert response["Content-Type"] == "application/problem+json"
    problem = response.json()
    assert [(e["field"], e["message"]) for e in problem["errors"]] == [(field, message)]
    assert call(client_a, api_key_a, "get", "/api/v1/senders").json()["results"] == []


def _registration_url(client, api_key, kind: str, address: str) -> tuple[int, str]:
    """Record a US sender of `kind` through the API; its id and its registration endpoint."""
    sender = call(
        client, api_key, "post", "/api/v1/senders", {"kind": kind, "address": address, "country": "US", "mps": "3"}
    )
    return sender.json()["id"], f"/api/v1/senders/{sender.json()['id']}/registration"


def test_a_tenant_key_submits_a_registration_but_cannot_approve_it(client_a, api_key_a, tenant_a):
    sender_id, url = _registration_url(client_a, api_key_a, "a2p_10dlc", "+14155550100")
    # a jump the state machine lacks is a conflict
    jump = call(client_a, api_key_a, "post", url, {"state": "approved"})
    assert (jump.status_code, jump.json()["code"], jump.json()["detail"]) == (
        409,
        "registration_transition_refused",
        "a2p_10dlc registration cannot go from draft to approved; allowed: submitted",
    )
    # submitting is the tenant's move
    submitted = call(client_a, api_key_a, "post", url, {"state": "submitted", "reference": "CMP123"})
    body = submitted.json()
    assert (submitted.status_code, body["registration_state"], body["registration_reference"]) == (
        200, "submitted", "CMP123",
    )  # fmt: skip
    # approving is not
    refused = call(client_a, api_key_a, "post", url, {"state": "approved"})
    assert (refused.status_code, refused["Content-Type"]) == (403, "application/problem+json")
    problem = refused.json()
    assert (problem["code"], problem["detail"], problem["errors"]) == (
        "registration_move_staff_only",
        "only ISV staff move this a2p_10dlc registration from submitted to approved, on the decision of the carriers "
        "or Twilio; you may move it to: none",
        [{"field": "registration_state", "message": problem["detail"]}],
    )
    listed = call(client_a, api_key_a, "get", "/api/v1/senders").json()["results"]
    assert [(s["id"], s["registration_state"]) for s in listed] == [(sender_id, "submitted")]
    with in_tenant(tenant_a):
        assert list(
            AuditEvent.objects.filter(action="sender.registration_moved").values_list("details", flat=True)
        ) == [{"from": "draft", "to": "submitted", "reference": "CMP123"}]


def test_a_tenant_key_resubmits_a_rejected_toll_free_verification(client_a, api_key_a, tenant_a):
    sender_id, url = _registration_url(client_a, api_key_a, "toll_free", "+18445550100")
    assert call(client_a, api_key_a, "post", url, {"state": "verified"}).status_code == 403
    # ISV staff record the rejection
    with in_tenant(tenant_a):
        rejected = Sender.objects.get(pk=sender_id)
        sender_registration_move(tenant=tenant_a, sender=rejected, target="rejected", by=Mover.STAFF)
    # the tenant applies again
    again = call(client_a, api_key_a, "post", url, {"state": "pending", "reference": "HH124"})
    assert (again.status_code, again.json()["registration_state"], again.json()["registration_reference"]) == (
        200, "pending", "HH124",
    )  # fmt: skip


def test_buy_and_sync_through_the_api(client_a, api_key_a, tenant_a, fake_gateway):
    bought = call(client_a, api_key_a, "post", "/api/v1/senders/numbers", {"area_code": "212", "label": "NYC"})
    assert bought.status_code == 201
    assert (bought.json()["kind"], bought.json()["label"], bought.json()["address"][:5]) == (
        "a2p_10dlc",
        "NYC",
        "+1212",
    )
    synced = call(client_a, api_key_a, "post", "/api/v1/senders/sync")
    assert synced.json() == {"added": [], "updated": [bought.json()["address"]], "missing": []}


def test_buying_with_neither_choice_is_a_422_naming_the_field(client_a, api_key_a, fake_gateway):
    response = call(client_a, api_key_a, "post", "/api/v1/senders/numbers", {"label": "x"})
    assert response.status_code == 422
    assert [(e["field"], e["message"]) for e in response.json()["errors"]] == [
        ("phone_number", "give either a phone number or an area code")
    ]
    assert fake_gateway.calls_of("provision_number") == []


def test_changing_a_senders_kind_starts_its_registration_again(client_a, api_key_a, tenant_a):
    as_tendlc = {"kind": "a2p_10dlc", "address": "+18445550100", "country": "US", "mps": "12"}
    sender = call(client_a, api_key_a, "post", "/api/v1/senders", as_tendlc).json()
    url = f"/api/v1/senders/{sender['id']}/registration"
    assert call(client_a, api_key_a, "post", url, {"state": "submitted", "reference": "CX1"}).status_code == 200
    with in_tenant(tenant_a):
        approved = Sender.objects.get(pk=sender["id"])
        sender_registration_move(tenant=tenant_a, sender=approved, target="approved", by=Mover.STAFF)
    # the same number recorded again with another kind starts that kind's registration
    again = call(client_a, api_key_a, "post", "/api/v1/senders", {**as_tendlc, "kind": "toll_free", "mps": "3"}).json()
    assert (again["id"], again["kind"], again["registration_state"], again["registration_reference"]) == (
        sender["id"],
        "toll_free",
        "pending",
        "",
    )
    # recorded again with the same kind, it keeps its state
    same = call(client_a, api_key_a, "post", "/api/v1/senders", {**as_tendlc, "kind": "toll_free", "mps": "3"}).json()
    assert same["registration_state"] == "pending"
