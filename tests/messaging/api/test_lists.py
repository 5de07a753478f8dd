"""Contact lists on the API: created, unique by name without case, renamed, filled and emptied, deleted keeping their
contacts; another tenant's key sees none of them and cannot touch them."""

from __future__ import annotations

import pytest

from messaging.models import Contact, ContactList
from tests.factories import ContactFactory, ContactListFactory, in_tenant
from tests.messaging.api.helpers import call

pytestmark = pytest.mark.django_db

LISTS = "/api/v1/lists"


def test_a_list_is_created_renamed_and_deleted_keeping_its_contacts(client_a, api_key_a, tenant_a):
    created = call(client_a, api_key_a, "post", LISTS, {"name": " VIP ", "description": "Best customers"})
    assert created.status_code == 201
    body = created.json()
    assert (body["name"], body["description"], body["members"]) == ("VIP", "Best customers", 0)
    conflict = call(client_a, api_key_a, "post", LISTS, {"name": "vip"})
    assert (conflict.status_code, conflict.json()["code"], conflict.json()["errors"]) == (
        409,
        "list_exists",
        [{"field": "name", "message": "a list named 'vip' exists already"}],
    )
    url = f"{LISTS}/{body['id']}"
    renamed = call(client_a, api_key_a, "patch", url, {"name": "Gold"}).json()
    assert (renamed["name"], renamed["description"]) == ("Gold", "Best customers")
    contact = ContactFactory(tenant=tenant_a)
    call(client_a, api_key_a, "post", f"{url}/members", {"contact_ids": [contact.pk]})
    assert call(client_a, api_key_a, "delete", url).status_code == 204
    with in_tenant(tenant_a):
        assert (ContactList.objects.count(), list(Contact.objects.all())) == (0, [contact])


def test_members_are_added_listed_and_taken_off(client_a, api_key_a, tenant_a):
    vip = ContactListFactory(tenant=tenant_a, name="VIP")
    ann, bo = ContactFactory(tenant=tenant_a), ContactFactory(tenant=tenant_a)
    members = f"{LISTS}/{vip.pk}/members"
    assert call(client_a, api_key_a, "post", members, {"contact_ids": [ann.pk, bo.pk]}).json() == {"added": 2}
    assert call(client_a, api_key_a, "post", members, {"contact_ids": [ann.pk]}).json() == {"added": 0}
    refused = call(client_a, api_key_a, "post", members, {"contact_ids": [999_999]})
    assert (refused.status_code, refused.json()["errors"]) == (
        422,
        [{"field": "contact_ids", "message": "no contact with id 999999"}],
    )
    assert [c["id"] for c in call(client_a, api_key_a, "get", members).json()["results"]] == [bo.pk, ann.pk]
    assert call(client_a, api_key_a, "delete", f"{members}/{ann.pk}").status_code == 204
    again = call(client_a, api_key_a, "delete", f"{members}/{ann.pk}")
    assert (again.status_code, again.json()["detail"]) == (404, f"contact {ann.pk} is not on list {vip.pk}")
    listed = call(client_a, api_key_a, "get", LISTS).json()["results"]
    assert [(item["id"], item["name"], item["members"]) for item in listed] == [(vip.pk, "VIP", 1)]


def test_another_tenant_sees_no_list_and_cannot_use_its_contacts(
    client_a, client_b, api_key_a, api_key_b, tenant_a, tenant_b
):
    ours = ContactListFactory(tenant=tenant_a, name="VIP")
    ann = ContactFactory(tenant=tenant_a, lists=[ours])
    theirs = ContactListFactory(tenant=tenant_b, name="Theirs")
    assert [item["name"] for item in call(client_b, api_key_b, "get", LISTS).json()["results"]] == ["Theirs"]
    for method, path in [("get", ""), ("patch", ""), ("delete", ""), ("get", "/members"), ("post", "/members")]:
        response = call(client_b, api_key_b, method, f"{LISTS}/{ours.pk}{path}", {"name": "x", "contact_ids": [1]})
        assert response.status_code == 404, (method, path)
    assert call(client_b, api_key_b, "delete", f"{LISTS}/{ours.pk}/members/{ann.pk}").status_code == 404
    # acme's contact id names no contact of globex
    refused = call(client_b, api_key_b, "post", f"{LISTS}/{theirs.pk}/members", {"contact_ids": [ann.pk]})
    assert refused.status_code == 422
    with in_tenant(tenant_a):
        assert (ContactList.objects.get().name, list(ours.contacts.all())) == ("VIP", [ann])
