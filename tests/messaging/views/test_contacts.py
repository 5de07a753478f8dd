"""The contact pages: the list searched, filtered and paged (another tenant's contacts never shown), a contact added
and edited with refusals under their field, bulk actions, and the CSV export."""

from __future__ import annotations

import csv
import io

import pytest

from messaging.models import Contact
from tests.factories import ContactFactory, ContactListFactory, in_tenant

pytestmark = pytest.mark.django_db


@pytest.fixture
def operator_a(client_a, acme_member):
    client_a.force_login(acme_member("operator"))
    return client_a


def _numbers(response) -> list[str]:
    return [contact.phone_number for contact in response.context["page"]]


def test_the_list_filters_searches_and_pages_and_shows_no_other_tenants_contacts(operator_a, tenant_a, tenant_b):
    vip = ContactListFactory(tenant=tenant_a, name="VIP")
    ann = ContactFactory(tenant=tenant_a, phone_number="+14155550100", name="Ann", tags=["gold"], lists=[vip])
    for n in range(1, 52):
        ContactFactory(tenant=tenant_a, phone_number=f"+1415555{n + 200:04d}", name=f"Person {n}")
    ContactFactory(tenant=tenant_b, phone_number="+447400123456", name="Theirs")
    first = operator_a.get("/contacts/")
    assert (first.status_code, first.context["page"].paginator.count, len(_numbers(first))) == (200, 52, 50)
    assert _numbers(operator_a.get("/contacts/?page=2")) == ["+14155550201", ann.phone_number]
    assert _numbers(operator_a.get(f"/contacts/?list={vip.pk}")) == [ann.phone_number]
    assert _numbers(operator_a.get("/contacts/?tag=GOLD")) == [ann.phone_number]
    assert _numbers(operator_a.get("/contacts/?q=ann")) == [ann.phone_number]
    assert _numbers(operator_a.get("/contacts/?q=Theirs")) == []
    assert "+447400123456" not in operator_a.get("/contacts/?q=7400").content.decode()


def test_a_contact_is_added_and_a_refusal_shows_under_its_field(operator_a, tenant_a):
    refused = operator_a.post("/contacts/add/", {"phone_number": "12", "status": "active"})
    assert (refused.status_code, refused.context["add_form"].errors) == (
        400,
        {"phone_number": ["'12' is not a valid phone number"]},
    )
    added = operator_a.post(
        "/contacts/add/", {"phone_number": "(415) 555-0100", "name": "Ann", "tags": "VIP, new", "status": "active"}
    )
    with in_tenant(tenant_a):
        contact = Contact.objects.get()
    assert added["Location"] == f"/contacts/{contact.pk}/"
    assert (contact.phone_number, contact.name, contact.tags) == ("+14155550100", "Ann", ["new", "vip"])


def test_a_contact_is_edited_and_typed_attributes_keep_their_type(operator_a, tenant_a):
    vip = ContactListFactory(tenant=tenant_a, name="VIP")
    contact = ContactFactory(tenant=tenant_a, name="Ann", attributes={"visits": 3, "member": True, "plan": "gold"})
    page = operator_a.get(f"/contacts/{contact.pk}/")
    assert page.context["form"]["attributes"].value() == "member: true\nplan: gold\nvisits: 3"
    assert page.context["local_time_zone"] == "America/Los_Angeles"
    form = {
        "phone_number": contact.phone_number, "name": "Ann Lee", "tags": "", "lists": [vip.pk],
        "attributes": "member: true\nplan: silver\nvisits: 3\nzip: 02134", "status": "active", "time_zone": "",
    }  # fmt: skip
    assert operator_a.post(f"/contacts/{contact.pk}/", form).status_code == 302
    contact.refresh_from_db()
    assert (contact.name, contact.attributes) == (
        "Ann Lee",
        {"member": True, "plan": "silver", "visits": 3, "zip": "02134"},
    )
    refused = operator_a.post(f"/contacts/{contact.pk}/", {**form, "attributes": "Bad Key: 1", "name": "Changed"})
    assert refused.status_code == 400
    assert refused.context["form"].errors == {
        "attributes": [
            "'Bad Key': an attribute key is 1 to 64 lowercase letters, digits or underscores, starting with a letter"
        ]
    }
    contact.refresh_from_db()
    assert contact.name == "Ann Lee"


def test_bulk_actions_tag_list_and_delete_the_contacts_picked(operator_a, tenant_a):
    vip = ContactListFactory(tenant=tenant_a, name="VIP")
    ann, bo, cy = (ContactFactory(tenant=tenant_a, tags=[]) for _ in range(3))
    picked = [ann.pk, bo.pk]
    operator_a.post("/contacts/bulk/", {"contact": picked, "action": "tag", "tag": "Spring Sale"})
    operator_a.post("/contacts/bulk/", {"contact": picked, "action": "add_to_list", "contact_list": vip.pk})
    refused = operator_a.post("/contacts/bulk/", {"contact": picked, "action": "add_to_list"})
    assert (refused.status_code, refused.context["bulk_form"].errors) == (400, {"contact_list": ["Pick a list."]})
    operator_a.post("/contacts/bulk/", {"contact": [cy.pk], "action": "delete"})
    with in_tenant(tenant_a):
        assert {c.pk: c.tags for c in Contact.objects.all()} == {ann.pk: ["spring-sale"], bo.pk: ["spring-sale"]}
        assert sorted(vip.contacts.values_list("pk", flat=True)) == sorted(picked)


def test_the_export_downloads_the_contacts_filtered(operator_a, tenant_a, tenant_b):
    vip = ContactListFactory(tenant=tenant_a, name="VIP")
    ContactFactory(tenant=tenant_a, phone_number="+14155550100", name="@Ann", lists=[vip])
    ContactFactory(tenant=tenant_a, phone_number="+14155550101", name="Bo")
    ContactFactory(tenant=tenant_b, phone_number="+447400123456")
    response = operator_a.get(f"/contacts/export.csv?list={vip.pk}")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode().removeprefix("\ufeff"))))
    assert [row[:2] for row in rows] == [["phone_number", "name"], ["+14155550100", "'@Ann"]]


def test_an_analyst_sees_no_contact_pages(client_a, acme_member):
    client_a.force_login(acme_member("analyst"))
    assert client_a.get("/contacts/").status_code == 403
    assert "nav-contacts" not in client_a.get("/").content.decode()
