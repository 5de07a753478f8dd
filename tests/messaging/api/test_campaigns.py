"""Campaigns on the API: a draft created and changed, its audience previewed, the preflight run, launched, paused,
resumed and canceled, its progress read; bad input refused naming the field; another tenant sees none of it."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
import time_machine

from compliance.services.register import opt_out_record
from messaging.models import Campaign, Message
from tests.factories import ContactFactory, ContactListFactory, SenderFactory, in_tenant
from tests.messaging.api.helpers import call

pytestmark = pytest.mark.django_db

CAMPAIGNS = "/api/v1/campaigns"
NOON_NY = datetime(2026, 12, 2, 17, 0, tzinfo=UTC)


@pytest.fixture
def noon():
    with time_machine.travel(NOON_NY, tick=False) as traveller:
        yield traveller


@pytest.fixture
def audience(tenant_a):
    contacts = [
        ContactFactory(tenant=tenant_a, phone_number=f"+121255501{i:02d}", name=f"P{i} Doe",
                       attributes={"plan": "gold"} if i < 2 else {})
        for i in range(4)
    ]  # fmt: skip
    return ContactListFactory(tenant=tenant_a, name="Customers", contacts=contacts), contacts


@pytest.fixture
def sender(tenant_a):
    return SenderFactory(tenant=tenant_a, address="+14165550100", mps=1)


def test_a_campaign_from_draft_to_cancel(
    client_a, api_key_a, tenant_a, audience, sender, noon, dispatch_index, django_capture_on_commit_callbacks
):
    contact_list, contacts = audience
    with in_tenant(tenant_a):
        opt_out_record(tenant=tenant_a, number=contacts[3].phone_number, source="api", actor_label="k")
    # a draft
    created = call(client_a, api_key_a, "post", CAMPAIGNS, {
        "name": "Winter", "category": "transactional", "sender": sender.pk, "list_ids": [contact_list.pk],
        "variants": [{"body": 'Hi {{ first_name }}, {{ attributes.plan | default:"free" }}', "percent": 50},
                     {"body": "Hello {{ first_name }}", "percent": 50}],
    })  # fmt: skip
    assert created.status_code == 201, created.json()
    body = created.json()
    url = f"{CAMPAIGNS}/{body['id']}"
    assert (body["state"], body["preflight"], [v["label"] for v in body["variants"]]) == ("draft", None, ["A", "B"])
    # its preview
    preview = call(client_a, api_key_a, "get", f"{url}/preview").json()
    assert preview["recipients"] == 4
    first = preview["samples"][0]
    assert (first["contact_id"], first["phone_number"], first["segments"]) == (contacts[0].pk, "+12125550100", 1)
    assert first["body"] in ("Hi P0, gold", "Hello P0")
    # launching needs a preflight
    early = call(client_a, api_key_a, "post", f"{url}/launch")
    assert (early.status_code, early.json()["code"]) == (409, "campaign_preflight_required")
    checked = call(client_a, api_key_a, "post", f"{url}/preflight").json()
    report = checked["preflight"]
    assert (report["recipients"], report["compliance"]["blocked"], report["blocking"]) == (4, 1, False)
    assert (checked["preflight_by"], report["estimate"]["segments"]) == (f"api-key:{api_key_prefix(tenant_a)}", 3)
    # launched: expanded into messages
    with django_capture_on_commit_callbacks(execute=True):
        launched = call(client_a, api_key_a, "post", f"{url}/launch")
    assert (launched.status_code, launched.json()["state"]) == (200, "running")
    progress = call(client_a, api_key_a, "get", f"{url}/progress").json()
    assert (progress["state"], progress["recipients"], progress["expanded"], progress["percent"]) == (
        "running", 4, 4, 25
    )  # fmt: skip
    assert progress["counts"] == {"queued": 3, "deferred": 0, "sent": 0, "delivered": 0, "undelivered": 0,
                                  "failed": 0, "suppressed": 1, "canceled": 0}  # fmt: skip
    assert progress["estimated_finish"] == "2026-12-02T17:00:03Z"
    # a launched campaign is no longer a draft
    changed = call(client_a, api_key_a, "patch", url, {"name": "Spring"})
    assert (changed.status_code, changed.json()["code"]) == (409, "campaign_not_editable")
    # paused, resumed, canceled
    with django_capture_on_commit_callbacks(execute=True):
        assert call(client_a, api_key_a, "post", f"{url}/pause").json()["state"] == "paused"
        again = call(client_a, api_key_a, "post", f"{url}/pause")
        assert (again.status_code, again.json()["code"]) == (409, "campaign_transition_refused")
        assert call(client_a, api_key_a, "post", f"{url}/resume").json()["state"] == "running"
        canceled = call(client_a, api_key_a, "post", f"{url}/cancel").json()
    assert (canceled["state"], canceled["finished_at"]) == ("canceled", "2026-12-02T17:00:00Z")
    with in_tenant(tenant_a):
        statuses = sorted(Message.objects.filter(campaign_id=body["id"]).values_list("status", flat=True))
    assert statuses == ["canceled", "canceled", "canceled", "suppressed"]


def api_key_prefix(tenant_a) -> str:
    from tenants.models import ApiKey

    return ApiKey.objects.get(tenant=tenant_a).prefix


@pytest.mark.parametrize(
    ("payload", "status", "field", "message"),
    [
        ({}, 400, "name", "This field is required."),
        ({"name": "X", "category": "spam"}, 400, "category", "must be one of marketing, transactional, passcode"),
        ({"name": "X", "body": "Hi {{ name"}, 422, "body", "'{{' at character 4 is never closed with '}}'"),
        ({"name": "X", "variants": [{"body": "a", "percent": 60}, {"body": "b", "percent": 60}]}, 422, "variants",
         "the variants' percentages sum to 120, not 100"),
        ({"name": "X", "variants": [{"body": "a", "percent": 100}]}, 400, "variants.0.percent",
         "must be between 1 and 99"),
        ({"name": "X", "list_ids": [999999]}, 422, "list_ids", "no list has id 999999"),
        ({"name": "X", "sender": 999999}, 422, "sender", "no sender has this id"),
        ({"name": "X", "schedule": "local", "local_date": "2026-12-03"}, 422, "local_time",
         "a campaign at a local time needs local_date and local_time"),
        ({"name": "X", "attribute_filters": [{"key": "plan", "op": "like"}]}, 400, "attribute_filters.0.op",
         "must be one of eq, ne, exists, missing"),
    ],
)  # fmt: skip
def test_bad_input_is_refused_naming_the_field_and_nothing_is_stored(
    client_a, api_key_a, tenant_a, noon, payload, status, field, message
):
    answer = call(client_a, api_key_a, "post", CAMPAIGNS, payload)
    assert answer.status_code == status, answer.json()
    assert answer.json()["errors"] == [{"field": field, "message": message}]
    with in_tenant(tenant_a):
        assert Campaign.objects.count() == 0


def test_another_tenant_sees_no_campaign_and_cannot_act_on_it(
    client_a, client_b, api_key_a, api_key_b, tenant_a, audience, sender
):
    created = call(client_a, api_key_a, "post", CAMPAIGNS, {"name": "Ours", "body": "Hi"}).json()
    url = f"{CAMPAIGNS}/{created['id']}"
    assert call(client_b, api_key_b, "get", CAMPAIGNS).json()["results"] == []
    for method, path in [("get", url), ("patch", url), ("delete", url), ("get", f"{url}/preview"),
                         ("post", f"{url}/preflight"), ("post", f"{url}/launch"), ("post", f"{url}/cancel"),
                         ("get", f"{url}/progress")]:  # fmt: skip
        assert call(client_b, api_key_b, method, path, {"name": "Theirs"}).status_code == 404, (method, path)
    with in_tenant(tenant_a):
        assert list(Campaign.objects.values_list("name", "state")) == [("Ours", "draft")]
    # and the owner lists it and deletes the draft
    assert [c["id"] for c in call(client_a, api_key_a, "get", CAMPAIGNS).json()["results"]] == [created["id"]]
    assert call(client_a, api_key_a, "delete", url).status_code == 204
