"""Contacts and lists: created in the tenant's default country, refused naming the field with nothing written,
updated (status with its reason and since), tagged and untagged in bulk, deleted with an audit record; lists
created, renamed, filled and emptied."""

from __future__ import annotations

from datetime import timedelta

import phonenumbers
import pytest
from django.utils import timezone

from messaging import selectors
from messaging.errors import ContactExists, ContactListExists, MessagingValidationError
from messaging.models import Contact, ContactList, ContactListMembership
from messaging.services.contacts.lists import (
    contact_list_add,
    contact_list_create,
    contact_list_delete,
    contact_list_remove,
    contact_list_update,
)
from messaging.services.contacts.phones import normalize_phone_number, number_time_zone
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


def test_a_number_gives_its_time_zone_when_its_area_has_one_clock():
    assert number_time_zone("+14155550100") == "America/Los_Angeles"
    assert number_time_zone("+447400123456") == "Europe/London"  # London, Jersey, Guernsey, Man: one clock
    assert number_time_zone("+61412345678") == ""  # an Australian mobile: any of the country's zones


def test_lists_are_created_renamed_and_unique_without_regard_to_case(in_tenant_a):
    customers = contact_list_create(name=" Customers ", description="Everyone who bought")
    vip = contact_list_create(name="VIP")
    with pytest.raises(ContactListExists) as refused:
        contact_list_create(name="customers")
    assert (refused.value.status, refused.value.field, refused.value.message) == (
        409,
        "name",
        "a list named 'customers' exists already",
    )
    with pytest.raises(ContactListExists):
        contact_list_update(contact_list=vip, name="CUSTOMERS")
    contact_list_update(contact_list=customers, name="Buyers", description="")
    assert list(ContactList.objects.values_list("name", "description")) == [("Buyers", ""), ("VIP", "")]
    with pytest.raises(MessagingValidationError) as blank:
        contact_list_create(name="  ")
    assert (blank.value.field, blank.value.message) == ("name", "a list needs a name")


def test_contacts_are_added_to_a_list_once_and_taken_off_it(in_tenant_a):
    vip = ContactListFactory(tenant=in_tenant_a, name="VIP")
    ann, bo = ContactFactory(tenant=in_tenant_a), ContactFactory(tenant=in_tenant_a)
    assert contact_list_add(contact_list=vip, contact_ids=[ann.pk]) == 1
    assert contact_list_add(contact_list=vip, contact_ids=[ann.pk, bo.pk, bo.pk]) == 1
    with pytest.raises(MessagingValidationError) as refused:
        contact_list_add(contact_list=vip, contact_ids=[999_999, ann.pk])
    assert (refused.value.field, refused.value.message) == ("contact_ids", "no contact with id 999999")
    assert contact_list_remove(contact_list=vip, contact_ids=[ann.pk, 999_999]) == 1
    assert list(ContactListMembership.objects.values_list("contact_id", flat=True)) == [bo.pk]
    assert selectors.contact_lists().get().members == 1


def test_deleting_a_list_keeps_its_contacts_and_is_audited(in_tenant_a):
    vip = ContactListFactory(tenant=in_tenant_a, name="VIP")
    ann = ContactFactory(tenant=in_tenant_a, lists=[vip])
    contact_list_delete(tenant=in_tenant_a, contact_list=vip, actor_label="api-key:abcd1234")
    assert (list(Contact.objects.all()), ContactList.objects.count()) == ([ann], 0)
    event = AuditEvent.objects.get(action="contact_list.deleted")
    assert (event.target, event.details) == ("VIP", {"members": 1})


def test_contacts_are_found_by_list_tag_status_and_a_search_of_number_or_name(in_tenant_a):
    vip = ContactListFactory(tenant=in_tenant_a, name="VIP")
    ann = ContactFactory(tenant=in_tenant_a, phone_number="+14155550100", name="Ann Lee", tags=["gold"], lists=[vip])
    bo = ContactFactory(tenant=in_tenant_a, phone_number="+14155550199", name="Bo Lee", tags=[])
    cy = ContactFactory(
        tenant=in_tenant_a, phone_number="+447911123456", name="Cy", status="unsendable", unsendable_reason="x",
        unsendable_since=timezone.now() - timedelta(days=1),
    )  # fmt: skip

    def found(**filters):
        return list(selectors.contacts_matching(**filters))

    assert found() == [cy, bo, ann]
    assert found(list_id=vip.pk) == [ann]
    assert found(tag="Gold") == [ann]
    assert found(status="unsendable") == [cy]
    assert found(search="(415) 555-01") == [bo, ann]
    assert found(search="lee") == [bo, ann]
    assert found(search="+44") == [cy]


def test_a_non_geographic_number_has_no_country(in_tenant_a):
    contact = contact_create(phone_number="+800 1234 5678")
    assert (contact.phone_number, contact.country) == ("+80012345678", "")


def _by_the_book(raw: str, region: str) -> tuple[str, str] | None:
    try:
        parsed = phonenumbers.parse(raw, region)
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_valid_number(parsed):
        return None
    found = phonenumbers.region_code_for_number(parsed)
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164), found if found.isalpha() else ""


@pytest.mark.parametrize("region", ["US", "CA", "GB", "FR", "JM"])
@pytest.mark.parametrize(
    "raw",
    ["+1 415 555 0100", "(415) 555-0100", "1-415-555-0100", "415.555.0100", "4155550100", "14165550100",
     "+1 (416) 555-0199", "+1 876 555 0100", "(212) 155-0100", "+4155550100", "415 555 0100 x12", "07400 123456",
     "+447400 123456", "+447911123456", "0612345678", "+33 6 12 34 56 78", "+800 1234 5678", "+1 800 555 0100",
     "12345", "not a number"],
)  # fmt: skip
def test_numbers_read_quickly_read_as_phonenumbers_reads_them(raw, region):
    try:
        ours = normalize_phone_number(raw, default_country=region)
    except MessagingValidationError:
        ours = None
    assert ours == _by_the_book(raw, region)
