"""Contact lists: created, renamed and unique without regard to case, filled and emptied, deleted keeping their
contacts."""

from __future__ import annotations

import pytest

from messaging import selectors
from messaging.errors import ContactListExists, MessagingValidationError
from messaging.models import Contact, ContactList, ContactListMembership
from messaging.services.contacts.lists import (
    contact_list_add,
    contact_list_create,
    contact_list_delete,
    contact_list_remove,
    contact_list_update,
)
from tenants.models import AuditEvent
from tests.factories import ContactFactory, ContactListFactory

pytestmark = pytest.mark.django_db


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
