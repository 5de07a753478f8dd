"""Contacts on the API: created in E.164, refused naming the field with nothing stored, listed with filters and a
cursor, changed and deleted by id, exported as formula-safe CSV; another tenant's key sees none of them."""

from __future__ import annotations

import csv
import io

import pytest

from messaging.models import Contact
from tenants.services.api_keys import api_key_create
from tests.factories import ContactFactory, ContactListFactory, in_tenant
from tests.messaging.api.helpers import call

pytestmark = pytest.mark.django_db

CONTACTS = "/api/v1/contacts"


def test_a_contact_is_created_in_e164_and_read_back(client_a, api_key_a, tenant_a):
    vip = ContactListFactory(tenant=tenant_a, name="VIP")
    response = call(client_a, api_key_a, "post", CONTACTS, {
        "phone_number": "(415) 555-0100", "name": "Ann Lee", "attributes": {"plan": "gold", "visits": 3},
        "tags": ["VIP"], "lists": [vip.pk],
    })  # fmt: skip
    assert response.status_code == 201
    body = response.json()
    assert {key: body[key] for key in ("phone_number", "name", "country", "time_zone", "local_time_zone", "status",
                                       "unsendable_reason", "attributes", "tags", "lists")} == {
        "phone_number": "+14155550100", "name": "Ann Lee", "country": "US", "time_zone": "",
        "local_time_zone": "America/Los_Angeles", "status": "active", "unsendable_reason": "",
        "attributes": {"plan": "gold", "visits": 3}, "tags": ["vip"], "lists": [vip.pk],
    }  # fmt: skip
    assert call(client_a, api_key_a, "get", f"{CONTACTS}/{body['id']}").json() == body


@pytest.mark.parametrize(
    ("payload", "status", "field", "message"),
    [
        ({"phone_number": "hello"}, 422, "phone_number", "'hello' is not a phone number"),
        ({"phone_number": "+14155550100", "attributes": {"plan": ["a"]}}, 400, "attributes.plan",
         "a value is text, a number, true or false"),
        ({"phone_number": "+14155550100", "time_zone": "Mars"}, 422, "time_zone",
         "'Mars' is not an IANA time zone such as America/New_York"),
        ({"phone_number": "+14155550100", "lists": [999_999]}, 422, "lists", "no list with id 999999"),
        ({"phone_number": "+14155550100", "status": "unsendable"}, 422, "unsendable_reason",
         "say why the contact is unsendable"),
        ({"phone_number": "+14155550199"}, 409, "phone_number", "contact {taken} has the number +14155550199 already"),
        ({"name": "No number"}, 400, "phone_number", "This field is required."),
    ],
)  # fmt: skip
def test_bad_input_is_refused_naming_the_field_and_nothing_is_stored(
    client_a, api_key_a, tenant_a, payload, status, field, message
):
    taken = ContactFactory(tenant=tenant_a, phone_number="+14155550199")
    response = call(client_a, api_key_a, "post", CONTACTS, payload)
    assert (response.status_code, response["Content-Type"]) == (status, "application/problem+json")
    assert response.json()["errors"] == [{"field": field, "message": message.format(taken=taken.pk)}]
    with in_tenant(tenant_a):
        assert list(Contact.objects.all()) == [taken]


def test_listing_filters_pages_with_a_cursor_and_another_tenant_sees_nothing(
    client_a, client_b, api_key_a, api_key_b, tenant_a, tenant_b
):
    # given acme's contacts, and one of globex's
    vip = ContactListFactory(tenant=tenant_a, name="VIP")
    ann = ContactFactory(tenant=tenant_a, phone_number="+14155550100", name="Ann", tags=["gold"], lists=[vip])
    bo = ContactFactory(tenant=tenant_a, phone_number="+14155550101", name="Bo", tags=["gold"])
    cy = ContactFactory(tenant=tenant_a, phone_number="+14155550102", name="Cy")
    theirs = ContactFactory(tenant=tenant_b, phone_number="+447400123456", name="Theirs")
    # when / then
    first = call(client_a, api_key_a, "get", f"{CONTACTS}?page_size=2").json()
    second = call(client_a, api_key_a, "get", first["next"]).json()
    assert [c["id"] for c in first["results"] + second["results"]] == [cy.pk, bo.pk, ann.pk]
    assert [c["id"] for c in call(client_a, api_key_a, "get", f"{CONTACTS}?tag=gold").json()["results"]] == [
        bo.pk,
        ann.pk,
    ]
    assert [c["id"] for c in call(client_a, api_key_a, "get", f"{CONTACTS}?list={vip.pk}").json()["results"]] == [
        ann.pk
    ]
    assert [c["id"] for c in call(client_a, api_key_a, "get", f"{CONTACTS}?q=555-0101").json()["results"]] == [bo.pk]
    bad = call(client_a, api_key_a, "get", f"{CONTACTS}?status=gone")
    assert (bad.status_code, bad.json()["errors"][0]["field"]) == (400, "status")
    # globex sees only its own, and none of acme's by id
    assert [c["id"] for c in call(client_b, api_key_b, "get", CONTACTS).json()["results"]] == [theirs.pk]
    assert call(client_b, api_key_b, "get", f"{CONTACTS}?list={vip.pk}").json()["results"] == []
    for method in ("get", "patch", "delete"):
        assert call(client_b, api_key_b, method, f"{CONTACTS}/{ann.pk}", {"name": "x"}).status_code == 404
    with in_tenant(tenant_a):
        assert Contact.objects.get(pk=ann.pk).name == "Ann"


def test_a_patch_changes_the_fields_given_and_a_delete_removes_the_contact(client_a, api_key_a, tenant_a):
    contact = ContactFactory(tenant=tenant_a, name="Ann", attributes={"plan": "gold"}, tags=["vip"])
    url = f"{CONTACTS}/{contact.pk}"
    changed = call(client_a, api_key_a, "patch", url, {"status": "unsendable", "unsendable_reason": "landline"})
    assert changed.status_code == 200
    body = changed.json()
    assert (body["name"], body["attributes"], body["tags"], body["status"], body["unsendable_reason"]) == (
        "Ann",
        {"plan": "gold"},
        ["vip"],
        "unsendable",
        "landline",
    )
    assert body["unsendable_since"] is not None
    assert call(client_a, api_key_a, "delete", url).status_code == 204
    assert call(client_a, api_key_a, "get", url).status_code == 404


def test_the_export_streams_formula_safe_csv_of_this_tenant_only(
    client_a, client_b, api_key_a, api_key_b, tenant_a, tenant_b
):
    ContactFactory(tenant=tenant_a, phone_number="+14155550100", name="=1+1", attributes={"note": "@x"})
    ContactFactory(tenant=tenant_b, phone_number="+447400123456", name="Theirs")
    response = client_a.get(f"{CONTACTS}/export", HTTP_AUTHORIZATION=f"Bearer {api_key_a}", HTTP_ACCEPT="text/csv")
    assert (response.status_code, response["Content-Type"]) == (200, "text/csv; charset=utf-8")
    assert response["Content-Disposition"].startswith('attachment; filename="contacts-')
    text = b"".join(response.streaming_content).decode()
    rows = list(csv.reader(io.StringIO(text.removeprefix("\ufeff"))))
    assert [(row[0], row[1], row[-1]) for row in rows] == [
        ("phone_number", "name", "note"),
        ("+14155550100", "'=1+1", "'@x"),
    ]
    theirs = b"".join(client_b.get(f"{CONTACTS}/export", HTTP_AUTHORIZATION=f"Bearer {api_key_b}").streaming_content)
    assert [row[0] for row in csv.reader(io.StringIO(theirs.decode().removeprefix("\ufeff")))] == [
        "phone_number",
        "+447400123456",
    ]


def test_the_contacts_endpoints_ask_for_the_contacts_scope(client_a, tenant_a):
    _, reader = api_key_create(tenant=tenant_a, name="reader", scopes=["messages:read"])
    response = call(client_a, reader, "get", CONTACTS)
    assert (response.status_code, response.json()["code"]) == (403, "permission_denied")
