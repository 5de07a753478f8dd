"""Contacts one by one and in bulk: created in the tenant's default country, refused naming the field with nothing
written, updated (status with its reason and since), tagged and untagged in bulk, deleted with an audit record."""

from __future__ import annotations

import pytest
from django.utils import timezone

from messaging.errors import ContactExists, MessagingValidationError
from messaging.models import Contact
from messaging.services.contacts.records import (
    contact_create,
    contact_delete,
    contact_update,
    contacts_delete,
    contacts_tag,
    contacts_untag,
)
from tenants.models import AuditEvent
from tests.factories import ContactFactory, ContactListFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_a_contact_is_created_in_e164_reading_local_numbers_in_the_tenants_country(in_tenant_b):
    # given globex, whose default country is GB; when a contact is created with a national number
    vip = ContactListFactory(tenant=in_tenant_b, name="VIP")
    contact = contact_create(
        phone_number="07400 123456", name=" Ann Lee ", attributes={"plan": "gold", "visits": 3, "member": True},
        tags=["VIP", "New customer", "vip"], list_ids=[vip.pk],
    )  # fmt: skip
    # then
    contact.refresh_from_db()
    assert (contact.phone_number, contact.country, contact.name, contact.status) == (
        "+447400123456",
        "GB",
        "Ann Lee",
        "active",
    )
    assert (contact.attributes, contact.tags) == (
        {"plan": "gold", "visits": 3, "member": True},
        ["new-customer", "vip"],
    )
    assert list(contact.lists.values_list("name", flat=True)) == ["VIP"]


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"phone_number": "12"}, "phone_number", "'12' is not a valid phone number"),
        ({"name": "x" * 121}, "name", "a name is at most 120 characters"),
        ({"time_zone": "Mars/Olympus"}, "time_zone",
         "'Mars/Olympus' is not an IANA time zone such as America/New_York"),
        ({"attributes": ["a"]}, "attributes", "attributes are an object of keys to values"),
        ({"attributes": {"First Name": "Ann"}}, "attributes.First Name",
         "'First Name': an attribute key is 1 to 64 lowercase letters, digits or underscores, starting with a letter"),
        ({"attributes": {"plan": {"tier": 1}}}, "attributes.plan", "a value is text, a number, true or false"),
        ({"attributes": {"plan": None}}, "attributes.plan", "a value is text, a number, true or false"),
        ({"attributes": {"score": float("nan")}}, "attributes.score", "a number must be finite"),
        ({"tags": ["ok", "!!!"]}, "tags", "'!!!' has no letters or digits to make a tag of"),
        ({"tags": ["x" * 51]}, "tags", f"a tag is at most 50 characters: '{'x' * 51}'"),
        ({"list_ids": [999_999]}, "lists", "no list with id 999999"),
        ({"status": "gone"}, "status", "status is one of active, unsendable"),
        ({"status": "unsendable"}, "unsendable_reason", "say why the contact is unsendable"),
        ({"unsendable_reason": "landline"}, "unsendable_reason",
         "only an unsendable contact has a reason: set status to unsendable"),
    ],
)  # fmt: skip
def test_a_bad_value_is_refused_naming_the_field_and_nothing_is_written(in_tenant_a, changes, field, message):
    with pytest.raises(MessagingValidationError) as refused:
        contact_create(**{"phone_number": "+14155550100", **changes})
    assert (refused.value.field, refused.value.message) == (field, message)
    assert Contact.objects.count() == 0


def test_a_number_another_contact_has_is_a_conflict(in_tenant_a):
    existing = ContactFactory(tenant=in_tenant_a, phone_number="+14155550100")
    other = ContactFactory(tenant=in_tenant_a, phone_number="+14155550101")
    with pytest.raises(ContactExists) as refused:
        contact_create(phone_number="(415) 555-0100")
    assert (refused.value.status, refused.value.field, refused.value.message) == (
        409,
        "phone_number",
        f"contact {existing.pk} has the number +14155550100 already",
    )
    with pytest.raises(ContactExists):
        contact_update(contact=other, phone_number="+1 415 555 0100", name="Renamed")
    other.refresh_from_db()
    assert (other.phone_number, Contact.objects.count()) == ("+14155550101", 2)
    assert other.name != "Renamed"


def test_an_update_changes_what_is_given_and_keeps_the_rest(in_tenant_a):
    # given
    gold = ContactListFactory(tenant=in_tenant_a, name="Gold")
    contact = ContactFactory(
        tenant=in_tenant_a, name="Ann", attributes={"plan": "gold"}, tags=["vip"], time_zone="Europe/Paris"
    )
    # when
    contact_update(contact=contact, name="Ann Lee", tags=["Gold"], list_ids=[gold.pk])
    # then
    contact.refresh_from_db()
    assert (contact.name, contact.attributes, contact.tags, contact.time_zone) == (
        "Ann Lee",
        {"plan": "gold"},
        ["gold"],
        "Europe/Paris",
    )
    assert list(contact.lists.all()) == [gold]


def test_unsendable_keeps_its_reason_and_since_until_the_contact_is_active_again(in_tenant_a):
    contact = ContactFactory(tenant=in_tenant_a)
    before = timezone.now()
    contact_update(contact=contact, status="unsendable", unsendable_reason=" landline ")
    since = contact.unsendable_since
    assert (contact.status, contact.unsendable_reason) == ("unsendable", "landline")
    assert before <= since <= timezone.now()
    contact_update(contact=contact, unsendable_reason="landline (Lookup)")
    assert (contact.unsendable_reason, contact.unsendable_since) == ("landline (Lookup)", since)
    contact_update(contact=contact, status="active")
    contact.refresh_from_db()
    assert (contact.status, contact.unsendable_reason, contact.unsendable_since) == ("active", "", None)


def test_tags_are_added_and_taken_off_in_bulk(in_tenant_a):
    ann = ContactFactory(tenant=in_tenant_a, tags=["gold"])
    bo = ContactFactory(tenant=in_tenant_a, tags=[])
    cy = ContactFactory(tenant=in_tenant_a, tags=["vip"])
    assert contacts_tag(contact_ids=[ann.pk, bo.pk], tags=["VIP", "gold"]) == 2
    assert contacts_untag(contact_ids=[ann.pk, bo.pk, cy.pk], tags=["gold"]) == 2
    assert {c.pk: c.tags for c in Contact.objects.all()} == {ann.pk: ["vip"], bo.pk: ["vip"], cy.pk: ["vip"]}


def test_deleting_contacts_is_audited_and_keeps_their_lists(in_tenant_a):
    # given
    staff = UserFactory(email="owner@acme.test")
    customers = ContactListFactory(tenant=in_tenant_a, name="Customers")
    ann, bo, cy = (ContactFactory(tenant=in_tenant_a, lists=[customers]) for _ in range(3))
    # when
    contact_delete(tenant=in_tenant_a, contact=ann, actor=staff)
    deleted = contacts_delete(tenant=in_tenant_a, contact_ids=[bo.pk, 999_999], actor_label="api-key:abcd1234")
    # then
    assert (deleted, list(Contact.objects.all()), customers.memberships.count()) == (1, [cy], 1)
    events = AuditEvent.objects.filter(tenant=in_tenant_a, action__startswith="contact").order_by("id")
    assert [(e.action, e.actor_label, e.target, e.details) for e in events] == [
        ("contact.deleted", "owner@acme.test", ann.phone_number, {}),
        ("contacts.deleted", "api-key:abcd1234", "1 contacts", {"count": 1}),
    ]
